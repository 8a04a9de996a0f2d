using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Golden images of the DQO descriptors (layouts-dqo.md, dqo.md): little-endian, so multi-byte values show
/// their least significant byte first; bit positions count from the least significant bit of the container's
/// value (the reference's "byte b, bit k" is bit 8 x (b - container offset) + k).
/// </summary>
public class GoldenDqoTests
{
    internal const string PktHex =
        "8067452301000000" + // buf_addr (le64) at 0: 0x0000000123456780
        "6C" +               // dtype_flags at 8: checksum_offload_enable (bit 6) | end_of_packet (bit 5) | dtype 0xC
        "00" +               // reserved0 at 9
        "0000" +             // reserved1 (le16) at 10
        "3412" +             // compl_tag (le16) at 12: 0x1234
        "BC2A";              // buf_size_word (le16) at 14: buf_size 0x2ABC in bits 0..13, reserved2 0

    internal static void FillPkt(ref TxPktDescDqo d)
    {
        d.BufAddr = 0x0000000123456780;
        d.Dtype = TxDescDtypeDqo.Packet;
        d.EndOfPacket = true;
        d.ChecksumOffloadEnable = true;
        d.ComplTag = 0x1234;
        d.BufSize = 0x2ABC;
    }

    [Fact]
    public void TxPktDescDqo_Golden()
    {
        var v = new TxPktDescDqo();
        FillPkt(ref v);
        Hex.Equal(PktHex, Codec.Encode(TxPktDescDqo.Size, v.Write));

        var r = TxPktDescDqo.Read(Hex.Parse(PktHex));
        Assert.Equal(0x0000000123456780UL, r.BufAddr);
        Assert.Equal((byte)0x6C, r.DtypeFlags);
        Assert.Equal(TxDescDtypeDqo.Packet, r.Dtype);
        Assert.Equal(GvnicConstants.TxPktDescDtypeDqo, (byte)r.Dtype);
        Assert.True(r.EndOfPacket);
        Assert.True(r.ChecksumOffloadEnable);
        Assert.False(r.ReportEvent);
        Assert.Equal((byte)0, r.Reserved0);
        Assert.Equal((ushort)0, r.Reserved1);
        Assert.Equal((ushort)0x1234, r.ComplTag);
        Assert.Equal((ushort)0x2ABC, r.BufSizeWord);
        Assert.Equal((ushort)0x2ABC, r.BufSize);
        Assert.Equal((ushort)0, r.Reserved2);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(PktHex);
        ref var view = ref TxPktDescDqo.AsRef(img);
        view.ReportEvent = true; // bit 7 of byte 8
        Hex.ChangedOnly(PktHex, img, 8, "EC");
        view.BufSize = (ushort)GvnicConstants.TxMaxBufSizeDqo; // 0x3FFF
        Hex.ChangedOnly(PktHex, img, (8, "EC"), (14, "FF3F"));
    }

    [Fact]
    public void TxContextCmdDtype_Golden()
    {
        const string golden =
            "25" + // dtype_flags at 0: tso (bit 5) | dtype tso_context (0x5)
            "00";  // reserved2 at 1
        var v = new TxContextCmdDtype { Dtype = TxDescDtypeDqo.TsoContext, Tso = true };
        Hex.Equal(golden, Codec.Encode(TxContextCmdDtype.Size, v.Write));
        var r = TxContextCmdDtype.Read(Hex.Parse(golden));
        Assert.Equal(TxDescDtypeDqo.TsoContext, r.Dtype);
        Assert.True(r.Tso);
        Assert.Equal((byte)0, r.Reserved1);
        Assert.Equal((byte)0, r.Reserved2);
        Assert.Equal((byte)0x25, r.DtypeFlags);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        TxContextCmdDtype.AsRef(img).Dtype = TxDescDtypeDqo.GeneralContext;
        Hex.ChangedOnly(golden, img, 0, "24");
    }

    internal const string TsoHex =
        "DEBC0A5A" +     // tso_total_len_word (le32) at 0: flex10 0x5A (bits 24..31) | tso_total_len 0x0ABCDE (bits 0..23)
        "A005" +         // mss_word (le16) at 4: mss 0x05A0 (bits 0..13), reserved 0
        "42" +           // header_len at 6
        "B1" +           // flex11 at 7
        "25" + "00" +    // cmd_dtype at 8: tso | dtype tso_context; reserved2 at 9
        "C0" +           // flex0 at 10
        "C5" +           // flex5 at 11
        "C6" +           // flex6 at 12
        "C7" +           // flex7 at 13
        "C8" +           // flex8 at 14
        "C9";            // flex9 at 15

    internal static void FillTso(ref TxTsoContextDescDqo d)
    {
        d.TsoTotalLen = 0x0ABCDE;
        d.Flex10 = 0x5A;
        d.Mss = 0x5A0;
        d.HeaderLen = 0x42;
        d.Flex11 = 0xB1;
        d.CmdDtype.Dtype = TxDescDtypeDqo.TsoContext;
        d.CmdDtype.Tso = true;
        d.Flex0 = 0xC0;
        d.Flex5 = 0xC5;
        d.Flex6 = 0xC6;
        d.Flex7 = 0xC7;
        d.Flex8 = 0xC8;
        d.Flex9 = 0xC9;
    }

    [Fact]
    public void TxTsoContextDescDqo_Golden()
    {
        var v = new TxTsoContextDescDqo();
        FillTso(ref v);
        Hex.Equal(TsoHex, Codec.Encode(TxTsoContextDescDqo.Size, v.Write));

        var r = TxTsoContextDescDqo.Read(Hex.Parse(TsoHex));
        Assert.Equal(0x5A0ABCDEu, r.TsoTotalLenWord);
        Assert.Equal(0x0ABCDEu, r.TsoTotalLen);
        Assert.Equal(0x5Au, r.Flex10);
        Assert.Equal((ushort)0x5A0, r.MssWord);
        Assert.Equal((ushort)0x5A0, r.Mss);
        Assert.Equal((ushort)0, r.Reserved);
        Assert.Equal((byte)0x42, r.HeaderLen);
        Assert.Equal((byte)0xB1, r.Flex11);
        Assert.Equal(TxDescDtypeDqo.TsoContext, r.CmdDtype.Dtype);
        Assert.True(r.CmdDtype.Tso);
        Assert.Equal((byte)0xC0, r.Flex0);
        Assert.Equal((byte)0xC5, r.Flex5);
        Assert.Equal((byte)0xC6, r.Flex6);
        Assert.Equal((byte)0xC7, r.Flex7);
        Assert.Equal((byte)0xC8, r.Flex8);
        Assert.Equal((byte)0xC9, r.Flex9);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(TsoHex);
        ref var view = ref TxTsoContextDescDqo.AsRef(img);
        view.TsoTotalLen = 0x3FFFF; // dqo_tx_max
        Hex.ChangedOnly(TsoHex, img, 0, "FFFF035A");
        view.Flex10 = 0x01;
        Hex.ChangedOnly(TsoHex, img, 0, "FFFF0301");
        view.CmdDtype.Tso = false;
        Hex.ChangedOnly(TsoHex, img, (0, "FFFF0301"), (8, "05"));
    }

    internal const string GeneralHex =
        "F4F5F6F7F8F9FAFB" + // flex4..flex11 at 0..7
        "04" + "00" +        // cmd_dtype at 8: dtype general_context (0x4), tso clear; reserved2 at 9
        "0000" +             // reserved (le16) at 10
        "F0F1F2F3";          // flex0..flex3 at 12..15

    internal static void FillGeneral(ref TxGeneralContextDescDqo d)
    {
        d.Flex4 = 0xF4; d.Flex5 = 0xF5; d.Flex6 = 0xF6; d.Flex7 = 0xF7;
        d.Flex8 = 0xF8; d.Flex9 = 0xF9; d.Flex10 = 0xFA; d.Flex11 = 0xFB;
        d.CmdDtype.Dtype = TxDescDtypeDqo.GeneralContext;
        d.Flex0 = 0xF0; d.Flex1 = 0xF1; d.Flex2 = 0xF2; d.Flex3 = 0xF3;
    }

    [Fact]
    public void TxGeneralContextDescDqo_Golden()
    {
        var v = new TxGeneralContextDescDqo();
        FillGeneral(ref v);
        Hex.Equal(GeneralHex, Codec.Encode(TxGeneralContextDescDqo.Size, v.Write));

        var r = TxGeneralContextDescDqo.Read(Hex.Parse(GeneralHex));
        Assert.Equal((byte)0xF4, r.Flex4);
        Assert.Equal((byte)0xF5, r.Flex5);
        Assert.Equal((byte)0xF6, r.Flex6);
        Assert.Equal((byte)0xF7, r.Flex7);
        Assert.Equal((byte)0xF8, r.Flex8);
        Assert.Equal((byte)0xF9, r.Flex9);
        Assert.Equal((byte)0xFA, r.Flex10);
        Assert.Equal((byte)0xFB, r.Flex11);
        Assert.Equal(TxDescDtypeDqo.GeneralContext, r.CmdDtype.Dtype);
        Assert.False(r.CmdDtype.Tso);
        Assert.Equal((ushort)0, r.Reserved);
        Assert.Equal((byte)0xF0, r.Flex0);
        Assert.Equal((byte)0xF1, r.Flex1);
        Assert.Equal((byte)0xF2, r.Flex2);
        Assert.Equal((byte)0xF3, r.Flex3);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(GeneralHex);
        ref var view = ref TxGeneralContextDescDqo.AsRef(img);
        view.Flex3 = 0x33;
        view.Flex11 = 0x11;
        Hex.ChangedOnly(GeneralHex, img, (7, "11"), (15, "33"));
    }

    [Fact]
    public void TxMetadataDqo_Golden()
    {
        string golden =
            "A0" +           // version at 0
            "3492" +         // path_hash_word (le16) at 1: rehash_event (bit 15) | path_hash 0x1234 (bits 0..14)
            Hex.Zeros(9);    // reserved[9] at 3
        var v = new TxMetadataDqo { Version = 0xA0, PathHash = 0x1234, RehashEvent = true };
        Hex.Equal(golden, Codec.Encode(TxMetadataDqo.Size, v.Write));

        var r = TxMetadataDqo.Read(Hex.Parse(golden));
        Assert.Equal((byte)0xA0, r.Version);
        Assert.Equal((ushort)0x9234, r.PathHashWord);
        Assert.Equal((ushort)0x1234, r.PathHash);
        Assert.True(r.RehashEvent);
        Assert.Equal(9, TxMetadataDqo.ReservedLength);
        Assert.Equal(new byte[9], r.Reserved.ToArray());
        Valid.Clean(r.Validate);

        var img = Hex.Parse(golden);
        ref var view = ref TxMetadataDqo.AsRef(img);
        view.RehashEvent = false;
        Hex.ChangedOnly(golden, img, 1, "3412");
        view.PathHash = 0x7FFF;
        Hex.ChangedOnly(golden, img, 1, "FF7F");
    }

    [Fact]
    public void TxDescDqo_Union_Golden()
    {
        var pkt = new TxDescDqo();
        FillPkt(ref pkt.Pkt);
        Hex.Equal(PktHex, Codec.Encode(TxDescDqo.Size, pkt.Write));
        var rp = TxDescDqo.Read(Hex.Parse(PktHex));
        Assert.True(rp.IsPkt);
        Assert.False(rp.IsTsoCtx);
        Assert.False(rp.IsGeneralCtx);
        Assert.Equal((ushort)0x1234, rp.Pkt.ComplTag);
        Valid.Clean(rp.Validate);

        var tso = new TxDescDqo();
        FillTso(ref tso.TsoCtx);
        Hex.Equal(TsoHex, Codec.Encode(TxDescDqo.Size, tso.Write));
        var rt = TxDescDqo.Read(Hex.Parse(TsoHex));
        Assert.False(rt.IsPkt);
        Assert.True(rt.IsTsoCtx);
        Assert.False(rt.IsGeneralCtx);
        Assert.Equal((ushort)0x5A0, rt.TsoCtx.Mss);
        Valid.Clean(rt.Validate);

        var gen = new TxDescDqo();
        FillGeneral(ref gen.GeneralCtx);
        Hex.Equal(GeneralHex, Codec.Encode(TxDescDqo.Size, gen.Write));
        var rg = TxDescDqo.Read(Hex.Parse(GeneralHex));
        Assert.False(rg.IsPkt);
        Assert.False(rg.IsTsoCtx);
        Assert.True(rg.IsGeneralCtx);
        Assert.Equal((byte)0xFB, rg.GeneralCtx.Flex11);
        Valid.Clean(rg.Validate);

        // The selector is the low 5 bits of byte 8 whatever member writes it.
        var img = Hex.Parse(PktHex);
        ref var view = ref TxDescDqo.AsRef(img);
        view.TsoCtx.CmdDtype.Dtype = TxDescDtypeDqo.TsoContext;
        Hex.ChangedOnly(PktHex, img, 8, "65");
        Assert.True(view.IsTsoCtx);
    }

    internal const string ComplDescHex =
        "A3E5" +     // id_type_generation (le16) at 0: generation (bit 15) | reserved0 (bit 14) | type desc 4 (bits 11..13) | id 0x5A3
        "2301" +     // tx_head (le16) at 2: 0x0123
        "44332211";  // reserved1 (le32) at 4 (reserved, ignored): 0x11223344

    [Fact]
    public void TxComplDesc_DescriptorCompletion_Golden()
    {
        var v = new TxComplDesc { Id = 0x5A3, Type = ComplTypeDqo.Desc, Reserved0 = 1, Generation = true, TxHead = 0x123, Reserved1 = 0x11223344 };
        Hex.Equal(ComplDescHex, Codec.Encode(TxComplDesc.Size, v.Write));

        var r = TxComplDesc.Read(Hex.Parse(ComplDescHex));
        Assert.Equal((ushort)0xE5A3, r.IdTypeGeneration);
        Assert.Equal((ushort)0x5A3, r.Id);
        Assert.Equal(ComplTypeDqo.Desc, r.Type);
        Assert.Equal((ushort)1, r.Reserved0);
        Assert.True(r.Generation);
        Assert.True(r.IsTxHead);
        Assert.False(r.IsCompletionTag);
        Assert.Equal((ushort)0x123, r.TxHead);
        Assert.Equal(0x11223344u, r.Reserved1);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(ComplDescHex);
        ref var view = ref TxComplDesc.AsRef(img);
        view.Generation = false;
        Hex.ChangedOnly(ComplDescHex, img, 0, "A365");
        view.Type = ComplTypeDqo.Pkt; // bits 11..13 = 2: byte 1 = 0x65 & ~0x38 | 0x10
        Hex.ChangedOnly(ComplDescHex, img, 0, "A355");
        Assert.True(view.IsCompletionTag);
        Assert.Equal((ushort)0x0123, view.CompletionTag);
    }

    [Fact]
    public void TxComplDesc_PacketCompletion_Golden()
    {
        const string golden =
            "0710" +     // id_type_generation (le16) at 0: type pkt 2 (0x1000) | id 7
            "0180" +     // completion_tag (le16) at 2: 0x8001 (alt_miss_compl_bit | 1)
            "00000000";  // reserved1 at 4
        var v = new TxComplDesc { Id = 7, Type = ComplTypeDqo.Pkt, CompletionTag = (ushort)(GvnicConstants.AltMissComplBit | 1) };
        Hex.Equal(golden, Codec.Encode(TxComplDesc.Size, v.Write));
        var r = TxComplDesc.Read(Hex.Parse(golden));
        Assert.Equal((ushort)7, r.Id);
        Assert.Equal(ComplTypeDqo.Pkt, r.Type);
        Assert.False(r.Generation);
        Assert.True(r.IsCompletionTag);
        Assert.False(r.IsTxHead);
        Assert.Equal((ushort)0x8001, r.CompletionTag);
        Valid.Clean(r.Validate);

        // miss and reinjection completions carry a completion tag too.
        foreach (var (type, byte1) in new[] { (ComplTypeDqo.Miss, "08"), (ComplTypeDqo.Reinjection, "18") })
        {
            var img = Hex.Parse(golden);
            TxComplDesc.AsRef(img).Type = type;
            Hex.ChangedOnly(golden, img, 1, byte1);
            Assert.True(TxComplDesc.AsReadOnly(img).IsCompletionTag);
            Assert.False(TxComplDesc.AsReadOnly(img).IsTxHead);
        }
    }

    [Fact]
    public void RxDescDqo_Golden()
    {
        const string golden =
            "CD0B" +             // buf_id (le16) at 0: 0x0BCD
            "0000" +             // reserved0 (le16) at 2
            "00000000" +         // reserved1 (le32) at 4
            "0060452301000000" + // buf_addr (le64) at 8: 0x0000000123456000
            "80F0DEBC0A000000" + // header_buf_addr (le64) at 16: 0x0000000ABCDEF080
            "0000000000000000";  // reserved2 (le64) at 24
        var v = new RxDescDqo { BufId = 0xBCD, BufAddr = 0x0000000123456000, HeaderBufAddr = 0x0000000ABCDEF080 };
        Hex.Equal(golden, Codec.Encode(RxDescDqo.Size, v.Write));
        var r = RxDescDqo.Read(Hex.Parse(golden));
        Assert.Equal((ushort)0xBCD, r.BufId);
        Assert.Equal((ushort)0, r.Reserved0);
        Assert.Equal(0u, r.Reserved1);
        Assert.Equal(0x0000000123456000UL, r.BufAddr);
        Assert.Equal(0x0000000ABCDEF080UL, r.HeaderBufAddr);
        Assert.Equal(0UL, r.Reserved2);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        ref var view = ref RxDescDqo.AsRef(img);
        view.BufId = 0x1234;
        view.HeaderBufAddr = 0;
        Hex.ChangedOnly(golden, img, (0, "3412"), (16, "0000000000000000"));
    }

    internal const string RxComplHex =
        "A1" +         // rxdid_flags at 0: reserved0 0xA (bits 4..7) | rxdid 1
        "AD" +         // status_flags at 1: reserved1 0x15 (bits 3..7) | rx_error (bit 2) | loopback (bit 0)
        "C5B6" +       // ptype_flags (le16) at 2: reserved2 5 (bits 13..15) | raw_cs_invalid (12) | ip_hdr_err (10) | packet_type 0x2C5 = 0xB6C5
        "EE65" +       // packet_len_flags (le16) at 4: generation (14) | packet_len 0x25EE = 0x65EE
        "369C" +       // header_len_flags (le16) at 6: reserved3 9 (12..15) | split_header (11) | rsc (10) | header_len 0x36 = 0x9C36
        "AB" +         // status_error0 at 8: ext_udp (7) | csum_l4_err (5) | l3_l4_processed (3) | eop (1) | dd (0)
        "5C" +         // status_error1 at 9
        "E7" +         // reserved5 at 10 (reserved, ignored)
        "81" +         // ts_sub_nsecs_low at 11
        "3412" +       // buf_id (le16) at 12
        "CDAB" +       // raw_cs (le16) at 14: 0xABCD
        "EFCDAB89" +   // hash (le32) at 16: 0x89ABCDEF
        "04030201" +   // reserved6 (le32) at 20 (reserved, ignored): 0x01020304
        "08070605" +   // reserved7 (le32) at 24 (reserved, ignored): 0x05060708
        "EFBEADDE";    // ts (le32) at 28: 0xDEADBEEF

    [Fact]
    public void RxComplDescDqo_Golden()
    {
        var v = new RxComplDescDqo
        {
            Rxdid = 1, Reserved0 = 0xA,
            Loopback = true, Ipv6ExAdd = false, RxError = true, Reserved1 = 0x15,
            PacketType = 0x2C5, IpHdrErr = true, UdpLenErr = false, RawCsInvalid = true, Reserved2 = 5,
            PacketLen = 0x25EE, Generation = true, BufferQueueId = 0,
            HeaderLen = 0x36, Rsc = true, SplitHeader = true, Reserved3 = 9,
            DescriptorDone = true, EndOfPacket = true, HeaderBufferOverflow = false, L3L4Processed = true,
            CsumIpErr = false, CsumL4Err = true, CsumExternalIpErr = false, CsumExternalUdpErr = true,
            StatusError1 = 0x5C, Reserved5 = 0xE7, TsSubNsecsLow = 0x81, BufId = 0x1234, RawCs = 0xABCD,
            Hash = 0x89ABCDEF, Reserved6 = 0x01020304, Reserved7 = 0x05060708, Ts = 0xDEADBEEF,
        };
        Hex.Equal(RxComplHex, Codec.Encode(RxComplDescDqo.Size, v.Write));

        var r = RxComplDescDqo.Read(Hex.Parse(RxComplHex));
        Assert.Equal((byte)0xA1, r.RxdidFlags);
        Assert.Equal((byte)1, r.Rxdid);
        Assert.Equal((byte)0xA, r.Reserved0);
        Assert.Equal((byte)0xAD, r.StatusFlags);
        Assert.True(r.Loopback);
        Assert.False(r.Ipv6ExAdd);
        Assert.True(r.RxError);
        Assert.Equal((byte)0x15, r.Reserved1);
        Assert.Equal((ushort)0xB6C5, r.PtypeFlags);
        Assert.Equal((ushort)0x2C5, r.PacketType);
        Assert.True(r.IpHdrErr);
        Assert.False(r.UdpLenErr);
        Assert.True(r.RawCsInvalid);
        Assert.Equal((ushort)5, r.Reserved2);
        Assert.Equal((ushort)0x65EE, r.PacketLenFlags);
        Assert.Equal((ushort)0x25EE, r.PacketLen);
        Assert.True(r.Generation);
        Assert.Equal((ushort)0, r.BufferQueueId);
        Assert.Equal((ushort)0x9C36, r.HeaderLenFlags);
        Assert.Equal((ushort)0x36, r.HeaderLen);
        Assert.True(r.Rsc);
        Assert.True(r.SplitHeader);
        Assert.Equal((ushort)9, r.Reserved3);
        Assert.Equal((byte)0xAB, r.StatusError0);
        Assert.True(r.DescriptorDone);
        Assert.True(r.EndOfPacket);
        Assert.False(r.HeaderBufferOverflow);
        Assert.True(r.L3L4Processed);
        Assert.False(r.CsumIpErr);
        Assert.True(r.CsumL4Err);
        Assert.False(r.CsumExternalIpErr);
        Assert.True(r.CsumExternalUdpErr);
        Assert.Equal((byte)0x5C, r.StatusError1);
        Assert.Equal((byte)0xE7, r.Reserved5);
        Assert.Equal((byte)0x81, r.TsSubNsecsLow);
        Assert.Equal(GvnicConstants.DqoRxHwtstampValid, (byte)(r.TsSubNsecsLow & GvnicConstants.DqoRxHwtstampValid));
        Assert.Equal((ushort)0x1234, r.BufId);
        Assert.Equal((ushort)0xABCD, r.RawCs);
        Assert.Equal((ushort)0xABCD, r.RscSegLen); // overlay of the same two bytes
        Assert.Equal(0x89ABCDEFu, r.Hash);
        Assert.Equal(0x01020304u, r.Reserved6);
        Assert.Equal(0x05060708u, r.Reserved7);
        Assert.Equal(0xDEADBEEFu, r.Ts);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(RxComplHex);
        ref var view = ref RxComplDescDqo.AsRef(img);
        view.BufferQueueId = 1; // bit 15 of the le16 at 4: byte 5 bit 7
        Hex.ChangedOnly(RxComplHex, img, 4, "EEE5");
        view.RscSegLen = 0x05A8;
        view.HeaderBufferOverflow = true; // byte 8 bit 2
        Hex.ChangedOnly(RxComplHex, img, (4, "EEE5"), (8, "AF"), (14, "A805"));
    }

    [Fact]
    public void RxComplDescDqo_ComplementGolden()
    {
        // The bits left clear above: ipv6_ex_add (byte 1 bit 1), udp_len_err (byte 3 bit 3 = bit 11 of the le16 at 2),
        // buffer_queue_id (byte 5 bit 7), header_buffer_overflow (byte 8 bit 2), csum_ip_err (bit 4),
        // csum_external_ip_err (bit 6).
        string golden =
            "00" + "02" + "0008" + "0080" + "0000" + "54" + Hex.Zeros(23);
        var v = new RxComplDescDqo { Ipv6ExAdd = true, UdpLenErr = true, BufferQueueId = 1, HeaderBufferOverflow = true, CsumIpErr = true, CsumExternalIpErr = true };
        Hex.Equal(golden, Codec.Encode(RxComplDescDqo.Size, v.Write));
        var r = RxComplDescDqo.Read(Hex.Parse(golden));
        Assert.True(r.Ipv6ExAdd);
        Assert.False(r.Loopback);
        Assert.True(r.UdpLenErr);
        Assert.False(r.IpHdrErr);
        Assert.Equal((ushort)1, r.BufferQueueId);
        Assert.False(r.Generation);
        Assert.True(r.HeaderBufferOverflow);
        Assert.True(r.CsumIpErr);
        Assert.True(r.CsumExternalIpErr);
        Assert.False(r.CsumExternalUdpErr);
        Valid.Clean(r.Validate);
    }

    internal const string ItrHex = "93570100"; // itr (le32) at 0: interval 0xABC << 5 | no_update 2 << 3 | clear_pba (bit 1) | enable (bit 0) = 0x00015793

    [Fact]
    public void ItrDoorbellDqo_Golden()
    {
        var v = new ItrDoorbellDqo { Enable = true, ClearPba = true, NoUpdate = 2, Interval = 0xABC };
        Hex.Equal(ItrHex, Codec.Encode(ItrDoorbellDqo.Size, v.Write));
        var r = ItrDoorbellDqo.Read(Hex.Parse(ItrHex));
        Assert.Equal(0x00015793u, r.Itr);
        Assert.True(r.Enable);
        Assert.True(r.ClearPba);
        Assert.Equal(0u, r.Reserved0);
        Assert.Equal(2u, r.NoUpdate);
        Assert.Equal(0xABCu, r.Interval);
        Assert.Equal(0u, r.Reserved1);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(ItrHex);
        ref var view = ref ItrDoorbellDqo.AsRef(img);
        view.NoUpdate = 3; // itr_no_update_dqo: 0x18
        Hex.ChangedOnly(ItrHex, img, 0, "9B570100");
        view.Interval = GvnicConstants.RxIrqRatelimitUsDqo >> 1; // 10 << 5 = 0x140
        Hex.ChangedOnly(ItrHex, img, 0, "5B010000");
        Assert.Equal(GvnicConstants.ItrEnableBitDqo | GvnicConstants.ItrClearPbaBitDqo | GvnicConstants.ItrNoUpdateDqo | (10u << (int)GvnicConstants.ItrIntervalDqoShift), view.Itr);
    }
}
