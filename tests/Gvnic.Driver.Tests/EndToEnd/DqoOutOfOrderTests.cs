using System;
using System.Buffers.Binary;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// DQO TX completions out of order, with miss and re-injection completions, and the driver's timeouts for a
/// re-injection that never comes: every tag is freed exactly once, nothing leaks.
/// </summary>
public class DqoOutOfOrderTests
{
    private const OfferedFormats Dqo = OfferedFormats.DqoRda | OfferedFormats.DqoQpl;
    private static readonly byte[] MacA = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0A];
    private static readonly byte[] MacB = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0B];

    internal static SimulatedGvnic Device(string address, byte[] mac, int window = 0, double missRate = 0, double lostRate = 0, bool altMiss = false,
        bool shuffleRx = false, int seed = 1, ushort mtu = 1500, ushort ring = 256, ushort rxRing = 0)
        => new(new SimulatedDeviceConfig
        {
            Formats = Dqo, Address = address, Mac = mac, Mtu = mtu, TxQueueEntries = ring, RxQueueEntries = rxRing == 0 ? ring : rxRing, DqoReorderWindow = window, DqoMissRate = missRate,
            DqoLostReinjectionRate = lostRate, DqoAltMissCompletions = altMiss, DqoShuffleRxBuffers = shuffleRx, DqoSeed = seed,
        });

    /// <summary>A UDP frame from A to B of exactly <paramref name="size"/> bytes carrying its flow and sequence number, then a pattern.</summary>
    internal static byte[] Frame(int flow, int seq, int size)
    {
        var payload = new byte[size - 42];
        payload[0] = (byte)flow;
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(1), seq);
        for (int i = 5; i < payload.Length; i++) payload[i] = (byte)(i * 7 + seq * 3 + flow);
        return TestDevices.Udp(MacB, payload, (ushort)(6000 + flow), MacA);
    }

    [Theory]
    [InlineData(QueueFormat.DqoRda, false)]
    [InlineData(QueueFormat.DqoRda, true)]
    [InlineData(QueueFormat.DqoQpl, false)]
    [InlineData(QueueFormat.DqoQpl, true)]
    public void ReorderedCompletionsWithMisses_FreeEveryTagExactlyOnce(QueueFormat format, bool altMiss)
    {
        const int frames = 3000;
        // The smallest rings a real device takes (TX 256) with 64 RX buffers posted (RX 128).
        using SimulatedGvnic a = Device("sim:a", MacA, window: 24, missRate: 0.2, altMiss: altMiss, seed: 7, rxRing: 128);
        using SimulatedGvnic b = Device("sim:b", MacB, shuffleRx: true, seed: 11, rxRing: 128);
        VirtualWire.Connect(a, b);
        NicOptions options = TestDevices.Options(format) with { TimeProvider = new ManualClock() }; // no timeout on a slow machine
        Nic sender = Nic.Open(a, options);
        Nic receiver = Nic.Open(b, options);
        var random = new Random(5);
        var buffer = new byte[receiver.MaxFrameSize];
        int next = 0;
        for (int seq = 0; seq < frames; seq++)
        {
            byte[] frame = Frame(0, seq, 60 + random.Next(1514 - 60 + 1));
            while (!sender.Transmit(frame))
            {
                sender.ReclaimTransmitted();
                next = Drain(receiver, buffer, next);
            }
            next = Drain(receiver, buffer, next);
        }
        Assert.True(frames == next, "received " + next + " of " + frames + "; receiver " + b.RxStatistics(0) + ", sender " + a.TxStatistics(0) + ", violations: " + string.Join("; ", b.Violations) + string.Join("; ", a.Violations));

        // The window still holds its last packets: none of their tags is free yet.
        DqoTxCounters held = a.DqoTxCounters(0);
        Assert.Equal(24, held.Held);
        sender.ReclaimTransmitted();
        Assert.Equal(24, sender.TransmitsInFlight());
        Assert.Equal(frames - 24, sender.GetTxStatistics().Completed);
        Assert.Equal(24, a.ReleaseDqoTxCompletions());
        Assert.Equal(24, sender.ReclaimTransmitted());
        Assert.Equal(0, sender.TransmitsInFlight());
        Assert.Equal(frames, sender.GetTxStatistics().Completed);

        // The device really reordered, really missed, and every miss was matched by one re-injection.
        DqoTxCounters device = a.DqoTxCounters(0);
        Assert.True(device.OutOfOrder > frames / 4, "only " + device.OutOfOrder + " of " + frames + " completions were out of order");
        Assert.InRange(device.MissCompletions, frames / 10, frames * 3 / 10);
        Assert.Equal(device.MissCompletions, device.ReinjectionCompletions);
        Assert.Equal(frames, device.PacketCompletions + device.ReinjectionCompletions);
        Assert.Equal(frames, device.GeneralContexts); // one general context descriptor (TX metadata) a packet, as upstream
        Assert.Equal(0, device.TsoContexts);
        DqoTxStatistics stats = sender.GetDqoTxStatistics();
        Assert.Equal(new DqoTxStatistics(device.MissCompletions, device.ReinjectionCompletions, 0, 0, 0, 0), stats);
        Assert.True(b.DqoRxCounters(0).BuffersOutOfOrder > frames / 4, "the receiving device filled its buffers in posting order");

        sender.Dispose();
        receiver.Dispose();
        Assert.Empty(a.Violations);
        Assert.Empty(b.Violations);
        Assert.Equal(0, a.DmaAllocator.OutstandingRegions);
        Assert.Equal(0, b.DmaAllocator.OutstandingRegions);
    }

    /// <summary>Every frame arrives once, in order, byte for byte.</summary>
    internal static int Drain(Nic nic, byte[] buffer, int next, int flow = 0)
    {
        while (nic.TryReceive(buffer, out int length, out _))
        {
            Assert.Equal(flow, buffer[42]);
            int seq = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(43));
            Assert.Equal(next, seq);
            Assert.Equal(Frame(flow, seq, length), buffer[..length]);
            next++;
        }
        return next;
    }

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void ALostReinjectionTimesOutAfterOneSecond_AndTheTagIsFreedSixtySecondsLater(QueueFormat format)
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device("sim:0", TestDevices.DeviceMac, window: 1, missRate: 1, lostRate: 1);
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock });
        for (int i = 0; i < 3; i++) Assert.True(nic.Transmit(TestDevices.Udp(TestDevices.DeviceMac, new byte[100 + i])));
        device.ReleaseDqoTxCompletions();
        Assert.Equal(3, device.DqoTxCounters(0).LostReinjections);

        Assert.Equal(0, nic.ReclaimTransmitted());
        Assert.Equal(new DqoTxStatistics(3, 0, 0, 0, 0, 0), nic.GetDqoTxStatistics());
        Assert.Equal(3, nic.TransmitsInFlight());

        clock.Advance(TimeSpan.FromMilliseconds(999));
        nic.ReclaimTransmitted();
        Assert.Equal(0, nic.GetDqoTxStatistics().TimedOut);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        nic.ReclaimTransmitted();
        Assert.Equal(new DqoTxStatistics(3, 0, 3, 0, 0, 0), nic.GetDqoTxStatistics());
        // Counted dropped, so no longer in flight; the tags stay allocated: a late re-injection may still name them.
        Assert.Equal(0, nic.TransmitsInFlight());
        Assert.Equal(3, nic.GetTxStatistics().TimedOut);

        clock.Advance(TimeSpan.FromSeconds(59));
        nic.ReclaimTransmitted();
        Assert.Equal(0, nic.TransmitsInFlight());
        Assert.Equal(new DqoTxStatistics(3, 0, 3, 0, 0, 0), nic.GetDqoTxStatistics());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, nic.ReclaimTransmitted()); // freed, but not completed: the frames counted as dropped
        Assert.Equal(new DqoTxStatistics(3, 0, 3, 3, 0, 0), nic.GetDqoTxStatistics());
        Assert.Equal(0, nic.TransmitsInFlight());
        Assert.Equal(0, nic.GetTxStatistics().Completed);
        Assert.Equal(3, nic.GetTxStatistics().TimedOut); // once, not again when the tags are freed
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void AReinjectionAfterTheTimeout_FreesTheTagOnce(QueueFormat format)
    {
        var clock = new ManualClock();
        using SimulatedGvnic device = Device("sim:0", TestDevices.DeviceMac, window: 8, missRate: 1);
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock });
        Assert.True(nic.Transmit(TestDevices.Udp(TestDevices.DeviceMac, new byte[100])));
        Assert.True(nic.Transmit(TestDevices.Udp(TestDevices.DeviceMac, new byte[200])));
        nic.ReclaimTransmitted();
        Assert.Equal(new DqoTxStatistics(2, 0, 0, 0, 0, 0), nic.GetDqoTxStatistics());

        clock.Advance(TimeSpan.FromSeconds(2));
        nic.ReclaimTransmitted();
        Assert.Equal(2, nic.GetDqoTxStatistics().TimedOut);
        Assert.Equal(2, device.ReleaseDqoTxCompletions());
        Assert.Equal(0, nic.ReclaimTransmitted());
        Assert.Equal(new DqoTxStatistics(2, 0, 2, 0, 2, 0), nic.GetDqoTxStatistics());
        Assert.Equal(0, nic.TransmitsInFlight());

        // Nothing is freed twice when the deallocation deadline passes later.
        clock.Advance(TimeSpan.FromSeconds(120));
        nic.ReclaimTransmitted();
        Assert.Equal(new DqoTxStatistics(2, 0, 2, 0, 2, 0), nic.GetDqoTxStatistics());
        Assert.Equal(0, nic.TransmitsInFlight());
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void DqoStatisticsOnAGqiNic_SayWhy()
    {
        using SimulatedGvnic device = TestDevices.Create();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        var e = Assert.Throws<InvalidOperationException>(() => nic.GetDqoTxStatistics());
        Assert.Contains("DQO statistics exist only", e.Message);
    }
}
