using System.Runtime.CompilerServices;
using Gvnic.Wire;

namespace Gvnic.Rings;

/// <summary>
/// GQI receive sequence numbers: the device stamps each RX descriptor with 1, 2, …, 7, 1, … (never 0)
/// in the low three bits of <c>flags_seq</c>; a descriptor is new when its number is the one the driver
/// expects next.
/// </summary>
public static class GqiSequence
{
    /// <summary>The number the first descriptor the device writes carries.</summary>
    public const byte First = 1;

    /// <summary>The number after <paramref name="seqno"/>: 1 → 2 … 7 → 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Next(byte seqno) => (byte)(seqno % GvnicConstants.GqiSeqnoCount + 1);

    /// <summary>The number <paramref name="steps"/> descriptors after <paramref name="seqno"/> (steps may be negative).</summary>
    public static byte Advance(byte seqno, int steps)
    {
        int n = GvnicConstants.GqiSeqnoCount;
        int zeroBased = ((seqno - 1 + steps) % n + n) % n;
        return (byte)(zeroBased + 1);
    }

    /// <summary>
    /// The number the slot the driver reads next carried one lap ago, in a ring of <paramref name="ringSize"/>
    /// descriptors: what an old (already consumed) descriptor at that slot shows.
    /// </summary>
    public static byte PreviousLap(byte expected, int ringSize) => Advance(expected, -(ringSize % GvnicConstants.GqiSeqnoCount));

    /// <summary>Whether <paramref name="seqno"/> is a number a device may write (1 … 7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValid(int seqno) => seqno >= 1 && seqno <= GvnicConstants.GqiSeqnoCount;

    /// <summary>Whether a descriptor stamped <paramref name="seqno"/> is the new one the driver expects.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNew(int seqno, byte expected) => seqno == expected;

    /// <summary>Whether <paramref name="descriptor"/> is the new one the driver expects.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNew(in RxDesc descriptor, byte expected) => descriptor.Seqno == expected;
}
