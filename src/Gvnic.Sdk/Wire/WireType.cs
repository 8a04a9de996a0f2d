using System;
using System.Collections.Generic;

namespace Gvnic.Wire;

/// <summary>A schema struct at run time: its layout and by-name access to its bytes.</summary>
/// <param name="Name">The schema name.</param>
/// <param name="ClrType">The generated type.</param>
/// <param name="Size">Bytes on the wire.</param>
/// <param name="Order">The struct's default byte order, "big" or "little".</param>
/// <param name="Doc">The schema's doc string.</param>
/// <param name="Fields">Fields, bit ranges and union members in schema order.</param>
/// <param name="Get">Reads a value by path.</param>
/// <param name="Set">Writes a value by path.</param>
/// <param name="Validate">Validates bytes.</param>
/// <param name="Format">Formats bytes.</param>
public sealed record WireType(
    string Name,
    Type ClrType,
    int Size,
    string Order,
    string Doc,
    IReadOnlyList<WireField> Fields,
    WireFieldReader Get,
    WireFieldWriter Set,
    WireValidator Validate,
    WireFormatter Format)
{
    /// <summary>
    /// The most bytes a whole message of the type may take, its trailing array included (schema <c>max_size:</c>), or
    /// null when the schema states none.
    /// </summary>
    public int? MaxSize { get; init; }

    /// <summary>The trailing array (the field with <see cref="WireField.CountedBy"/>), or null.</summary>
    public WireField? Trailing
    {
        get
        {
            foreach (var f in Fields)
            {
                if (f.CountedBy is not null) return f;
            }
            return null;
        }
    }

    /// <summary>
    /// The description of the generated struct <typeparamref name="T"/>: its name, size, fields and by-path access
    /// come from the struct itself, so a catalog entry states only what the struct cannot tell.
    /// </summary>
    /// <typeparam name="T">A generated wire struct.</typeparam>
    /// <param name="Order">The struct's default byte order, "big" or "little".</param>
    /// <param name="Doc">The schema's doc string.</param>
    public static WireType Of<T>(string Order, string Doc) where T : unmanaged, IWireStruct<T>
        => new(T.SchemaName, typeof(T), T.Size, Order, Doc, T.Fields,
            static (ReadOnlySpan<byte> bytes, string path, out ulong value) => T.TryGetField(bytes, path, out value),
            static (bytes, path, value) => T.TrySetField(bytes, path, value),
            static (bytes, issues) => T.Read(bytes).Validate(issues),
            static bytes => T.Read(bytes).ToString() ?? "");
}
