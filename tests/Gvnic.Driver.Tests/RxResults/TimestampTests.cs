using System;
using System.Linq;
using Gvnic.Driver.DataPlane;
using Gvnic.Driver.Tests.EndToEnd;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.RxResults;

/// <summary>
/// Hardware RX timestamps: the NIC_TIMESTAMP option, REPORT_NIC_TIMESTAMP at bring-up, from Service every 250 ms and on
/// request, and the DQO completions' 32-bit times extended to 64 bits against the last read, across the 32-bit wrap in
/// both directions.
/// </summary>
public class TimestampTests
{
    /// <summary>100 ns a tick (ManualClock runs in TimeSpan ticks).</summary>
    private const ulong NsPerTick = 100;

    private static SimulatedGvnic Device(ManualClock clock, ulong start, bool offer = true, OfferedFormats formats = OfferedFormats.DqoRda | OfferedFormats.DqoQpl)
        => new(SimulatedDeviceConfig.Ideal with { Formats = formats, Mac = TestDevices.DeviceMac, TimeProvider = clock, NicClockStart = start, NicTimestamp = offer });

    private static NicOptions Options(QueueFormat format, ManualClock clock) => TestDevices.Options(format) with { Timestamps = true, TimeProvider = clock };

    private static int NicTimestampReads(SimulatedGvnic device) => device.AdminCommands.Count(c => c.Opcode == AdminqOpcodes.ReportNicTimestamp && c.Status == AdminqStatuses.CommandPassed);

    private static RxInfo Take(Nic nic)
    {
        var buffer = new byte[nic.MaxFrameSize];
        Assert.True(nic.TryReceive(buffer, out _, out RxInfo info));
        return info;
    }

    [Theory]
    [InlineData(0x5_0000_0000UL, 0x7FFF_FFFFu, 0x5_7FFF_FFFFUL)]       // 2^31 - 1 ahead: still ahead
    [InlineData(0x5_0000_0000UL, 0x8000_0000u, 0x4_8000_0000UL)]       // 2^31 away: taken as behind (the sign bit)
    [InlineData(0x1_0000_0010UL, 0xFFFF_FFF0u, 0x0_FFFF_FFF0UL)]       // stamped before a read that had already wrapped
    [InlineData(0x0_FFFF_FFF0UL, 0x0000_0010u, 0x1_0000_0010UL)]       // stamped after a read from before the wrap
    [InlineData(0x7_1234_5678UL, 0x1234_5678u, 0x7_1234_5678UL)]       // the read itself
    [InlineData(0xFFFF_FFFF_FFFF_FFF0UL, 0x0000_0005u, 0x0000_0000_0000_0005UL)] // across 2^64
    public void ExtensionTakesTheLow32BitsDifferenceAsSigned(ulong lastRead, uint stamp, ulong expected)
        => Assert.Equal(expected, NicClock.Extend(lastRead, stamp));

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void AFrameStampedAfterTheReadAcrossThe32BitWrapExtendsForward(QueueFormat format)
    {
        var clock = new ManualClock();
        const ulong start = (1UL << 32) * 3 - 1000; // 1 µs before the low 32 bits wrap
        using SimulatedGvnic device = Device(clock, start);
        using Nic nic = Nic.Open(device, Options(format, clock));
        Assert.True(nic.TimestampsEnabled);
        Assert.Equal(start, nic.NicClockLastRead);
        Assert.Equal(1, NicTimestampReads(device));

        clock.Advance(TimeSpan.FromTicks(25)); // 2.5 µs: the device's clock is past the wrap, the driver's last read is not
        device.InjectFrame(RxFrames.Ipv4Udp());
        RxInfo info = Take(nic);
        Assert.Equal(start + 25 * NsPerTick, info.Timestamp);
        Assert.True(info.Timestamp > (1UL << 32) * 3);
    }

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void AFrameStampedBeforeAReadThatWrappedExtendsBackward(QueueFormat format)
    {
        var clock = new ManualClock();
        const ulong start = (1UL << 32) * 7 - 5000;
        using SimulatedGvnic device = Device(clock, start);
        using Nic nic = Nic.Open(device, Options(format, clock));
        device.InjectFrame(RxFrames.Ipv6Tcp()); // stamped at start, before the wrap
        clock.Advance(TimeSpan.FromTicks(80));  // 8 µs later
        ulong read = nic.RefreshNicClock();
        Assert.Equal(start + 80 * NsPerTick, read);
        Assert.Equal(read, nic.NicClockLastRead);
        Assert.True(read > (1UL << 32) * 7);
        RxInfo info = Take(nic);
        Assert.Equal(start, info.Timestamp);
    }

    [Fact]
    public void ServiceReadsTheNicClockEvery250Milliseconds()
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device(clock, 1_000_000_000);
        using Nic nic = Nic.Open(device, Options(QueueFormat.DqoRda, clock));
        Assert.Equal(1, NicTimestampReads(device));
        clock.Advance(TimeSpan.FromMilliseconds(249));
        nic.Service();
        Assert.Equal(1, NicTimestampReads(device));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        nic.Service();
        Assert.Equal(2, NicTimestampReads(device));
        Assert.Equal(1_000_000_000UL + 250_000_000, nic.NicClockLastRead);
        nic.Service();
        Assert.Equal(2, NicTimestampReads(device));
    }

    [Fact]
    public void AReadTheDeviceRefusesInServiceIsCountedAndTheLastReadKept()
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device(clock, 42);
        using Nic nic = Nic.Open(device, Options(QueueFormat.DqoRda, clock));
        device.InjectFault(new Simulator.Faults.DeviceFault(Simulator.Faults.DeviceFaultKind.AdminCommandStatus, Opcode: AdminqOpcodes.ReportNicTimestamp, Status: AdminqStatuses.CommandErrorInternalError));
        clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(nic.Service());
        Assert.Equal(1, nic.NicClockReadFailures);
        Assert.Equal(42UL, nic.NicClockLastRead);
        var e = Assert.Throws<AdminCommandException>(() =>
        {
            device.InjectFault(new Simulator.Faults.DeviceFault(Simulator.Faults.DeviceFaultKind.AdminCommandStatus, Opcode: AdminqOpcodes.ReportNicTimestamp, Status: AdminqStatuses.CommandErrorInternalError));
            nic.RefreshNicClock();
        });
        Assert.Equal(AdminqOpcodes.ReportNicTimestamp, e.Opcode);
    }

    [Fact]
    public void ADeviceWithoutTheOptionRefusesTimestampsClearly()
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device(clock, 0, offer: false);
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, Options(QueueFormat.DqoRda, clock)));
        Assert.Equal(nameof(NicOptions.Timestamps), e.Option);
        Assert.Contains("does not offer the NIC_TIMESTAMP option", e.Message);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    public void GqiRefusesTimestamps_ItsDescriptorsCarryNoTime(QueueFormat format)
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device(clock, 0, formats: OfferedFormats.GqiQpl | OfferedFormats.GqiRda);
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, Options(format, clock)));
        Assert.Equal(nameof(NicOptions.Timestamps), e.Option);
        Assert.Contains("option does not enable NIC timestamps", e.Message);
    }

    [Fact]
    public void AnOptionTheFormatDoesNotEnableIsRefusedNamingTheBit()
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device(clock, 0, formats: OfferedFormats.DqoRda | OfferedFormats.GqiQpl);
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, Options(QueueFormat.GqiQpl, clock)));
        Assert.Contains("GqiQpl option does not enable NIC timestamps (no nic_timestamp bit", e.Message);
    }

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.GqiQpl)]
    public void WithoutTheSwitchThereIsNoTimeAndNoClock(QueueFormat format)
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device(clock, 1000, formats: OfferedFormats.DqoRda | OfferedFormats.GqiQpl);
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock });
        Assert.False(nic.TimestampsEnabled);
        Assert.Equal(0, NicTimestampReads(device));
        device.InjectFrame(RxFrames.Ipv4Udp());
        Assert.Null(Take(nic).Timestamp);
        Assert.Throws<InvalidOperationException>(() => nic.RefreshNicClock());
        Assert.Throws<InvalidOperationException>(() => nic.NicClockLastRead);
    }

    [Fact]
    public void AHostileTimeIsExtendedLikeAnyOther_NeverACrash()
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device(clock, 1000);
        using Nic nic = Nic.Open(device, Options(QueueFormat.DqoRda, clock));
        device.InjectFault(new Simulator.Faults.DeviceFault(Simulator.Faults.DeviceFaultKind.HostileValue, Field: Simulator.Faults.HostileField.DqoRxTimestamp, Value: 0xFFFF_FF00));
        device.InjectFrame(RxFrames.Ipv4Udp());
        Assert.Equal(NicClock.Extend(1000, 0xFFFF_FF00), Take(nic).Timestamp);
    }
}
