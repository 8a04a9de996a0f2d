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

    /// <summary>
    /// A DHCP offer, an ARP reply: one frame, then silence. Its 32-byte completion must not wait in the device's line for
    /// three more frames: the polling driver re-arms the RX block when a poll finds nothing, and the completion shows
    /// within the block's throttling interval (20 µs RX, 50 µs TX) on the device's clock. The same for a lone transmit.
    /// </summary>
    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void Polling_ALoneFrame_ShowsWithinTheThrottlingInterval_AndSoDoesALoneTransmitsCompletion(QueueFormat format)
    {
        var clock = new FakeTimeProvider();
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { TimeProvider = clock });
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock });
        var buffer = new byte[nic.MaxFrameSize];
        for (int i = 0; i < 5; i++)
        {
            byte[] frame = Frame(60 + i);
            Assert.Equal(RxOutcome.Delivered, device.InjectFrame(frame, 0).Outcome);
            int waited = 0;
            while (!nic.TryReceive(buffer, out int length, out _))
            {
                Assert.True(++waited <= Nic.DqoRxItrMicroseconds, "frame " + i + " not shown " + waited + " µs after it arrived");
                clock.Advance(TimeSpan.FromMicroseconds(1));
            }
            Assert.False(nic.TryReceive(buffer, out _, out _));

            Assert.True(nic.Transmit(frame));
            waited = 0;
            while (nic.ReclaimTransmitted() == 0)
            {
                Assert.True(++waited <= Nic.DqoTxItrMicroseconds, "transmit " + i + " not completed " + waited + " µs after it left");
                clock.Advance(TimeSpan.FromMicroseconds(1));
            }
            Assert.Equal(0, nic.TransmitsInFlight());
        }
        Assert.Equal(5, nic.GetRxStatistics().Packets);
        Assert.Empty(device.Violations);
    }

    /// <summary>Interrupt mode: a lone frame fires the RX block (re-armed before the wait), whose vector wakes the waiting driver.</summary>
    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public async System.Threading.Tasks.Task Interrupts_ALoneFrame_WakesTheWaitAndIsReceived(QueueFormat format)
    {
        using var device = new SimulatedGvnic();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { WaitMode = NicWaitMode.Interrupts });
        var buffer = new byte[nic.MaxFrameSize];
        for (int i = 0; i < 5; i++)
        {
            byte[] frame = Frame(60 + i);
            var sender = System.Threading.Tasks.Task.Run(() =>
            {
                System.Threading.Thread.Sleep(2);
                return device.InjectFrame(frame, 0).Outcome;
            });
            Assert.True(nic.WaitForReceive(TimeSpan.FromSeconds(10)));
            Assert.True(nic.TryReceive(buffer, out int length, out _));
            Assert.Equal(frame, buffer.AsSpan(0, length).ToArray());
            Assert.Equal(RxOutcome.Delivered, await sender);
        }
        Assert.Empty(device.Violations);
    }

    /// <summary>
    /// A wake-up for an interrupt whose frame was already taken (a block that fired at a re-arm racing the look after it
    /// leaves its vector pending) does not end the wait: the driver arms again and waits for the frame.
    /// </summary>
    [Theory]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    public async System.Threading.Tasks.Task Interrupts_AStaleWakeUp_DoesNotEndTheWait(QueueFormat format)
    {
        using var device = new SimulatedGvnic();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { WaitMode = NicWaitMode.Interrupts });
        int rxVector = device.NotificationBlocks[device.NotificationBlocks.Count / 2].Vector; // RX queue 0's block
        Assert.True(device.InterruptController.Raise(rxVector)); // stale: nothing behind it
        byte[] frame = Frame(80);
        var sender = System.Threading.Tasks.Task.Run(() =>
        {
            System.Threading.Thread.Sleep(50);
            return device.InjectFrame(frame, 0).Outcome;
        });
        Assert.True(nic.WaitForReceive(TimeSpan.FromSeconds(10)));
        Assert.Equal(RxOutcome.Delivered, await sender);
        var buffer = new byte[nic.MaxFrameSize];
        Assert.True(nic.TryReceive(buffer, out _, out _));
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

    /// <summary>A DQO RX ring of 64 (a device whose default is 64) posts 63 buffers: refused at bring-up, naming the option, as real devices drop frames under load with fewer than 64.</summary>
    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void AnRxRingThatKeepsFewerThan64BuffersPosted_IsRefused(QueueFormat format)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { RxQueueEntries = 64 });
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(format)));
        Assert.Equal("RxRingSize", e.Option);
        Assert.Contains("63 RX buffers posted", e.Message);
        Assert.Contains("fewer than 64", e.Message);
        Assert.Equal(0, device.Dma.OutstandingRegions);
    }
}
