using System;
using System.Diagnostics;
using System.Threading;

namespace Gvnic.Fuzz.Tests;

/// <summary>The figures of a fuzz run: cases, and the failures the issue counts (all must be 0), plus what the cases did.</summary>
internal sealed class FuzzTotals
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    public long Cases, OutOfBounds, Hangs, Unhandled, Leaks, Invariants;
    public long OpenFailures, Opened, Recoveries, RecoveryFailures, FaultsFired, TxSent, TxDroppedOnReset, RxExpected, RxReceived, RxDeviceFaults, TxDeviceFaults, MemoryKept, Probed;

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
    }

    public override string ToString()
        => "cases " + Cases + ", out-of-bounds accesses " + OutOfBounds + ", hangs " + Hangs + ", unhandled exceptions " + Unhandled
           + ", leaked buffers " + Leaks + ", other invariant failures " + Invariants + ", time " + _clock.Elapsed.TotalSeconds.ToString("0.0") + " s"
           + Environment.NewLine + "  opened " + Opened + " (typed error from Open: " + OpenFailures + "), faults fired " + FaultsFired
           + ", recoveries " + Recoveries + " (failed on a bring-up fault: " + RecoveryFailures + "), memory kept by a stalled device " + MemoryKept
           + Environment.NewLine + "  TX frames sent " + TxSent + ", dropped on reset " + TxDroppedOnReset + ", TX completions ignored " + TxDeviceFaults
           + "; RX frames that had to arrive " + RxExpected + ", received " + RxReceived + ", RX frames dropped as malformed " + RxDeviceFaults
           + "; cases whose queues all carried traffic after the faults " + Probed;
}
