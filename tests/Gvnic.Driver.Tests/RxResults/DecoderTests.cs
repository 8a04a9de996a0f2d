using System;
using Gvnic.Driver.DataPlane;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.RxResults;

/// <summary>The decoding of the packet-type map and of DQO completion fields, on hand-made bytes (hostile ones included).</summary>
public class DecoderTests
{
    private static byte[] Map(params (int Index, byte L3, byte L4)[] entries)
    {
        var map = new byte[PtypeMap.Size];
        foreach (var e in entries)
        {
            map[e.Index * 2] = e.L3;
            map[e.Index * 2 + 1] = e.L4;
        }
        return map;
    }

    [Fact]
    public void ThePtypeMapDecodesEachEntrysBytes_AndValuesItDoesNotKnowReadUnknown()
    {
        PacketTypes t = PacketTypes.Decode(Map((1, 2, 2), (2, 3, 3), (3, 2, 4), (4, 3, 5), (5, 1, 1), (6, 0xFF, 0x09), (1023, 3, 2)));
        Assert.Equal(1024, t.Count);
        Assert.Equal((RxL3Type.Ipv4, RxL4Type.Tcp, RxFlags.Ipv4 | RxFlags.Tcp), (t.L3(1), t.L4(1), t.Flags(1)));
        Assert.Equal((RxL3Type.Ipv6, RxL4Type.Udp, RxFlags.Ipv6 | RxFlags.Udp), (t.L3(2), t.L4(2), t.Flags(2)));
        Assert.Equal((RxL3Type.Ipv4, RxL4Type.Icmp, RxFlags.Ipv4), (t.L3(3), t.L4(3), t.Flags(3)));
        Assert.Equal((RxL3Type.Ipv6, RxL4Type.Sctp, RxFlags.Ipv6), (t.L3(4), t.L4(4), t.Flags(4)));
        Assert.Equal((RxL3Type.Other, RxL4Type.Other, RxFlags.None), (t.L3(5), t.L4(5), t.Flags(5)));
        Assert.Equal((RxL3Type.Unknown, RxL4Type.Unknown, RxFlags.None), (t.L3(6), t.L4(6), t.Flags(6)));
        Assert.Equal((RxL3Type.Ipv6, RxL4Type.Tcp), (t.L3(1023), t.L4(1023)));
        Assert.Equal(RxL3Type.Unknown, t.L3(0));
        // Outside the map (a packet_type is 10 bits, so only a shorter map could be outside): unknown, no exception.
        Assert.Equal((RxL3Type.Unknown, RxL4Type.Unknown, RxFlags.None), (t.L3(1024), t.L4(-1), t.Flags(5000)));
        Assert.Equal(5, t.Known);
        Assert.Equal(RxL3Type.Unknown, PacketTypes.None.L3(1));
    }

    private static RxComplDescDqo Completion(int ptype, bool processed = true, bool ipErr = false, bool l4Err = false, bool extIpErr = false, bool ipv6Ex = false)
        => new() { PacketType = (ushort)ptype, L3L4Processed = processed, CsumIpErr = ipErr, CsumL4Err = l4Err, CsumExternalIpErr = extIpErr, Ipv6ExAdd = ipv6Ex, Hash = 0xA1B2C3D4, Ts = 77 };

    [Fact]
    public void DqoChecksumBitsDecodeAsUpstreamReadsThem()
    {
        PacketTypes t = PacketTypes.Decode(Map((1, 2, 2), (2, 3, 3), (3, 2, 1), (4, 1, 0)));
        RxInfo Decode(RxComplDescDqo c) => RxResultDecoder.Dqo(in c, t, 100, 3, 0, null);

        RxInfo good = Decode(Completion(1));
        Assert.Equal((RxChecksum.Good, RxChecksum.Good, RssHashType.L4, 0xA1B2C3D4u, 3), (good.L3Checksum, good.L4Checksum, good.RssHashType, good.RssHash, good.Queue));
        Assert.Null(good.Timestamp); // no clock: timestamps are off
        Assert.Equal((RxChecksum.Bad, RxChecksum.Good), (Decode(Completion(1, ipErr: true)).L3Checksum, Decode(Completion(1, ipErr: true)).L4Checksum));
        Assert.Equal(RxChecksum.Bad, Decode(Completion(1, extIpErr: true)).L3Checksum);
        Assert.Equal(RxChecksum.Bad, Decode(Completion(1, l4Err: true)).L4Checksum);
        // Not processed: nothing is known, whatever the error bits say.
        RxInfo unprocessed = Decode(Completion(1, processed: false, ipErr: true, l4Err: true));
        Assert.Equal((RxChecksum.Unknown, RxChecksum.Unknown), (unprocessed.L3Checksum, unprocessed.L4Checksum));
        // IPv6: no header checksum; with extension headers upstream does not trust the L4 result.
        RxInfo v6 = Decode(Completion(2));
        Assert.Equal((RxChecksum.Unknown, RxChecksum.Good), (v6.L3Checksum, v6.L4Checksum));
        Assert.Equal(RxChecksum.Unknown, Decode(Completion(2, ipv6Ex: true)).L4Checksum);
        // L4 "other" (a fragment): no L4 verdict, an L4 hash as upstream's gve_rx_skb_hash gives any known L4 type.
        RxInfo fragment = Decode(Completion(3));
        Assert.Equal((RxChecksum.Good, RxChecksum.Unknown, RssHashType.L4), (fragment.L3Checksum, fragment.L4Checksum, fragment.RssHashType));
        Assert.Equal(RssHashType.L3, Decode(Completion(4)).RssHashType);
        Assert.Equal(RssHashType.L2, Decode(Completion(9)).RssHashType);
    }
}

/// <summary>The GQI IPv4 header checksum verdict (the driver sums the header itself) against a plain 16-bit reference sum.</summary>
public class GqiHeaderChecksumTests
{
    private static uint ReferenceSum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum;
    }

    [Fact]
    public void EveryHeaderLengthAndContent_GivesTheReferenceVerdict()
    {
        var random = new Random(1405);
        int good = 0, bad = 0;
        for (int round = 0; round < 4000; round++)
        {
            int ihl = 5 + round % 11;
            var frame = new byte[14 + ihl * 4 + 8];
            random.NextBytes(frame);
            frame[12] = 0x08;
            frame[13] = 0x00;
            if (round % 7 == 0) frame.AsSpan(14, ihl * 4).Fill(0xFF); // all ones: the sum's carries at their most
            frame[14] = (byte)(0x40 | ihl);
            if (round % 2 == 0)
            {
                // A correct header checksum: the complement of the sum with the field zeroed.
                frame[24] = 0;
                frame[25] = 0;
                ushort checksum = (ushort)~ReferenceSum(frame.AsSpan(14, ihl * 4));
                frame[24] = (byte)(checksum >> 8);
                frame[25] = (byte)checksum;
            }
            RxChecksum expected = ReferenceSum(frame.AsSpan(14, ihl * 4)) == 0xFFFF ? RxChecksum.Good : RxChecksum.Bad;
            var d = new RxDesc { Ipv4 = true, Len = (ushort)(frame.Length + 2) };
            RxInfo info = RxResultDecoder.Gqi(in d, frame.Length, 0, frame);
            Assert.Equal(expected, info.L3Checksum);
            if (expected == RxChecksum.Good) good++;
            else bad++;
        }
        Assert.True(good > 1000 && bad > 1000, good + " good, " + bad + " bad");
    }
}
