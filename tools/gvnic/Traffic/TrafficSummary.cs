using System;
using System.Collections.Generic;

namespace Gvnic.Cli.Traffic;

/// <summary>One queue pair's counters over a span of time.</summary>
/// <param name="Queue">The queue pair, or -1 for the sum of all.</param>
/// <param name="Cpu">The CPU its thread was pinned to, or null.</param>
/// <param name="Counts">What it did in the span.</param>
/// <param name="Seconds">The span.</param>
/// <param name="TxRing">The TX ring's size.</param>
internal sealed record QueueRow(int Queue, int? Cpu, CounterSnapshot Counts, double Seconds, int TxRing)
{
    /// <summary>Received frames per second, in millions.</summary>
    public double RxMpps => Counts.RxFrames / Seconds / 1e6;

    /// <summary>Received bits per second, in billions (frame bytes: no FCS, preamble or gap).</summary>
    public double RxGbps => Counts.RxBytes * 8 / Seconds / 1e9;

    /// <summary>Sent frames per second, in millions.</summary>
    public double TxMpps => Counts.TxFrames / Seconds / 1e6;

    /// <summary>Sent bits per second, in billions.</summary>
    public double TxGbps => Counts.TxBytes * 8 / Seconds / 1e9;

    /// <summary>Frames dropped by a forwarder, lost in a flow, or received bad.</summary>
    public long Drops => Counts.TxDropped + Counts.Lost + Counts.RxBad;
}

/// <summary>What the model's peer workers on one NIC did (the other end of the command).</summary>
/// <param name="Nic">The NIC.</param>
/// <param name="Counts">Their counters, summed.</param>
internal sealed record PeerResult(TrafficNic Nic, CounterSnapshot Counts);

/// <summary>Everything the summary reports.</summary>
internal sealed class TrafficSummary
{
    /// <summary>Why the run ended: <c>frames</c>, <c>duration</c>, a signal's name, or <c>error</c>.</summary>
    public string StopReason { get; set; } = "";

    /// <summary>Seconds from the start of traffic until it was told to stop.</summary>
    public double Seconds { get; set; }

    /// <summary>The command's queue pairs.</summary>
    public List<QueueRow> Queues { get; } = [];

    /// <summary>Their sum.</summary>
    public QueueRow? Total { get; set; }

    /// <summary>The model's peers, per NIC.</summary>
    public List<PeerResult> Peers { get; } = [];

    /// <summary>Latencies of the timed workers, merged, or null when nothing is timed.</summary>
    public LatencyHistogram? Latency { get; set; }

    /// <summary>What the latency measures.</summary>
    public string? LatencyKind { get; set; }

    /// <summary>Garbage collections during the run, per generation.</summary>
    public int[] Collections { get; } = new int[3];

    /// <summary>Time the GC paused the process during the run.</summary>
    public TimeSpan GcPause { get; set; }

    /// <summary>Bytes the traffic threads allocated while they ran.</summary>
    public long ThreadAllocatedBytes { get; set; }

    /// <summary>How the threads were placed on CPUs.</summary>
    public string Pinning { get; set; } = "";

    /// <summary>Whether every own thread is pinned to a CPU of its own.</summary>
    public bool PinnedAlone { get; set; }

    /// <summary>Recoveries, one line each.</summary>
    public List<string> Recoveries { get; } = [];

    /// <summary>The model's RX drops for want of posted buffers, per model NIC.</summary>
    public List<(string Nic, long Drops)> ModelNoBufferDrops { get; } = [];

    /// <summary>What failed, or null.</summary>
    public string? Failure { get; set; }
}
