using System.Runtime.CompilerServices;

namespace Gvnic.Rings;

/// <summary>
/// The consumer side of a DQO completion ring: a free-running head and the generation bit the device
/// writes on the current lap. The ring starts zeroed (every entry carries generation 0, so reads as old);
/// the device writes 1 on the first lap, 0 on the second, and so on: an entry is new when its bit differs
/// from the bit of the previous lap.
/// </summary>
/// <remarks>
/// Upstream keeps <c>cur_gen_bit</c> = 0 and treats an entry as new when its generation bit is not equal
/// to it; every wrap of the head flips <c>cur_gen_bit</c>. This struct does the same. Read the rest of an
/// entry only after its generation bit says it is new (with a read barrier between).
/// </remarks>
public struct DqoGeneration
{
    private readonly uint _mask;
    private uint _head;
    private bool _previousLapBit;

    /// <summary>Starts at slot 0 of a ring of <paramref name="size"/> entries (a power of two).</summary>
    public DqoGeneration(int size)
    {
        _mask = Ring.MaskFor(size);
        _head = 0;
        _previousLapBit = false;
    }

    /// <summary>The slot to look at next.</summary>
    public readonly int Slot => (int)(_head & _mask);

    /// <summary>How many entries have been consumed (free-running).</summary>
    public readonly uint Head => _head;

    /// <summary>The generation bit that marks an entry as old (the bit of the previous lap).</summary>
    public readonly bool OldBit => _previousLapBit;

    /// <summary>Whether an entry carrying <paramref name="generationBit"/> at <see cref="Slot"/> is new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool IsNew(bool generationBit) => generationBit != _previousLapBit;

    /// <summary>Consumes the entry at <see cref="Slot"/>; flips the expected bit when the head wraps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance()
    {
        _head++;
        if ((_head & _mask) == 0) _previousLapBit = !_previousLapBit;
    }
}
