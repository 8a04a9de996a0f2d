namespace Gvnic.Schema
{
    /// <summary>
    /// A field of a struct, or a member of a union field (members have no offset of their own and
    /// start where their union does).
    /// </summary>
    public sealed record FieldDef(
        string Name,
        int Offset,
        string Type,
        int? Count,
        ByteOrder? Order,
        ReservedKind Reserved,
        EquatableArray<BitfieldDef> Bits,
        EquatableArray<FieldDef> Union,
        int? UnionSize,
        string? Select,
        EquatableArray<string> When,
        string Doc,
        SourceSpan At,
        SourceSpan TypeAt)
    {
        /// <summary>Whether this field is a union of members.</summary>
        public bool IsUnion => Union.Count > 0 || UnionSize.HasValue;

        /// <summary>
        /// For a trailing array (<c>counted_by:</c>): the integer field of the same struct that holds its element count.
        /// Its elements follow the struct's fixed part, so they are not counted in the struct's <c>size</c>.
        /// </summary>
        public string? CountedBy { get; init; }

        /// <summary>Where <c>counted_by:</c> is written, for diagnostics.</summary>
        public SourceSpan CountedByAt { get; init; }

        /// <summary>Whether this field is a trailing array counted by another field.</summary>
        public bool IsTrailing => CountedBy != null;
    }
}
