using System;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Frames longer than one 2048-byte RX buffer (jumbo frames): chains of descriptors or completions reassembled.</summary>
public class JumboFrameTests
{
    internal const OfferedFormats AllFormats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;
    internal const int JumboMtu = 8896;

    /// <summary>A UDP frame of exactly <paramref name="length"/> bytes whose payload is a pattern seeded by <paramref name="seed"/>.</summary>
    internal static byte[] Frame(int length, int seed, ushort sourcePort = 5000, byte[]? to = null)
    {
        var payload = new byte[length - 42];
        for (int i = 0; i < payload.Length; i++) payload[i] = (byte)(i * 7 + seed * 13 + (i >> 8));
        byte[] frame = TestDevices.Udp(to ?? TestDevices.DeviceMac, payload, sourcePort);
        Assert.Equal(length, frame.Length);
        return frame;
    }

    private static int Buffers(QueueFormat format, int length)
        => format is QueueFormat.DqoRda or QueueFormat.DqoQpl ? (length + 2047) / 2048 : (length + 2 + 2047) / 2048;

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void JumboFramesRoundTripThroughLoopback(QueueFormat format)
    {
        using SimulatedGvnic device = TestDevices.Create(formats: AllFormats);
        device.AttachWire(VirtualWire.Loopback());
        using (Nic nic = Nic.Open(device, TestDevices.Options(format) with { Mtu = JumboMtu }))
        {
            Assert.Equal(JumboMtu, nic.Mtu);
            Assert.Equal(JumboMtu + 18, nic.MaxFrameSize);
            Assert.Equal(JumboMtu, device.Mtu);

            // Around the buffer boundaries (GQI: 2046 bytes fill the first buffer after the pad; DQO: 2048), 8000, the largest.
            int[] lengths = [8000, 60, 2046, 2047, 2048, 2049, 4094, 4096, 6000, 8000, JumboMtu + 18];
            var buffer = new byte[nic.MaxFrameSize];
            long bytes = 0;
            for (int i = 0; i < lengths.Length; i++)
            {
                byte[] frame = Frame(lengths[i], i);
                Assert.True(nic.Transmit(frame));
                Assert.True(nic.TryReceive(buffer, out int length, out RxInfo info));
                Assert.Equal(frame.Length, length);
                Assert.Equal(frame.Length, info.Length);
                Assert.True(frame.AsSpan().SequenceEqual(buffer.AsSpan(0, length)), "frame " + i + " (" + lengths[i] + " bytes) differs");
                Assert.Equal(RxFlags.Ipv4 | RxFlags.Udp, info.Flags);
                bytes += frame.Length;
                nic.ReclaimTransmitted();
            }
            Assert.False(nic.TryReceive(buffer, out _, out _));
            RxQueueStatistics rx = nic.GetRxStatistics();
            Assert.Equal(lengths.Length, rx.Packets);
            Assert.Equal(bytes, rx.Bytes);
            Assert.Equal(0, rx.Dropped);
            int descriptors = lengths.Sum(l => Buffers(format, l));
            Assert.Equal(descriptors + (format is QueueFormat.DqoRda or QueueFormat.DqoQpl ? nic.RxRingSize - 1 : nic.RxRingSize), rx.BuffersPosted);
            Assert.Equal(lengths.Length, device.RxStatistics(0).Frames);
            Assert.Equal(bytes, device.RxStatistics(0).Bytes);
            Assert.Equal(lengths.Length, nic.GetTxStatistics().Completed);
        }
        Assert.Empty(device.Violations);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void JumboFramesAreLentAsSegments(QueueFormat format)
    {
        using SimulatedGvnic device = TestDevices.Create(formats: AllFormats);
        device.AttachWire(VirtualWire.Loopback());
        using (Nic nic = Nic.Open(device, TestDevices.Options(format) with { Mtu = JumboMtu }))
        {
            byte[] jumbo = Frame(8000, 3);
            byte[] small = Frame(1000, 4);
            Assert.True(nic.Transmit(jumbo));
            Assert.True(nic.Transmit(small));

            Assert.True(nic.TryReceive(out RxLease lease));
            using (lease)
            {
                Assert.Equal(8000, lease.Info.Length);
                Assert.Equal(4, lease.SegmentCount);
                var joined = new byte[8000];
                int at = 0;
                for (int i = 0; i < lease.SegmentCount; i++)
                {
                    ReadOnlySpan<byte> segment = lease.Segment(i);
                    Assert.Equal(i < 3 ? (format is QueueFormat.DqoRda or QueueFormat.DqoQpl || i > 0 ? 2048 : 2046) : 8000 - at, segment.Length);
                    segment.CopyTo(joined.AsSpan(at));
                    at += segment.Length;
                }
                Assert.Equal(8000, at);
                Assert.Equal(jumbo, joined);
                var copy = new byte[9000];
                Assert.Equal(8000, lease.CopyTo(copy));
                Assert.True(jumbo.AsSpan().SequenceEqual(copy.AsSpan(0, 8000)));
                InvalidOperationException? error = null;
                try
                {
                    _ = lease.Frame.Length;
                }
                catch (InvalidOperationException e)
                {
                    error = e;
                }
                Assert.Equal("the frame spans 4 RX buffers; read it with Segment(i) or CopyTo", error?.Message);
                ArgumentException? tooSmall = null;
                try
                {
                    lease.CopyTo(new byte[7999]);
                }
                catch (ArgumentException e)
                {
                    tooSmall = e;
                }
                Assert.NotNull(tooSmall);
            }
            ObjectDisposedException? disposed = null;
            try
            {
                _ = lease.Segment(0).Length;
            }
            catch (ObjectDisposedException e)
            {
                disposed = e;
            }
            Assert.NotNull(disposed);

            Assert.True(nic.TryReceive(out RxLease second));
            using (second)
            {
                Assert.Equal(1, second.SegmentCount);
                Assert.True(small.AsSpan().SequenceEqual(second.Frame));
                Assert.True(small.AsSpan().SequenceEqual(second.Segment(0)));
            }
            Assert.Equal(2, nic.GetRxStatistics().Packets);
            Assert.Equal(9000, nic.GetRxStatistics().Bytes);
        }
        Assert.Empty(device.Violations);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void JumboFramesCrossACableBetweenTwoNics(QueueFormat format)
    {
        const int frames = 300; // 4 buffers each: several laps of the 256-entry RX ring
        byte[] macB = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0B];
        using SimulatedGvnic a = TestDevices.Create(formats: AllFormats, address: "sim:a", mac: [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0A]);
        using SimulatedGvnic b = TestDevices.Create(formats: AllFormats, address: "sim:b", mac: macB);
        VirtualWire.Connect(a, b);
        var options = TestDevices.Options(format) with { Mtu = JumboMtu };
        using (Nic sender = Nic.Open(a, options))
        using (Nic receiver = Nic.Open(b, options))
        {
            var buffer = new byte[receiver.MaxFrameSize];
            int received = 0;
            for (int i = 0; i < frames; i++)
            {
                byte[] frame = Frame(8000, i, to: macB);
                while (!sender.Transmit(frame)) sender.ReclaimTransmitted();
                Assert.True(receiver.TryReceive(buffer, out int length, out RxInfo info));
                Assert.Equal(8000, length);
                Assert.Equal(8000, info.Length);
                Assert.True(frame.AsSpan().SequenceEqual(buffer.AsSpan(0, length)), "frame " + i + " differs");
                received++;
            }
            Assert.False(receiver.TryReceive(buffer, out _, out _));
            sender.ReclaimTransmitted();
            Assert.Equal(0, sender.TransmitsInFlight());
            Assert.Equal(frames, received);
            Assert.Equal(frames, sender.GetTxStatistics().Completed);
            Assert.Equal(frames * 8000L, sender.GetTxStatistics().Bytes);
            Assert.Equal(frames, receiver.GetRxStatistics().Packets);
            Assert.Equal(frames * 8000L, receiver.GetRxStatistics().Bytes);
            Assert.Equal(frames, b.RxStatistics(0).Frames);
            Assert.Equal(0, b.RxStatistics(0).NoBufferDrops);
        }
        Assert.Empty(a.Violations);
        Assert.Empty(b.Violations);
        Assert.Equal(0, a.DmaAllocator.OutstandingRegions);
        Assert.Equal(0, b.DmaAllocator.OutstandingRegions);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.DqoRda)]
    public void ABufferTooSmallForAJumboFrameLeavesItQueued(QueueFormat format)
    {
        using SimulatedGvnic device = TestDevices.Create(formats: AllFormats);
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { Mtu = JumboMtu });
        byte[] frame = Frame(8000, 9);
        Assert.True(nic.Transmit(frame));
        var e = Assert.Throws<ArgumentException>(() => nic.TryReceive(new byte[2048], out _, out _));
        Assert.Equal("the frame has 8000 bytes but the buffer only 2048; it stays queued (Parameter 'buffer')", e.Message);
        var buffer = new byte[8000];
        Assert.True(nic.TryReceive(buffer, out int length, out _));
        Assert.Equal(frame, buffer[..length]);
        Assert.Equal(1, nic.GetRxStatistics().Packets);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void JumboMtuNeedsTheJumboFramesOption()
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = AllFormats, JumboFrames = false });
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { Mtu = JumboMtu }));
        Assert.Equal("Mtu", e.Option);
        Assert.Equal("MTU 8896 is outside 68 … 1460 for DqoRda", e.Message);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void AJumboMtuThatOverfillsTheRxBuffersIsRefused()
    {
        // DQO QPL buffers live in the RX page list: 4 pages hold 8 buffers, fewer than two 5-buffer frames need.
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = AllFormats, RxPagesPerQpl = 4 });
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoQpl) with { Mtu = JumboMtu }));
        Assert.Equal("Mtu", e.Option);
        Assert.Equal("RX queue 0: 8 RX buffers of 2048 bytes cannot hold two 8914-byte frames (5 buffers each)", e.Message);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }
}
