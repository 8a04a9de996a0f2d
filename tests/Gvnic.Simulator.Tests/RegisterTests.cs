using System;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

public sealed class RegisterTests
{
    [Fact]
    public void Identity_AndQueueCountRegisters()
    {
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { MaxTxQueues = 3, MaxRxQueues = 2 });
        var bar0 = new Bar0Registers(dev.Bar0);
        Assert.Equal(PciIds.GoogleVendor, dev.VendorId);
        Assert.Equal(PciIds.GvnicDevice, dev.DeviceId);
        Assert.Equal(1, dev.RevisionId);
        Assert.Equal(3u, bar0.ReadMaxTxQueues());
        Assert.Equal(2u, bar0.ReadMaxRxQueues());
        Assert.Equal(DeviceStatusFlags.LinkStatus, bar0.ReadDeviceStatus());
    }

    [Fact]
    public void DriverVersion_IsCapturedAsAString()
    {
        using var dev = new SimulatedGvnic();
        var bar0 = new Bar0Registers(dev.Bar0);
        foreach (char ch in "GVE-1.4.0\n") bar0.WriteDriverVersion((byte)ch);
        Assert.Equal("GVE-1.4.0", Assert.Single(dev.DriverVersions));
        Assert.Equal("GVE-1.4.0", dev.DriverVersion);
    }

    [Fact]
    public void Revision1_ResetHandshake_SetsDeviceIsReset_AndRunClearsIt()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        drv.BringUpGqiQpl();
        Assert.Equal(1, dev.TxQueueCount);
        drv.Bar0.WriteDriverStatus(DriverStatusFlags.Reset);
        Assert.True(drv.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset));
        Assert.Equal(0, dev.TxQueueCount);
        Assert.Empty(dev.RegisteredPageLists);
        Assert.Null(dev.ConfiguredFormat);
        Assert.Equal(0u, drv.Bar0.ReadAdminqEventCounter());
        drv.SetUpAdminQueue();
        Assert.False(drv.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Describe(out _));
        Assert.Empty(dev.Violations);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ResetFunction_ReturnsTheDeviceToItsPowerOnState_AndKeepsTheRecord(byte revision)
    {
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = revision });
        var drv = new RawDriver(dev);
        drv.BringUpGqiQpl();
        Assert.Equal(1, dev.TxQueueCount);
        if (revision == 1) drv.Bar0.WriteDriverStatus(DriverStatusFlags.Reset);
        else drv.Bar0.WriteAdminqPfn(0);
        drv.SetUpAdminQueue();
        drv.BringUpGqiQpl();
        dev.RequestReset();
        Assert.True(drv.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.Reset));
        long resets = dev.ResetCount;

        dev.ResetFunction();

        Assert.Equal(DeviceStatusFlags.LinkStatus, drv.Bar0.ReadDeviceStatus());
        Assert.Equal(0u, drv.Bar0.ReadAdminqPfn());
        Assert.Equal(0u, drv.Bar0.ReadAdminqEventCounter());
        Assert.Equal(0, dev.TxQueueCount);
        Assert.Equal(0, dev.RxQueueCount);
        Assert.Empty(dev.RegisteredPageLists);
        Assert.Null(dev.ConfiguredFormat);
        Assert.False(dev.BusMasterEnabled);
        Assert.Equal(resets + 1, dev.ResetCount);
        Assert.NotEmpty(dev.AdminCommands); // the record stays
        Assert.Empty(dev.Violations);

        // The function comes back as at power-on: a driver sets it up from the start.
        dev.EnableBusMaster();
        drv.SetUpAdminQueue();
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Describe(out _));
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Revision0_PfnSetup_AndReleaseByWritingZero()
    {
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = 0 });
        var drv = new RawDriver(dev);
        Assert.Equal((uint)(drv.AdminQueue.DeviceAddress / 4096), drv.Bar0.ReadAdminqPfn());
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Describe(out _));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Configure(QueueFormat.GqiQpl));
        drv.Bar0.WriteAdminqPfn(0);
        Assert.Equal(0u, drv.Bar0.ReadAdminqPfn());
        Assert.Null(dev.ConfiguredFormat);
        Assert.Equal(1, dev.ResetCount);
        Assert.False(drv.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset));
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Revision0_RejectsRevision1Registers()
    {
        using var dev0 = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = 0 });
        new Bar0Registers(dev0.Bar0).WriteDriverStatus(DriverStatusFlags.Run);
        Assert.Equal(ViolationKind.RegisterAccess, Assert.Single(dev0.Violations).Kind);
    }

    /// <summary>
    /// A revision-1 device keeps the PFN admin queue: Linux 6.1's gve knows no other and writes adminq_pfn whatever the
    /// revision (found by the conformance run, docs/conformance.md).
    /// </summary>
    [Fact]
    public void Revision1_AlsoTakesThePfnAdminQueue_AsLinux61Drives_It()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev, setUp: false);
        drv.Bar0.WriteAdminqPfn((uint)(drv.AdminQueue.DeviceAddress / 4096));
        Assert.Equal((uint)(drv.AdminQueue.DeviceAddress / 4096), drv.Bar0.ReadAdminqPfn());
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Describe(out _));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Configure(QueueFormat.GqiQpl));

        drv.Bar0.WriteAdminqPfn(0);

        Assert.Equal(0u, drv.Bar0.ReadAdminqPfn()); // the release a PFN driver polls for
        Assert.Null(dev.ConfiguredFormat);
        Assert.Equal(1, dev.ResetCount);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Run_WithoutBaseOrLength_IsRefused()
    {
        using var dev = new SimulatedGvnic();
        var bar0 = new Bar0Registers(dev.Bar0);
        bar0.WriteDriverStatus(DriverStatusFlags.Run);
        Assert.Equal(ViolationKind.AdminQueueState, Assert.Single(dev.Violations).Kind);
    }

    [Fact]
    public void StalledDevice_DoesNotConfirmRelease_UntilResumed()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        dev.StallAdminQueue();
        drv.Bar0.WriteDriverStatus(DriverStatusFlags.Reset);
        Assert.False(drv.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset));
        dev.ResumeAdminQueue();
        Assert.True(drv.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset));

        using var dev0 = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = 0 });
        var drv0 = new RawDriver(dev0);
        dev0.StallAdminQueue();
        drv0.Bar0.WriteAdminqPfn(0);
        Assert.NotEqual(0u, drv0.Bar0.ReadAdminqPfn());
        dev0.ResumeAdminQueue();
        Assert.Equal(0u, drv0.Bar0.ReadAdminqPfn());
    }

    [Fact]
    public void DeviceRequestedReset_RaisesStatusAndManagementVector_UntilTheDriverResets()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        drv.Configure(QueueFormat.GqiQpl, numBlocks: 4);
        int mgmt = dev.ManagementVector;
        Assert.Equal(4, mgmt);
        dev.RequestReset();
        Assert.True(drv.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.Reset));
        Assert.True(dev.Interrupts.TryConsume(mgmt));
        drv.Bar0.WriteDriverStatus(DriverStatusFlags.Reset);
        Assert.Equal(DeviceStatusFlags.LinkStatus | DeviceStatusFlags.DeviceIsReset, drv.Bar0.ReadDeviceStatus());
    }

    [Fact]
    public void LinkToggle_ChangesStatus_AndFiresManagementVector()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        int mgmt = dev.ManagementVector;
        Assert.Equal(7, mgmt);
        dev.SetLink(false);
        Assert.False(drv.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.LinkStatus));
        Assert.True(dev.Interrupts.Wait(mgmt, TimeSpan.Zero));
        dev.SetLink(true);
        Assert.True(drv.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.LinkStatus));
        Assert.Equal(2, dev.InterruptController.RaisedCount(mgmt));
    }

    [Fact]
    public void WrongWidthOrUnknownOffset_IsRecorded_NotThrown()
    {
        using var dev = new SimulatedGvnic();
        dev.Bar0.Write16(Bar0Registers.Offsets.AdminqDoorbell, 1);
        dev.Bar0.Write32(0x30, 1);
        dev.Bar2.Write32(3, 1);
        dev.Bar2.Write32(dev.Bar2Length, 1);
        Assert.Equal(4, dev.Violations.Count(v => v.Kind == ViolationKind.RegisterAccess));
    }
}
