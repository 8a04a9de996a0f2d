using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>The TX offloads the device performs: L4 checksums and TCP segmentation.</summary>
internal static class Offloads
{
    /// <summary>
    /// Partial-checksum completion (GQI): the driver left the pseudo-header sum in the checksum field; the device sums
    /// from <paramref name="start"/> to the end of the IP packet (<see cref="L4End"/>: not into Ethernet padding) and
    /// stores the complement at <paramref name="field"/>; a UDP result of 0 is sent as 0xFFFF (RFC 768, RFC 8200 8.1).
    /// The caller has checked <paramref name="start"/> ≤ <paramref name="field"/> and <paramref name="field"/> + 2 ≤ the frame's length.
    /// </summary>
    public static void CompletePartialChecksum(Span<byte> frame, int start, int field)
    {
        FrameInfo info = FrameInfo.Parse(frame);
        int end = L4End(frame, info, start);
        ushort sum = FrameInfo.OnesComplementSumBe(frame.Slice(start, end - start));
        ushort csum = (ushort)~sum;
        if (csum == 0 && info.L4 == L4Type.Udp) csum = 0xFFFF;
        frame[field] = (byte)(csum >> 8);
        frame[field + 1] = (byte)csum;
    }

    /// <summary>
    /// Where the bytes an L4 checksum covers end: the end of the IP packet (IPv4: L3 offset + total length; IPv6: L3
    /// offset + 40 + payload length), not the end of the frame, which may carry Ethernet padding after it. Clamped to
    /// <paramref name="from"/> … the frame's length: a length that ends before <paramref name="from"/> (malformed) gives
    /// <paramref name="from"/> (nothing to sum), one that runs past the frame (cut short) the frame's end. A frame that is
    /// not IPv4 or IPv6 ends at the frame's end.
    /// </summary>
    public static int L4End(ReadOnlySpan<byte> frame, in FrameInfo info, int from)
    {
        int end = frame.Length;
        int l3 = info.L3Offset;
        if (info.L3 == L3Type.Ipv4 && l3 >= 0 && l3 + 4 <= frame.Length)
            end = l3 + (frame[l3 + 2] << 8 | frame[l3 + 3]);
        else if (info.L3 == L3Type.Ipv6 && l3 >= 0 && l3 + 40 <= frame.Length)
            end = l3 + 40 + (frame[l3 + 4] << 8 | frame[l3 + 5]);
        return Math.Clamp(end, Math.Min(Math.Max(from, 0), frame.Length), frame.Length);
    }

    /// <summary>
    /// Computes the TCP or UDP checksum of an IP frame from scratch (DQO checksum offload, TSO segments) over the L4
    /// bytes up to the end of the IP packet (<see cref="L4End"/>); a UDP result of 0 is sent as 0xFFFF. False, the frame
    /// untouched, when it is not TCP/UDP over IP, a fragment, or its checksum field lies outside the IP packet.
    /// </summary>
    public static bool ComputeL4Checksum(Span<byte> frame)
    {
        FrameInfo info = FrameInfo.Parse(frame);
        if (info.L4 is not (L4Type.Tcp or L4Type.Udp) || info.Fragment || info.L4Offset < 0) return false;
        int field = info.L4Offset + (info.L4 == L4Type.Tcp ? 16 : 6);
        int end = L4End(frame, info, info.L4Offset);
        if (field + 2 > end) return false;
        frame[field] = 0;
        frame[field + 1] = 0;
        int l4Len = end - info.L4Offset;
        byte proto = info.L4 == L4Type.Tcp ? (byte)6 : (byte)17;
        Span<byte> pseudo = stackalloc byte[40];
        int plen;
        if (info.L3 == L3Type.Ipv4)
        {
            frame.Slice(info.L3Offset + 12, 8).CopyTo(pseudo);
            pseudo[8] = 0;
            pseudo[9] = proto;
            pseudo[10] = (byte)(l4Len >> 8);
            pseudo[11] = (byte)l4Len;
            plen = 12;
        }
        else
        {
            frame.Slice(info.L3Offset + 8, 32).CopyTo(pseudo);
            plen = 40;
            // IPv6 pseudo-header: addresses, 32-bit length, 3 zero bytes, next header; folded into the address sum below.
        }
        uint sum = FrameInfo.OnesComplementSumBe(pseudo.Slice(0, plen));
        if (info.L3 == L3Type.Ipv6) sum += (uint)(l4Len >> 16) + (uint)(l4Len & 0xFFFF) + proto;
        sum += FrameInfo.OnesComplementSumBe(frame.Slice(info.L4Offset, l4Len));
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        ushort csum = (ushort)~sum;
        if (csum == 0 && info.L4 == L4Type.Udp) csum = 0xFFFF;
        frame[field] = (byte)(csum >> 8);
        frame[field + 1] = (byte)csum;
        return true;
    }

    /// <summary>Splits a TCP super-frame into frames of at most <paramref name="mss"/> payload bytes; null when it is not TCP over IP.</summary>
    public static List<byte[]>? SegmentTcp(byte[] frame, int mss)
    {
        FrameInfo info = FrameInfo.Parse(frame);
        if (info.L4 != L4Type.Tcp || info.L4Offset < 0 || mss <= 0 || frame.Length < info.L4Offset + 20) return null;
        int tcpHdr = (frame[info.L4Offset + 12] >> 4) * 4;
        int hdr = info.L4Offset + tcpHdr;
        if (tcpHdr < 20 || hdr > frame.Length) return null;
        int payload = frame.Length - hdr;
        var list = new List<byte[]>();
        uint seq = (uint)(frame[info.L4Offset + 4] << 24 | frame[info.L4Offset + 5] << 16 | frame[info.L4Offset + 6] << 8 | frame[info.L4Offset + 7]);
        int ipId = info.L3 == L3Type.Ipv4 ? frame[info.L3Offset + 4] << 8 | frame[info.L3Offset + 5] : 0;
        byte flags = frame[info.L4Offset + 13];
        int segments = Math.Max(1, (payload + mss - 1) / mss);
        for (int i = 0; i < segments; i++)
        {
            int off = i * mss;
            int len = Math.Min(mss, payload - off);
            var seg = new byte[hdr + len];
            frame.AsSpan(0, hdr).CopyTo(seg);
            frame.AsSpan(hdr + off, len).CopyTo(seg.AsSpan(hdr));
            uint s = seq + (uint)off;
            seg[info.L4Offset + 4] = (byte)(s >> 24);
            seg[info.L4Offset + 5] = (byte)(s >> 16);
            seg[info.L4Offset + 6] = (byte)(s >> 8);
            seg[info.L4Offset + 7] = (byte)s;
            byte f = flags;
            if (i != segments - 1) f &= unchecked((byte)~0x09); // FIN, PSH only on the last segment
            if (i != 0) f &= unchecked((byte)~0x80); // CWR only on the first
            seg[info.L4Offset + 13] = f;
            if (info.L3 == L3Type.Ipv4)
            {
                int total = seg.Length - info.L3Offset;
                seg[info.L3Offset + 2] = (byte)(total >> 8);
                seg[info.L3Offset + 3] = (byte)total;
                int id = (ipId + i) & 0xFFFF;
                seg[info.L3Offset + 4] = (byte)(id >> 8);
                seg[info.L3Offset + 5] = (byte)id;
                seg[info.L3Offset + 10] = 0;
                seg[info.L3Offset + 11] = 0;
                ushort c = (ushort)~FrameInfo.OnesComplementSumBe(seg.AsSpan(info.L3Offset, info.L3HeaderLength));
                seg[info.L3Offset + 10] = (byte)(c >> 8);
                seg[info.L3Offset + 11] = (byte)c;
            }
            else
            {
                int plen = seg.Length - info.L3Offset - 40;
                seg[info.L3Offset + 4] = (byte)(plen >> 8);
                seg[info.L3Offset + 5] = (byte)plen;
            }
            ComputeL4Checksum(seg);
            list.Add(seg);
        }
        return list;
    }
}
