namespace Gvnic.Schema
{
    /// <summary>A struct laid out at explicit byte offsets.</summary>
    public sealed record StructDef(
        string Name,
        int Size,
        ByteOrder? Order,
        string Doc,
        string? Upstream,
        EquatableArray<FieldDef> Fields,
        SourceSpan At,
        SourceSpan SizeAt)
    {
        /// <summary>
        /// <c>max_size:</c> as written: the most bytes a whole message of this struct may take, its trailing array
        /// included (a number, or the name of a constant); null when the struct states none.
        /// </summary>
        public string? MaxSizeText { get; init; }

        /// <summary>Where <c>max_size:</c> is written, for diagnostics.</summary>
        public SourceSpan MaxSizeAt { get; init; }

        /// <summary>The field that is a trailing array (<c>counted_by:</c>), or null.</summary>
        public FieldDef? Trailing
        {
            get
            {
                foreach (var f in Fields)
                {
                    if (f.IsTrailing) return f;
                }
                return null;
            }
        }
    }
}
