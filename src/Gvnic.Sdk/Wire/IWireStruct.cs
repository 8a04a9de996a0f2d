using System;
using System.Collections.Generic;

namespace Gvnic.Wire;

/// <summary>
/// What every generated wire struct offers, so code can be written once for any of them (a ring of
/// descriptors, a catalog entry, an option's payload): its size and schema name, copies and in-place views
/// over wire bytes, validation, and its fields by schema path. The generated members of the same names
/// implement it; <see cref="WireStruct"/> holds the one implementation of the copies and views.
/// </summary>
/// <typeparam name="TSelf">The generated struct itself.</typeparam>
public interface IWireStruct<TSelf> where TSelf : unmanaged, IWireStruct<TSelf>
{
    /// <summary>The size of the struct on the wire, in bytes.</summary>
    static abstract int Size { get; }

    /// <summary>The schema name of the struct.</summary>
    static abstract string SchemaName { get; }

    /// <summary>The fields, bit ranges and union members, as the schema describes them.</summary>
    static abstract IReadOnlyList<WireField> Fields { get; }

    /// <summary>Copies a struct out of the first <see cref="Size"/> bytes of <paramref name="source"/>.</summary>
    /// <param name="source">Wire bytes; at least <see cref="Size"/> long.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than <see cref="Size"/>.</exception>
    static abstract TSelf Read(ReadOnlySpan<byte> source);

    /// <summary>A view of the first <see cref="Size"/> bytes of <paramref name="bytes"/> as the struct, read and written in place (no copy).</summary>
    /// <param name="bytes">Wire bytes, e.g. a descriptor slot in DMA memory; at least <see cref="Size"/> long.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is shorter than <see cref="Size"/>.</exception>
    static abstract ref TSelf AsRef(Span<byte> bytes);

    /// <summary>A read-only view of the first <see cref="Size"/> bytes of <paramref name="bytes"/> as the struct (no copy).</summary>
    /// <param name="bytes">Wire bytes; at least <see cref="Size"/> long.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is shorter than <see cref="Size"/>.</exception>
    static abstract ref readonly TSelf AsReadOnly(ReadOnlySpan<byte> bytes);

    /// <summary>
    /// Reads the value at <paramref name="path"/> (a field, bit range, <c>array[index]</c> or <c>nested.field</c> by
    /// schema name) out of wire bytes; enums and booleans as their numbers.
    /// </summary>
    /// <param name="bytes">At least <see cref="Size"/> bytes.</param>
    /// <param name="path">The schema path.</param>
    /// <param name="value">The value, or 0 when the path names no value.</param>
    /// <returns>Whether the path names a value.</returns>
    static abstract bool TryGetField(ReadOnlySpan<byte> bytes, string path, out ulong value);

    /// <summary>
    /// Stores <paramref name="value"/> at <paramref name="path"/> in wire bytes, through the typed property (so byte
    /// order and neighbouring bits are handled as everywhere else).
    /// </summary>
    /// <param name="bytes">At least <see cref="Size"/> bytes.</param>
    /// <param name="path">The schema path: a field, bit range, <c>array[index]</c> or <c>nested.field</c>.</param>
    /// <param name="value">The value; enums and booleans as numbers.</param>
    /// <returns>Whether it was stored, and why not.</returns>
    static abstract WireSetResult TrySetField(Span<byte> bytes, string path, ulong value);

    /// <summary>Copies this struct's wire bytes into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="Size"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    void Write(Span<byte> destination);

    /// <summary>
    /// Checks decoded bytes: reserved spans and bits that must be zero, enum values the schema does not define, and
    /// union selectors without a member.
    /// </summary>
    /// <param name="issues">Receives one <see cref="WireIssue"/> per problem; null to only get the answer.</param>
    /// <returns>True when nothing is wrong.</returns>
    bool Validate(ICollection<WireIssue>? issues = null);
}
