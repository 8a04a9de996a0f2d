using System.Linq;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// The device model's issue-15 faults of the control plane and of the numbers it supplies, seen from a raw driver:
/// each does exactly what it names (docs/simulator.md, "Fault injection").
/// </summary>
public class ControlPlaneFaultTests
{
    private static SimulatedGvnic Device(byte revision) => new(new SimulatedDeviceConfig { Revision = revision });

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ASelfResetAtACommandDropsEverythingAndShowsTheReset(byte revision)
    {
        using SimulatedGvnic device = Device(revision);
        var raw = new RawDriver(device);
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Describe(out _));
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminSelfReset, Opcode: AdminqOpcodes.DescribeDevice));
        Assert.Equal(AdminqStatuses.CommandUnset, raw.Describe(out _)); // not answered
        Assert.Equal(0u, raw.Bar0.ReadAdminqEventCounter());
        if (revision == 0) Assert.Equal(0u, raw.Bar0.ReadAdminqPfn());
        else Assert.True(raw.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset));
        FiredFault fired = Assert.Single(device.FiredFaults);
        Assert.Equal(DeviceFaultKind.AdminSelfReset, fired.Kind);
        Assert.Equal(1, fired.Index); // the command's sequence number
    }

    [Fact]
    public void ASelfResetInTrafficDropsTheQueues()
    {
        using SimulatedGvnic device = Device(1);
        var raw = new RawDriver(device);
        raw.Configure(QueueFormat.GqiRda);
        raw.CreateTx(0, out _);
        Assert.Equal(1, device.TxQueueCount);
        device.InjectFault(new DeviceFault(DeviceFaultKind.DeviceSelfReset));
        Assert.Equal(0, device.TxQueueCount);
        Assert.True(raw.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset));
        Assert.Equal(DeviceFaultKind.DeviceSelfReset, Assert.Single(device.FiredFaults).Kind);
    }

    [Fact]
    public void AnEventCounterAheadCountsFivePastTheCommandsAfterRunningIt()
    {
        using SimulatedGvnic device = Device(1);
        var raw = new RawDriver(device);
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminEventCounterAhead, Opcode: AdminqOpcodes.DescribeDevice));
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Describe(out DmaRegion buffer)); // it ran
        Assert.Equal(1460, DeviceDescriptor.Read(buffer.Span).Mtu);
        Assert.Equal(6u, raw.Bar0.ReadAdminqEventCounter());
    }

    [Fact]
    public void AStallAfterACommandRunsItAndNeverCountsAgain()
    {
        using SimulatedGvnic device = Device(1);
        var raw = new RawDriver(device);
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Describe(out _));
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminStallAfterCommand, Opcode: AdminqOpcodes.ConfigureDeviceResources));
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Configure(QueueFormat.GqiRda)); // the effect is in place
        Assert.Equal(QueueFormat.GqiRda, device.ConfiguredFormat);
        Assert.Equal(1u, raw.Bar0.ReadAdminqEventCounter()); // stopped before it
        raw.Execute((ref AdminqCommand c) => c.Opcode = AdminqOpcodes.DescribeDevice);
        Assert.Equal(1u, raw.Bar0.ReadAdminqEventCounter());
        raw.Bar0.WriteDriverStatus(DriverStatusFlags.Reset);
        Assert.False(raw.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset)); // the release is not confirmed either
    }

    [Fact]
    public void DeviceIsResetLingersTwentyReadsAfterRun()
    {
        using SimulatedGvnic device = Device(1);
        var raw = new RawDriver(device, setUp: false);
        raw.Bar0.WriteDriverStatus(DriverStatusFlags.Reset); // as a bring-up starts: the device shows DEVICE_IS_RESET
        Assert.True(raw.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset));
        device.InjectFault(new DeviceFault(DeviceFaultKind.DeviceIsResetLingers));
        raw.SetUpAdminQueue();
        int set = 0;
        while (raw.Bar0.ReadDeviceStatus().HasFlag(DeviceStatusFlags.DeviceIsReset) && set < 100) set++;
        Assert.Equal(20, set);
        Assert.Equal(DeviceFaultKind.DeviceIsResetLingers, Assert.Single(device.FiredFaults).Kind);
    }

    [Theory]
    [InlineData(HostileField.Mtu, 1234UL)]
    [InlineData(HostileField.TxQueueEntries, 100UL)]
    [InlineData(HostileField.Counters, 0UL)]
    [InlineData(HostileField.Mtu, 0x1_0000_0044UL)] // truncated to the field's 16 bits: 68
    public void AHostileDescriptorValueIsWrittenInItsField(HostileField field, ulong value)
    {
        using SimulatedGvnic device = Device(1);
        var raw = new RawDriver(device);
        device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: field, Value: value));
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Describe(out DmaRegion buffer));
        DeviceDescriptor d = DeviceDescriptor.Read(buffer.Span);
        ulong written = field switch
        {
            HostileField.Mtu => d.Mtu,
            HostileField.TxQueueEntries => d.TxQueueEntries,
            _ => d.Counters,
        };
        Assert.Equal((ushort)value, written);
        Assert.Equal(DeviceFaultKind.HostileValue, Assert.Single(device.FiredFaults).Kind);
    }

    [Fact]
    public void AHostileQueueLimitIsWhatBar0Reads()
    {
        using SimulatedGvnic device = Device(1);
        device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.MaxTxQueues, Value: uint.MaxValue));
        var raw = new RawDriver(device);
        Assert.Equal(uint.MaxValue, raw.Bar0.ReadMaxTxQueues());
        Assert.Contains(device.FiredFaults, f => f.Kind == DeviceFaultKind.HostileValue);
    }
}
