using System.Threading;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// What one worker (one queue pair) has done. Only the worker writes (plain stores: one writer); the monitor reads with
/// <see cref="Snapshot"/> once an interval. Each worker allocates its counters next to its large buffers, so the
/// counters of two workers do not share a cache line.
/// </summary>
internal sealed class QueueCounters
{
    /// <summary>Frames the driver took for sending.</summary>
    public long TxFrames;

    /// <summary>Their bytes (Ethernet header to payload, no FCS).</summary>
    public long TxBytes;

    /// <summary>Times the driver refused frames because the TX ring or its buffers were full (the frames were kept and sent later).</summary>
    public long TxFull;

    /// <summary>Frames a forwarder dropped because the TX ring stayed full.</summary>
    public long TxDropped;

    /// <summary>Frames received.</summary>
    public long RxFrames;

    /// <summary>Their bytes.</summary>
    public long RxBytes;

    /// <summary>Received frames that are not generated ones (not IPv4/UDP, or without the payload magic).</summary>
    public long RxForeign;

    /// <summary>Generated frames whose lengths, IPv4 checksum or payload pattern are wrong.</summary>
    public long RxBad;

    /// <summary>Sequence numbers skipped within a flow (frames lost, or still to come out of order).</summary>
    public long RxGaps;

    /// <summary>Frames whose sequence number was lower than one already seen in their flow (reordered or duplicated).</summary>
    public long RxLate;

    /// <summary>Receive polls that found frames.</summary>
    public long RxBursts;

    /// <summary>TX frames in flight at the last look.</summary>
    public long TxInFlight;

    /// <summary>A copy read field by field (each field is read atomically; the set is not one instant).</summary>
    public CounterSnapshot Snapshot() => new(
        Volatile.Read(ref TxFrames), Volatile.Read(ref TxBytes), Volatile.Read(ref TxFull), Volatile.Read(ref TxDropped),
        Volatile.Read(ref RxFrames), Volatile.Read(ref RxBytes), Volatile.Read(ref RxForeign), Volatile.Read(ref RxBad),
        Volatile.Read(ref RxGaps), Volatile.Read(ref RxLate), Volatile.Read(ref RxBursts), Volatile.Read(ref TxInFlight));
}

/// <summary>The counters of <see cref="QueueCounters"/> at one moment, and sums of them.</summary>
internal readonly record struct CounterSnapshot(long TxFrames, long TxBytes, long TxFull, long TxDropped, long RxFrames, long RxBytes,
    long RxForeign, long RxBad, long RxGaps, long RxLate, long RxBursts, long TxInFlight)
{
    /// <summary>Frames lost: sequence gaps not filled by late frames.</summary>
    public long Lost => RxGaps > RxLate ? RxGaps - RxLate : 0;

    /// <summary>Field by field sum.</summary>
    public static CounterSnapshot operator +(CounterSnapshot a, CounterSnapshot b) => new(
        a.TxFrames + b.TxFrames, a.TxBytes + b.TxBytes, a.TxFull + b.TxFull, a.TxDropped + b.TxDropped, a.RxFrames + b.RxFrames, a.RxBytes + b.RxBytes,
        a.RxForeign + b.RxForeign, a.RxBad + b.RxBad, a.RxGaps + b.RxGaps, a.RxLate + b.RxLate, a.RxBursts + b.RxBursts, a.TxInFlight + b.TxInFlight);

    /// <summary>Field by field difference (TX in flight: <paramref name="a"/>'s).</summary>
    public static CounterSnapshot operator -(CounterSnapshot a, CounterSnapshot b) => new(
        a.TxFrames - b.TxFrames, a.TxBytes - b.TxBytes, a.TxFull - b.TxFull, a.TxDropped - b.TxDropped, a.RxFrames - b.RxFrames, a.RxBytes - b.RxBytes,
        a.RxForeign - b.RxForeign, a.RxBad - b.RxBad, a.RxGaps - b.RxGaps, a.RxLate - b.RxLate, a.RxBursts - b.RxBursts, a.TxInFlight);
}
