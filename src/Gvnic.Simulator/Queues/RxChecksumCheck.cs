using System;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>
/// The checks a DQO device makes on a received frame before it writes the completion's checksum bits: the IPv4 header
/// checksum, and the TCP, UDP or ICMP checksum (with the pseudo-header where the protocol has one), over the lengths the
/// IP header gives. A frame it cannot check whole (not IP, SCTP, whose CRC32c this model does not compute, or IP lengths
/// that run past the frame) is left unprocessed (<c>l3_l4_processed</c> 0); a fragment is processed at L3 only (its
/// packet type carries L4 Other).
/// </summary>
internal static class RxChecksumCheck
{
    /// <summary>What the device writes: l3_l4_processed, csum_ip_err, csum_l4_err, ipv6_ex_add.</summary>
    public readonly record struct Result(bool Processed, bool IpError, bool L4Error, bool Ipv6ExtensionHeaders);

    public static Result Check(ReadOnlySpan<byte> frame, in FrameInfo info)
    {
        if (info.L3 is not (L3Type.Ipv4 or L3Type.Ipv6) || info.L3Offset < 0) return default;
        int l3 = info.L3Offset;
        bool ipError = false;
        int l4Length;
        bool extension = false;
        if (info.L3 == L3Type.Ipv4)
        {
            int total = frame[l3 + 2] << 8 | frame[l3 + 3];
            if (total < info.L3HeaderLength || l3 + total > frame.Length) return default;
            ipError = FrameInfo.OnesComplementSumBe(frame.Slice(l3, info.L3HeaderLength)) != 0xFFFF;
            l4Length = total - info.L3HeaderLength;
        }
        else
        {
            int payload = frame[l3 + 4] << 8 | frame[l3 + 5];
            if (l3 + 40 + payload > frame.Length) return default;
            byte next = frame[l3 + 6];
            extension = next is 43 or 60; // a routing or destination-options header (upstream's ipv6_ex_add)
            l4Length = l3 + 40 + payload - info.L4Offset;
        }
        if (info.Fragment || info.L4 is L4Type.Other or L4Type.Unknown) return new Result(true, ipError, false, extension);
        if (info.L4 == L4Type.Sctp || info.L4Offset < 0 || l4Length < 0) return default;
        ReadOnlySpan<byte> l4 = frame.Slice(info.L4Offset, l4Length);
        bool l4Error = info.L4 switch
        {
            L4Type.Tcp => l4.Length < 20 || Fold(PseudoHeader(frame, info, 6, l4.Length) + FrameInfo.OnesComplementSumBe(l4)) != 0xFFFF,
            L4Type.Udp => l4.Length < 8 || (info.L3 == L3Type.Ipv4 && l4[6] == 0 && l4[7] == 0 ? false // IPv4 UDP without a checksum
                : Fold(PseudoHeader(frame, info, 17, l4.Length) + FrameInfo.OnesComplementSumBe(l4)) != 0xFFFF),
            L4Type.Icmp when info.L3 == L3Type.Ipv4 => l4.Length < 4 || FrameInfo.OnesComplementSumBe(l4) != 0xFFFF,
            L4Type.Icmp => l4.Length < 4 || Fold(PseudoHeader(frame, info, 58, l4.Length) + FrameInfo.OnesComplementSumBe(l4)) != 0xFFFF,
            _ => false,
        };
        return new Result(true, ipError, l4Error, extension);
    }

    /// <summary>The sum of the pseudo-header: the addresses, the protocol and the transport length.</summary>
    private static uint PseudoHeader(ReadOnlySpan<byte> frame, in FrameInfo info, int protocol, int length)
    {
        ReadOnlySpan<byte> addresses = info.L3 == L3Type.Ipv4 ? frame.Slice(info.L3Offset + 12, 8) : frame.Slice(info.L3Offset + 8, 32);
        return FrameInfo.OnesComplementSumBe(addresses) + (uint)protocol + (uint)(length >> 16) + (uint)(length & 0xFFFF);
    }

    private static uint Fold(uint sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum;
    }
}
