using System;
using System.Collections.Generic;

namespace Gvnic.Wire;

/// <summary>
/// One field, bit range or union member of a schema struct, as the schema describes it. The generated
/// <c>Fields</c> tables name every argument and leave out those that keep their default.
/// </summary>
/// <param name="Name">The schema name; with an index for arrays (<c>mac[3]</c>) and dotted for nested structs (<c>body.queue_id</c>) it forms a path.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Offset">Byte offset in the struct (of the container, for a bit range).</param>
/// <param name="Size">Bytes of one element (of the container, for a bit range; of the union, for a union).</param>
/// <param name="Count">Array length; 1 for a single value; 0 for a trailing array (see <paramref name="CountedBy"/>).</param>
/// <param name="BitOffset">First bit inside the container, counted from its least significant bit; -1 unless a bit range.</param>
/// <param name="BitWidth">Bits in the range; 0 unless a bit range.</param>
/// <param name="Container">The container field of a bit range, or null.</param>
/// <param name="Union">The union a member belongs to, or null.</param>
/// <param name="Order">"big" or "little" for multi-byte values, else null.</param>
/// <param name="TypeName">The schema enum or struct name for enum, flag, struct and union-selected fields, else null.</param>
/// <param name="Reserved">"" for a value, "zero" for reserved spans that must be zero, "ignore" for reserved spans anything may fill.</param>
/// <param name="Select">For a union: the path of its selector, or null.</param>
/// <param name="When">For a union member: the selector's enum value names that choose it (null stands for none).</param>
/// <param name="Doc">The schema's doc string.</param>
/// <param name="CountedBy">
/// For a trailing array (<see cref="Count"/> 0): the field that holds its element count; its elements start at
/// <see cref="Offset"/>, the struct's size, in the bytes of the whole message. Null otherwise.
/// </param>
public sealed record WireField(
    string Name,
    WireFieldKind Kind,
    int Offset,
    int Size,
    int Count = 1,
    int BitOffset = -1,
    int BitWidth = 0,
    string? Container = null,
    string? Union = null,
    string? Order = null,
    string? TypeName = null,
    string Reserved = "",
    string? Select = null,
    IReadOnlyList<string>? When = null,
    string Doc = "",
    string? CountedBy = null)
{
    /// <summary>For a union member: the selector's enum value names that choose it; empty otherwise.</summary>
    public IReadOnlyList<string> When { get; init; } = When ?? Array.Empty<string>();
}
