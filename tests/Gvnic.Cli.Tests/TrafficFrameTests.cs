using System;
using System.Buffers.Binary;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Threading;
using System.Threading.Tasks;
using Gvnic.Cli.Traffic;
using PacketDotNet;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>The pieces of the traffic engine that work on bytes: the frame template, the checker, the swaps, sizes, sequence tracking, the budget.</summary>
public class TrafficFrameTests
{
    private static readonly PhysicalAddress Source = PhysicalAddress.Parse("42-01-0A-00-00-02");
    private static readonly PhysicalAddress Destination = PhysicalAddress.Parse("42-01-0A-00-01-02");

    private static FrameTemplate Template(int maxSize = 1474, byte run = 0x5a) =>
        new(Source, Destination, IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.1.2"), maxSize, run);

    private static byte[] Frame(int size, int flow = 5, byte stream = 2, uint sequence = 0xdeadbeef, long timestamp = 0x0102030405060708)
    {
        var frame = new byte[size];
        Template().Write(frame, size, flow, stream, sequence, timestamp, headersOnly: false);
        return frame;
    }

    [Theory]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(566)]
    [InlineData(1474)]
    public void A_written_frame_is_valid_udp_with_the_payload_header(int size)
    {
        byte[] frame = Frame(size);
        var eth = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, frame);
        Assert.Equal(Source, eth.SourceHardwareAddress);
        Assert.Equal(Destination, eth.DestinationHardwareAddress);
        var ip = eth.Extract<IPv4Packet>();
        Assert.Equal(IPAddress.Parse("10.0.0.2"), ip.SourceAddress);
        Assert.Equal(IPAddress.Parse("10.0.1.2"), ip.DestinationAddress);
        Assert.Equal(size - 14, ip.TotalLength);
        Assert.True(ip.ValidIPChecksum);
        Assert.Equal(64, ip.TimeToLive);
        Assert.Equal(0x4000, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(20))); // don't fragment
        var udp = eth.Extract<UdpPacket>();
        Assert.Equal(10005, udp.SourcePort);
        Assert.Equal(9, udp.DestinationPort);
        Assert.Equal(size - 34, udp.Length);
        Assert.Equal(0, udp.Checksum);

        byte[] payload = frame[42..];
        Assert.Equal((byte)'g', payload[0]);
        Assert.Equal((byte)'v', payload[1]);
        Assert.Equal(0x5a, payload[2]);
        Assert.Equal(2, payload[3]);
        Assert.Equal(new byte[] { 0xef, 0xbe, 0xad, 0xde }, payload[4..8]);
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, payload[8..16]);
        Assert.Equal(new byte[] { 5, 0 }, payload[16..18]);
        for (int k = 18; k < payload.Length; k++) Assert.Equal((byte)k, payload[k]);

        Assert.Equal(TrafficFrame.Kind.Good, TrafficFrame.Check(frame, out var header));
        Assert.Equal(new TrafficFrame.Header(0x5a, 2, 0xdeadbeef, 0x0102030405060708, 5), header);
    }

    [Fact]
    public void Patching_headers_into_a_prefilled_buffer_gives_the_same_bytes()
    {
        var template = Template();
        var buffer = new byte[1474];
        template.Bytes.CopyTo(buffer);
        foreach (int size in new[] { 1000, 60, 1474, 61 })
        {
            template.Write(buffer, size, 17, 3, 42, 99, headersOnly: true);
            var whole = new byte[size];
            template.Write(whole, size, 17, 3, 42, 99, headersOnly: false);
            Assert.Equal(whole, buffer[..size]);
        }
    }

    [Fact]
    public void The_checker_tells_foreign_bad_and_good_frames_apart()
    {
        Assert.Equal(TrafficFrame.Kind.Good, TrafficFrame.Check(Frame(200), out _));

        var arp = new EthernetPacket(Source, Destination, EthernetType.Arp)
        {
            PayloadPacket = new ArpPacket(ArpOperation.Request, Destination, IPAddress.Parse("10.0.1.2"), Source, IPAddress.Parse("10.0.0.2")),
        };
        Assert.Equal(TrafficFrame.Kind.Foreign, TrafficFrame.Check(arp.Bytes, out _));
        byte[] noMagic = Frame(200);
        noMagic[42] = (byte)'x';
        Assert.Equal(TrafficFrame.Kind.Foreign, TrafficFrame.Check(noMagic, out _));
        Assert.Equal(TrafficFrame.Kind.Foreign, TrafficFrame.Check(Frame(200)[..59], out _));

        byte[] pattern = Frame(200);
        pattern[150] ^= 0x10;
        Assert.Equal(TrafficFrame.Kind.Bad, TrafficFrame.Check(pattern, out _));
        byte[] checksum = Frame(200);
        checksum[24] ^= 1;
        Assert.Equal(TrafficFrame.Kind.Bad, TrafficFrame.Check(checksum, out _));
        byte[] udpLength = Frame(200);
        udpLength[39] ^= 1;
        Assert.Equal(TrafficFrame.Kind.Bad, TrafficFrame.Check(udpLength, out _));
        byte[] truncated = Frame(200)[..150]; // IPv4 says 186 bytes, 136 are there
        Assert.Equal(TrafficFrame.Kind.Bad, TrafficFrame.Check(truncated, out _));
        byte[] padded = new byte[260];
        Frame(200).CopyTo(padded, 0); // Ethernet padding after the datagram is fine
        Assert.Equal(TrafficFrame.Kind.Good, TrafficFrame.Check(padded, out _));
    }

    [Fact]
    public void Macswap_and_5tswap_rewrite_in_place_keeping_checksums()
    {
        byte[] original = Frame(100);
        byte[] mac = (byte[])original.Clone();
        FrameSwap.Swap(mac, fiveTuple: false);
        Assert.Equal(original[6..12], mac[..6]);
        Assert.Equal(original[..6], mac[6..12]);
        Assert.Equal(original[12..], mac[12..]);

        byte[] five = (byte[])original.Clone();
        FrameSwap.Swap(five, fiveTuple: true);
        var eth = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, five);
        Assert.Equal(Source, eth.DestinationHardwareAddress);
        var ip = eth.Extract<IPv4Packet>();
        Assert.Equal(IPAddress.Parse("10.0.1.2"), ip.SourceAddress);
        Assert.Equal(IPAddress.Parse("10.0.0.2"), ip.DestinationAddress);
        Assert.True(ip.ValidIPChecksum);
        var udp = eth.Extract<UdpPacket>();
        Assert.Equal(9, udp.SourcePort);
        Assert.Equal(10005, udp.DestinationPort);
        Assert.Equal(original[42..], five[42..]);
        Assert.Equal(TrafficFrame.Kind.Good, TrafficFrame.Check(five, out var header));
        Assert.Equal(5, header.Flow);

        // Not IPv4: only the MACs.
        var arp = new EthernetPacket(Source, Destination, EthernetType.Arp)
        {
            PayloadPacket = new ArpPacket(ArpOperation.Request, Destination, IPAddress.Parse("10.0.1.2"), Source, IPAddress.Parse("10.0.0.2")),
        }.Bytes;
        byte[] swapped = (byte[])arp.Clone();
        FrameSwap.Swap(swapped, fiveTuple: true);
        Assert.Equal(arp[12..], swapped[12..]);
        Assert.Equal(arp[..6], swapped[6..12]);
    }

    [Fact]
    public void Sizes_one_a_range_or_imix()
    {
        Assert.Equal([60], FrameSizes.Parse("60").Table(1474, 1460));
        Assert.Equal("60 bytes", FrameSizes.Parse(" 60 ").Describe([60]));

        int[] range = FrameSizes.Parse("60-100").Table(1474, 1460);
        Assert.All(range, s => Assert.InRange(s, 60, 100));
        Assert.Contains(60, range);
        Assert.Contains(100, range);
        Assert.Equal("60 to 100 bytes (uniform)", FrameSizes.Parse("60-100").Describe(range));

        int[] imix = FrameSizes.Parse("IMIX").Table(1474, 1460);
        Assert.Equal(12, imix.Length);
        Assert.Equal(7, imix.Count(s => s == 60));
        Assert.Equal(4, imix.Count(s => s == 566));
        Assert.Equal(1, imix.Count(s => s == 1474)); // 1514 cut to what MTU 1460 allows
        Assert.Equal("imix (60, 566 and 1474 bytes, 7:4:1)", FrameSizes.Parse("imix").Describe(imix));
        Assert.Equal(1, FrameSizes.Parse("imix").Table(9014, 9000).Count(s => s == 1514));

        Assert.Equal("--size 2000-3000: frames of 3000 bytes do not fit: the NIC's MTU is 1460, so its largest frame is 1474 bytes",
            Assert.Throws<UsageException>(() => FrameSizes.Parse("2000-3000").Table(1474, 1460)).Message);
        Assert.Equal("--size 59 is out of range: frames are 60 (the smallest Ethernet frame without FCS) to 9230 bytes, and at most what the NIC's MTU allows",
            Assert.Throws<UsageException>(() => FrameSizes.Parse("59")).Message);
        Assert.Equal("--size '100-60': the range runs backwards (100 > 60); write MIN-MAX", Assert.Throws<UsageException>(() => FrameSizes.Parse("100-60")).Message);
        Assert.Equal("--size 'big' is not a frame size; write BYTES (e.g. 60), MIN-MAX (e.g. 60-1474) or imix", Assert.Throws<UsageException>(() => FrameSizes.Parse("big")).Message);
        Assert.Throws<UsageException>(() => FrameSizes.Parse("60-"));
        Assert.Throws<UsageException>(() => FrameSizes.Parse("-60"));
    }

    [Fact]
    public void Sequences_count_gaps_and_late_frames_per_flow()
    {
        var tracker = new SequenceTracker();
        var c = new QueueCounters();
        foreach (uint s in new uint[] { 7, 8, 9 }) tracker.Record(1, 1, s, c); // the first frame seen starts the flow
        Assert.Equal((0, 0), (c.RxGaps, c.RxLate));
        tracker.Record(1, 1, 12, c); // 10 and 11 missing
        Assert.Equal((2, 0), (c.RxGaps, c.RxLate));
        tracker.Record(1, 1, 10, c); // one of them, late
        Assert.Equal((2, 1), (c.RxGaps, c.RxLate));
        Assert.Equal(1, c.Snapshot().Lost);
        tracker.Record(2, 1, 0, c); // another flow is tracked apart
        tracker.Record(2, 1, 1, c);
        Assert.Equal((2, 1), (c.RxGaps, c.RxLate));
        tracker.Record(1, 2, 0, c); // a new generator run starts the flow again
        tracker.Record(1, 2, 1, c);
        Assert.Equal((2, 1), (c.RxGaps, c.RxLate));
        tracker.Record(3, 1, uint.MaxValue, c); // the 32-bit sequence wraps
        tracker.Record(3, 1, 0, c);
        Assert.Equal((2, 1), (c.RxGaps, c.RxLate));
    }

    [Fact]
    public void A_budget_shared_by_threads_grants_exactly_its_frames()
    {
        var budget = new FrameBudget(100_003);
        long granted = 0;
        Parallel.For(0, 4, _ =>
        {
            int mine;
            while ((mine = budget.Claim(32)) > 0)
            {
                int used = mine > 3 ? mine - 3 : mine; // give some back, as a burst that found fewer frames does
                budget.Return(mine - used);
                Interlocked.Add(ref granted, used);
            }
        });
        Assert.Equal(100_003, granted);
        Assert.Equal(0, budget.Remaining);
        Assert.False(new FrameBudget(null).Limited);
        Assert.Equal(32, new FrameBudget(null).Claim(32));
    }
}
