using System;
using System.Collections.Generic;

namespace Gvnic.Driver;

/// <summary>
/// What one reset of the device cost, reported to <see cref="NicOptions.OnReset"/> once the device is up again:
/// why it was reset, and the last counters of the queues it replaced (counters restart with the new queues).
/// </summary>
/// <param name="Recovery">The value of <see cref="Nic.RecoveryCount"/> after this recovery (1 for the first).</param>
/// <param name="Reason">Why: <c>device_status RESET</c>, <c>Recover called</c>, or the device fault's message.</param>
/// <param name="Fault">The device fault that made the driver reset, or null for a device-requested or manual reset.</param>
/// <param name="DeviceRequested">Whether device_status RESET was set (the queues were dropped by the reset, not destroyed one by one).</param>
/// <param name="TxDropped">
/// Frames posted to the device and not reported sent when it was reset: they are dropped (some may have reached the
/// wire; the device never said so). Summed over the TX queues; also added to <see cref="Nic.TxDroppedOnReset"/>.
/// </param>
/// <param name="TxStatistics">The last counters of each replaced TX queue.</param>
/// <param name="RxStatistics">The last counters of each replaced RX queue.</param>
public sealed record NicResetReport(int Recovery, string Reason, Exception? Fault, bool DeviceRequested, long TxDropped,
    IReadOnlyList<TxQueueStatistics> TxStatistics, IReadOnlyList<RxQueueStatistics> RxStatistics)
{
    /// <summary>
    /// RX frames the device had handed over (written whole into the completion or descriptor ring) that the driver had
    /// not taken when the device was reset: dropped with the rings. Summed over the RX queues; also added to
    /// <see cref="Nic.RxDroppedOnReset"/>.
    /// </summary>
    public long RxDropped { get; init; }
}
