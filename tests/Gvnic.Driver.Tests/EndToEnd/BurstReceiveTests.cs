using System;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Burst receive: several frames lent at once (<see cref="RxBurst"/>), every buffer given back together.</summary>
public class BurstReceiveTests
{
    private static (SimulatedGvnic Device, Nic Nic) Open(QueueFormat format, int? mtu = null)
    {
        SimulatedGvnic device = TestDevices.Create(formats: JumboFrameTests.AllFormats);
        device.AttachWire(VirtualWire.Unplugged());
        return (device, Nic.Open(device, TestDevices.Options(format) with { Mtu = mtu }));
    }

    private delegate void BurstUse(RxBurst burst, int index);

    /// <summary>The exception <paramref name="use"/> of <paramref name="burst"/> throws (a ref struct cannot go into Assert.Throws' lambda).</summary>
    private static T Refused<T>(RxBurst burst, BurstUse use, int index = 0) where T : Exception
    {
        try
        {
            use(burst, index);
        }
        catch (T e)
        {
            return e;
        }
        Assert.Fail("no " + typeof(T).Name + " was thrown");
        return null!;
    }

    private static int BuffersOf(QueueFormat format, int length)
        => format is QueueFormat.DqoRda or QueueFormat.DqoQpl ? (length + 2047) / 2048 : (length + 2 + 2047) / 2048;

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void A_burst_lends_the_waiting_frames_in_order(QueueFormat format)
    {
        var (device, nic) = Open(format, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            int[] lengths = [60, 1500, 3000, 8000, 100, 2046, 2049];
            var frames = new byte[lengths.Length][];
            for (int i = 0; i < lengths.Length; i++)
            {
                frames[i] = JumboFrameTests.Frame(lengths[i], i);
                Assert.Equal(RxOutcome.Delivered, device.InjectFrame(frames[i], 0).Outcome);
            }
            long postedBefore = nic.GetRxStatistics().BuffersPosted;
            var copy = new byte[nic.MaxFrameSize];
            Assert.True(nic.TryReceiveBurst(out RxBurst burst, 32));
            using (burst)
            {
                Assert.Equal(lengths.Length, burst.Count);
                for (int i = 0; i < burst.Count; i++)
                {
                    Assert.Equal(lengths[i], burst.Info(i).Length);
                    Assert.Equal(RxFlags.Ipv4 | RxFlags.Udp, burst.Info(i).Flags);
                    Assert.Equal(BuffersOf(format, lengths[i]), burst.SegmentCount(i));
                    if (burst.SegmentCount(i) == 1) Assert.True(frames[i].AsSpan().SequenceEqual(burst.Frame(i)), "frame " + i + " differs");
                    else Refused<InvalidOperationException>(burst, (b, k) => b.Frame(k), i);
                    int at = 0;
                    for (int s = 0; s < burst.SegmentCount(i); s++)
                    {
                        ReadOnlySpan<byte> segment = burst.Segment(i, s);
                        Assert.True(frames[i].AsSpan(at, segment.Length).SequenceEqual(segment), "frame " + i + " segment " + s + " differs");
                        at += segment.Length;
                    }
                    Assert.Equal(lengths[i], at);
                    Assert.Equal(lengths[i], burst.CopyTo(i, copy));
                    Assert.True(frames[i].AsSpan().SequenceEqual(copy.AsSpan(0, lengths[i])));
                }
                // Held: nothing given back yet, and the queue lends nothing else meanwhile.
                Assert.Equal(postedBefore, nic.GetRxStatistics().BuffersPosted);
                Assert.Throws<InvalidOperationException>(() => nic.TryReceive(copy, out _, out _));
            }
            int buffers = 0;
            foreach (int l in lengths) buffers += BuffersOf(format, l);
            Assert.Equal(postedBefore + buffers, nic.GetRxStatistics().BuffersPosted);
            Assert.Equal(lengths.Length, nic.GetRxStatistics().Packets);
            Assert.False(nic.TryReceiveBurst(out RxBurst none));
            Assert.Equal(0, none.Count);
            Assert.Empty(device.Violations);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void Bursts_take_at_most_max_frames_and_single_receives_go_on_after_them(QueueFormat format)
    {
        var (device, nic) = Open(format);
        using (device)
        using (nic)
        {
            for (int i = 0; i < 10; i++) device.InjectFrame(JumboFrameTests.Frame(64 + i, i), 0);
            int next = 0;
            foreach (int expected in new[] { 4, 4 })
            {
                Assert.True(nic.TryReceiveBurst(out RxBurst burst, maxFrames: 4));
                using (burst)
                {
                    Assert.Equal(expected, burst.Count);
                    for (int i = 0; i < burst.Count; i++, next++) Assert.Equal(64 + next, burst.Info(i).Length);
                }
            }
            var buffer = new byte[nic.MaxFrameSize];
            Assert.True(nic.TryReceive(buffer, out int length, out _));
            Assert.Equal(64 + 8, length);
            Assert.True(nic.TryReceiveBurst(out RxBurst last, maxFrames: 4));
            Assert.Equal(1, last.Count);
            Assert.Equal(64 + 9, last.Info(0).Length);
            last.Dispose();
            Assert.Equal(10, nic.GetRxStatistics().Packets);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void A_burst_can_hold_every_buffer_and_gives_every_one_back(QueueFormat format)
    {
        var (device, nic) = Open(format);
        using (device)
        using (nic)
        {
            // More frames than buffers: the device drops what has no buffer; the burst holds the rest, every buffer.
            int delivered = 0;
            for (int i = 0; i < 300; i++)
                if (device.InjectFrame(JumboFrameTests.Frame(100, i), 0).Outcome == RxOutcome.Delivered) delivered++;
            Assert.InRange(delivered, 255, 256);
            Assert.True(nic.TryReceiveBurst(out RxBurst burst, maxFrames: 1000));
            Assert.Equal(delivered, burst.Count);
            for (int i = 0; i < burst.Count; i++) Assert.True(JumboFrameTests.Frame(100, i).AsSpan().SequenceEqual(burst.Frame(i)), "frame " + i + " differs");
            // While held the device has no buffer at all.
            Assert.NotEqual(RxOutcome.Delivered, device.InjectFrame(JumboFrameTests.Frame(100, 1000), 0).Outcome);
            burst.Dispose();
            burst.Dispose(); // a second Dispose does nothing
            Refused<ObjectDisposedException>(burst, (b, _) => b.Info(0));

            // Every buffer is back: round after round, wrapping the ring many times, nothing is dropped.
            long dropsBefore = device.RxStatistics(0).NoBufferDrops;
            int received = 0;
            for (int round = 0; round < 20; round++)
            {
                for (int i = 0; i < 200; i++) Assert.Equal(RxOutcome.Delivered, device.InjectFrame(JumboFrameTests.Frame(60 + i, i), 0).Outcome);
                while (nic.TryReceiveBurst(out RxBurst b, 64))
                {
                    using (b)
                    {
                        for (int i = 0; i < b.Count; i++, received++) Assert.Equal(60 + received % 200, b.Info(i).Length);
                    }
                }
            }
            Assert.Equal(20 * 200, received);
            Assert.Equal(dropsBefore, device.RxStatistics(0).NoBufferDrops);
            Assert.Empty(device.Violations);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void A_reset_waits_for_an_open_burst_as_for_a_lease(QueueFormat format)
    {
        var (device, nic) = Open(format);
        using (device)
        using (nic)
        {
            byte[] frame = JumboFrameTests.Frame(90, 1);
            device.InjectFrame(frame, 0);
            Assert.True(nic.TryReceiveBurst(out RxBurst burst));
            device.RequestReset();
            Assert.False(nic.Service()); // the burst's bytes live in memory the reset frees: it waits
            Assert.True(nic.ResetPending);
            Assert.True(frame.AsSpan().SequenceEqual(burst.Frame(0)));
            burst.Dispose();
            Assert.False(nic.TryReceiveBurst(out _)); // the first call after it recovers
            Assert.False(nic.ResetPending);
            Assert.Equal(1, nic.RecoveryCount);
            device.InjectFrame(frame, 0);
            Assert.True(nic.TryReceiveBurst(out RxBurst after));
            using (after) Assert.True(frame.AsSpan().SequenceEqual(after.Frame(0)));
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.DqoRda)]
    public void Bad_uses_of_a_burst_are_refused(QueueFormat format)
    {
        var (device, nic) = Open(format);
        using (device)
        {
            device.InjectFrame(JumboFrameTests.Frame(60, 0), 0);
            device.InjectFrame(JumboFrameTests.Frame(61, 1), 0);
            var zero = Assert.Throws<ArgumentOutOfRangeException>(() => nic.TryReceiveBurst(out _, maxFrames: 0));
            Assert.Contains("at least 1", zero.Message);

            Assert.True(nic.TryReceive(out RxLease lease));
            var leased = Assert.Throws<InvalidOperationException>(() => nic.TryReceiveBurst(out _));
            Assert.Contains("RX queue 0", leased.Message);
            lease.Dispose();

            Assert.True(nic.TryReceiveBurst(out RxBurst burst));
            Assert.Equal(1, burst.Count);
            var open = Assert.Throws<InvalidOperationException>(() => nic.TryReceive(out RxLease _));
            Assert.Equal("RX queue 0 has an RxBurst that was not disposed", open.Message);
            Assert.Throws<InvalidOperationException>(() => nic.TryReceiveBurst(out _));
            Assert.Equal("RX queue 0 has an RxBurst that was not disposed", Assert.Throws<InvalidOperationException>(() => nic.Recover()).Message);
            var index = Refused<ArgumentOutOfRangeException>(burst, (b, _) => b.Info(1));
            Assert.Contains("holds 1 frames", index.Message);
            Refused<ArgumentOutOfRangeException>(burst, (b, _) => b.Segment(0, 1));
            Refused<ArgumentException>(burst, (b, _) => b.CopyTo(0, new byte[10]));

            // The NIC goes away under an open burst: the burst is refused, its Dispose does nothing, the memory is freed.
            nic.Dispose();
            Refused<ObjectDisposedException>(burst, (b, _) => b.Frame(0));
            burst.Dispose();
            Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        }
    }
}
