using System;
using System.Linq;
using Gvnic.Driver.DataPlane;
using Gvnic.Driver.Tests.EndToEnd;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.Offload;

/// <summary>Every frame the driver cannot offload, and every limit of the formats, refused with a message naming it, before the ring is touched.</summary>
public class TxOffloadLimitTests
{
    public static TheoryData<QueueFormat> Formats => TxOffloadTests.Formats;

    private static byte[] Tcp4(int payload) => OffloadFrames.Tcp(false, OffloadFrames.Payload(payload, 1));

    /// <summary>Sends <paramref name="frame"/> with <paramref name="offload"/> and asserts the refusal says <paramref name="problem"/> and nothing moved.</summary>
    private static void AssertRefused(QueueFormat format, byte[] frame, TxOffload offload, string problem, ushort txPagesPerQpl = GvnicConstants.DefaultTxPagesPerQpl)
    {
        using SimulatedGvnic device = TxOffloadTests.Device(txPagesPerQpl: txPagesPerQpl);
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        var e = Assert.Throws<ArgumentException>(() => nic.Transmit(frame, 0, offload));
        Assert.Equal("frame", e.ParamName);
        string kind = offload.Kind == TxOffloadKind.Tso ? "TSO" : "L4 checksum offload";
        Assert.StartsWith(kind + " on TX queue 0 refused: " + problem, e.Message);
        Assert.Equal(0, nic.GetTxStatistics().Packets);
        Assert.Equal(0, nic.GetTxStatistics().Descriptors);
        Assert.Empty(TxOffloadTests.Sent(device));
        Assert.True(nic.Transmit(Tcp4(100), 0, TxOffload.L4Checksum)); // the queue is untouched: the next frame goes
        Assert.Single(TxOffloadTests.Sent(device));
        Assert.Empty(device.Violations);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Not_IP_is_refused(QueueFormat format)
    {
        byte[] arp = Tcp4(100);
        arp[12] = 0x08;
        arp[13] = 0x06;
        AssertRefused(format, arp, TxOffload.L4Checksum, "EtherType 0x0806 is neither IPv4 (0x0800) nor IPv6 (0x86DD)");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_fragment_is_refused(QueueFormat format)
    {
        byte[] frame = Tcp4(100);
        frame[14 + 6] |= 0x20; // more fragments
        AssertRefused(format, frame, TxOffload.L4Checksum, "the IPv4 packet is a fragment");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void An_IPv6_extension_header_is_refused(QueueFormat format)
    {
        byte[] frame = OffloadFrames.Udp(true, OffloadFrames.Payload(100, 1));
        frame[14 + 6] = 0; // hop-by-hop options
        AssertRefused(format, frame, TxOffload.L4Checksum, "the IPv6 next header 0 is neither TCP (6) nor UDP (17) (IPv6 extension headers are not offloaded)");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Trailing_padding_is_refused(QueueFormat format)
    {
        byte[] frame = Tcp4(10);
        byte[] padded = new byte[frame.Length + 6];
        frame.CopyTo(padded, 0);
        AssertRefused(format, padded, TxOffload.L4Checksum, "the IPv4 total length " + (frame.Length - 14) + " does not match the " + (padded.Length - 14) + " bytes after the Ethernet header");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_wrong_UDP_length_is_refused(QueueFormat format)
    {
        byte[] frame = OffloadFrames.Udp(false, OffloadFrames.Payload(100, 1));
        frame[34 + 5]++;
        AssertRefused(format, frame, TxOffload.L4Checksum, "the UDP length 109 does not match the 108 bytes from the UDP header on");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_short_TCP_data_offset_is_refused(QueueFormat format)
    {
        byte[] frame = Tcp4(100);
        frame[34 + 12] = 0x40;
        AssertRefused(format, frame, TxOffload.Tso(100), "the TCP data offset is 4 words (at least 5)");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_truncated_header_is_refused(QueueFormat format)
        => AssertRefused(format, Tcp4(100).AsSpan(0, 30).ToArray(), TxOffload.L4Checksum, "the frame ends inside its IPv4 header (16 bytes after the Ethernet header)");

    [Theory]
    [MemberData(nameof(Formats))]
    public void TSO_of_UDP_is_refused(QueueFormat format)
        => AssertRefused(format, OffloadFrames.Udp(false, OffloadFrames.Payload(3000, 1)), TxOffload.Tso(1000), "TSO segments TCP only; this frame is UDP");

    [Theory]
    [MemberData(nameof(Formats))]
    public void TSO_without_payload_is_refused(QueueFormat format)
        => AssertRefused(format, OffloadFrames.Tcp(true, []), TxOffload.Tso(1000), "the TCP segment carries no payload");

    [Theory]
    [MemberData(nameof(Formats))]
    public void An_MSS_beyond_the_MTU_is_refused(QueueFormat format)
        => AssertRefused(format, Tcp4(5000), TxOffload.Tso(1461), "MSS 1461 with 40 bytes of IP and TCP headers makes 1501-byte IP packets, more than the MTU of 1500 (use an MSS of at most 1460)");

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_checksum_frame_beyond_MaxFrameSize_is_refused(QueueFormat format)
        => AssertRefused(format, OffloadFrames.Udp(false, OffloadFrames.Payload(3000, 1)), TxOffload.L4Checksum, "the frame has 3042 bytes, more than the 1518 of MaxFrameSize (only TSO sends larger frames)");

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void DQO_refuses_an_MSS_below_88(QueueFormat format)
        => AssertRefused(format, Tcp4(1000), TxOffload.Tso(87), "MSS 87 is below the DQO minimum of 88 (tx_min_tso_mss_dqo)");

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    public void GQI_has_no_minimum_MSS(QueueFormat format)
    {
        using SimulatedGvnic device = TxOffloadTests.Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        byte[] frame = Tcp4(1000);
        Assert.True(nic.Transmit(frame, 0, TxOffload.Tso(87)));
        Assert.Equal(OffloadFrames.Segments(frame, 87), TxOffloadTests.Sent(device));
        Assert.Empty(device.Violations);
    }

    /// <summary>The largest IPv4 TSO frame (total length 65535): more than a GQI packet descriptor's 16-bit len, within DQO's limits.</summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public void The_largest_IPv4_frame_is_too_long_for_GQI_only(QueueFormat format)
    {
        byte[] frame = Tcp4(ushort.MaxValue - 40);
        Assert.Equal(65549, frame.Length);
        if (format is QueueFormat.GqiQpl or QueueFormat.GqiRda)
        {
            AssertRefused(format, frame, TxOffload.Tso(1460), "the frame has 65549 bytes, more than the 65535 a TSO frame may have on this queue (Nic.MaxTsoFrameSize)");
            return;
        }
        using SimulatedGvnic device = TxOffloadTests.Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        Assert.True(nic.Transmit(frame, 0, TxOffload.Tso(1460)));
        Assert.Equal(OffloadFrames.Segments(frame, 1460), TxOffloadTests.Sent(device));
        Assert.Empty(device.Violations);
    }

    /// <summary>A DQO-QPL queue of 16 pages has 32 buffers of 2 KiB: a frame of more than 64 KiB never fits, and is refused rather than left waiting.</summary>
    [Fact]
    public void DQO_QPL_refuses_a_TSO_frame_beyond_its_page_list()
        => AssertRefused(QueueFormat.DqoQpl, Tcp4(ushort.MaxValue - 40), TxOffload.Tso(1460), "the frame has 65549 bytes, more than the 65536 a TSO frame may have on this queue", txPagesPerQpl: 16);

    /// <summary>tx_max_data_descs: with chunks smaller than the driver's (1000 bytes), a 9000-byte MSS spans 11 descriptors a segment.</summary>
    [Fact]
    public void A_segment_over_more_than_10_DQO_descriptors_is_refused()
    {
        byte[] frame = Tcp4(30000);
        var limits = new TxOffloadLimits(true, 9216, 9234, 100_000, 1000);
        var e = Assert.Throws<ArgumentException>(() => TxOffloadPlanner.Plan(frame, TxOffload.Tso(9000), limits, "TX queue 3", "frame"));
        Assert.Equal("TSO on TX queue 3 refused: segment 0 would span 11 data descriptors (the header counts as one), more than the 10 a DQO device reads for one segment (tx_max_data_descs)", e.Message.Split(" (Parameter")[0]);
        Assert.Equal(0, TxOffloadPlanner.WorstDescriptorsPerSegment(54, 30054, 8000, 2048, out _)); // at most 1 + 4 + 1: not counted
        Assert.Equal(11, TxOffloadPlanner.WorstDescriptorsPerSegment(54, 30054, 9000, 1000, out int segment));
        Assert.Equal(0, segment);
        TxOffloadPlan plan = TxOffloadPlanner.Plan(frame, TxOffload.Tso(8000), limits, "TX queue 3", "frame"); // 1 + 9 at most
        Assert.Equal(4, plan.Segments);
        Assert.Equal(54, plan.HeaderLength);
    }

    /// <summary>The planner finds the headers behind a VLAN tag and one IPv4 option word (GQI carries their offsets in 2-byte units).</summary>
    [Fact]
    public void Headers_are_found_behind_a_VLAN_tag_and_IPv4_options()
    {
        byte[] frame = Tcp4(100);
        var tagged = new byte[frame.Length + 8];
        frame.AsSpan(0, 12).CopyTo(tagged);
        tagged[12] = 0x81; tagged[13] = 0x00; tagged[14] = 0x00; tagged[15] = 0x05; tagged[16] = 0x08; tagged[17] = 0x00;
        frame.AsSpan(14, 20).CopyTo(tagged.AsSpan(18));
        tagged[18] = 0x46; // IHL 6: one option word (zeros: end of options)
        tagged[18 + 3] += 4; // total length
        frame.AsSpan(34).CopyTo(tagged.AsSpan(42));
        var gqi = new TxOffloadLimits(false, 1500, 1518, 65535, 0);
        TxOffloadPlan plan = TxOffloadPlanner.Plan(tagged, TxOffload.Tso(50), gqi, "TX queue 0", "frame");
        Assert.Equal(18, plan.L3Offset);
        Assert.Equal(42, plan.L4Offset);
        Assert.Equal(62, plan.HeaderLength);
        Assert.Equal(2, plan.Segments);
        Assert.False(plan.Ipv6);
        Assert.True(plan.Tcp);
        Assert.Equal(16, plan.ChecksumOffset);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_VLAN_tagged_frame_is_offloaded(QueueFormat format)
    {
        using SimulatedGvnic device = TxOffloadTests.Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        byte[] frame = OffloadFrames.Udp(false, OffloadFrames.Payload(500, 4));
        var tagged = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(tagged);
        tagged[12] = 0x81; tagged[13] = 0x00; tagged[14] = 0x00; tagged[15] = 0x05;
        frame.AsSpan(12).CopyTo(tagged.AsSpan(16));
        byte[] given = (byte[])tagged.Clone();
        given[18 + 20 + 6] ^= 0xFF; // spoil the UDP checksum
        Assert.True(nic.Transmit(given, 0, TxOffload.L4Checksum));
        Assert.Equal(tagged, Assert.Single(TxOffloadTests.Sent(device)));
        Assert.Empty(device.Violations);
    }
}
