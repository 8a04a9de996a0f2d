using System;
using System.Diagnostics;
using System.Text;
using System.Threading;
using Gvnic.Simulator.Faults;

namespace Gvnic.Fuzz.Tests;

/// <summary>The figures of a fuzz run: cases, and the failures the issue counts (all must be 0), plus what the cases did.</summary>
internal sealed class FuzzTotals
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    public long Cases, OutOfBounds, Hangs, Unhandled, Leaks, Invariants;
    public long OpenFailures, Opened, Recoveries, RecoveryFailures, FaultsFired, TxSent, TxDroppedOnReset, RxExpected, RxReceived, RxDeviceFaults, TxDeviceFaults, MemoryKept, Probed;
    public long Tolerated, Contended, Steered, SteerRefused;

    /// <summary>How many <see cref="DeviceFaultKind"/> values there are.</summary>
    public static readonly int KindCount = Enum.GetValues<DeviceFaultKind>().Length;

    /// <summary>Faults fired, by kind.</summary>
    public readonly long[] Fired = new long[KindCount];

    public void Add(FuzzOutcome o)
    {
        Interlocked.Increment(ref Cases);
        if (o.Opened) Interlocked.Increment(ref Opened);
        else Interlocked.Increment(ref OpenFailures);
        if (o.RecoveryError is not null) Interlocked.Increment(ref RecoveryFailures);
        if (o.MemoryKept) Interlocked.Increment(ref MemoryKept);
        if (o.Probed) Interlocked.Increment(ref Probed);
        Interlocked.Add(ref Recoveries, o.Recoveries);
        Interlocked.Add(ref FaultsFired, o.FaultsFired);
        Interlocked.Add(ref TxSent, o.TxSent);
        Interlocked.Add(ref TxDroppedOnReset, o.TxDroppedOnReset);
        Interlocked.Add(ref RxExpected, o.RxExpected);
        Interlocked.Add(ref RxReceived, o.RxReceived);
        Interlocked.Add(ref RxDeviceFaults, o.RxDeviceFaults);
        Interlocked.Add(ref TxDeviceFaults, o.TxDeviceFaults);
        Interlocked.Add(ref Tolerated, o.Tolerated);
        Interlocked.Add(ref Contended, o.Contended);
        Interlocked.Add(ref Steered, o.Steered);
        Interlocked.Add(ref SteerRefused, o.SteerRefused);
        for (int k = 0; k < o.Fired.Length; k++)
            if (o.Fired[k] != 0) Interlocked.Add(ref Fired[k], o.Fired[k]);
    }

    /// <summary>The faults of <paramref name="kind"/> fired so far.</summary>
    public long FiredOf(DeviceFaultKind kind) => Interlocked.Read(ref Fired[(int)kind]);

    /// <summary>The issue-15 classes, and how often the run reached each.</summary>
    public string Issue15()
    {
        var b = new StringBuilder("  issue 15: hostile values fired ").Append(FiredOf(DeviceFaultKind.HostileValue))
            .Append(", GQI RX heads never made valid ").Append(FiredOf(DeviceFaultKind.GqiRxNeverValid))
            .Append(", DQO RX completions written twice ").Append(FiredOf(DeviceFaultKind.DqoRxDuplicateCompletion))
            .Append(", self resets ").Append(FiredOf(DeviceFaultKind.AdminSelfReset) + FiredOf(DeviceFaultKind.DeviceSelfReset))
            .Append(", event counters ahead ").Append(FiredOf(DeviceFaultKind.AdminEventCounterAhead))
            .Append(", stalls after a command ").Append(FiredOf(DeviceFaultKind.AdminStallAfterCommand))
            .Append(", DEVICE_IS_RESET lingering ").Append(FiredOf(DeviceFaultKind.DeviceIsResetLingers))
            .Append(", optional-command errors tolerated ").Append(Interlocked.Read(ref Tolerated))
            .Append(", second calls on a queue in use refused ").Append(Interlocked.Read(ref Contended))
            .Append(", steering steps run ").Append(Interlocked.Read(ref Steered)).Append(", refused naming a hostile field ").Append(Interlocked.Read(ref SteerRefused));
        return b.ToString();
    }

    public override string ToString()
        => "cases " + Cases + ", out-of-bounds accesses " + OutOfBounds + ", hangs " + Hangs + ", unhandled exceptions " + Unhandled
           + ", leaked buffers " + Leaks + ", other invariant failures " + Invariants + ", time " + _clock.Elapsed.TotalSeconds.ToString("0.0") + " s"
           + Environment.NewLine + "  opened " + Opened + " (typed error from Open: " + OpenFailures + "), faults fired " + FaultsFired
           + ", recoveries " + Recoveries + " (failed on a bring-up fault: " + RecoveryFailures + "), memory kept by a stalled device " + MemoryKept
           + Environment.NewLine + "  TX frames sent " + TxSent + ", dropped on reset " + TxDroppedOnReset + ", TX completions ignored " + TxDeviceFaults
           + "; RX frames that had to arrive " + RxExpected + ", received " + RxReceived + ", RX frames dropped as malformed " + RxDeviceFaults
           + "; cases whose queues all carried traffic after the faults " + Probed
           + Environment.NewLine + Issue15();
}
