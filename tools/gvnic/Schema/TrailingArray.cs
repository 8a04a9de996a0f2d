using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Cli.Schema;

/// <summary>
/// The trailing array of a message type (a field with <see cref="WireField.CountedBy"/>): how many of its elements a
/// message's bytes hold, how long the message is, and the validation of its elements, all read through the generated
/// by-path access (<see cref="WireType.Get"/>) and the element type's own <see cref="WireType.Validate"/>.
/// </summary>
internal static class TrailingArray
{
    /// <summary>
    /// The elements of <paramref name="type"/>'s trailing array in <paramref name="bytes"/>: the count its counter states,
    /// cut to what the bytes hold; 0 without bytes or without trailing array.
    /// </summary>
    public static int Elements(WireType type, byte[]? bytes, int baseOffset = 0)
    {
        var t = type.Trailing;
        if (t is null || bytes is null || t.Size <= 0 || baseOffset != 0 || bytes.Length < type.Size) return 0;
        if (!type.Get(bytes, t.CountedBy!, out ulong stated)) return 0;
        return (int)Math.Min(stated, (ulong)Room(type, bytes.Length));
    }

    /// <summary>How many elements <paramref name="length"/> bytes hold after the fixed part.</summary>
    public static int Room(WireType type, int length) => type.Trailing is { Size: > 0 } t ? Math.Max(0, length - type.Size) / t.Size : 0;

    /// <summary>The bytes of the message: the fixed part and the elements <see cref="Elements"/> finds.</summary>
    public static int Length(WireType type, byte[] bytes) => type.Size + Elements(type, bytes) * (type.Trailing?.Size ?? 0);

    /// <summary>
    /// Problems of the trailing array in <paramref name="bytes"/>: a count larger than the bytes hold, a message larger than
    /// the type's <see cref="WireType.MaxSize"/>, and what each struct element's Validate reports.
    /// </summary>
    public static List<string> Check(WireType type, byte[] bytes, List<WireIssue> issues)
    {
        var warnings = new List<string>();
        var t = type.Trailing;
        if (t is null || !type.Get(bytes, t.CountedBy!, out ulong stated)) return warnings;
        int room = Room(type, bytes.Length);
        if (stated > (ulong)room)
            warnings.Add(type.Name + "." + t.CountedBy + " = " + stated + " elements of " + t.Name + ", but the bytes hold " + room);
        int length = Length(type, bytes);
        if (type.MaxSize is int max && length > max)
            warnings.Add(type.Name + " is " + length + " bytes, more than its max_size of " + max);
        var element = t.Kind == WireFieldKind.Struct && t.TypeName is not null ? GvnicCatalog.FindType(t.TypeName) : null;
        if (element is null) return warnings;
        int n = Elements(type, bytes);
        for (int i = 0; i < n; i++) element.Validate(bytes.AsSpan(type.Size + i * t.Size, t.Size), issues);
        return warnings;
    }
}
