namespace Gvnic.Schema
{
    /// <summary>The byte order of a multi-byte value on the wire.</summary>
    public enum ByteOrder
    {
        /// <summary>Most significant byte first (registers, admin commands, GQI descriptors).</summary>
        Big,

        /// <summary>Least significant byte first (DQO descriptors).</summary>
        Little,
    }

    /// <summary>What a decoder must see in a reserved span.</summary>
    public enum ReservedKind
    {
        /// <summary>Not reserved: a named value.</summary>
        None,

        /// <summary>Reserved or padding that must read as zero.</summary>
        Zero,

        /// <summary>Reserved; any value is accepted.</summary>
        Ignore,
    }

    /// <summary>Which way a register may be accessed.</summary>
    public enum RegisterAccess
    {
        /// <summary>The driver only reads it.</summary>
        Read,

        /// <summary>The driver only writes it.</summary>
        Write,

        /// <summary>The driver reads and writes it.</summary>
        ReadWrite,
    }

    /// <summary>A whole schema file.</summary>
    public sealed record SchemaDocument(
        string Name,
        string Namespace,
        string Doc,
        EquatableArray<ConstantDef> Constants,
        EquatableArray<EnumDef> Enums,
        EquatableArray<StructDef> Structs,
        EquatableArray<RegisterBlockDef> RegisterBlocks);

    /// <summary>A named numeric constant.</summary>
    public sealed record ConstantDef(string Name, string Type, ulong Value, string Doc, SourceSpan At, SourceSpan ValueAt);

    /// <summary>An enumeration or flag set.</summary>
    public sealed record EnumDef(string Name, string Type, bool Flags, string Doc, EquatableArray<EnumValueDef> Values, SourceSpan At);

    /// <summary>One value of an enum.</summary>
    public sealed record EnumValueDef(string Name, ulong Value, string Doc, SourceSpan At, SourceSpan ValueAt);

    /// <summary>A struct laid out at explicit byte offsets.</summary>
    public sealed record StructDef(
        string Name,
        int Size,
        ByteOrder? Order,
        string Doc,
        string? Upstream,
        EquatableArray<FieldDef> Fields,
        SourceSpan At,
        SourceSpan SizeAt);

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

    /// <summary>A named bit range inside a container field.</summary>
    public sealed record BitfieldDef(string Name, int At, int Width, string? Type, ReservedKind Reserved, string Doc, SourceSpan Location);

    /// <summary>A block of registers in one BAR.</summary>
    public sealed record RegisterBlockDef(string Name, int Bar, ByteOrder? Order, string Doc, EquatableArray<RegisterDef> Registers, SourceSpan At);

    /// <summary>One register (or, with a stride, an array of registers).</summary>
    public sealed record RegisterDef(
        string Name,
        int Offset,
        int Width,
        RegisterAccess Access,
        string? Type,
        ByteOrder? Order,
        int? Stride,
        string Doc,
        SourceSpan At);
}
