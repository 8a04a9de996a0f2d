using System.Collections.Generic;
using System.Diagnostics;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// One queue pair's work, run by one thread (<see cref="WorkerGroup"/>): <see cref="Step"/> does one burst. Only that
/// thread touches the worker's ports and counters while it runs; the monitor reads <see cref="Counters"/>.
/// </summary>
internal abstract class TrafficWorker
{
    /// <summary>Nanoseconds per <see cref="Stopwatch"/> tick.</summary>
    public static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private volatile bool _quiesce;

    /// <summary>Creates the worker of queue pair <paramref name="queue"/>, named <paramref name="name"/> (its thread's name).</summary>
    protected TrafficWorker(string name, int queue)
    {
        Name = name;
        Queue = queue;
    }

    /// <summary>The thread's name, e.g. <c>gvnic gen 0</c>.</summary>
    public string Name { get; }

    /// <summary>The queue pair.</summary>
    public int Queue { get; }

    /// <summary>What it has done.</summary>
    public QueueCounters Counters { get; } = new();

    /// <summary>Latencies it measured, or null when it measures none.</summary>
    public LatencyHistogram? Latency { get; protected init; }

    /// <summary>The ports it drives (one, or two for a forwarder between two NICs).</summary>
    public abstract IReadOnlyList<TrafficPort> Ports { get; }

    /// <summary>Whether it has done its share of <c>--frames</c> (it keeps running, receiving and reclaiming, until stopped).</summary>
    public virtual bool Finished => false;

    /// <summary>
    /// Set by the monitor when the run ends: a generator stops sending and a forwarder stops forwarding, both keep
    /// reclaiming and receiving, so what is in flight can arrive.
    /// </summary>
    public bool Quiesce
    {
        get => _quiesce;
        set => _quiesce = value;
    }

    /// <summary>The CPU to pin its thread to, or null for none.</summary>
    public int? Cpu { get; set; }

    /// <summary>One burst of work; returns the frames sent, received or forwarded (0: nothing to do).</summary>
    public abstract int Step();
}
