using System.Collections.Generic;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// Issue 15, class 7: REPORT_LINK_SPEED and REPORT_STATS are optional, as upstream treats them: any error the device
/// answers is logged (a bring-up step saying so), counted (<see cref="Nic.AdminStatistics"/>), and bring-up goes on, in
/// <see cref="Nic.Open"/> and in every recovery.
/// </summary>
public class OptionalCommandTests
{
    private const OfferedFormats AllFormats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;

    public static IEnumerable<object[]> Cases()
    {
        foreach (QueueFormat format in new[] { QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl })
        foreach (AdminqOpcodes opcode in new[] { AdminqOpcodes.ReportLinkSpeed, AdminqOpcodes.ReportStats })
        foreach (AdminqStatuses status in new[] { AdminqStatuses.CommandErrorInternalError, AdminqStatuses.CommandErrorInvalidArgument, AdminqStatuses.CommandUnset, (AdminqStatuses)0x1234 })
            yield return [format, opcode, status];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnErrorFromAnOptionalCommandIsReportedCountedAndBringUpGoesOn(QueueFormat format, AdminqOpcodes opcode, AdminqStatuses status)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = AllFormats });
        device.AttachWire(VirtualWire.Loopback());
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminCommandStatus, Persistent: true, Opcode: opcode, Status: status));
        var steps = new List<NicBringUpStep>();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { Progress = steps.Add });

        NicBringUpStep step = steps.Single(s => s.Name == Gvnic.Admin.AdminNames.Of(opcode));
        Assert.False(step.Failed);
        Assert.Equal("failed: " + Gvnic.Admin.AdminNames.Describe(status) + "; optional, bring-up goes on without it", step.Detail);
        Assert.Equal(1, nic.AdminStatistics.Tolerated);
        Assert.Equal(1, nic.AdminStatistics.Failed);
        if (opcode == AdminqOpcodes.ReportLinkSpeed) Assert.Equal(0UL, nic.LinkSpeedMbps);

        nic.Recover(); // and in a recovery
        Assert.Equal(2, nic.AdminStatistics.Tolerated);
        byte[] frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[64]);
        Assert.True(nic.Transmit(frame));
        var buffer = new byte[nic.MaxFrameSize];
        Assert.True(nic.TryReceive(buffer, out int length, out _));
        Assert.Equal(frame, buffer[..length]);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void UnimplementedIsStillReportedAsTheDeviceNotImplementingIt()
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.GqiQpl });
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminCommandStatus, Opcode: AdminqOpcodes.ReportStats, Status: AdminqStatuses.CommandErrorUnimplemented));
        var steps = new List<NicBringUpStep>();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl) with { Progress = steps.Add });
        Assert.Equal("UNIMPLEMENTED (tolerated: the device does not implement the command)", steps.Single(s => s.Name == "REPORT_STATS").Detail);
        Assert.Equal(1, nic.AdminStatistics.Tolerated);
    }

    [Fact]
    public void ATimeoutOnAnOptionalCommandIsStillFatal()
    {
        // Optional means the device may refuse it, not that the admin queue may die on it.
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.GqiQpl });
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminStallAfterCommand, Opcode: AdminqOpcodes.ReportLinkSpeed));
        var e = Assert.Throws<DeviceTimeoutException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl) with { TimeProvider = new SteppingClock() }));
        Assert.StartsWith("REPORT_LINK_SPEED", e.Command);
    }
}
