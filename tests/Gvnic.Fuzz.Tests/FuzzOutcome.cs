namespace Gvnic.Fuzz.Tests;

/// <summary>How one case ended, for the totals (a case that breaks an invariant throws instead).</summary>
internal sealed record FuzzOutcome(
    bool Opened, string? OpenError, string? RecoveryError, int Recoveries, int FaultsFired, long TxSent, long TxCompleted, long TxDroppedOnReset,
    long RxExpected, long RxReceived, long RxDeviceFaults, long TxDeviceFaults, bool MemoryKept, bool Probed);
