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
    }
}
