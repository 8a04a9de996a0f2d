namespace Gvnic.Fuzz.Tests;

/// <summary>How one case ended, for the totals (a case that breaks an invariant throws instead).</summary>
internal sealed record FuzzOutcome(
    bool Opened, string? OpenError, string? RecoveryError, int Recoveries, int FaultsFired, long TxSent, long TxCompleted, long TxDroppedOnReset,
    long RxExpected, long RxReceived, long RxDeviceFaults, long TxDeviceFaults, bool MemoryKept, bool Probed)
{
    /// <summary>Faults that fired, by <see cref="Gvnic.Simulator.Faults.DeviceFaultKind"/>.</summary>
    public int[] Fired { get; init; } = [];

    /// <summary>Errors of optional commands a bring-up went on after (issue 15, class 7).</summary>
    public int Tolerated { get; init; }

    /// <summary>Second calls on a queue in use that were refused (issue 15, class 8).</summary>
    public int Contended { get; init; }

    /// <summary>Steering steps that ran through (RSS and a flow rule configured and read back).</summary>
    public int Steered { get; init; }

    /// <summary>Steering steps refused because of a hostile RSS_CONFIG or FLOW_STEERING value, naming its field.</summary>
    public int SteerRefused { get; init; }
}
