using Gvnic.Wire;

namespace Gvnic.Cli.Schema;

/// <summary>
/// One line of a struct's layout: a value with its full schema path (<c>create_tx_queue.queue_id</c>,
/// <c>mac[3]</c>, <c>ptypes[7].l3_type</c>), or a struct or union heading.
/// </summary>
/// <param name="Kind">Value, struct or union.</param>
/// <param name="Path">The full schema path, as <see cref="WireType.Get"/> and <see cref="WireType.Set"/> take it.</param>
/// <param name="Field">The schema description (of the element, for arrays).</param>
/// <param name="Offset">Absolute byte offset of the value (of its container, for a bit range).</param>
/// <param name="Size">Bytes of the value (of its container, for a bit range).</param>
/// <param name="Depth">Nesting level, 0 for top-level fields.</param>
/// <param name="Note">For a union: which members are shown and why.</param>
internal sealed record SchemaRow(RowKind Kind, string Path, WireField Field, int Offset, int Size, int Depth, string? Note)
{
    /// <summary>Whether this is a bit range inside a container field.</summary>
    public bool IsBits => Field.BitWidth > 0;

    /// <summary>Bits the value occupies.</summary>
    public int Width => Field.BitWidth > 0 ? Field.BitWidth : Field.Size * 8;

    /// <summary>The largest value that fits.</summary>
    public ulong MaxValue => Width >= 64 ? ulong.MaxValue : (1UL << Width) - 1;
}
