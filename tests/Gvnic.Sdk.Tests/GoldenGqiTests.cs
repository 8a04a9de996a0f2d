using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Golden images of the GQI descriptors (layouts-gqi.md, gqi.md): big-endian; type_flags has the descriptor
/// type in the high nibble (0x00 std, 0x10 tso, 0x20 seg, 0x30 mtd) and flags in the low nibble; rx_desc
/// flags_seq is a big-endian u16 with seqno in bits 0..2 and flag x in bit 3+x.
/// </summary>
public class GoldenGqiTests
{
    internal const string PktHex =
        "15" +               // type_flags at 0: type tso (0x10) | tstamp (bit 2, 0x4) | l4_csum (bit 0, 0x1)
        "08" +               // l4_csum_offset at 1
        "11" +               // l4_hdr_offset at 2
        "03" +               // desc_cnt at 3
        "05DC" +             // len (be16) at 4: 1500
        "00B6" +             // seg_len (be16) at 6: 182
        "0000000000123000";  // seg_addr (be64) at 8

    internal static void FillPkt(ref TxPktDesc d)
    {
        d.Type = TxdType.Tso;
        d.L4Csum = true;
        d.Tstamp = true;
        d.L4CsumOffset = 8;
        d.L4HdrOffset = 0x11;
        d.DescCnt = 3;
        d.Len = 1500;
        d.SegLen = 182;
        d.SegAddr = 0x123000;
    }

    [Fact]
    public void TxPktDesc_Golden()
    {
        var v = new TxPktDesc();
        FillPkt(ref v);
        Hex.Equal(PktHex, Codec.Encode(TxPktDesc.Size, v.Write));

        var r = TxPktDesc.Read(Hex.Parse(PktHex));
        Assert.Equal((byte)0x15, r.TypeFlags);
        Assert.Equal(TxdType.Tso, r.Type);
        Assert.True(r.L4Csum);
        Assert.True(r.Tstamp);
        Assert.Equal((byte)0, r.FlagsReserved1);
        Assert.Equal((byte)0, r.FlagsReserved3);
        Assert.Equal((byte)8, r.L4CsumOffset);
        Assert.Equal((byte)0x11, r.L4HdrOffset);
        Assert.Equal((byte)3, r.DescCnt);
        Assert.Equal((ushort)1500, r.Len);
        Assert.Equal((ushort)182, r.SegLen);
        Assert.Equal(0x123000UL, r.SegAddr);
        Assert.Equal(GvnicConstants.TxdTso | GvnicConstants.TxfTstamp | GvnicConstants.TxfL4csum, r.TypeFlags);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(PktHex);
        ref var view = ref TxPktDesc.AsRef(img);
        view.Type = TxdType.Std;
        Hex.ChangedOnly(PktHex, img, 0, "05");
        view.L4Csum = false;
        Hex.ChangedOnly(PktHex, img, 0, "04");
        view.SegLen = 0x0A0B;
        Hex.ChangedOnly(PktHex, img, (0, "04"), (6, "0A0B"));
    }

    internal const string SegHex =
        "22" +               // type_flags at 0: type seg (0x20) | ipv6 (bit 1, 0x2)
        "07" +               // l3_offset at 1
        "0000" +             // reserved (be16) at 2
        "05A0" +             // mss (be16) at 4: 1440
        "0400" +             // seg_len (be16) at 6
        "FEDCBA9876543210";  // seg_addr (be64) at 8

    internal static void FillSeg(ref TxSegDesc d)
    {
        d.Type = TxdType.Seg;
        d.Ipv6 = true;
        d.L3Offset = 7;
        d.Mss = 1440;
        d.SegLen = 0x400;
        d.SegAddr = 0xFEDCBA9876543210;
    }

    [Fact]
    public void TxSegDesc_Golden()
    {
        var v = new TxSegDesc();
        FillSeg(ref v);
        Hex.Equal(SegHex, Codec.Encode(TxSegDesc.Size, v.Write));

        var r = TxSegDesc.Read(Hex.Parse(SegHex));
        Assert.Equal(TxdType.Seg, r.Type);
        Assert.True(r.Ipv6);
        Assert.Equal((byte)0, r.FlagsReserved0);
        Assert.Equal((byte)0, r.FlagsReserved2);
        Assert.Equal((byte)(GvnicConstants.TxdSeg | GvnicConstants.TxsfIpv6), r.TypeFlags);
        Assert.Equal((byte)7, r.L3Offset);
        Assert.Equal((ushort)0, r.Reserved);
        Assert.Equal((ushort)1440, r.Mss);
        Assert.Equal((ushort)0x400, r.SegLen);
        Assert.Equal(0xFEDCBA9876543210UL, r.SegAddr);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(SegHex);
        ref var view = ref TxSegDesc.AsRef(img);
        view.Ipv6 = false;
        view.Mss = 0x0102;
        Hex.ChangedOnly(SegHex, img, (0, "20"), (4, "0102"));
    }

    internal const string MtdHex =
        "30" +               // type_flags at 0: type mtd (0x30) | subtype path (0)
        "13" +               // path_state at 1: hash_type l4 (high nibble 1) | state retransmit (3)
        "0000" +             // reserved0 (be16) at 2
        "89ABCDEF" +         // path_hash (be32) at 4
        "0000000000000000";  // reserved1 (be64) at 8

    internal static void FillMtd(ref TxMtdDesc d)
    {
        d.Type = TxdType.Mtd;
        d.Subtype = MtdSubtype.Path;
        d.State = MtdPathState.Retransmit;
        d.HashType = MtdPathHash.L4;
        d.PathHash = 0x89ABCDEF;
    }

    [Fact]
    public void TxMtdDesc_Golden()
    {
        var v = new TxMtdDesc();
        FillMtd(ref v);
        Hex.Equal(MtdHex, Codec.Encode(TxMtdDesc.Size, v.Write));

        var r = TxMtdDesc.Read(Hex.Parse(MtdHex));
        Assert.Equal(TxdType.Mtd, r.Type);
        Assert.Equal(MtdSubtype.Path, r.Subtype);
        Assert.Equal(GvnicConstants.TxdMtd, r.TypeFlags);
        Assert.Equal(MtdPathState.Retransmit, r.State);
        Assert.Equal(MtdPathHash.L4, r.HashType);
        Assert.Equal((byte)(GvnicConstants.MtdPathHashL4 | GvnicConstants.MtdPathStateRetransmit), r.PathState);
        Assert.Equal((ushort)0, r.Reserved0);
        Assert.Equal(0x89ABCDEFu, r.PathHash);
        Assert.Equal(0UL, r.Reserved1);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(MtdHex);
        ref var view = ref TxMtdDesc.AsRef(img);
        view.State = MtdPathState.Congestion;
        Hex.ChangedOnly(MtdHex, img, 1, "12");
        view.HashType = MtdPathHash.None;
        Hex.ChangedOnly(MtdHex, img, 1, "02");
    }

    [Fact]
    public void TxDesc_Union_Golden()
    {
        // Packet descriptor: type std/tso selects pkt.
        var pkt = new TxDesc();
        FillPkt(ref pkt.Pkt);
        Hex.Equal(PktHex, Codec.Encode(TxDesc.Size, pkt.Write));
        var rp = TxDesc.Read(Hex.Parse(PktHex));
        Assert.True(rp.IsPkt);
        Assert.False(rp.IsSeg);
        Assert.False(rp.IsMtd);
        Assert.Equal((ushort)1500, rp.Pkt.Len);
        Assert.Equal(0x123000UL, rp.Pkt.SegAddr);
        Valid.Clean(rp.Validate);

        // A standard packet descriptor (type 0) is a pkt too.
        var std = Hex.Parse(PktHex);
        TxDesc.AsRef(std).Pkt.Type = TxdType.Std;
        Hex.ChangedOnly(PktHex, std, 0, "05");
        Assert.True(TxDesc.AsReadOnly(std).IsPkt);

        // Segment descriptor.
        var seg = new TxDesc();
        FillSeg(ref seg.Seg);
        Hex.Equal(SegHex, Codec.Encode(TxDesc.Size, seg.Write));
        var rs = TxDesc.Read(Hex.Parse(SegHex));
        Assert.False(rs.IsPkt);
        Assert.True(rs.IsSeg);
        Assert.False(rs.IsMtd);
        Assert.Equal((ushort)1440, rs.Seg.Mss);
        Assert.True(rs.Seg.Ipv6);
        Valid.Clean(rs.Validate);

        // Metadata descriptor.
        var mtd = new TxDesc();
        FillMtd(ref mtd.Mtd);
        Hex.Equal(MtdHex, Codec.Encode(TxDesc.Size, mtd.Write));
        var rm = TxDesc.Read(Hex.Parse(MtdHex));
        Assert.False(rm.IsPkt);
        Assert.False(rm.IsSeg);
        Assert.True(rm.IsMtd);
        Assert.Equal(0x89ABCDEFu, rm.Mtd.PathHash);
        Valid.Clean(rm.Validate);
    }

    internal static readonly string RxDescHex =
        Hex.Seq(0x80, 48) +  // padding[48] at 0 (reserved, ignored): 80 81 ... AF
        "12345678" +         // rss_hash (be32) at 48
        "05A8" +             // mss (be16) at 52
        "ABCD" +             // reserved (be16) at 54 (reserved, ignored)
        "36" +               // hdr_len at 56
        "01" +               // hdr_off at 57
        "EFBE" +             // csum (le16) at 58: 0xBEEF, least significant byte first
        "05EA" +             // len (be16) at 60: 1514
        "2285";              // flags_seq (be16) at 62: packet_cont (bit 13) | tcp (bit 9) | ipv4 (bit 7) | seqno 5

    [Fact]
    public void RxDesc_Golden()
    {
        var v = new RxDesc { RssHash = 0x12345678, Mss = 0x5A8, Reserved = 0xABCD, HdrLen = 0x36, HdrOff = 1, Csum = 0xBEEF, Len = 1514 };
        for (int i = 0; i < RxDesc.PaddingLength; i++) v.SetPadding(i, (byte)(0x80 + i));
        v.Seqno = 5;
        v.Ipv4 = true;
        v.Tcp = true;
        v.PacketCont = true;
        Hex.Equal(RxDescHex, Codec.Encode(RxDesc.Size, v.Write));

        var r = RxDesc.Read(Hex.Parse(RxDescHex));
        Assert.Equal(48, RxDesc.PaddingLength);
        Assert.Equal(Hex.Parse(Hex.Seq(0x80, 48)), r.Padding.ToArray());
        Assert.Equal(0x12345678u, r.RssHash);
        Assert.Equal((ushort)0x5A8, r.Mss);
        Assert.Equal((ushort)0xABCD, r.Reserved);
        Assert.Equal((byte)0x36, r.HdrLen);
        Assert.Equal((byte)1, r.HdrOff);
        Assert.Equal((ushort)0xBEEF, r.Csum);
        Assert.Equal((ushort)1514, r.Len);
        Assert.Equal((ushort)0x2285, r.FlagsSeq);
        Assert.Equal((ushort)5, r.Seqno);
        Assert.Equal((ushort)0, r.FlagsReserved0);
        Assert.False(r.Frag);
        Assert.True(r.Ipv4);
        Assert.False(r.Ipv6);
        Assert.True(r.Tcp);
        Assert.False(r.Udp);
        Assert.False(r.Err);
        Assert.Equal((ushort)0, r.FlagsReserved1);
        Assert.True(r.PacketCont);
        Assert.Equal((ushort)0, r.FlagsReserved2);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(RxDescHex);
        ref var view = ref RxDesc.AsRef(img);
        view.Seqno = 6;
        Hex.ChangedOnly(RxDescHex, img, 62, "2286");
        view.Err = true; // flag x = 8: bit 11
        Hex.ChangedOnly(RxDescHex, img, 62, "2A86");
        view.Csum = 0x1234;
        Hex.ChangedOnly(RxDescHex, img, (58, "3412"), (62, "2A86"));
    }

    [Fact]
    public void RxDesc_FlagsSeq_ComplementGolden()
    {
        // The other flags: seqno 2, flags_reserved0 7 (bits 3..5), frag (x=3, bit 6), ipv6 (x=5, bit 8),
        // udp (x=7, bit 10), err (x=8, bit 11), flags_reserved1 (bit 12), flags_reserved2 3 (bits 14..15):
        // 0x0002 | 0x0038 | 0x0040 | 0x0100 | 0x0400 | 0x0800 | 0x1000 | 0xC000 = 0xDD7A, big-endian at 62.
        string golden = Hex.Zeros(62) + "DD7A";
        var v = new RxDesc { Seqno = 2, FlagsReserved0 = 7, Frag = true, Ipv6 = true, Udp = true, Err = true, FlagsReserved1 = 1, FlagsReserved2 = 3 };
        Hex.Equal(golden, Codec.Encode(RxDesc.Size, v.Write));
        var r = RxDesc.Read(Hex.Parse(golden));
        Assert.Equal((ushort)2, r.Seqno);
        Assert.Equal((ushort)7, r.FlagsReserved0);
        Assert.True(r.Frag);
        Assert.False(r.Ipv4);
        Assert.True(r.Ipv6);
        Assert.False(r.Tcp);
        Assert.True(r.Udp);
        Assert.True(r.Err);
        Assert.Equal((ushort)1, r.FlagsReserved1);
        Assert.False(r.PacketCont);
        Assert.Equal((ushort)3, r.FlagsReserved2);
        Valid.Clean(r.Validate); // the unused flag bits are reserved: ignore
    }

    [Fact]
    public void RxDataSlot_Union_Golden()
    {
        const string qpl = "0000000000003000"; // qpl_offset (be64) at 0
        var v = new RxDataSlot { QplOffset = 0x3000 };
        Hex.Equal(qpl, Codec.Encode(RxDataSlot.Size, v.Write));
        var r = RxDataSlot.Read(Hex.Parse(qpl));
        Assert.Equal(0x3000UL, r.QplOffset);
        Assert.Equal(0x3000UL, r.Addr); // plain overlay: the same 8 bytes
        Valid.Clean(r.Validate);

        const string rda = "0000000123456789"; // addr (be64) at 0
        var a = new RxDataSlot { Addr = 0x0000000123456789 };
        Hex.Equal(rda, Codec.Encode(RxDataSlot.Size, a.Write));
        Assert.Equal(0x0000000123456789UL, RxDataSlot.Read(Hex.Parse(rda)).Addr);

        var img = Hex.Parse(qpl);
        RxDataSlot.AsRef(img).Addr = 0x8877665544332211;
        Hex.ChangedOnly(qpl, img, 0, "8877665544332211");
        Assert.Equal(0x8877665544332211UL, RxDataSlot.AsReadOnly(img).QplOffset);
    }
}
