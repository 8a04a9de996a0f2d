using System;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>DQO rings at ring-full pressure: the driver refuses frames (no loss, no overrun) and resumes when the device catches up.</summary>
public class DqoPressureTests
{
    // The smallest rings a real device takes with the driver keeping 64 RX buffers posted: TX 256 (a real device refused
    // 64), RX 128 (a DQO buffer queue keeps one slot empty).
    private const ushort TxRing = 256;
    private const ushort RxRing = 128;
    private static readonly byte[] MacA = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0A];
    private static readonly byte[] MacB = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0B];

    private static SimulatedGvnic Device(string address, byte[] mac, ExecutionMode execution = ExecutionMode.Synchronous)
        => new(new SimulatedDeviceConfig
        {
            Formats = OfferedFormats.DqoRda | OfferedFormats.DqoQpl, Address = address, Mac = mac, Mtu = 1500,
            TxQueueEntries = TxRing, RxQueueEntries = RxRing, Execution = execution, DqoReorderWindow = 4, DqoMissRate = 0.25,
        });

    /// <summary>The device holds every packet completion: the 256 tags run out, Transmit says false, and everything resumes after the release.</summary>
    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void HeldCompletions_RunTheTagsOut_ThenTransmitResumes(QueueFormat format)
    {
        using SimulatedGvnic a = Device("sim:a", MacA);
        using SimulatedGvnic b = Device("sim:b", MacB);
        VirtualWire.Connect(a, b);
        using Nic sender = Nic.Open(a, TestDevices.Options(format) with { TimeProvider = new ManualClock() });
        using Nic receiver = Nic.Open(b, TestDevices.Options(format) with { TimeProvider = new ManualClock() });
        var buffer = new byte[receiver.MaxFrameSize];
        a.HoldDqoTxCompletions(true);
        int seq = 0, next = 0;
        while (sender.Transmit(DqoOutOfOrderTests.Frame(0, seq, 1000)))
        {
            seq++;
            next = DqoOutOfOrderTests.Drain(receiver, buffer, next);
        }
        Assert.Equal(TxRing, seq); // one tag per frame: the 256 tags, before the 256-entry descriptor ring (its head moves on descriptor completions)
        Assert.Equal(1, sender.GetTxStatistics().Full);
        Assert.False(sender.Transmit(DqoOutOfOrderTests.Frame(0, seq, 1000)));
        Assert.Equal(0, sender.ReclaimTransmitted());
        Assert.Equal(TxRing, sender.TransmitsInFlight());
        Assert.Equal(TxRing, a.DqoTxCounters(0).Held);
        Assert.Equal(TxRing, next); // the frames left: only their completions wait

        Assert.Equal(TxRing, a.ReleaseDqoTxCompletions());
        Assert.Equal(TxRing, sender.ReclaimTransmitted());
        Assert.Equal(0, sender.TransmitsInFlight());
        a.HoldDqoTxCompletions(false);
        for (int i = 0; i < 3 * TxRing; i++)
        {
            Assert.True(sender.Transmit(DqoOutOfOrderTests.Frame(0, seq, 1000)));
            seq++;
            next = DqoOutOfOrderTests.Drain(receiver, buffer, next);
        }
        Assert.Equal(seq, next);
        a.ReleaseDqoTxCompletions();
        sender.ReclaimTransmitted();
        Assert.Equal(0, sender.TransmitsInFlight());
        Assert.Equal(seq, sender.GetTxStatistics().Completed);
        Assert.Empty(a.Violations);
        Assert.Empty(b.Violations);
    }

    /// <summary>The device does not fetch descriptors (manual mode): the descriptor ring fills, Transmit says false, then everything drains in order.</summary>
    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void DescriptorTxRingFull_RefusesFrames_ThenDrainsInOrder(QueueFormat format)
    {
        using SimulatedGvnic a = Device("sim:a", MacA, ExecutionMode.Manual);
        using SimulatedGvnic b = Device("sim:b", MacB);
        VirtualWire.Connect(a, b);
        using Nic sender = Nic.Open(a, TestDevices.Options(format) with { TimeProvider = new ManualClock() });
        using Nic receiver = Nic.Open(b, TestDevices.Options(format) with { TimeProvider = new ManualClock() });
        var buffer = new byte[receiver.MaxFrameSize];
        int seq = 0;
        while (sender.Transmit(DqoOutOfOrderTests.Frame(0, seq, 200))) seq++;
        // Two descriptors a frame (general context, data); the tail may not catch up with head, so 127 frames use 254 of 256.
        const int fits = (TxRing - 1) / 2;
        Assert.Equal(fits, seq);
        Assert.Equal(2L * fits, sender.GetTxStatistics().Descriptors);
        Assert.Equal(1, sender.GetTxStatistics().Full);
        Assert.Equal(0, DqoOutOfOrderTests.Drain(receiver, buffer, 0));

        Assert.Equal(fits, a.RunPending());
        Assert.Equal(fits, DqoOutOfOrderTests.Drain(receiver, buffer, 0));
        Assert.Equal(fits, a.DqoTxCounters(0).GeneralContexts);
        a.ReleaseDqoTxCompletions();
        Assert.Equal(fits, sender.ReclaimTransmitted());
        Assert.True(sender.Transmit(DqoOutOfOrderTests.Frame(0, seq, 200)));
        a.RunPending();
        Assert.Equal(fits + 1, DqoOutOfOrderTests.Drain(receiver, buffer, fits));
        Assert.Empty(a.Violations);
        Assert.Empty(b.Violations);
    }

    /// <summary>The receiver does not drain: the device fills every posted buffer, drops what does not fit (counted), and delivery resumes once the driver reposts.</summary>
    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void RxBufferQueueFull_DropsTheExcess_ThenResumes(QueueFormat format)
    {
        using SimulatedGvnic a = Device("sim:a", MacA);
        using SimulatedGvnic b = Device("sim:b", MacB);
        VirtualWire.Connect(a, b);
        using Nic sender = Nic.Open(a, TestDevices.Options(format) with { TimeProvider = new ManualClock() });
        using Nic receiver = Nic.Open(b, TestDevices.Options(format) with { TimeProvider = new ManualClock() });
        var buffer = new byte[receiver.MaxFrameSize];
        const int burst = 3 * RxRing;
        for (int seq = 0; seq < burst; seq++)
        {
            while (!sender.Transmit(DqoOutOfOrderTests.Frame(0, seq, 300)))
            {
                a.ReleaseDqoTxCompletions();
                sender.ReclaimTransmitted();
            }
        }
        int posted = RxRing - 1; // the buffer queue keeps one slot empty
        Assert.Equal(burst - posted, b.RxStatistics(0).NoBufferDrops);
        Assert.Equal(posted, DqoOutOfOrderTests.Drain(receiver, buffer, 0));
        Assert.Equal(posted, receiver.GetRxStatistics().Packets);

        // Resumes: the next frames arrive, none lost.
        for (int seq = burst; seq < burst + 2 * RxRing; seq++)
        {
            while (!sender.Transmit(DqoOutOfOrderTests.Frame(0, seq, 300)))
            {
                a.ReleaseDqoTxCompletions();
                sender.ReclaimTransmitted();
            }
            Assert.Equal(seq + 1, DqoOutOfOrderTests.Drain(receiver, buffer, seq));
        }
        Assert.Equal(burst - posted, b.RxStatistics(0).NoBufferDrops);
        Assert.Empty(a.Violations);
        Assert.Empty(b.Violations);
    }
}
