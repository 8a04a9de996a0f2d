using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Layout;

/// <summary>What a field stores.</summary>
public enum FieldKind
{
    /// <summary>An unsigned integer (u8..u64), or an array of them.</summary>
    Integer,

    /// <summary>An enum or flag set, stored in the enum's integer type.</summary>
    Enum,

    /// <summary>A nested struct (or array of structs); its own layout gives its byte order.</summary>
    Struct,

    /// <summary>A union of members that all start at the field's offset.</summary>
    Union,
}

/// <summary>The laid-out schema: every struct and register block with resolved sizes and byte orders.</summary>
public sealed record SchemaLayout(SchemaDocument Document, IReadOnlyList<StructLayout> Structs, IReadOnlyList<RegisterBlockLayout> Blocks);

/// <summary>One struct with its fields in schema order.</summary>
public sealed record StructLayout(StructDef Def, IReadOnlyList<FieldLayout> Fields)
{
    /// <summary>The struct's name.</summary>
    public string Name => Def.Name;
}

/// <summary>
/// One field (or union member): where it is, how big, in which byte order, and its bit ranges.
/// <paramref name="Order"/> is null for single bytes, nested structs and unions (no byte order of their own).
/// </summary>
public sealed record FieldLayout(
    string Name,
    int Offset,
    int Size,
    string Type,
    FieldKind Kind,
    int? Count,
    int ElementSize,
    ByteOrder? Order,
    ReservedKind Reserved,
    IReadOnlyList<BitLayout> Bits,
    IReadOnlyList<FieldLayout> Members,
    string? Select,
    IReadOnlyList<string> When,
    string Doc)
{
    /// <summary>The last byte of the field.</summary>
    public int End => Offset + Size;
}

/// <summary>
/// A named bit range of a container field: bits <paramref name="Lsb"/>..<c>Msb</c> of the container's value
/// (after its byte order is applied), living in wire bytes <paramref name="FirstByte"/>..<paramref name="LastByte"/>
/// of the struct.
/// </summary>
public sealed record BitLayout(string Name, int Lsb, int Width, string? Type, ReservedKind Reserved, int FirstByte, int LastByte, string Doc)
{
    /// <summary>The most significant bit of the range.</summary>
    public int Msb => Lsb + Width - 1;
}

/// <summary>A register block with its registers' resolved byte orders.</summary>
public sealed record RegisterBlockLayout(RegisterBlockDef Def, IReadOnlyList<RegisterLayout> Registers)
{
    /// <summary>The block's name.</summary>
    public string Name => Def.Name;
}

/// <summary>One register (an array of registers when <c>Stride</c> is set) with its effective byte order.</summary>
public sealed record RegisterLayout(RegisterDef Def, ByteOrder Order)
{
    /// <summary>The register's width in bytes.</summary>
    public int Bytes => Def.Width / 8;
}
