using System.Collections.Generic;

namespace Gvnic.Schema
{
    /// <summary>A sequence of nodes.</summary>
    internal sealed class YamlSequenceAt : YamlNodeAt
    {
        public YamlSequenceAt(SourceSpan at) : base(at)
        {
        }

        public List<YamlNodeAt> Items { get; } = new List<YamlNodeAt>();
    }
}
