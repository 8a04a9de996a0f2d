namespace Gvnic.Schema
{
    /// <summary>A YAML node with the place it came from.</summary>
    internal abstract class YamlNodeAt
    {
        protected YamlNodeAt(SourceSpan at) => At = at;

        /// <summary>Where the node starts.</summary>
        public SourceSpan At { get; }

        /// <summary>How many nodes this one stands for with every alias inside it expanded (set once read).</summary>
        public long Expanded { get; set; } = 1;
    }
}
