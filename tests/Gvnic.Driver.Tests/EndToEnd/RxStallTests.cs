using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// Issue 15, class 2: an RX head that never becomes valid no longer stalls the queue for ever. Written entries behind it
/// are found at once (the data path's one-entry look-ahead, and the audit in <see cref="Nic.Service"/>); a head that holds
/// a written but undeliverable entry with nothing behind it is found by the RX watchdog after <see cref="NicOptions.RxTimeout"/>.
/// Either way the device is reset, the frames behind the head are counted dropped, and traffic goes on.
/// </summary>
public class RxStallTests
{
    private const OfferedFormats AllFormats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;

    private static SimulatedGvnic Device() => new(new SimulatedDeviceConfig { Formats = AllFormats, TxQueueEntries = 64, RxQueueEntries = 64 });

    private static byte[] Frame(int id, int length = 200) => TestDevices.Udp(TestDevices.DeviceMac, Enumerable.Repeat((byte)id, length).ToArray());

    private static void AssertTrafficGoesOn(SimulatedGvnic device, Nic nic, int id)
    {
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(id), 0).Outcome);
        var buffer = new byte[nic.MaxFrameSize];
        Assert.True(nic.TryReceive(buffer, out int length, out _));
        Assert.Equal(Frame(id), buffer[..length]);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl, 0)]
    [InlineData(QueueFormat.GqiRda, 0)]
    [InlineData(QueueFormat.GqiQpl, 70)] // a later lap: the head shows last lap's sequence number
    [InlineData(QueueFormat.GqiRda, 70)]
    public void AHeadNeverMadeValidIsFoundByTheLookAheadOnceTheNextFrameIsWritten(QueueFormat format, int before)
    {
        var reports = new List<NicResetReport>();
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { OnReset = reports.Add });
        var buffer = new byte[nic.MaxFrameSize];
        for (int i = 0; i < before; i++)
        {
            Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(i), 0).Outcome);
            Assert.True(nic.TryReceive(buffer, out _, out _));
        }
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxNeverValid, Queue: 0));
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(1), 0).Outcome);
        Assert.False(nic.TryReceive(buffer, out _, out _)); // alone it looks like nothing arrived
        Assert.Empty(reports);

        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(2), 0).Outcome);
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(3), 0).Outcome);
        Assert.False(nic.TryReceive(buffer, out _, out _)); // the look-ahead sees frame 2 behind the head: reset

        NicResetReport report = Assert.Single(reports);
        var fault = Assert.IsType<DeviceFaultException>(report.Fault);
        Assert.Equal("RX queue 0", fault.Queue);
        Assert.Equal("seqno", fault.Field);
        Assert.Equal(before % 64, fault.Index);
        Assert.Contains("the device wrote past a descriptor it never made valid", fault.Message);
        Assert.Equal(2, report.RxDropped); // frames 2 and 3, written behind the head, are counted, not lost silently
        AssertTrafficGoesOn(device, nic, 4);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    public void TheAuditInServiceFindsWrittenDescriptorsBehindTheHead(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { AutoRecover = false });
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxNeverValid, Queue: 0));
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(1), 0).Outcome);
        Assert.False(nic.Service()); // nothing behind the head yet
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(2), 0).Outcome);
        var e = Assert.Throws<DeviceFaultException>(() => nic.Service());
        Assert.Equal("seqno", e.Field);
        Assert.Equal(0, e.Index);
        nic.Recover();
        AssertTrafficGoesOn(device, nic, 3);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    public void TheAuditFindsWrittenDescriptorsBehindAChainWhoseRestNeverBecomesValid(QueueFormat format)
    {
        // Found by the fuzz: the head is valid (a frame that says it goes on), the descriptor after it never becomes
        // valid, and frames are written behind that. The audit used to look behind the head only when the head itself
        // was not valid; it now looks behind the first descriptor that is not.
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { AutoRecover = false });
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxPacketContOnLast, Queue: 0));
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(1), 0).Outcome); // index 0: valid, says the frame goes on
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxNeverValid, Queue: 0));
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(2), 0).Outcome); // index 1: written, never made valid
        Assert.False(nic.Service()); // nothing behind it yet
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(3), 0).Outcome); // index 2: valid, behind the gap
        var e = Assert.Throws<DeviceFaultException>(() => nic.Service());
        Assert.Equal("RX queue 0", e.Queue);
        Assert.Equal("seqno", e.Field);
        Assert.Equal(1, e.Index);
        nic.Recover();
        AssertTrafficGoesOn(device, nic, 4);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    public void TheWatchdogResetsAHeadWrittenButNeverValidWithNothingBehindIt(QueueFormat format)
    {
        var clock = new ManualClock();
        var reports = new List<NicResetReport>();
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock, OnReset = reports.Add });
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxNeverValid, Queue: 0));
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(1), 0).Outcome);

        Assert.False(nic.Service()); // the first look starts the watchdog's clock
        clock.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.False(nic.Service());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(nic.Service());
        var fault = Assert.IsType<DeviceFaultException>(Assert.Single(reports).Fault);
        Assert.Equal("head", fault.Field);
        Assert.Contains("has not become a frame for 5000 ms (NicOptions.RxTimeout 5000 ms)", fault.Message);
        AssertTrafficGoesOn(device, nic, 2);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl, DeviceFaultKind.GqiRxPacketContOnLast, 0)]
    [InlineData(QueueFormat.GqiRda, DeviceFaultKind.GqiRxPacketContOnLast, 0)]
    [InlineData(QueueFormat.DqoRda, DeviceFaultKind.DqoRxGenerationFlipped, 1)]
    [InlineData(QueueFormat.DqoQpl, DeviceFaultKind.DqoRxGenerationFlipped, 1)]
    public void TheWatchdogResetsAFrameWhoseLastEntryNeverComes(QueueFormat format, DeviceFaultKind kind, int skip)
    {
        var clock = new ManualClock();
        var reports = new List<NicResetReport>();
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock, OnReset = reports.Add, Mtu = 4000 });
        // GQI: the frame's last descriptor claims it goes on; DQO: the second completion of a two-buffer frame keeps last lap's bit.
        device.InjectFault(new DeviceFault(kind, Queue: 0, Skip: skip));
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(1, length: skip == 0 ? 200 : 3000), 0).Outcome);
        var buffer = new byte[nic.MaxFrameSize];
        Assert.False(nic.TryReceive(buffer, out _, out _));

        Assert.False(nic.Service());
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.False(nic.Service());
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(nic.Service());
        Assert.Equal("head", Assert.IsType<DeviceFaultException>(Assert.Single(reports).Fault).Field);
        AssertTrafficGoesOn(device, nic, 2);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.DqoRda)]
    public void TheWatchdogLeavesAQueueAloneWhileFramesMoveOrWaitWhole(QueueFormat format)
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock });
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(1), 0).Outcome); // a whole frame the caller has not taken yet
        for (int i = 0; i < 5; i++)
        {
            Assert.False(nic.Service());
            clock.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(0, nic.RecoveryCount);
        var buffer = new byte[nic.MaxFrameSize];
        Assert.True(nic.TryReceive(buffer, out _, out _));
    }

    [Fact]
    public void AnInfiniteRxTimeoutTurnsTheWatchdogOffAndANonPositiveOneIsRefused()
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device();
        using (Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl) with { TimeProvider = clock, RxTimeout = System.Threading.Timeout.InfiniteTimeSpan }))
        {
            device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxNeverValid, Queue: 0));
            Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(1), 0).Outcome);
            for (int i = 0; i < 3; i++)
            {
                Assert.False(nic.Service());
                clock.Advance(TimeSpan.FromMinutes(1));
            }
        }
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl) with { RxTimeout = TimeSpan.Zero }));
        Assert.Equal(nameof(NicOptions.RxTimeout), e.Option);
    }
}
