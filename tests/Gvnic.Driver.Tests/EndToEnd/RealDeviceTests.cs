using System;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Wire;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// The driver on the faithful device model (docs/simulator.md, "Real-device behaviours"): DQO completions held in
/// 128-byte lines until a notification block fires, blocks that fire once and stay masked, the ITR interval, MSI-X
/// vectors that must be enabled for a fire, device-chosen event counters, host-initiated and delayed resets, and the
/// stats report the device reads.
/// </summary>
public sealed class RealDeviceTests
{
    public static readonly TheoryData<QueueFormat, NicWaitMode> AllFormatsBothModes = new()
    {
        { QueueFormat.GqiQpl, NicWaitMode.Polling }, { QueueFormat.GqiRda, NicWaitMode.Polling },
        { QueueFormat.DqoRda, NicWaitMode.Polling }, { QueueFormat.DqoQpl, NicWaitMode.Polling },
        { QueueFormat.GqiQpl, NicWaitMode.Interrupts }, { QueueFormat.GqiRda, NicWaitMode.Interrupts },
        { QueueFormat.DqoRda, NicWaitMode.Interrupts }, { QueueFormat.DqoQpl, NicWaitMode.Interrupts },
    };

    private static byte[] Frame(int size = 100) => TestDevices.Udp(TestDevices.DeviceMac, new byte[size]);

    [Theory]
    [MemberData(nameof(AllFormatsBothModes))]
    public void ALoneFrame_IsReceivedAtTheFirstPoll_AndALoneTransmitIsReclaimedAtTheFirstReclaim(QueueFormat format, NicWaitMode mode)
    {
        using var device = new SimulatedGvnic();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { WaitMode = mode });
        var buffer = new byte[nic.MaxFrameSize];
        for (int i = 0; i < 5; i++)
        {
            // A DHCP offer, an ARP reply: one frame, then silence. Its completion must not wait for three more.
            byte[] frame = Frame(60 + i);
            Assert.Equal(RxOutcome.Delivered, device.InjectFrame(frame, 0).Outcome);
            if (mode == NicWaitMode.Interrupts) Assert.True(nic.WaitForReceive(TimeSpan.FromSeconds(5)));
            Assert.True(nic.TryReceive(buffer, out int length, out _));
            Assert.Equal(frame, buffer.AsSpan(0, length).ToArray());
            Assert.False(nic.TryReceive(buffer, out _, out _));

            Assert.True(nic.Transmit(frame));
            Assert.Equal(1, nic.ReclaimTransmitted());
            Assert.Equal(0, nic.TransmitsInFlight());
        }
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.GqiQpl)]
    public void APollingDriver_EnablesItsVectors_WithoutWaitingOnThem(QueueFormat format)
    {
        using var device = new SimulatedGvnic();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        Assert.Equal(NicWaitMode.Polling, nic.WaitMode);
        Assert.True(device.InterruptController.EnabledCount >= device.NotificationBlocks.Count);
        Assert.All(device.NotificationBlocks, b => Assert.True(device.InterruptController.IsEnabled(b.Vector)));
    }

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    public void ThreeFramesThenThirtySecondsIdle_NoWatchdogReset_AllThreeReclaimed(QueueFormat format)
    {
        var clock = new FakeTimeProvider();
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { TimeProvider = clock });
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock });
        for (int i = 0; i < 3; i++) Assert.True(nic.Transmit(Frame()));
        Assert.Equal(3, device.TxStatistics(0).Frames); // on the wire
        for (int s = 0; s < 30; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.False(nic.Service()); // the watchdog looks every second; the completions are held, not lost
        }
        Assert.Equal(0, nic.RecoveryCount);
        nic.ReclaimTransmitted();
        Assert.Equal(3, nic.GetTxStatistics().Completed);
        Assert.Equal(0, nic.TransmitsInFlight());
        Assert.Equal(0, device.ResetCount);
        Assert.Empty(device.Violations);
    }
}
