using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Gvnic.Wire;
using static Gvnic.Benchmarks.Codec.CodecRing;

namespace Gvnic.Benchmarks.Codec;

/// <summary>
/// The GQI descriptors (big-endian), written and read in place over a ring of 256, four ways each: Generated (the
/// Gvnic.Wire types), HandWritten (BinaryPrimitives, the same fields with the same read-modify-write of bitfield bytes:
/// the baseline), PlainCopy (moving the same descriptor bytes: the physical limit), Naive (BitConverter and
/// Array.Reverse). Every variant writes (or reads) every field listed in the method's summary.
/// </summary>
[Config(typeof(CodecConfig))]
public class GqiCodecBenchmarks
{
    private readonly byte[] _ring = new byte[Slots * 64];
    private readonly byte[] _scratch = new byte[Slots * 64];
    private readonly byte[] _txPkt = new byte[Slots * TxPktDesc.Size];
    private readonly byte[] _txSeg = new byte[Slots * TxSegDesc.Size];
    private readonly byte[] _txMtd = new byte[Slots * TxMtdDesc.Size];
    private readonly byte[] _rxDesc = new byte[Slots * RxDesc.Size];
    private readonly byte[] _rxSlot = new byte[Slots * RxDataSlot.Size];

    /// <summary>Fills the source rings (what the read benchmarks read and the plain copies copy) with the generated writers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Array.Clear(_ring); TxPktWriteGenerated(); _ring.AsSpan(0, _txPkt.Length).CopyTo(_txPkt);
        Array.Clear(_ring); TxSegWriteGenerated(); _ring.AsSpan(0, _txSeg.Length).CopyTo(_txSeg);
        Array.Clear(_ring); TxMtdWriteGenerated(); _ring.AsSpan(0, _txMtd.Length).CopyTo(_txMtd);
        Array.Clear(_ring); RxDescWriteGenerated(); _ring.AsSpan(0, _rxDesc.Length).CopyTo(_rxDesc);
        Array.Clear(_ring); RxSlotWriteGenerated(); _ring.AsSpan(0, _rxSlot.Length).CopyTo(_rxSlot);
    }

    // ---------------------------------------------------------------- tx_pkt_desc: type, l4_csum, l4_csum_offset, l4_hdr_offset, desc_cnt, len, seg_len, seg_addr

    /// <summary>tx_pkt_desc write, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_pkt_desc write")]
    public void TxPktWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref TxPktDesc d = ref TxPktDesc.AsRef(ring.Slice(i * TxPktDesc.Size));
            d.Type = TxdType.Std;
            d.L4Csum = (i & 1) != 0;
            d.L4CsumOffset = 3;
            d.L4HdrOffset = 17;
            d.DescCnt = 1;
            d.Len = (ushort)(60 + i);
            d.SegLen = (ushort)(60 + i);
            d.SegAddr = (ulong)i * 2048;
        }
    }

    /// <summary>tx_pkt_desc write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_pkt_desc write")]
    public void TxPktWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 16, 16);
            d[0] = (byte)((d[0] & 0x0F) | ((int)TxdType.Std << 4));
            d[0] = (byte)((d[0] & 0xFE) | (i & 1));
            d[1] = 3;
            d[2] = 17;
            d[3] = 1;
            BinaryPrimitives.WriteUInt16BigEndian(d.Slice(4), (ushort)(60 + i));
            BinaryPrimitives.WriteUInt16BigEndian(d.Slice(6), (ushort)(60 + i));
            BinaryPrimitives.WriteUInt64BigEndian(d.Slice(8), (ulong)i * 2048);
        }
    }

    /// <summary>
    /// tx_pkt_desc write, composed: not a variant the targets compare against but what would close the gap to the plain
    /// copy. The whole descriptor is assembled in two 64-bit registers and stored with two byte-swapping stores (reserved
    /// bits written as zero instead of kept: the right bytes for the wire, which a whole-descriptor generated writer
    /// could do).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_pkt_desc write")]
    public void TxPktWriteComposed()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 16, 16);
            ulong head = ((ulong)(((int)TxdType.Std << 4) | (i & 1)) << 56) | (3UL << 48) | (17UL << 40) | (1UL << 32) | ((ulong)(ushort)(60 + i) << 16) | (ushort)(60 + i);
            BinaryPrimitives.WriteUInt64BigEndian(d, head);
            BinaryPrimitives.WriteUInt64BigEndian(d.Slice(8), (ulong)i * 2048);
        }
    }

    /// <summary>tx_pkt_desc write, plain copy of the same 16 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_pkt_desc write")]
    public void TxPktWritePlainCopy() => CopySlots<Block16>(_txPkt, _ring);

    /// <summary>tx_pkt_desc write, BitConverter and Array.Reverse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_pkt_desc write")]
    public void TxPktWriteNaive()
    {
        byte[] ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 16;
            ring[o] = (byte)((ring[o] & 0x0E) | ((int)TxdType.Std << 4) | (i & 1));
            ring[o + 1] = 3;
            ring[o + 2] = 17;
            ring[o + 3] = 1;
            Naive.PutBig(ring, o + 4, (ushort)(60 + i));
            Naive.PutBig(ring, o + 6, (ushort)(60 + i));
            Naive.PutBig(ring, o + 8, (ulong)i * 2048);
        }
    }

    /// <summary>tx_pkt_desc read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_pkt_desc read")]
    public ulong TxPktReadGenerated()
    {
        ReadOnlySpan<byte> ring = _txPkt;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly TxPktDesc d = ref TxPktDesc.AsReadOnly(ring.Slice(i * TxPktDesc.Size));
            acc += (ulong)d.Type + (d.L4Csum ? 1UL : 0) + d.L4CsumOffset + d.L4HdrOffset + d.DescCnt + d.Len + d.SegLen + d.SegAddr;
        }
        return acc;
    }

    /// <summary>tx_pkt_desc read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_pkt_desc read")]
    public ulong TxPktReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _txPkt;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 16, 16);
            acc += (ulong)(d[0] >> 4) + (ulong)(d[0] & 1) + d[1] + d[2] + d[3] + BinaryPrimitives.ReadUInt16BigEndian(d.Slice(4))
                 + BinaryPrimitives.ReadUInt16BigEndian(d.Slice(6)) + BinaryPrimitives.ReadUInt64BigEndian(d.Slice(8));
        }
        return acc;
    }

    /// <summary>tx_pkt_desc read, plain copy of the 16 bytes out of the ring.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_pkt_desc read")]
    public void TxPktReadPlainCopy() => CopySlots<Block16>(_txPkt, _scratch);

    /// <summary>tx_pkt_desc read, BitConverter and Array.Reverse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_pkt_desc read")]
    public ulong TxPktReadNaive()
    {
        byte[] ring = _txPkt;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 16;
            acc += (ulong)(ring[o] >> 4) + (ulong)(ring[o] & 1) + ring[o + 1] + ring[o + 2] + ring[o + 3] + Naive.BigU16(ring, o + 4)
                 + Naive.BigU16(ring, o + 6) + Naive.BigU64(ring, o + 8);
        }
        return acc;
    }

    // ---------------------------------------------------------------- tx_seg_desc: type, ipv6, l3_offset, mss, seg_len, seg_addr

    /// <summary>tx_seg_desc write, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_seg_desc write")]
    public void TxSegWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref TxSegDesc d = ref TxSegDesc.AsRef(ring.Slice(i * TxSegDesc.Size));
            d.Type = TxdType.Seg;
            d.Ipv6 = (i & 1) != 0;
            d.L3Offset = 7;
            d.Mss = (ushort)(1400 + (i & 7));
            d.SegLen = (ushort)(1000 + i);
            d.SegAddr = (ulong)i * 4096;
        }
    }

    /// <summary>tx_seg_desc write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_seg_desc write")]
    public void TxSegWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 16, 16);
            d[0] = (byte)((d[0] & 0x0F) | ((int)TxdType.Seg << 4));
            d[0] = (byte)((d[0] & 0xFD) | ((i & 1) << 1));
            d[1] = 7;
            BinaryPrimitives.WriteUInt16BigEndian(d.Slice(4), (ushort)(1400 + (i & 7)));
            BinaryPrimitives.WriteUInt16BigEndian(d.Slice(6), (ushort)(1000 + i));
            BinaryPrimitives.WriteUInt64BigEndian(d.Slice(8), (ulong)i * 4096);
        }
    }

    /// <summary>tx_seg_desc write, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_seg_desc write")]
    public void TxSegWritePlainCopy() => CopySlots<Block16>(_txSeg, _ring);

    /// <summary>tx_seg_desc write, naive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_seg_desc write")]
    public void TxSegWriteNaive()
    {
        byte[] ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 16;
            ring[o] = (byte)((ring[o] & 0x0D) | ((int)TxdType.Seg << 4) | ((i & 1) << 1));
            ring[o + 1] = 7;
            Naive.PutBig(ring, o + 4, (ushort)(1400 + (i & 7)));
            Naive.PutBig(ring, o + 6, (ushort)(1000 + i));
            Naive.PutBig(ring, o + 8, (ulong)i * 4096);
        }
    }

    /// <summary>tx_seg_desc read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_seg_desc read")]
    public ulong TxSegReadGenerated()
    {
        ReadOnlySpan<byte> ring = _txSeg;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly TxSegDesc d = ref TxSegDesc.AsReadOnly(ring.Slice(i * TxSegDesc.Size));
            acc += (ulong)d.Type + (d.Ipv6 ? 1UL : 0) + d.L3Offset + d.Mss + d.SegLen + d.SegAddr;
        }
        return acc;
    }

    /// <summary>tx_seg_desc read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_seg_desc read")]
    public ulong TxSegReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _txSeg;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 16, 16);
            acc += (ulong)(d[0] >> 4) + (ulong)((d[0] >> 1) & 1) + d[1] + BinaryPrimitives.ReadUInt16BigEndian(d.Slice(4))
                 + BinaryPrimitives.ReadUInt16BigEndian(d.Slice(6)) + BinaryPrimitives.ReadUInt64BigEndian(d.Slice(8));
        }
        return acc;
    }

    /// <summary>tx_seg_desc read, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_seg_desc read")]
    public void TxSegReadPlainCopy() => CopySlots<Block16>(_txSeg, _scratch);

    /// <summary>tx_seg_desc read, naive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_seg_desc read")]
    public ulong TxSegReadNaive()
    {
        byte[] ring = _txSeg;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 16;
            acc += (ulong)(ring[o] >> 4) + (ulong)((ring[o] >> 1) & 1) + ring[o + 1] + Naive.BigU16(ring, o + 4) + Naive.BigU16(ring, o + 6) + Naive.BigU64(ring, o + 8);
        }
        return acc;
    }

    // ---------------------------------------------------------------- tx_mtd_desc: subtype, type, state, hash_type, path_hash

    /// <summary>tx_mtd_desc write, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_mtd_desc write")]
    public void TxMtdWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref TxMtdDesc d = ref TxMtdDesc.AsRef(ring.Slice(i * TxMtdDesc.Size));
            d.Subtype = MtdSubtype.Path;
            d.Type = TxdType.Mtd;
            d.State = (MtdPathState)(i & 3);
            d.HashType = MtdPathHash.L4;
            d.PathHash = (uint)i * 0x9E3779B1u;
        }
    }

    /// <summary>tx_mtd_desc write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_mtd_desc write")]
    public void TxMtdWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 16, 16);
            d[0] = (byte)((d[0] & 0xF0) | (int)MtdSubtype.Path);
            d[0] = (byte)((d[0] & 0x0F) | ((int)TxdType.Mtd << 4));
            d[1] = (byte)((d[1] & 0xF0) | (i & 3));
            d[1] = (byte)((d[1] & 0x0F) | ((int)MtdPathHash.L4 << 4));
            BinaryPrimitives.WriteUInt32BigEndian(d.Slice(4), (uint)i * 0x9E3779B1u);
        }
    }

    /// <summary>tx_mtd_desc write, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_mtd_desc write")]
    public void TxMtdWritePlainCopy() => CopySlots<Block16>(_txMtd, _ring);

    /// <summary>tx_mtd_desc write, naive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_mtd_desc write")]
    public void TxMtdWriteNaive()
    {
        byte[] ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 16;
            ring[o] = (byte)(((int)TxdType.Mtd << 4) | (int)MtdSubtype.Path);
            ring[o + 1] = (byte)(((int)MtdPathHash.L4 << 4) | (i & 3));
            Naive.PutBig(ring, o + 4, (uint)i * 0x9E3779B1u);
        }
    }

    /// <summary>tx_mtd_desc read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_mtd_desc read")]
    public ulong TxMtdReadGenerated()
    {
        ReadOnlySpan<byte> ring = _txMtd;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly TxMtdDesc d = ref TxMtdDesc.AsReadOnly(ring.Slice(i * TxMtdDesc.Size));
            acc += (ulong)d.Subtype + (ulong)d.Type + (ulong)d.State + (ulong)d.HashType + d.PathHash;
        }
        return acc;
    }

    /// <summary>tx_mtd_desc read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_mtd_desc read")]
    public ulong TxMtdReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _txMtd;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 16, 16);
            acc += (ulong)(d[0] & 0x0F) + (ulong)(d[0] >> 4) + (ulong)(d[1] & 0x0F) + (ulong)(d[1] >> 4) + BinaryPrimitives.ReadUInt32BigEndian(d.Slice(4));
        }
        return acc;
    }

    /// <summary>tx_mtd_desc read, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_mtd_desc read")]
    public void TxMtdReadPlainCopy() => CopySlots<Block16>(_txMtd, _scratch);

    /// <summary>tx_mtd_desc read, naive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI tx_mtd_desc read")]
    public ulong TxMtdReadNaive()
    {
        byte[] ring = _txMtd;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 16;
            acc += (ulong)(ring[o] & 0x0F) + (ulong)(ring[o] >> 4) + (ulong)(ring[o + 1] & 0x0F) + (ulong)(ring[o + 1] >> 4) + Naive.BigU32(ring, o + 4);
        }
        return acc;
    }

    // ---------------------------------------------------------------- rx_desc (64 B, device-written): rss_hash, csum (little-endian), len, seqno, ipv4, udp, packet_cont

    /// <summary>rx_desc write (the device's side), generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_desc write")]
    public void RxDescWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref RxDesc d = ref RxDesc.AsRef(ring.Slice(i * RxDesc.Size));
            d.RssHash = (uint)i * 0x9E3779B1u;
            d.Csum = (ushort)(i * 31);
            d.Len = (ushort)(66 + i);
            d.Seqno = (ushort)(i % 7 + 1);
            d.Ipv4 = true;
            d.Udp = (i & 1) != 0;
            d.PacketCont = false;
        }
    }

    /// <summary>rx_desc write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_desc write")]
    public void RxDescWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 64, 64);
            BinaryPrimitives.WriteUInt32BigEndian(d.Slice(48), (uint)i * 0x9E3779B1u);
            BinaryPrimitives.WriteUInt16LittleEndian(d.Slice(58), (ushort)(i * 31));
            BinaryPrimitives.WriteUInt16BigEndian(d.Slice(60), (ushort)(66 + i));
            Span<byte> f = d.Slice(62);
            BinaryPrimitives.WriteUInt16BigEndian(f, (ushort)((BinaryPrimitives.ReadUInt16BigEndian(f) & 0xFFF8) | (i % 7 + 1)));
            BinaryPrimitives.WriteUInt16BigEndian(f, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(f) | 0x0080));
            BinaryPrimitives.WriteUInt16BigEndian(f, (ushort)((BinaryPrimitives.ReadUInt16BigEndian(f) & 0xFBFF) | ((i & 1) << 10)));
            BinaryPrimitives.WriteUInt16BigEndian(f, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(f) & 0xDFFF));
        }
    }

    /// <summary>rx_desc write, plain copy of the 64 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_desc write")]
    public void RxDescWritePlainCopy() => CopySlots<Block64>(_rxDesc, _ring);

    /// <summary>rx_desc write, naive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_desc write")]
    public void RxDescWriteNaive()
    {
        byte[] ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 64;
            Naive.PutBig(ring, o + 48, (uint)i * 0x9E3779B1u);
            byte[] csum = BitConverter.GetBytes((ushort)(i * 31)); // little-endian on the wire: no reversal on x86
            Buffer.BlockCopy(csum, 0, ring, o + 58, 2);
            Naive.PutBig(ring, o + 60, (ushort)(66 + i));
            ushort flags = Naive.BigU16(ring, o + 62);
            flags = (ushort)((flags & 0xDBF8) | (i % 7 + 1) | 0x0080 | ((i & 1) << 10));
            Naive.PutBig(ring, o + 62, flags);
        }
    }

    /// <summary>rx_desc read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_desc read")]
    public ulong RxDescReadGenerated()
    {
        ReadOnlySpan<byte> ring = _rxDesc;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly RxDesc d = ref RxDesc.AsReadOnly(ring.Slice(i * RxDesc.Size));
            acc += (ulong)d.RssHash + d.Csum + d.Len + d.Seqno + (d.Ipv4 ? 1UL : 0) + (d.Udp ? 2UL : 0) + (d.PacketCont ? 4UL : 0);
        }
        return acc;
    }

    /// <summary>rx_desc read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_desc read")]
    public ulong RxDescReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _rxDesc;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 64, 64);
            uint flags = BinaryPrimitives.ReadUInt16BigEndian(d.Slice(62));
            acc += (ulong)BinaryPrimitives.ReadUInt32BigEndian(d.Slice(48)) + BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(58)) + BinaryPrimitives.ReadUInt16BigEndian(d.Slice(60))
                 + (flags & 7) + ((flags >> 7) & 1) + ((flags >> 10) & 1) * 2 + ((flags >> 13) & 1) * 4;
        }
        return acc;
    }

    /// <summary>rx_desc read, plain copy of the 64 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_desc read")]
    public void RxDescReadPlainCopy() => CopySlots<Block64>(_rxDesc, _scratch);

    /// <summary>rx_desc read, naive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_desc read")]
    public ulong RxDescReadNaive()
    {
        byte[] ring = _rxDesc;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 64;
            uint flags = Naive.BigU16(ring, o + 62);
            acc += (ulong)Naive.BigU32(ring, o + 48) + BitConverter.ToUInt16(ring, o + 58) + Naive.BigU16(ring, o + 60)
                 + (flags & 7) + ((flags >> 7) & 1) + ((flags >> 10) & 1) * 2 + ((flags >> 13) & 1) * 4;
        }
        return acc;
    }

    // ---------------------------------------------------------------- rx_data_slot (8 B): qpl_offset

    /// <summary>rx_data_slot write, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_data_slot write")]
    public void RxSlotWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++) RxDataSlot.AsRef(ring.Slice(i * RxDataSlot.Size)).QplOffset = (ulong)i * 2048;
    }

    /// <summary>rx_data_slot write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_data_slot write")]
    public void RxSlotWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++) BinaryPrimitives.WriteUInt64BigEndian(ring.Slice(i * 8, 8), (ulong)i * 2048);
    }

    /// <summary>rx_data_slot write, plain copy of the 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_data_slot write")]
    public void RxSlotWritePlainCopy() => CopySlots<ulong>(_rxSlot, _ring);

    /// <summary>rx_data_slot write, naive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_data_slot write")]
    public void RxSlotWriteNaive()
    {
        byte[] ring = _ring;
        for (int i = 0; i < Slots; i++) Naive.PutBig(ring, i * 8, (ulong)i * 2048);
    }

    /// <summary>rx_data_slot read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_data_slot read")]
    public ulong RxSlotReadGenerated()
    {
        ReadOnlySpan<byte> ring = _rxSlot;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++) acc += RxDataSlot.AsReadOnly(ring.Slice(i * RxDataSlot.Size)).QplOffset;
        return acc;
    }

    /// <summary>rx_data_slot read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_data_slot read")]
    public ulong RxSlotReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _rxSlot;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++) acc += BinaryPrimitives.ReadUInt64BigEndian(ring.Slice(i * 8, 8));
        return acc;
    }

    /// <summary>rx_data_slot read, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_data_slot read")]
    public void RxSlotReadPlainCopy() => CopySlots<ulong>(_rxSlot, _scratch);

    /// <summary>rx_data_slot read, naive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("GQI rx_data_slot read")]
    public ulong RxSlotReadNaive()
    {
        byte[] ring = _rxSlot;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++) acc += Naive.BigU64(ring, i * 8);
        return acc;
    }
}
