using System;
using Gvnic.Driver.DataPlane;
using Gvnic.Wire;

namespace Gvnic.Driver;

public sealed partial class Nic
{
    /// <summary>Whether hardware RX timestamps are on (<see cref="NicOptions.Timestamps"/>, accepted by the device).</summary>
    public bool TimestampsEnabled => Described.Clock is not null;

    /// <summary>The NIC clock at its last read, in nanoseconds: what 32-bit RX timestamps are extended against.</summary>
    /// <exception cref="InvalidOperationException">Timestamps are off.</exception>
    public ulong NicClockLastRead => Clock.LastRead;

    /// <summary>Periodic NIC clock reads (from <see cref="Service"/>) the device refused; the last good read stays in use.</summary>
    /// <exception cref="InvalidOperationException">Timestamps are off.</exception>
    public long NicClockReadFailures => Clock.Failures;

    /// <summary>
    /// Reads the NIC clock now (REPORT_NIC_TIMESTAMP) and returns it in nanoseconds. <see cref="Service"/> does this every
    /// 250 ms on its own (as upstream's PTP worker); call it when <see cref="Service"/> runs less often, since a frame
    /// stamped more than about 2.1 s away from the last read extends to the wrong 2³²-ns span.
    /// </summary>
    /// <exception cref="InvalidOperationException">Timestamps are off.</exception>
    /// <exception cref="AdminCommandException">The device refused the command.</exception>
    /// <exception cref="DeviceTimeoutException">The device did not answer in time.</exception>
    public ulong RefreshNicClock()
    {
        ObjectDisposedException.ThrowIf(_instance is null, this);
        return Clock.Refresh();
    }

    private NicClock Clock => Described.Clock ?? throw new InvalidOperationException("hardware timestamps are off: open the NIC with NicOptions.Timestamps = true");

    /// <summary>
    /// From <see cref="Service"/> (not from the look <see cref="WaitForReceive"/> takes when nothing came, which must stay
    /// free of admin commands and allocations): reads the NIC clock when a sync interval has passed (a refusal is counted, not
    /// thrown), unless <paramref name="status"/> shows DEVICE_IS_RESET (upstream's worker skips a read while a reset is in
    /// progress: a device that reset itself has no admin queue to answer on).
    /// </summary>
    private void RefreshNicClockIfDue(DeviceStatusFlags status)
    {
        if ((status & DeviceStatusFlags.DeviceIsReset) != 0) return;
        if (_instance?.Clock is NicClock clock && clock.Due) clock.TryRefresh();
    }
}
