using System;
using System.Threading;
using Gvnic.Driver.ControlPlane;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// The driver's view of the NIC clock (<see cref="NicOptions.Timestamps"/>): the last value REPORT_NIC_TIMESTAMP gave, in
/// nanoseconds, against which the 32-bit RX timestamps of DQO completions are extended to 64 bits. Read at bring-up, then
/// every <see cref="SyncInterval"/> by <see cref="Nic.Service"/> and whenever the caller asks (<see cref="Nic.RefreshNicClock"/>),
/// as upstream's PTP worker does (gve_ptp.c, every 250 ms).
/// </summary>
/// <remarks>
/// Extension (upstream <c>gve_rx_get_hwtstamp</c>): the difference between a completion's 32 bits and the low 32 bits of
/// the last read, taken as a signed 32-bit number, is added to the last read; so a timestamp up to about 2.1 s before or
/// after the last read extends correctly, across a wrap of the low 32 bits in either direction. The data path reads the
/// last value with one volatile 64-bit read; refreshes are serialised by the control plane.
/// </remarks>
internal sealed class NicClock(IControlPlane control, DmaRegion report, TimeProvider time)
{
    /// <summary>How often <see cref="Nic.Service"/> reads the NIC clock (upstream GVE_NIC_TS_SYNC_INTERVAL_MS).</summary>
    public static readonly TimeSpan SyncInterval = TimeSpan.FromMilliseconds(250);

    private long _lastRead;
    private long _readAt;
    private long _reads;
    private long _failures;

    /// <summary>The NIC clock at the last read, in nanoseconds.</summary>
    public ulong LastRead => unchecked((ulong)Volatile.Read(ref _lastRead));

    /// <summary>Reads that succeeded.</summary>
    public long Reads => Volatile.Read(ref _reads);

    /// <summary>Periodic reads (from <see cref="Nic.Service"/>) the device refused; the last value stays in use.</summary>
    public long Failures => Volatile.Read(ref _failures);

    /// <summary>Whether <see cref="SyncInterval"/> has passed since the last read.</summary>
    public bool Due => time.GetElapsedTime(Volatile.Read(ref _readAt)) >= SyncInterval;

    /// <summary>Reads the NIC clock now (REPORT_NIC_TIMESTAMP) and keeps it; returns it.</summary>
    /// <exception cref="GvnicException">The command failed (as every admin command fails).</exception>
    public ulong Refresh()
    {
        ulong ns = control.ReportNicTimestamp(report);
        Volatile.Write(ref _lastRead, unchecked((long)ns));
        Volatile.Write(ref _readAt, time.GetTimestamp());
        Interlocked.Increment(ref _reads);
        return ns;
    }

    /// <summary>
    /// A periodic read whose failure is counted, not thrown (upstream logs it and tries again next period); false when it
    /// failed or the control plane has failed. A control plane that fails here (no answer, a reset) is failed for good
    /// (<see cref="IControlPlane.Failure"/>), and the device's own state tells <see cref="Nic.Service"/> what to do next.
    /// </summary>
    public bool TryRefresh()
    {
        if (control.Failure is not null) return false;
        try
        {
            Refresh();
            return true;
        }
        catch (GvnicException)
        {
            Interlocked.Increment(ref _failures);
            Volatile.Write(ref _readAt, time.GetTimestamp()); // not again before the next period
            return false;
        }
    }

    /// <summary>A DQO completion's 32-bit timestamp <paramref name="low32"/>, extended to 64 bits against this clock's last read.</summary>
    public ulong Extend(uint low32) => Extend(LastRead, low32);

    /// <summary><paramref name="low32"/> extended to 64 bits against <paramref name="lastRead"/>: the signed 32-bit difference of the low halves, added.</summary>
    public static ulong Extend(ulong lastRead, uint low32)
    {
        int diff = unchecked((int)(low32 - (uint)lastRead));
        return unchecked(lastRead + (ulong)(long)diff);
    }

    /// <summary>The size of the buffer REPORT_NIC_TIMESTAMP writes.</summary>
    public const int ReportSize = NicTsReport.Size;
}
