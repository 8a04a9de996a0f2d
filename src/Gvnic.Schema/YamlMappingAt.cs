using System.Collections.Generic;

namespace Gvnic.Schema
{
    /// <summary>A mapping kept in file order; duplicate keys are kept so they can be reported.</summary>
    internal sealed class YamlMappingAt : YamlNodeAt
    {
        public YamlMappingAt(SourceSpan at) : base(at)
        {
        }

        public List<KeyValuePair<YamlScalarAt, YamlNodeAt>> Entries { get; } = new List<KeyValuePair<YamlScalarAt, YamlNodeAt>>();
    }
}
