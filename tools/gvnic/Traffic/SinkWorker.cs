using System.Collections.Generic;

namespace Gvnic.Cli.Traffic;

/// <summary><c>gvnic sink</c>'s work on one queue pair: receive in bursts, count and check every frame (<see cref="FrameChecker"/>).</summary>
internal sealed class SinkWorker : TrafficWorker
{
    private readonly TrafficPort _port;
    private readonly TrafficPort[] _ports;
    private readonly FrameBudget _budget;
    private FrameChecker _checker;

    /// <summary>
    /// A sink on <paramref name="port"/> taking frames out of <paramref name="budget"/>; with <paramref name="timedRun"/>
    /// it measures the latency of that generator run's frames (a generator in this process: the same clock).
    /// </summary>
    public SinkWorker(string name, TrafficPort port, FrameBudget budget, byte? timedRun)
        : base(name, port.Queue)
    {
        _port = port;
        _ports = [port];
        _budget = budget;
        if (timedRun is not null) Latency = new LatencyHistogram();
        _checker = new FrameChecker
        {
            Counters = Counters, Sequences = new SequenceTracker(), Latency = Latency, Run = timedRun ?? 0, NanosecondsPerTick = NanosecondsPerTick,
        };
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TrafficPort> Ports => _ports;

    /// <inheritdoc/>
    public override bool Finished => _budget.Limited && _budget.Remaining == 0;

    /// <inheritdoc/>
    public override int Step()
    {
        int want = _budget.Claim(_port.Burst);
        if (want == 0) return 0;
        int received = _port.Receive(ref _checker, want);
        _budget.Return(want - received);
        if (received > 0) Counters.RxBursts++;
        return received;
    }
}
