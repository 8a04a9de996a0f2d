using System;
using System.Collections.Generic;
using System.Threading;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// The TX watchdog in <see cref="Nic.Service"/>: a queue whose frames stop completing for <see cref="NicOptions.TxTimeout"/>
/// is a device fault and the device is reset, the frames reported dropped; progress of any kind keeps it quiet.
/// </summary>
public class TxWatchdogTests
{
    private static SimulatedGvnic Device()
    {
        var device = new SimulatedGvnic(new SimulatedDeviceConfig { TxQueueEntries = 256, RxQueueEntries = 128 });
        device.AttachWire(VirtualWire.Loopback());
        return device;
    }

    private static byte[] Frame(int size) => TestDevices.Udp(TestDevices.DeviceMac, new byte[size]);

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void AQueueThatStopsCompletingIsResetAfterTheTimeout(QueueFormat format)
    {
        var clock = new ManualClock();
        var reports = new List<NicResetReport>();
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock, OnReset = reports.Add });
        device.HoldDqoTxCompletions(true); // the device sends but never says so
        Assert.True(nic.Transmit(Frame(100)));
        Assert.True(nic.Transmit(Frame(200)));

        Assert.False(nic.Service()); // the watchdog's first look starts its clock
        clock.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.False(nic.Service());
        Assert.Empty(reports);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(nic.Service());

        NicResetReport report = Assert.Single(reports);
        var fault = Assert.IsType<DeviceFaultException>(report.Fault);
        Assert.Equal("TX queue 0", fault.Queue);
        Assert.Equal("completions", fault.Field);
        Assert.Equal(2UL, fault.Value);
        Assert.Contains("none completed for 5000 ms", fault.Message);
        Assert.Equal(2, report.TxDropped);
        Assert.Equal(1, nic.RecoveryCount);

        device.HoldDqoTxCompletions(false);
        Assert.True(nic.Transmit(Frame(100))); // the new queue works
        Assert.Equal(1, nic.ReclaimTransmitted());
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void CompletionsWrittenButNotReclaimedAreProgress()
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { TimeProvider = clock });
        Assert.True(nic.Transmit(Frame(100))); // completed at once by the synchronous device, not reclaimed
        Assert.False(nic.Service());
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.False(nic.Service());
        Assert.Equal(0, nic.RecoveryCount);
        Assert.Equal(1, nic.ReclaimTransmitted());
    }

    /// <summary>
    /// A real DQO device holds the last few TX completions in its 128-byte line until the queue's block fires, and a block
    /// that fired stays masked until re-armed. After a reclaim that left nothing in flight (no re-arm), three frames'
    /// completions stay in the device: the watchdog re-arms before it calls the queue stuck, so 30 s idle on the device's
    /// clock resets nothing and the three frames are reclaimed.
    /// </summary>
    [Theory]
    [InlineData(QueueFormat.DqoRda, NicWaitMode.Polling)]
    [InlineData(QueueFormat.DqoQpl, NicWaitMode.Polling)]
    [InlineData(QueueFormat.DqoRda, NicWaitMode.Interrupts)]
    [InlineData(QueueFormat.DqoQpl, NicWaitMode.Interrupts)]
    public void CompletionsTheDeviceHoldsInItsLineAreNotAStall(QueueFormat format, NicWaitMode wait)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(); // the device's timers fire as the test advances it
        var reports = new List<NicResetReport>();
        using SimulatedGvnic device = new(new SimulatedDeviceConfig { TimeProvider = clock });
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock, WaitMode = wait, OnReset = reports.Add });
        Assert.True(nic.Transmit(Frame(60)));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, nic.ReclaimTransmitted()); // the block fired for it and stays masked: nothing in flight, no re-arm
        Assert.Equal(0, nic.TransmitsInFlight());

        for (int i = 0; i < 3; i++) Assert.True(nic.Transmit(Frame(100 + i)));
        Assert.True(device.DqoTxCounters(0).CompletionsInLine >= 3, "the device wrote the completions at once: " + device.DqoTxCounters(0));
        for (int s = 0; s < 30; s++)
        {
            Assert.False(nic.Service());
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.False(nic.Service());
        Assert.Empty(reports);
        Assert.Equal(0, nic.RecoveryCount);
        Assert.Equal(3, nic.ReclaimTransmitted());
        Assert.Equal(0, nic.TransmitsInFlight());
        Assert.Equal(4, nic.GetTxStatistics().Completed);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void SlowButMovingQueueIsNotReset()
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { TimeProvider = clock });
        device.HoldDqoTxCompletions(true);
        for (int round = 0; round < 5; round++)
        {
            Assert.True(nic.Transmit(Frame(100)));
            Assert.True(nic.Transmit(Frame(100)));
            Assert.False(nic.Service());
            clock.Advance(TimeSpan.FromSeconds(4));
            Assert.Equal(2, device.ReleaseDqoTxCompletions());
            Assert.Equal(2, nic.ReclaimTransmitted());
        }
        Assert.Equal(0, nic.RecoveryCount);
    }

    [Fact]
    public void AnInfiniteTimeoutTurnsTheWatchdogOff()
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { TimeProvider = clock, TxTimeout = Timeout.InfiniteTimeSpan });
        device.HoldDqoTxCompletions(true);
        Assert.True(nic.Transmit(Frame(100)));
        Assert.False(nic.Service());
        clock.Advance(TimeSpan.FromHours(1));
        Assert.False(nic.Service());
        Assert.Equal(0, nic.RecoveryCount);
        Assert.Equal(1, nic.TransmitsInFlight());
    }

    [Fact]
    public void ANonPositiveTimeoutIsRefusedByName()
    {
        using SimulatedGvnic device = Device();
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { TxTimeout = TimeSpan.Zero }));
        Assert.Equal("TxTimeout", e.Option);
        Assert.Contains("not positive", e.Message);
    }
}
