using System;
using System.Linq;
using Gvnic.Platform;
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

/// <summary>Malformed RX chains written straight into the rings, as a misbehaving device would: typed faults.</summary>
public class JumboChainFaultTests
{
    private static (SimulatedGvnic Device, TamperingPci Pci, Nic Nic) Open(QueueFormat format, int? mtu)
    {
        SimulatedGvnic device = TestDevices.Create(formats: JumboFrameTests.AllFormats);
        var pci = new TamperingPci(device);
        // Without automatic recovery a fault the ring cannot be trusted after surfaces as the exception.
        Nic nic = Nic.Open(pci, TestDevices.Options(format) with { Mtu = mtu, AutoRecover = false });
        return (device, pci, nic);
    }

    /// <summary>A frame the device described wrongly is dropped and counted; its buffers go back; nothing is delivered.</summary>
    private static void AssertDroppedAsMalformed(Nic nic, int buffers)
    {
        long posted = nic.GetRxStatistics().BuffersPosted;
        Assert.False(nic.TryReceive(new byte[16384], out _, out _));
        RxQueueStatistics rx = nic.GetRxStatistics();
        Assert.Equal(0, rx.Packets);
        Assert.Equal(0, rx.Dropped);
        Assert.Equal(1, rx.DeviceFaults);
        Assert.Equal(posted + buffers, rx.BuffersPosted);
        Assert.Equal(0, nic.RecoveryCount);
    }

    private static Span<byte> GqiDescriptor(TamperingPci pci, int index)
        => pci.Allocations.Single(r => r.Length == 256 * RxDesc.Size).Span.Slice(index * RxDesc.Size, RxDesc.Size);

    private static void WriteGqi(TamperingPci pci, int index, ushort len, bool cont)
    {
        ref RxDesc d = ref RxDesc.AsRef(GqiDescriptor(pci, index));
        d.Len = len;
        d.PacketCont = cont;
        d.Seqno = (ushort)(index % 7 + 1);
    }

    private static void WriteDqo(TamperingPci pci, int index, ushort bufId, ushort len, bool last)
    {
        // The RX buffer queue and then its completion queue: the second region of 256 × 32 bytes.
        DmaRegion completions = pci.Allocations.Where(r => r.Length == 256 * RxComplDescDqo.Size).ElementAt(1);
        ref RxComplDescDqo c = ref RxComplDescDqo.AsRef(completions.Span.Slice(index * RxComplDescDqo.Size));
        c.Generation = true;
        c.BufId = bufId;
        c.PacketLen = len;
        c.EndOfPacket = last;
    }

    [Fact]
    public void GqiChainAtTheDefaultMtuIsAFault()
    {
        // At MTU 1460 every frame fits one buffer: a descriptor continued by packet_cont is a chain longer than the MTU allows.
        var (device, pci, nic) = Open(QueueFormat.GqiRda, null);
        using (device)
        using (nic)
        {
            WriteGqi(pci, 0, 1000, cont: true);
            WriteGqi(pci, 1, 500, cont: false);
            var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[4096], out _, out _));
            Assert.Equal("RX queue 0", e.Queue);
            Assert.Equal("packet_cont", e.Field);
            Assert.Equal(1, e.Index);
            Assert.Equal(2ul, e.Value);
            Assert.Equal("RX queue 0: packet_cont at index 1 = 2 (0x2): the chain starting at index 0 continues past 1 descriptors, the most a 1478-byte frame (MTU + 18) fills in 2048-byte buffers", e.Message);
        }
    }

    [Fact]
    public void GqiChainLongerThanTheJumboMtuIsDroppedAndCounted()
    {
        var (device, pci, nic) = Open(QueueFormat.GqiQpl, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            // Five full buffers: 2046 + 4 × 2048 = 10238 bytes, more than the 8914-byte largest frame.
            for (int i = 0; i < 5; i++) WriteGqi(pci, i, 2048, cont: i < 4);
            AssertDroppedAsMalformed(nic, 5);
        }
    }

    [Fact]
    public void GqiChainThatNeverEndsIsAFault()
    {
        var (device, pci, nic) = Open(QueueFormat.GqiRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            for (int i = 0; i < 6; i++) WriteGqi(pci, i, 100, cont: true);
            var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[16384], out _, out _));
            Assert.Equal("packet_cont", e.Field);
            Assert.Equal(5, e.Index);
            Assert.Equal(6ul, e.Value);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2049)]
    public void GqiContinuationLengthOutOfRangeIsDroppedAndCounted(int length)
    {
        var (device, pci, nic) = Open(QueueFormat.GqiRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            WriteGqi(pci, 0, 2048, cont: true);
            WriteGqi(pci, 1, (ushort)length, cont: false);
            AssertDroppedAsMalformed(nic, 2);
        }
    }

    [Fact]
    public void GqiChainWaitsForItsLastDescriptorAndChecksItsSequenceNumber()
    {
        var (device, pci, nic) = Open(QueueFormat.GqiRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            WriteGqi(pci, 0, 2048, cont: true);
            // The continuation is not written yet: nothing to receive, nothing consumed.
            Assert.False(nic.TryReceive(new byte[16384], out _, out _));
            Assert.Equal(0, nic.GetRxStatistics().Packets);
            // A continuation with a sequence number out of turn is a fault.
            RxDesc.AsRef(GqiDescriptor(pci, 1)).Seqno = 6;
            var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[16384], out _, out _));
            Assert.Equal("seqno", e.Field);
            Assert.Equal(1, e.Index);
            Assert.Equal(6ul, e.Value);
        }
    }

    [Fact]
    public void DqoCompletionsWithoutEndOfPacketPastTheMtuAreAFault()
    {
        var (device, pci, nic) = Open(QueueFormat.DqoRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            for (int i = 0; i < 6; i++) WriteDqo(pci, i, (ushort)i, 100, last: false);
            var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[16384], out _, out _));
            Assert.Equal("RX queue 0", e.Queue);
            Assert.Equal("end_of_packet", e.Field);
            Assert.Equal(5, e.Index);
            Assert.Equal(6ul, e.Value);
        }
    }

    [Fact]
    public void DqoBufferNamedTwiceInOneFrameIsDroppedAndCounted()
    {
        var (device, pci, nic) = Open(QueueFormat.DqoRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            WriteDqo(pci, 0, 7, 2048, last: false);
            WriteDqo(pci, 1, 7, 100, last: true);
            AssertDroppedAsMalformed(nic, 1); // buffer 7 goes back once; the second naming gives nothing back
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2049)]
    public void DqoContinuationLengthOutOfRangeIsDroppedAndCounted(int length)
    {
        var (device, pci, nic) = Open(QueueFormat.DqoQpl, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            WriteDqo(pci, 0, 0, 2048, last: false);
            WriteDqo(pci, 1, 1, (ushort)length, last: true);
            AssertDroppedAsMalformed(nic, 2);
        }
    }

    [Fact]
    public void DqoFrameLongerThanTheMtuIsDroppedAndCounted()
    {
        var (device, pci, nic) = Open(QueueFormat.DqoRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            for (int i = 0; i < 5; i++) WriteDqo(pci, i, (ushort)i, 2048, last: i == 4);
            AssertDroppedAsMalformed(nic, 5);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.DqoRda)]
    public void AnErrorFlaggedChainIsDroppedWhole(QueueFormat format)
    {
        var (device, pci, nic) = Open(format, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            if (format == QueueFormat.GqiQpl)
            {
                WriteGqi(pci, 0, 2048, cont: true);
                WriteGqi(pci, 1, 2048, cont: true);
                RxDesc.AsRef(GqiDescriptor(pci, 1)).Err = true;
                WriteGqi(pci, 2, 100, cont: false);
            }
            else
            {
                WriteDqo(pci, 0, 0, 2048, last: false);
                WriteDqo(pci, 1, 1, 2048, last: false);
                DmaRegion completions = pci.Allocations.Where(r => r.Length == 256 * RxComplDescDqo.Size).ElementAt(1);
                RxComplDescDqo.AsRef(completions.Span.Slice(RxComplDescDqo.Size)).RxError = true;
                WriteDqo(pci, 2, 2, 100, last: true);
            }
            Assert.False(nic.TryReceive(new byte[16384], out _, out _));
            RxQueueStatistics rx = nic.GetRxStatistics();
            Assert.Equal(0, rx.Packets);
            Assert.Equal(1, rx.Dropped);
            Assert.Equal((format == QueueFormat.GqiQpl ? nic.RxRingSize : nic.RxRingSize - 1) + 3, rx.BuffersPosted);
            // (The device model itself never delivered into these buffers, so it records the reposts: no violation check here.)
        }
    }
}
