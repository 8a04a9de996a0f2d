using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;
using static Gvnic.Sdk.Tests.Support.BitSpecs;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Bitfield properties (CsCheck): write-then-read; the bytes match an independent model of the reference
/// bit positions; setting one bit range never changes another or any byte outside it; values that do not fit
/// throw ArgumentOutOfRangeException naming the bit range.
/// </summary>
public class BitfieldPropertyTests
{
    private const int Iter = 150;
    private const bool Le = false, Be = true;

    private static ulong B(bool b) => b ? 1UL : 0UL;

    // layouts-dqo.md rx_compl_desc_dqo
    private static readonly IReadOnlyList<BitSpec<RxComplDescDqo>> RxCompl = List<RxComplDescDqo>(
        B<RxComplDescDqo>("rxdid", 0, 1, Le, 0, 4, 8, (ref RxComplDescDqo d, ulong v) => d.Rxdid = (byte)v, (ref RxComplDescDqo d) => d.Rxdid),
        B<RxComplDescDqo>("reserved0", 0, 1, Le, 4, 4, 8, (ref RxComplDescDqo d, ulong v) => d.Reserved0 = (byte)v, (ref RxComplDescDqo d) => d.Reserved0),
        B<RxComplDescDqo>("loopback", 1, 1, Le, 0, 1, 1, (ref RxComplDescDqo d, ulong v) => d.Loopback = v != 0, (ref RxComplDescDqo d) => B(d.Loopback)),
        B<RxComplDescDqo>("ipv6_ex_add", 1, 1, Le, 1, 1, 1, (ref RxComplDescDqo d, ulong v) => d.Ipv6ExAdd = v != 0, (ref RxComplDescDqo d) => B(d.Ipv6ExAdd)),
        B<RxComplDescDqo>("rx_error", 1, 1, Le, 2, 1, 1, (ref RxComplDescDqo d, ulong v) => d.RxError = v != 0, (ref RxComplDescDqo d) => B(d.RxError)),
        B<RxComplDescDqo>("reserved1", 1, 1, Le, 3, 5, 8, (ref RxComplDescDqo d, ulong v) => d.Reserved1 = (byte)v, (ref RxComplDescDqo d) => d.Reserved1),
        B<RxComplDescDqo>("packet_type", 2, 2, Le, 0, 10, 16, (ref RxComplDescDqo d, ulong v) => d.PacketType = (ushort)v, (ref RxComplDescDqo d) => d.PacketType),
        B<RxComplDescDqo>("ip_hdr_err", 2, 2, Le, 10, 1, 1, (ref RxComplDescDqo d, ulong v) => d.IpHdrErr = v != 0, (ref RxComplDescDqo d) => B(d.IpHdrErr)),
        B<RxComplDescDqo>("udp_len_err", 2, 2, Le, 11, 1, 1, (ref RxComplDescDqo d, ulong v) => d.UdpLenErr = v != 0, (ref RxComplDescDqo d) => B(d.UdpLenErr)),
        B<RxComplDescDqo>("raw_cs_invalid", 2, 2, Le, 12, 1, 1, (ref RxComplDescDqo d, ulong v) => d.RawCsInvalid = v != 0, (ref RxComplDescDqo d) => B(d.RawCsInvalid)),
        B<RxComplDescDqo>("reserved2", 2, 2, Le, 13, 3, 16, (ref RxComplDescDqo d, ulong v) => d.Reserved2 = (ushort)v, (ref RxComplDescDqo d) => d.Reserved2),
        B<RxComplDescDqo>("packet_len", 4, 2, Le, 0, 14, 16, (ref RxComplDescDqo d, ulong v) => d.PacketLen = (ushort)v, (ref RxComplDescDqo d) => d.PacketLen),
        B<RxComplDescDqo>("generation", 4, 2, Le, 14, 1, 1, (ref RxComplDescDqo d, ulong v) => d.Generation = v != 0, (ref RxComplDescDqo d) => B(d.Generation)),
        B<RxComplDescDqo>("buffer_queue_id", 4, 2, Le, 15, 1, 16, (ref RxComplDescDqo d, ulong v) => d.BufferQueueId = (ushort)v, (ref RxComplDescDqo d) => d.BufferQueueId),
        B<RxComplDescDqo>("header_len", 6, 2, Le, 0, 10, 16, (ref RxComplDescDqo d, ulong v) => d.HeaderLen = (ushort)v, (ref RxComplDescDqo d) => d.HeaderLen),
        B<RxComplDescDqo>("rsc", 6, 2, Le, 10, 1, 1, (ref RxComplDescDqo d, ulong v) => d.Rsc = v != 0, (ref RxComplDescDqo d) => B(d.Rsc)),
        B<RxComplDescDqo>("split_header", 6, 2, Le, 11, 1, 1, (ref RxComplDescDqo d, ulong v) => d.SplitHeader = v != 0, (ref RxComplDescDqo d) => B(d.SplitHeader)),
        B<RxComplDescDqo>("reserved3", 6, 2, Le, 12, 4, 16, (ref RxComplDescDqo d, ulong v) => d.Reserved3 = (ushort)v, (ref RxComplDescDqo d) => d.Reserved3),
        B<RxComplDescDqo>("descriptor_done", 8, 1, Le, 0, 1, 1, (ref RxComplDescDqo d, ulong v) => d.DescriptorDone = v != 0, (ref RxComplDescDqo d) => B(d.DescriptorDone)),
        B<RxComplDescDqo>("end_of_packet", 8, 1, Le, 1, 1, 1, (ref RxComplDescDqo d, ulong v) => d.EndOfPacket = v != 0, (ref RxComplDescDqo d) => B(d.EndOfPacket)),
        B<RxComplDescDqo>("header_buffer_overflow", 8, 1, Le, 2, 1, 1, (ref RxComplDescDqo d, ulong v) => d.HeaderBufferOverflow = v != 0, (ref RxComplDescDqo d) => B(d.HeaderBufferOverflow)),
        B<RxComplDescDqo>("l3_l4_processed", 8, 1, Le, 3, 1, 1, (ref RxComplDescDqo d, ulong v) => d.L3L4Processed = v != 0, (ref RxComplDescDqo d) => B(d.L3L4Processed)),
        B<RxComplDescDqo>("csum_ip_err", 8, 1, Le, 4, 1, 1, (ref RxComplDescDqo d, ulong v) => d.CsumIpErr = v != 0, (ref RxComplDescDqo d) => B(d.CsumIpErr)),
        B<RxComplDescDqo>("csum_l4_err", 8, 1, Le, 5, 1, 1, (ref RxComplDescDqo d, ulong v) => d.CsumL4Err = v != 0, (ref RxComplDescDqo d) => B(d.CsumL4Err)),
        B<RxComplDescDqo>("csum_external_ip_err", 8, 1, Le, 6, 1, 1, (ref RxComplDescDqo d, ulong v) => d.CsumExternalIpErr = v != 0, (ref RxComplDescDqo d) => B(d.CsumExternalIpErr)),
        B<RxComplDescDqo>("csum_external_udp_err", 8, 1, Le, 7, 1, 1, (ref RxComplDescDqo d, ulong v) => d.CsumExternalUdpErr = v != 0, (ref RxComplDescDqo d) => B(d.CsumExternalUdpErr)));

    // layouts-dqo.md tx_pkt_desc_dqo
    private static readonly IReadOnlyList<BitSpec<TxPktDescDqo>> TxPktDqo = List<TxPktDescDqo>(
        B<TxPktDescDqo>("dtype", 8, 1, Le, 0, 5, 8, (ref TxPktDescDqo d, ulong v) => d.Dtype = (TxDescDtypeDqo)v, (ref TxPktDescDqo d) => (ulong)d.Dtype),
        B<TxPktDescDqo>("end_of_packet", 8, 1, Le, 5, 1, 1, (ref TxPktDescDqo d, ulong v) => d.EndOfPacket = v != 0, (ref TxPktDescDqo d) => B(d.EndOfPacket)),
        B<TxPktDescDqo>("checksum_offload_enable", 8, 1, Le, 6, 1, 1, (ref TxPktDescDqo d, ulong v) => d.ChecksumOffloadEnable = v != 0, (ref TxPktDescDqo d) => B(d.ChecksumOffloadEnable)),
        B<TxPktDescDqo>("report_event", 8, 1, Le, 7, 1, 1, (ref TxPktDescDqo d, ulong v) => d.ReportEvent = v != 0, (ref TxPktDescDqo d) => B(d.ReportEvent)),
        B<TxPktDescDqo>("buf_size", 14, 2, Le, 0, 14, 16, (ref TxPktDescDqo d, ulong v) => d.BufSize = (ushort)v, (ref TxPktDescDqo d) => d.BufSize),
        B<TxPktDescDqo>("reserved2", 14, 2, Le, 14, 2, 16, (ref TxPktDescDqo d, ulong v) => d.Reserved2 = (ushort)v, (ref TxPktDescDqo d) => d.Reserved2));

    // layouts-dqo.md tx_compl_desc
    private static readonly IReadOnlyList<BitSpec<TxComplDesc>> TxCompl = List<TxComplDesc>(
        B<TxComplDesc>("id", 0, 2, Le, 0, 11, 16, (ref TxComplDesc d, ulong v) => d.Id = (ushort)v, (ref TxComplDesc d) => d.Id),
        B<TxComplDesc>("type", 0, 2, Le, 11, 3, 8, (ref TxComplDesc d, ulong v) => d.Type = (ComplTypeDqo)v, (ref TxComplDesc d) => (ulong)d.Type),
        B<TxComplDesc>("reserved0", 0, 2, Le, 14, 1, 16, (ref TxComplDesc d, ulong v) => d.Reserved0 = (ushort)v, (ref TxComplDesc d) => d.Reserved0),
        B<TxComplDesc>("generation", 0, 2, Le, 15, 1, 1, (ref TxComplDesc d, ulong v) => d.Generation = v != 0, (ref TxComplDesc d) => B(d.Generation)));

    // gqi.md rx_desc flags_seq (big-endian u16 at 62; flag x at bit 3 + x)
    private static readonly IReadOnlyList<BitSpec<RxDesc>> RxDescFlags = List<RxDesc>(
        B<RxDesc>("seqno", 62, 2, Be, 0, 3, 16, (ref RxDesc d, ulong v) => d.Seqno = (ushort)v, (ref RxDesc d) => d.Seqno),
        B<RxDesc>("flags_reserved0", 62, 2, Be, 3, 3, 16, (ref RxDesc d, ulong v) => d.FlagsReserved0 = (ushort)v, (ref RxDesc d) => d.FlagsReserved0),
        B<RxDesc>("frag", 62, 2, Be, 6, 1, 1, (ref RxDesc d, ulong v) => d.Frag = v != 0, (ref RxDesc d) => B(d.Frag)),
        B<RxDesc>("ipv4", 62, 2, Be, 7, 1, 1, (ref RxDesc d, ulong v) => d.Ipv4 = v != 0, (ref RxDesc d) => B(d.Ipv4)),
        B<RxDesc>("ipv6", 62, 2, Be, 8, 1, 1, (ref RxDesc d, ulong v) => d.Ipv6 = v != 0, (ref RxDesc d) => B(d.Ipv6)),
        B<RxDesc>("tcp", 62, 2, Be, 9, 1, 1, (ref RxDesc d, ulong v) => d.Tcp = v != 0, (ref RxDesc d) => B(d.Tcp)),
        B<RxDesc>("udp", 62, 2, Be, 10, 1, 1, (ref RxDesc d, ulong v) => d.Udp = v != 0, (ref RxDesc d) => B(d.Udp)),
        B<RxDesc>("err", 62, 2, Be, 11, 1, 1, (ref RxDesc d, ulong v) => d.Err = v != 0, (ref RxDesc d) => B(d.Err)),
        B<RxDesc>("flags_reserved1", 62, 2, Be, 12, 1, 16, (ref RxDesc d, ulong v) => d.FlagsReserved1 = (ushort)v, (ref RxDesc d) => d.FlagsReserved1),
        B<RxDesc>("packet_cont", 62, 2, Be, 13, 1, 1, (ref RxDesc d, ulong v) => d.PacketCont = v != 0, (ref RxDesc d) => B(d.PacketCont)),
        B<RxDesc>("flags_reserved2", 62, 2, Be, 14, 2, 16, (ref RxDesc d, ulong v) => d.FlagsReserved2 = (ushort)v, (ref RxDesc d) => d.FlagsReserved2));

    // layouts-dqo.md tx_tso_context_desc_dqo (cmd_dtype is the nested tx_context_cmd_dtype at 8)
    private static readonly IReadOnlyList<BitSpec<TxTsoContextDescDqo>> Tso = List<TxTsoContextDescDqo>(
        B<TxTsoContextDescDqo>("tso_total_len", 0, 4, Le, 0, 24, 32, (ref TxTsoContextDescDqo d, ulong v) => d.TsoTotalLen = (uint)v, (ref TxTsoContextDescDqo d) => d.TsoTotalLen),
        B<TxTsoContextDescDqo>("flex10", 0, 4, Le, 24, 8, 32, (ref TxTsoContextDescDqo d, ulong v) => d.Flex10 = (uint)v, (ref TxTsoContextDescDqo d) => d.Flex10),
        B<TxTsoContextDescDqo>("mss", 4, 2, Le, 0, 14, 16, (ref TxTsoContextDescDqo d, ulong v) => d.Mss = (ushort)v, (ref TxTsoContextDescDqo d) => d.Mss),
        B<TxTsoContextDescDqo>("reserved", 4, 2, Le, 14, 2, 16, (ref TxTsoContextDescDqo d, ulong v) => d.Reserved = (ushort)v, (ref TxTsoContextDescDqo d) => d.Reserved),
        B<TxTsoContextDescDqo>("dtype", 8, 1, Le, 0, 5, 8, (ref TxTsoContextDescDqo d, ulong v) => d.CmdDtype.Dtype = (TxDescDtypeDqo)v, (ref TxTsoContextDescDqo d) => (ulong)d.CmdDtype.Dtype),
        B<TxTsoContextDescDqo>("tso", 8, 1, Le, 5, 1, 1, (ref TxTsoContextDescDqo d, ulong v) => d.CmdDtype.Tso = v != 0, (ref TxTsoContextDescDqo d) => B(d.CmdDtype.Tso)),
        B<TxTsoContextDescDqo>("reserved1", 8, 1, Le, 6, 2, 8, (ref TxTsoContextDescDqo d, ulong v) => d.CmdDtype.Reserved1 = (byte)v, (ref TxTsoContextDescDqo d) => d.CmdDtype.Reserved1));

    // dqo.md ITR word
    private static readonly IReadOnlyList<BitSpec<ItrDoorbellDqo>> Itr = List<ItrDoorbellDqo>(
        B<ItrDoorbellDqo>("enable", 0, 4, Le, 0, 1, 1, (ref ItrDoorbellDqo d, ulong v) => d.Enable = v != 0, (ref ItrDoorbellDqo d) => B(d.Enable)),
        B<ItrDoorbellDqo>("clear_pba", 0, 4, Le, 1, 1, 1, (ref ItrDoorbellDqo d, ulong v) => d.ClearPba = v != 0, (ref ItrDoorbellDqo d) => B(d.ClearPba)),
        B<ItrDoorbellDqo>("reserved0", 0, 4, Le, 2, 1, 32, (ref ItrDoorbellDqo d, ulong v) => d.Reserved0 = (uint)v, (ref ItrDoorbellDqo d) => d.Reserved0),
        B<ItrDoorbellDqo>("no_update", 0, 4, Le, 3, 2, 32, (ref ItrDoorbellDqo d, ulong v) => d.NoUpdate = (uint)v, (ref ItrDoorbellDqo d) => d.NoUpdate),
        B<ItrDoorbellDqo>("interval", 0, 4, Le, 5, 12, 32, (ref ItrDoorbellDqo d, ulong v) => d.Interval = (uint)v, (ref ItrDoorbellDqo d) => d.Interval),
        B<ItrDoorbellDqo>("reserved1", 0, 4, Le, 17, 15, 32, (ref ItrDoorbellDqo d, ulong v) => d.Reserved1 = (uint)v, (ref ItrDoorbellDqo d) => d.Reserved1));

    // gqi.md type_flags of the GQI TX descriptors (one byte: type in the high nibble)
    private static readonly IReadOnlyList<BitSpec<TxPktDesc>> GqiPkt = List<TxPktDesc>(
        B<TxPktDesc>("l4_csum", 0, 1, Be, 0, 1, 1, (ref TxPktDesc d, ulong v) => d.L4Csum = v != 0, (ref TxPktDesc d) => B(d.L4Csum)),
        B<TxPktDesc>("flags_reserved1", 0, 1, Be, 1, 1, 8, (ref TxPktDesc d, ulong v) => d.FlagsReserved1 = (byte)v, (ref TxPktDesc d) => d.FlagsReserved1),
        B<TxPktDesc>("tstamp", 0, 1, Be, 2, 1, 1, (ref TxPktDesc d, ulong v) => d.Tstamp = v != 0, (ref TxPktDesc d) => B(d.Tstamp)),
        B<TxPktDesc>("flags_reserved3", 0, 1, Be, 3, 1, 8, (ref TxPktDesc d, ulong v) => d.FlagsReserved3 = (byte)v, (ref TxPktDesc d) => d.FlagsReserved3),
        B<TxPktDesc>("type", 0, 1, Be, 4, 4, 8, (ref TxPktDesc d, ulong v) => d.Type = (TxdType)v, (ref TxPktDesc d) => (ulong)d.Type));

    private static readonly IReadOnlyList<BitSpec<TxMtdDesc>> GqiMtd = List<TxMtdDesc>(
        B<TxMtdDesc>("subtype", 0, 1, Be, 0, 4, 8, (ref TxMtdDesc d, ulong v) => d.Subtype = (MtdSubtype)v, (ref TxMtdDesc d) => (ulong)d.Subtype),
        B<TxMtdDesc>("type", 0, 1, Be, 4, 4, 8, (ref TxMtdDesc d, ulong v) => d.Type = (TxdType)v, (ref TxMtdDesc d) => (ulong)d.Type),
        B<TxMtdDesc>("state", 1, 1, Be, 0, 4, 8, (ref TxMtdDesc d, ulong v) => d.State = (MtdPathState)v, (ref TxMtdDesc d) => (ulong)d.State),
        B<TxMtdDesc>("hash_type", 1, 1, Be, 4, 4, 8, (ref TxMtdDesc d, ulong v) => d.HashType = (MtdPathHash)v, (ref TxMtdDesc d) => (ulong)d.HashType));

    // tx_metadata_dqo path_hash_word (le16 at 1) and flow_spec ports (be32 at 32, src_port in the high half)
    private static readonly IReadOnlyList<BitSpec<TxMetadataDqo>> Metadata = List<TxMetadataDqo>(
        B<TxMetadataDqo>("path_hash", 1, 2, Le, 0, 15, 16, (ref TxMetadataDqo d, ulong v) => d.PathHash = (ushort)v, (ref TxMetadataDqo d) => d.PathHash),
        B<TxMetadataDqo>("rehash_event", 1, 2, Le, 15, 1, 1, (ref TxMetadataDqo d, ulong v) => d.RehashEvent = v != 0, (ref TxMetadataDqo d) => B(d.RehashEvent)));

    private static readonly IReadOnlyList<BitSpec<FlowSpec>> Ports = List<FlowSpec>(
        B<FlowSpec>("dst_port", 32, 4, Be, 0, 16, 16, (ref FlowSpec d, ulong v) => d.DstPort = (ushort)v, (ref FlowSpec d) => d.DstPort),
        B<FlowSpec>("src_port", 32, 4, Be, 16, 16, 16, (ref FlowSpec d, ulong v) => d.SrcPort = (ushort)v, (ref FlowSpec d) => d.SrcPort));

    // ------------------------------------------------------------------------------------------------------

    [Fact] public void RxComplDescDqo_Bitfields() => CheckAll(RxCompl, RxComplDescDqo.Size, b => RxComplDescDqo.Read(b), (ref RxComplDescDqo v, Span<byte> d) => v.Write(d), b => ref RxComplDescDqo.AsRef(b));
    [Fact] public void TxPktDescDqo_Bitfields() => CheckAll(TxPktDqo, TxPktDescDqo.Size, b => TxPktDescDqo.Read(b), (ref TxPktDescDqo v, Span<byte> d) => v.Write(d), b => ref TxPktDescDqo.AsRef(b));
    [Fact] public void TxComplDesc_Bitfields() => CheckAll(TxCompl, TxComplDesc.Size, b => TxComplDesc.Read(b), (ref TxComplDesc v, Span<byte> d) => v.Write(d), b => ref TxComplDesc.AsRef(b));
    [Fact] public void RxDesc_FlagsSeq_Bitfields() => CheckAll(RxDescFlags, RxDesc.Size, b => RxDesc.Read(b), (ref RxDesc v, Span<byte> d) => v.Write(d), b => ref RxDesc.AsRef(b));
    [Fact] public void TxTsoContextDescDqo_Bitfields() => CheckAll(Tso, TxTsoContextDescDqo.Size, b => TxTsoContextDescDqo.Read(b), (ref TxTsoContextDescDqo v, Span<byte> d) => v.Write(d), b => ref TxTsoContextDescDqo.AsRef(b));
    [Fact] public void ItrDoorbellDqo_Bitfields() => CheckAll(Itr, ItrDoorbellDqo.Size, b => ItrDoorbellDqo.Read(b), (ref ItrDoorbellDqo v, Span<byte> d) => v.Write(d), b => ref ItrDoorbellDqo.AsRef(b));
    [Fact] public void TxPktDesc_TypeFlags_Bitfields() => CheckAll(GqiPkt, TxPktDesc.Size, b => TxPktDesc.Read(b), (ref TxPktDesc v, Span<byte> d) => v.Write(d), b => ref TxPktDesc.AsRef(b));
    [Fact] public void TxMtdDesc_Bitfields() => CheckAll(GqiMtd, TxMtdDesc.Size, b => TxMtdDesc.Read(b), (ref TxMtdDesc v, Span<byte> d) => v.Write(d), b => ref TxMtdDesc.AsRef(b));
    [Fact] public void TxMetadataDqo_Bitfields() => CheckAll(Metadata, TxMetadataDqo.Size, b => TxMetadataDqo.Read(b), (ref TxMetadataDqo v, Span<byte> d) => v.Write(d), b => ref TxMetadataDqo.AsRef(b));
    [Fact] public void FlowSpec_Ports_Bitfields() => CheckAll(Ports, FlowSpec.Size, b => FlowSpec.Read(b), (ref FlowSpec v, Span<byte> d) => v.Write(d), b => ref FlowSpec.AsRef(b));

    private static void CheckAll<T>(IReadOnlyList<BitSpec<T>> specs, int size, ReadFn<T> read, WriteFn<T> write, AsRefFn<T> asRef) where T : struct
    {
        WriteThenRead(specs, size, write);
        DecodeMatchesModel(specs, size, read);
        SettingOneChangesOnlyItsBits(specs, size, asRef);
        OutOfRangeThrows(specs, size, asRef);
    }

    private static Gen<ulong> ValueFor<T>(BitSpec<T> s) where T : struct => Gen.ULong[0, s.Max];

    /// <summary>Random values for every bit range, set on a zeroed struct: each reads back, and the bytes are the model's.</summary>
    private static void WriteThenRead<T>(IReadOnlyList<BitSpec<T>> specs, int size, WriteFn<T> write) where T : struct
    {
        Gen<ulong[]> values = Gen.ULong.Array[specs.Count].Select(raw => raw.Select((r, i) => r & specs[i].Max).ToArray());
        values.Sample(vals =>
        {
            T v = default;
            for (int i = 0; i < specs.Count; i++) specs[i].Set(ref v, vals[i]);
            for (int i = 0; i < specs.Count; i++)
                Assert.True(specs[i].Get(ref v) == vals[i], specs[i].Name + ": wrote 0x" + vals[i].ToString("X") + ", read 0x" + specs[i].Get(ref v).ToString("X"));
            var model = new byte[size];
            for (int i = 0; i < specs.Count; i++) specs[i].ModelWrite(model, vals[i]);
            var bytes = new byte[size];
            write(ref v, bytes);
            Hex.Equal(Hex.Of(model), bytes, typeof(T).Name + " bytes vs the reference bit positions");
        }, iter: Iter, threads: 1);
    }

    /// <summary>Random images: every bit range decodes to what the model reads from the reference positions.</summary>
    private static void DecodeMatchesModel<T>(IReadOnlyList<BitSpec<T>> specs, int size, ReadFn<T> read) where T : struct
    {
        Gen.Byte.Array[size].Sample(image =>
        {
            T v = read(image);
            foreach (var s in specs)
                Assert.True(s.Get(ref v) == s.ModelRead(image), s.Name + ": decoded 0x" + s.Get(ref v).ToString("X") + ", reference position holds 0x" + s.ModelRead(image).ToString("X") + " in " + Hex.Of(image));
        }, iter: Iter, threads: 1);
    }

    /// <summary>On a random image, setting one bit range to a random value changes only its own bits.</summary>
    private static void SettingOneChangesOnlyItsBits<T>(IReadOnlyList<BitSpec<T>> specs, int size, AsRefFn<T> asRef) where T : struct
    {
        Gen.Select(Gen.Byte.Array[size], Gen.Int[0, specs.Count - 1], Gen.ULong).Sample((image, index, raw) =>
        {
            var s = specs[index];
            ulong value = raw & s.Max;
            var bytes = (byte[])image.Clone();
            ref T view = ref asRef(bytes);
            var before = new ulong[specs.Count];
            for (int i = 0; i < specs.Count; i++) before[i] = specs[i].Get(ref view);
            s.Set(ref view, value);

            var expected = (byte[])image.Clone();
            s.ModelWrite(expected, value);
            Hex.Equal(Hex.Of(expected), bytes, "after setting " + s.Name + " = 0x" + value.ToString("X") + " on " + Hex.Of(image));
            for (int i = 0; i < specs.Count; i++)
            {
                ulong now = specs[i].Get(ref view);
                if (i == index) Assert.Equal(value, now);
                else Assert.True(before[i] == now, "setting " + s.Name + " changed " + specs[i].Name);
            }
        }, iter: Iter * 2, threads: 1);
    }

    /// <summary>A value wider than the bit range (but within the property's type) throws, naming the range, and changes nothing.</summary>
    private static void OutOfRangeThrows<T>(IReadOnlyList<BitSpec<T>> specs, int size, AsRefFn<T> asRef) where T : struct
    {
        var narrow = specs.Where(s => s.TypeBits > s.Width).ToList();
        if (narrow.Count == 0) return;
        Gen.Select(Gen.Byte.Array[size], Gen.Int[0, narrow.Count - 1], Gen.ULong).Sample((image, index, raw) =>
        {
            var s = narrow[index];
            ulong typeMax = s.TypeBits == 64 ? ulong.MaxValue : (1UL << s.TypeBits) - 1;
            ulong value = s.Max + 1 + raw % (typeMax - s.Max); // in (Max, typeMax]
            var bytes = (byte[])image.Clone();
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => s.Set(ref asRef(bytes), value));
            Assert.Equal(s.Name, ex.ParamName);
            Assert.Equal(image, bytes);
        }, iter: Iter, threads: 1);
    }

    [Fact]
    public void OutOfRange_Examples()
    {
        var c = new TxComplDesc();
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => c.Id = 0x800);
        Assert.Equal("id", e1.ParamName);
        Assert.Contains("tx_compl_desc.id is 11 bits wide", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => c.Type = (ComplTypeDqo)8);
        Assert.Equal("type", e2.ParamName);
        var p = new TxPktDescDqo();
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => p.BufSize = 0x4000);
        Assert.Equal("buf_size", e3.ParamName);
        var r = new RxDesc();
        var e4 = Assert.Throws<ArgumentOutOfRangeException>(() => r.Seqno = 8);
        Assert.Equal("seqno", e4.ParamName);
        var i = new ItrDoorbellDqo();
        var e5 = Assert.Throws<ArgumentOutOfRangeException>(() => i.Interval = 0x1000);
        Assert.Equal("interval", e5.ParamName);
        var t = new TxTsoContextDescDqo();
        var e6 = Assert.Throws<ArgumentOutOfRangeException>(() => t.TsoTotalLen = 0x1000000);
        Assert.Equal("tso_total_len", e6.ParamName);
        var q = new RxComplDescDqo();
        var e7 = Assert.Throws<ArgumentOutOfRangeException>(() => q.PacketLen = 0x4000);
        Assert.Equal("packet_len", e7.ParamName);
    }
}
