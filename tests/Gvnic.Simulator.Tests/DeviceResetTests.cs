using System;
using Gvnic.Wire;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// Resets the device does without being asked: the delayed reset a redundant reset schedules (iPXE gve_reset: resetting an
/// already-reset device schedules another reset a few seconds later, and the two loop), and host-initiated resets (iPXE
/// gve_watchdog: a host reset, as on live migration, shows as adminq_pfn reading 0).
/// </summary>
public sealed class DeviceResetTests
{
    [Fact]
    public void Revision0_ResettingAnAlreadyResetDevice_ResetsItAgainAFewSecondsLater()
    {
        var clock = new FakeTimeProvider();
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = 0, TimeProvider = clock });
        var drv = new RawDriver(dev, setUp: false);
        drv.Bar0.WriteAdminqPfn(0); // the device is reset already (adminq_pfn reads 0)
        Assert.Equal(1, dev.RedundantResets);

        drv.SetUpAdminQueue(); // the driver carries on and brings the device up
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.GqiRda));
        Assert.NotEqual(0u, drv.Bar0.ReadAdminqPfn());
        clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.NotEqual(0u, drv.Bar0.ReadAdminqPfn());
        Assert.NotNull(dev.ConfiguredFormat);

        clock.Advance(TimeSpan.FromSeconds(0.1)); // three seconds on: the device resets under the driver
        Assert.Equal(0u, drv.Bar0.ReadAdminqPfn());
        Assert.Null(dev.ConfiguredFormat);
        Assert.Equal(1, dev.HostResets);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Revision0_ResettingALiveDevice_SchedulesNothing()
    {
        var clock = new FakeTimeProvider();
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = 0, TimeProvider = clock });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        drv.Bar0.WriteAdminqPfn(0);
        Assert.Equal(0u, drv.Bar0.ReadAdminqPfn());
        drv.SetUpAdminQueue();
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.NotEqual(0u, drv.Bar0.ReadAdminqPfn());
        Assert.Equal(0, dev.RedundantResets);
        Assert.Equal(0, dev.HostResets);
    }

    [Fact]
    public void Revision0_WithoutTheDelayedReset_ARedundantResetIsHarmless()
    {
        var clock = new FakeTimeProvider();
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = 0, TimeProvider = clock, RedundantResetDelay = null });
        var drv = new RawDriver(dev, setUp: false);
        drv.Bar0.WriteAdminqPfn(0);
        drv.SetUpAdminQueue();
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.NotEqual(0u, drv.Bar0.ReadAdminqPfn());
        Assert.Equal(0, dev.RedundantResets);
    }

    [Fact]
    public void HostReset_Revision1_ShowsDeviceIsReset_DropsEverything_AndIgnoresTheOldDoorbells()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, rx) = drv.BringUpGqiRda();
        drv.PostGqiRx(rx, 64);
        Assert.Equal(0, (int)(dev.Status & DeviceStatusFlags.DeviceIsReset));

        dev.HostReset();
        Assert.NotEqual(0, (int)(drv.Bar0.ReadDeviceStatus() & DeviceStatusFlags.DeviceIsReset));
        Assert.Null(dev.ConfiguredFormat);
        Assert.Equal(0, dev.TxQueueCount);
        Assert.Equal(1, dev.HostResets);

        drv.SendGqi(tx, Frames.NonIp(60)); // the driver does not know yet
        drv.Bar2.WriteIrqDoorbell((int)drv.IrqDoorbellIndex(0), 0);
        drv.Queue((ref AdminqCommand c) => c.Opcode = AdminqOpcodes.DescribeDevice);
        drv.Ring();
        Assert.Empty(dev.Wire.Frames);
        Assert.Equal(3, dev.IgnoredAfterHostReset);
        Assert.Empty(dev.Violations);

        drv.SetUpAdminQueue(); // the driver finds out and brings the device up again
        Assert.Equal(0, (int)(drv.Bar0.ReadDeviceStatus() & DeviceStatusFlags.DeviceIsReset));
        RawDriver.Check(drv.Describe(out _));
        drv.Bar2.WriteDoorbell(0x200, 1); // from now on a stray doorbell is the driver's mistake again
        Assert.Equal(ViolationKind.UnknownDoorbell, Assert.Single(dev.Violations).Kind);
    }

    [Fact]
    public void HostReset_Revision0_AdminPfnReadsZero()
    {
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = 0 });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        Assert.NotEqual(0u, drv.Bar0.ReadAdminqPfn());
        dev.HostReset();
        Assert.Equal(0u, drv.Bar0.ReadAdminqPfn());
        Assert.Equal(0, dev.RedundantResets); // the host's reset is not the driver's
    }
}
