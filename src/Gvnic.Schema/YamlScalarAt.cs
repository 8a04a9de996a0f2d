namespace Gvnic.Schema
{
    /// <summary>A scalar: its text as written.</summary>
    internal sealed class YamlScalarAt : YamlNodeAt
    {
        public YamlScalarAt(string value, bool quoted, SourceSpan at) : base(at)
        {
            Value = value;
            Quoted = quoted;
        }

        public string Value { get; }

        public bool Quoted { get; }
    }
}
