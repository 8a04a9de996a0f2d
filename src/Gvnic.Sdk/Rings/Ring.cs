using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gvnic.Rings;

/// <summary>
/// Arithmetic for power-of-two rings driven by free-running 32-bit counters (the way gVNIC counts:
/// doorbells, event counters and completion counts all keep counting past the ring size and wrap at 2^32).
/// </summary>
/// <remarks>
/// A counter never resets; the slot it points at is <c>counter &amp; (size - 1)</c>. The distance between
/// two counters is their unsigned difference, which stays right across the 2^32 wrap as long as the
/// producer is never more than <c>size</c> ahead of the consumer.
/// </remarks>
public static class Ring
{
    /// <summary>Whether <paramref name="size"/> is a usable ring size (a power of two, at least 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValidSize(int size) => size > 0 && BitOperations.IsPow2(size);

    /// <summary>Throws unless <paramref name="size"/> is a power of two; returns the mask (<c>size - 1</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not a positive power of two.</exception>
    public static uint MaskFor(int size, string name = "size")
    {
        if (!IsValidSize(size)) throw new ArgumentOutOfRangeException(name, size, "a ring size must be a power of two");
        return (uint)size - 1;
    }

    /// <summary>The slot a free-running <paramref name="counter"/> points at.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Slot(uint counter, uint mask) => (int)(counter & mask);

    /// <summary>How many entries the producer is ahead of the consumer (wrap-safe).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint InUse(uint produced, uint consumed) => unchecked(produced - consumed);

    /// <summary>How many slots are free for the producer in a ring of <paramref name="size"/> entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Free(uint produced, uint consumed, int size) => (uint)size - InUse(produced, consumed);

    /// <summary>
    /// Whether a counter reported by the device (<paramref name="reported"/>) lies between what the driver
    /// last saw (<paramref name="seen"/>) and what it has posted (<paramref name="posted"/>), inclusive:
    /// a device may only report progress on work it was given.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWithin(uint reported, uint seen, uint posted) => unchecked(reported - seen) <= unchecked(posted - seen);

    /// <summary>How many slots remain from <paramref name="counter"/>'s slot to the end of the ring (before it wraps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int UntilWrap(uint counter, uint mask) => (int)(mask + 1 - (counter & mask));
}
