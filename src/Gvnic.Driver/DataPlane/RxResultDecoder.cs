using System;
using Gvnic.Checksums;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// Turns what the device wrote about a received frame into <see cref="RxInfo"/>'s typed values (docs/driver.md, "RX
/// results"). Allocates nothing; every device-supplied value decodes to something (an unknown value to Unknown).
/// </summary>
/// <remarks>
/// <para>
/// GQI (upstream gve_rx.c): the descriptor flags give IPv4/IPv6, TCP/UDP and fragment; the hash type follows
/// <c>gve_rss_type</c> (no hash unless one of the four is flagged). The device gives no checksum verdict, only the
/// ones'-complement sum of the L3 header and everything after it (<c>csum</c>, which upstream hands the stack as
/// CHECKSUM_COMPLETE, and 0 as CHECKSUM_NONE); the verdicts are what the stack would conclude from it: the IPv4 header
/// checksum is summed from the frame's header, and the TCP/UDP checksum is the device's sum less the IP header's, plus the
/// pseudo-header (a frame whose transport header is not right after the IP header, or a fragment, stays Unknown).
/// </para>
/// <para>
/// DQO (upstream gve_rx_dqo.c, read from the completion that ends the frame): the packet type through the map
/// (<see cref="PacketTypes"/>); the hash as <c>gve_rx_skb_hash</c> (little-endian, L4 when the map gives an L4 type, L3
/// when it gives an L3 type, else L2); checksum verdicts only when <c>l3_l4_processed</c>: the IPv4 header Bad on
/// <c>csum_ip_err</c> or <c>csum_external_ip_err</c>, the L4 Bad on <c>csum_l4_err</c>, Good for TCP/UDP/ICMP/SCTP
/// otherwise, Unknown for an IPv6 frame with extension headers (<c>ipv6_ex_add</c>), as <c>gve_rx_skb_csum</c> skips it.
/// </para>
/// </remarks>
internal static class RxResultDecoder
{
    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeIpv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;

    /// <summary>The metadata of a GQI frame whose first descriptor is <paramref name="d"/> and whose first buffer holds <paramref name="head"/> (from the Ethernet header on).</summary>
    public static RxInfo Gqi(in RxDesc d, int length, int queue, ReadOnlySpan<byte> head)
    {
        bool ipv4 = d.Ipv4, ipv6 = d.Ipv6, tcp = d.Tcp, udp = d.Udp, frag = d.Frag;
        RxFlags flags = (ipv4 ? RxFlags.Ipv4 : 0) | (ipv6 ? RxFlags.Ipv6 : 0) | (tcp ? RxFlags.Tcp : 0) | (udp ? RxFlags.Udp : 0) | (frag ? RxFlags.Fragment : 0);
        bool ip = ipv4 || ipv6;
        bool l4 = tcp || udp;
        RssHashType hash = !(ip || l4) ? RssHashType.None : l4 && ip ? RssHashType.L4 : ip ? RssHashType.L3 : RssHashType.L2;
        GqiChecksums(head, d.Csum, ipv4, ipv6, tcp, udp, frag, out RxChecksum l3Checksum, out RxChecksum l4Checksum);
        return new RxInfo(length, flags, d.Csum, d.RssHash, queue)
        {
            L3Type = ipv4 ? RxL3Type.Ipv4 : ipv6 ? RxL3Type.Ipv6 : RxL3Type.Unknown,
            L4Type = tcp ? RxL4Type.Tcp : udp ? RxL4Type.Udp : RxL4Type.Unknown,
            L3Checksum = l3Checksum,
            L4Checksum = l4Checksum,
            RssHashType = hash,
        };
    }

    /// <summary>The metadata of a DQO frame whose last completion is <paramref name="c"/>.</summary>
    public static RxInfo Dqo(in RxComplDescDqo c, PacketTypes types, int length, int queue, int headerLength, NicClock? clock)
    {
        int ptype = c.PacketType;
        RxL3Type l3 = types.L3(ptype);
        RxL4Type l4 = types.L4(ptype);
        RxChecksum l3Checksum = RxChecksum.Unknown, l4Checksum = RxChecksum.Unknown;
        if (c.L3L4Processed)
        {
            if (l3 == RxL3Type.Ipv4) l3Checksum = c.CsumIpErr || c.CsumExternalIpErr ? RxChecksum.Bad : RxChecksum.Good;
            if (c.CsumL4Err) l4Checksum = RxChecksum.Bad;
            else if (l4 is RxL4Type.Tcp or RxL4Type.Udp or RxL4Type.Icmp or RxL4Type.Sctp) l4Checksum = RxChecksum.Good;
            if (l3 == RxL3Type.Ipv6 && c.Ipv6ExAdd) l4Checksum = RxChecksum.Unknown;
        }
        RssHashType hash = l4 != RxL4Type.Unknown ? RssHashType.L4 : l3 != RxL3Type.Unknown ? RssHashType.L3 : RssHashType.L2;
        return new RxInfo(length, types.Flags(ptype), c.RawCs, c.Hash, queue)
        {
            L3Type = l3,
            L4Type = l4,
            L3Checksum = l3Checksum,
            L4Checksum = l4Checksum,
            RssHashType = hash,
            HeaderLength = headerLength,
            Timestamp = clock is not null && c.HwtstampValid ? clock.Extend(c.Ts) : null,
        };
    }

    /// <summary>
    /// The verdicts a stack draws from GQI's complete sum: the IPv4 header's from its bytes; TCP/UDP's from
    /// <paramref name="csum"/> (the sum of the L3 header and the rest, stored in packet byte order) less the IP header's sum,
    /// plus the pseudo-header.
    /// </summary>
    private static void GqiChecksums(ReadOnlySpan<byte> frame, ushort csum, bool ipv4, bool ipv6, bool tcp, bool udp, bool frag, out RxChecksum l3, out RxChecksum l4)
    {
        l3 = RxChecksum.Unknown;
        l4 = RxChecksum.Unknown;
        if (!(ipv4 || ipv6) || frame.Length < 14) return;
        int off = 14;
        int type = frame[12] << 8 | frame[13];
        if (type == EtherTypeVlan && frame.Length >= 18)
        {
            type = frame[16] << 8 | frame[17];
            off = 18;
        }
        // The device stored the network-order sum's bytes as they are; read little-endian, the value is byte-swapped.
        uint sum = (uint)(csum >> 8 | (csum & 0xFF) << 8);
        bool check = (tcp || udp) && !frag && csum != 0;
        int proto = tcp ? 6 : 17;
        if (ipv4)
        {
            if (type != EtherTypeIpv4 || frame.Length < off + 20 || frame[off] >> 4 != 4) return;
            int ihl = (frame[off] & 0xF) * 4;
            if (ihl < 20 || frame.Length < off + ihl) return;
            uint header = Sum(frame.Slice(off, ihl), 0);
            l3 = Fold(header) == 0xFFFF ? RxChecksum.Good : RxChecksum.Bad;
            if (!check || frame[off + 9] != proto) return;
            int l4Length = (frame[off + 2] << 8 | frame[off + 3]) - ihl;
            if (l4Length < (tcp ? 20 : 8) || frame.Length < off + ihl + (tcp ? 18 : 8)) return;
            if (udp && frame[off + ihl + 6] == 0 && frame[off + ihl + 7] == 0)
            {
                l4 = RxChecksum.Good; // IPv4 UDP without a checksum (RFC 768): nothing to verify, nothing wrong
                return;
            }
            uint pseudo = Sum(frame.Slice(off + 12, 8), (uint)proto + (uint)l4Length);
            l4 = Verdict(sum, header, pseudo);
            return;
        }
        if (type != EtherTypeIpv6 || frame.Length < off + 40 || frame[off] >> 4 != 6 || !check || frame[off + 6] != proto) return;
        int payload = frame[off + 4] << 8 | frame[off + 5];
        if (payload < (tcp ? 20 : 8)) return;
        uint ipHeader = Sum(frame.Slice(off, 40), 0);
        uint pseudo6 = Sum(frame.Slice(off + 8, 32), (uint)proto + (uint)payload);
        l4 = Verdict(sum, ipHeader, pseudo6);
    }

    /// <summary>Good when the transport bytes (<paramref name="total"/> less <paramref name="header"/>) plus <paramref name="pseudo"/> sum to all ones.</summary>
    private static RxChecksum Verdict(uint total, uint header, uint pseudo)
    {
        uint transport = total + (~Fold(header) & 0xFFFF);
        return Fold(transport + Fold(pseudo)) == 0xFFFF ? RxChecksum.Good : RxChecksum.Bad;
    }

    /// <summary>The ones'-complement sum of <paramref name="data"/> as big-endian 16-bit words, plus <paramref name="initial"/> (unfolded).</summary>
    private static uint Sum(ReadOnlySpan<byte> data, uint initial) => initial + InternetChecksum.SumBigEndian(data);

    private static uint Fold(uint sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum;
    }
}
