using System;
using System.Diagnostics;
using Gvnic.Driver;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// Counts and checks received frames (<c>gvnic sink</c>, and what comes back to <c>gvnic gen</c>): generated frames are
/// checked (<see cref="TrafficFrame.Check"/>) and their sequence numbers tracked per flow; with <see cref="Latency"/>
/// set, frames of the run <see cref="Run"/> add the time since their timestamp to it.
/// </summary>
internal struct FrameChecker : IFrameHandler
{
    /// <summary>Where the counts go.</summary>
    public QueueCounters Counters;

    /// <summary>The per-flow sequence state of this RX queue.</summary>
    public SequenceTracker Sequences;

    /// <summary>Where latencies go, or null.</summary>
    public LatencyHistogram? Latency;

    /// <summary>The run whose frames are timed (the generator's own, in this process).</summary>
    public byte Run;

    /// <summary>Nanoseconds per Stopwatch tick.</summary>
    public double NanosecondsPerTick;

    /// <inheritdoc/>
    public void OnFrame(ReadOnlySpan<byte> frame, in RxInfo info)
    {
        QueueCounters c = Counters;
        c.RxFrames++;
        c.RxBytes += frame.Length;
        switch (TrafficFrame.Check(frame, out TrafficFrame.Header header))
        {
            case TrafficFrame.Kind.Foreign:
                c.RxForeign++;
                return;
            case TrafficFrame.Kind.Bad:
                c.RxBad++;
                return;
        }
        Sequences.Record(header.Flow, header.Run, header.Sequence, c);
        if (Latency is null || header.Run != Run) return;
        // The clock is read for each timed frame: a burst is taken while the ring fills, so one read a burst would
        // date frames that arrived during it too early.
        Latency.Record((long)((Stopwatch.GetTimestamp() - header.Timestamp) * NanosecondsPerTick));
    }
}
