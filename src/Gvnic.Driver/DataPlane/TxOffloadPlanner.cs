using System;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// Reads the headers of a frame sent with an offload and checks it against the queue format's limits, before anything
/// touches the ring: Ethernet (one 802.1Q tag at most), IPv4 (no fragment, total length matching the frame) or IPv6 (no
/// extension header, payload length matching the frame), then TCP or UDP (TSO: TCP, with payload). Every refusal is an
/// <see cref="ArgumentException"/> naming the frame, the queue, what was wrong and the limit. Allocates nothing unless it throws.
/// </summary>
internal static class TxOffloadPlanner
{
    private const int EthernetHeader = 14;
    private const int VlanTag = 4;

    /// <summary>
    /// The plan of <paramref name="frame"/> under <paramref name="offload"/> on <paramref name="queue"/> (its name in
    /// messages); <paramref name="parameter"/> is the argument blamed (with <paramref name="position"/> ≥ 0, the batch entry).
    /// </summary>
    public static TxOffloadPlan Plan(ReadOnlySpan<byte> frame, in TxOffload offload, in TxOffloadLimits limits, string queue, string parameter, int position = -1)
    {
        TxOffloadKind kind = offload.Kind;
        if (kind is not (TxOffloadKind.L4Checksum or TxOffloadKind.Tso))
            Refuse(parameter, position, queue, kind, "the offload kind " + (int)kind + " is not one of L4Checksum or Tso (use TxOffload.L4Checksum or TxOffload.Tso)");
        int length = frame.Length;
        if (length < EthernetHeader)
            Refuse(parameter, position, queue, kind, "the frame has " + length + " bytes, less than an Ethernet header");
        int l3 = EthernetHeader;
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12));
        if (etherType == 0x8100)
        {
            if (length < EthernetHeader + VlanTag) Refuse(parameter, position, queue, kind, "the frame ends inside its 802.1Q tag");
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(16));
            l3 = EthernetHeader + VlanTag;
        }

        bool ipv6;
        int l4;
        byte protocol;
        if (etherType == 0x0800)
        {
            ipv6 = false;
            if (length < l3 + 20) Refuse(parameter, position, queue, kind, "the frame ends inside its IPv4 header (" + (length - l3) + " bytes after the Ethernet header)");
            byte versionIhl = frame[l3];
            int ihl = (versionIhl & 0xF) * 4;
            if (versionIhl >> 4 != 4 || ihl < 20)
                Refuse(parameter, position, queue, kind, "EtherType IPv4 but the IP header starts 0x" + versionIhl.ToString("X2") + " (version 4, header length at least 5 words expected)");
            if (length < l3 + ihl) Refuse(parameter, position, queue, kind, "the frame ends inside its " + ihl + "-byte IPv4 header");
            int total = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(l3 + 2));
            if (total != length - l3)
                Refuse(parameter, position, queue, kind, "the IPv4 total length " + total + " does not match the " + (length - l3) + " bytes after the Ethernet header (send the frame without trailing padding)");
            ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(l3 + 6));
            if ((fragment & 0x3FFF) != 0)
                Refuse(parameter, position, queue, kind, "the IPv4 packet is a fragment (more-fragments flag or fragment offset set): a fragment's L4 header cannot be offloaded");
            protocol = frame[l3 + 9];
            l4 = l3 + ihl;
        }
        else if (etherType == 0x86DD)
        {
            ipv6 = true;
            if (length < l3 + 40) Refuse(parameter, position, queue, kind, "the frame ends inside its IPv6 header (" + (length - l3) + " bytes after the Ethernet header)");
            if (frame[l3] >> 4 != 6) Refuse(parameter, position, queue, kind, "EtherType IPv6 but the IP version is " + (frame[l3] >> 4));
            int payload = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(l3 + 4));
            if (payload != length - l3 - 40)
                Refuse(parameter, position, queue, kind, "the IPv6 payload length " + payload + " does not match the " + (length - l3 - 40) + " bytes after the IPv6 header (send the frame without trailing padding; jumbograms are not offloaded)");
            protocol = frame[l3 + 6];
            l4 = l3 + 40;
        }
        else
        {
            Refuse(parameter, position, queue, kind, "EtherType 0x" + etherType.ToString("X4") + " is neither IPv4 (0x0800) nor IPv6 (0x86DD)");
            return default;
        }

        bool tcp = protocol == 6;
        if (!tcp && protocol != 17)
            Refuse(parameter, position, queue, kind, (ipv6 ? "the IPv6 next header " : "the IPv4 protocol ") + protocol + " is neither TCP (6) nor UDP (17)"
                + (ipv6 ? " (IPv6 extension headers are not offloaded)" : ""));
        int header;
        if (tcp)
        {
            if (length < l4 + 20) Refuse(parameter, position, queue, kind, "the frame ends inside its TCP header");
            int dataOffset = (frame[l4 + 12] >> 4) * 4;
            if (dataOffset < 20) Refuse(parameter, position, queue, kind, "the TCP data offset is " + dataOffset / 4 + " words (at least 5)");
            if (length < l4 + dataOffset) Refuse(parameter, position, queue, kind, "the frame ends inside its " + dataOffset + "-byte TCP header");
            header = l4 + dataOffset;
        }
        else
        {
            if (length < l4 + 8) Refuse(parameter, position, queue, kind, "the frame ends inside its UDP header");
            int udpLength = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(l4 + 4));
            if (udpLength != length - l4)
                Refuse(parameter, position, queue, kind, "the UDP length " + udpLength + " does not match the " + (length - l4) + " bytes from the UDP header on");
            header = l4 + 8;
        }
        if (!limits.Dqo && (l3 > 2 * byte.MaxValue || l4 > 2 * byte.MaxValue || (l3 & 1) != 0 || (l4 & 1) != 0))
            Refuse(parameter, position, queue, kind, "the IP header at byte " + l3 + " and the L4 header at byte " + l4
                + " cannot be described to a GQI device (l3_offset and l4_hdr_offset are 2-byte units in one byte: even offsets up to 510)");

        if (kind == TxOffloadKind.L4Checksum)
        {
            if (length > limits.MaxFrame)
                Refuse(parameter, position, queue, kind, "the frame has " + length + " bytes, more than the " + limits.MaxFrame + " of MaxFrameSize (only TSO sends larger frames)");
            return new TxOffloadPlan(kind, l3, l4, header, ipv6, tcp, 0, 1);
        }

        // TSO.
        if (!tcp) Refuse(parameter, position, queue, kind, "TSO segments TCP only; this frame is UDP (use L4Checksum for UDP)");
        int mss = offload.Mss;
        int payloadBytes = length - header;
        if (payloadBytes == 0) Refuse(parameter, position, queue, kind, "the TCP segment carries no payload: there is nothing to segment (send it with L4Checksum)");
        if (limits.Dqo && mss < GvnicConstants.TxMinTsoMssDqo)
            Refuse(parameter, position, queue, kind, "MSS " + mss + " is below the DQO minimum of " + GvnicConstants.TxMinTsoMssDqo + " (tx_min_tso_mss_dqo)");
        if (limits.Dqo && header > GvnicConstants.TxMaxHdrSizeDqo)
            Refuse(parameter, position, queue, kind, "the headers take " + header + " bytes, more than the " + GvnicConstants.TxMaxHdrSizeDqo + " a DQO TSO context descriptor carries (tx_max_hdr_size_dqo)");
        int ipHeaders = header - l3;
        if (ipHeaders + mss > limits.Mtu)
            Refuse(parameter, position, queue, kind, "MSS " + mss + " with " + ipHeaders + " bytes of IP and TCP headers makes " + (ipHeaders + mss)
                + "-byte IP packets, more than the MTU of " + limits.Mtu + " (use an MSS of at most " + (limits.Mtu - ipHeaders) + ")");
        if (length > limits.MaxTsoFrame)
            Refuse(parameter, position, queue, kind, "the frame has " + length + " bytes, more than the " + limits.MaxTsoFrame + " a TSO frame may have on this queue (Nic.MaxTsoFrameSize)");
        int segments = (payloadBytes + mss - 1) / mss;
        if (limits.Dqo)
        {
            int worst = WorstDescriptorsPerSegment(header, length, mss, limits.Chunk, out int segment);
            if (worst > GvnicConstants.TxMaxDataDescs)
                Refuse(parameter, position, queue, kind, "segment " + segment + " would span " + worst + " data descriptors (the header counts as one), more than the "
                    + GvnicConstants.TxMaxDataDescs + " a DQO device reads for one segment (tx_max_data_descs)");
        }
        return new TxOffloadPlan(kind, l3, l4, header, ipv6, tcp, mss, segments);
    }

    /// <summary>
    /// The most data descriptors one segment of a TSO frame of <paramref name="length"/> bytes uses when the frame lies in
    /// consecutive buffers of <paramref name="chunk"/> bytes, one descriptor each, counted as upstream's gve_can_send_tso: the
    /// header counts as one buffer for every segment, a buffer a segment shares with the header or another segment counts
    /// for it too. <paramref name="segment"/> is the (first) segment using that many.
    /// </summary>
    public static int WorstDescriptorsPerSegment(int header, int length, int mss, int chunk, out int segment)
    {
        segment = 0;
        int bound = 1 + (mss + chunk - 1) / chunk + 1; // header, the chunks an MSS covers, one more when it straddles
        if (bound <= GvnicConstants.TxMaxDataDescs) return 0;
        int worst = 0;
        int k = 0;
        for (int start = header; start < length; start += mss, k++)
        {
            int end = Math.Min(start + mss, length);
            int descriptors = 1 + (end - 1) / chunk - start / chunk + 1;
            if (descriptors > worst)
            {
                worst = descriptors;
                segment = k;
            }
        }
        return worst;
    }

    /// <summary>
    /// Writes the pseudo-header sum (addresses, protocol and, with <paramref name="withLength"/>, the L4 length; folded, not
    /// complemented) into the L4 checksum field of <paramref name="frame"/>, which holds at least the frame's headers:
    /// what the Linux stack leaves there for a device that completes the checksum.
    /// </summary>
    public static void WritePseudoHeaderSum(Span<byte> frame, int frameLength, in TxOffloadPlan plan, bool withLength)
    {
        uint sum = 0;
        int addresses = plan.Ipv6 ? plan.L3Offset + 8 : plan.L3Offset + 12;
        int addressBytes = plan.Ipv6 ? 32 : 8;
        for (int i = 0; i < addressBytes; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(addresses + i));
        sum += plan.Tcp ? 6u : 17u;
        if (withLength)
        {
            uint l4Length = (uint)(frameLength - plan.L4Offset);
            sum += (l4Length >> 16) + (l4Length & 0xFFFF);
        }
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(frame.Slice(plan.L4Offset + plan.ChecksumOffset), (ushort)sum);
    }

    [DoesNotReturn]
    private static void Refuse(string parameter, int position, string queue, TxOffloadKind kind, string problem)
        => throw new ArgumentException((position >= 0 ? parameter + "[" + position + "]: " : "") + (kind == TxOffloadKind.Tso ? "TSO" : kind == TxOffloadKind.L4Checksum ? "L4 checksum offload" : "offload")
            + " on " + queue + " refused: " + problem, parameter);
}
