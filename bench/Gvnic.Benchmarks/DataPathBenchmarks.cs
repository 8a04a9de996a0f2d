using BenchmarkDotNet.Attributes;
using Gvnic.Benchmarks.Codec;
using Gvnic.Benchmarks.DataPath;
using Gvnic.Wire;

namespace Gvnic.Benchmarks;

/// <summary>
/// BenchmarkDotNet cross-check of the data-path sweep at its headline point (64-byte frames, batch 32, one queue pair,
/// each format): one <see cref="DataPathRig"/> round per call, reported per packet. It measures driver and device model
/// together (BenchmarkDotNet cannot time the parts of a call apart), so its time should match the sweep's end-to-end
/// figure and its allocations are the model's and the wire's (the sweep measures the driver's alone: 0).
/// </summary>
[Config(typeof(CodecConfig))]
public class DataPathBenchmarks
{
    private const int Batch = 32;
    private DataPathRig _rig = null!;
    private PhaseTotals _totals;

    /// <summary>The queue format under test.</summary>
    [Params(QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl)]
    public QueueFormat Format { get; set; }

    /// <summary>Brings the rig up and wraps every ring a few times.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _rig = new DataPathRig(new SweepPoint(Format, 64, Batch, 1));
        while (!_rig.EveryRingWrapped(3)) _rig.Round(ref _totals);
    }

    /// <summary>Tears the rig down.</summary>
    [GlobalCleanup]
    public void Cleanup() => _rig.Dispose();

    /// <summary>32 frames out through the driver, through the model and the loopback wire, back in through leases, reclaimed.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void Round() => _rig.Round(ref _totals);
}
