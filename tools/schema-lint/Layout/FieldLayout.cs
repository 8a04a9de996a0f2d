using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Layout;

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
