using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Gvnic.Wire;
using static Gvnic.Benchmarks.Codec.CodecRing;

namespace Gvnic.Benchmarks.Codec;

/// <summary>
/// The DQO descriptors (little-endian), written and read in place over a ring of 256, four ways each: Generated,
/// HandWritten (BinaryPrimitives, the same fields with the same read-modify-write of bitfield words: the baseline),
/// PlainCopy (moving the same descriptor bytes: the physical limit), Naive (a [StructLayout] struct through
/// Marshal.StructureToPtr / PtrToStructure, bitfields composed by hand; it writes the whole descriptor, reserved bits
/// zero). Every variant writes (or reads) every field listed in the section's comment. The three descriptors the
/// driver writes from pre-encoded templates (tx_pkt_desc_dqo, the general context descriptor, the rx_desc_dqo buffer
/// entry) have a fifth writer, Template: the driver's write path, a copy of a struct encoded once (per slot, or one
/// for all) into the slot, then the per-packet fields through the generated setters.
/// </summary>
[Config(typeof(CodecConfig))]
public unsafe class DqoCodecBenchmarks
{
    private readonly byte[] _ring = GC.AllocateArray<byte>(Slots * 32, pinned: true);
    private readonly byte[] _scratch = new byte[Slots * 32];
    private readonly byte[] _txPkt = GC.AllocateArray<byte>(Slots * TxPktDescDqo.Size, pinned: true);
    private readonly byte[] _tso = GC.AllocateArray<byte>(Slots * TxTsoContextDescDqo.Size, pinned: true);
    private readonly byte[] _general = GC.AllocateArray<byte>(Slots * TxGeneralContextDescDqo.Size, pinned: true);
    private readonly byte[] _txCompl = GC.AllocateArray<byte>(Slots * TxComplDesc.Size, pinned: true);
    private readonly byte[] _rxBuf = GC.AllocateArray<byte>(Slots * RxDescDqo.Size, pinned: true);
    private readonly byte[] _rxCompl = GC.AllocateArray<byte>(Slots * RxComplDescDqo.Size, pinned: true);

    // The templates, encoded once with the generated setters, as DqoTxQueue and DqoRxQueue keep them.
    private readonly TxPktDescDqo[] _txPktTemplates = MakeTxPktTemplates();
    private static readonly TxDescDqo GeneralTemplate = MakeGeneralTemplate();
    private readonly RxDescDqo[] _rxBufTemplates = MakeRxBufTemplates();

    /// <summary>Per tag (here: per slot), as DqoTxQueue: dtype, completion tag and buffer address; no length or flags.</summary>
    private static TxPktDescDqo[] MakeTxPktTemplates()
    {
        var templates = new TxPktDescDqo[Slots];
        for (int i = 0; i < Slots; i++)
        {
            templates[i].Dtype = TxDescDtypeDqo.Packet;
            templates[i].BufAddr = 0x1_0000_0000UL + (ulong)i * 2048;
            templates[i].ComplTag = (ushort)i;
        }
        return templates;
    }

    /// <summary>One for every packet, as DqoTxQueue: the general context dtype, every flex byte zero.</summary>
    private static TxDescDqo MakeGeneralTemplate()
    {
        TxDescDqo context = default;
        context.GeneralCtx.CmdDtype.Dtype = TxDescDtypeDqo.GeneralContext;
        return context;
    }

    /// <summary>Per buffer (here: per slot), as DqoRxQueue: buffer id and buffer address.</summary>
    private static RxDescDqo[] MakeRxBufTemplates()
    {
        var templates = new RxDescDqo[Slots];
        for (int i = 0; i < Slots; i++)
        {
            templates[i].BufId = (ushort)i;
            templates[i].BufAddr = 0x2_0000_0000UL + (ulong)i * 2048;
        }
        return templates;
    }

    /// <summary>Fills the source rings with the generated writers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Array.Clear(_ring); TxPktWriteGenerated(); _ring.AsSpan(0, _txPkt.Length).CopyTo(_txPkt);
        Array.Clear(_ring); TsoWriteGenerated(); _ring.AsSpan(0, _tso.Length).CopyTo(_tso);
        Array.Clear(_ring); GeneralWriteGenerated(); _ring.AsSpan(0, _general.Length).CopyTo(_general);
        Array.Clear(_ring); TxComplWriteGenerated(); _ring.AsSpan(0, _txCompl.Length).CopyTo(_txCompl);
        Array.Clear(_ring); RxBufWriteGenerated(); _ring.AsSpan(0, _rxBuf.Length).CopyTo(_rxBuf);
        Array.Clear(_ring); RxComplWriteGenerated(); _ring.AsSpan(0, _rxCompl.Length).CopyTo(_rxCompl);
    }

    private static byte* At(byte[] pinned, int offset) => (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, offset);

    // ---------------------------------------------------------------- tx_pkt_desc_dqo: buf_addr, dtype, end_of_packet, checksum_offload_enable, report_event, compl_tag, buf_size

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct NaiveTxPkt { public ulong BufAddr; public byte DtypeFlags; public byte Reserved0; public ushort Reserved1; public ushort ComplTag; public ushort BufSizeWord; }

    /// <summary>tx_pkt_desc_dqo write, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo write")]
    public void TxPktWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(ring.Slice(i * TxPktDescDqo.Size));
            d.BufAddr = 0x1_0000_0000UL + (ulong)i * 2048;
            d.Dtype = TxDescDtypeDqo.Packet;
            d.EndOfPacket = true;
            d.ChecksumOffloadEnable = (i & 1) != 0;
            d.ReportEvent = (i & 31) == 0;
            d.ComplTag = (ushort)i;
            d.BufSize = (ushort)(60 + i);
        }
    }

    /// <summary>tx_pkt_desc_dqo write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo write")]
    public void TxPktWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 16, 16);
            BinaryPrimitives.WriteUInt64LittleEndian(d, 0x1_0000_0000UL + (ulong)i * 2048);
            d[8] = (byte)((d[8] & 0xE0) | (int)TxDescDtypeDqo.Packet);
            d[8] = (byte)(d[8] | 0x20);
            d[8] = (byte)((d[8] & 0xBF) | ((i & 1) << 6));
            d[8] = (byte)((d[8] & 0x7F) | ((i & 31) == 0 ? 0x80 : 0));
            BinaryPrimitives.WriteUInt16LittleEndian(d.Slice(12), (ushort)i);
            Span<byte> w = d.Slice(14);
            BinaryPrimitives.WriteUInt16LittleEndian(w, (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(w) & 0xC000) | (60 + i)));
        }
    }

    /// <summary>
    /// tx_pkt_desc_dqo write, composed: what would close the gap to the plain copy (the descriptor assembled in two
    /// 64-bit registers, two stores; reserved bits written as zero).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo write")]
    public void TxPktWriteComposed()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 16, 16);
            ulong flags = (ulong)((int)TxDescDtypeDqo.Packet | 0x20 | ((i & 1) << 6) | ((i & 31) == 0 ? 0x80 : 0));
            BinaryPrimitives.WriteUInt64LittleEndian(d, 0x1_0000_0000UL + (ulong)i * 2048);
            BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(8), flags | ((ulong)(ushort)i << 32) | ((ulong)(ushort)(60 + i) << 48));
        }
    }

    /// <summary>
    /// tx_pkt_desc_dqo write from the slot's template, as DqoTxQueue.WriteDescriptors: the template copied to a local,
    /// the per-packet fields set (buf_size, end_of_packet, report_event, and checksum_offload_enable, which the driver's
    /// plain path leaves zero), the local stored into the slot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo write")]
    public void TxPktWriteTemplate()
    {
        Span<byte> ring = _ring;
        TxPktDescDqo[] templates = _txPktTemplates;
        for (int i = 0; i < Slots; i++)
        {
            TxPktDescDqo d = templates[i];
            d.BufSize = (ushort)(60 + i);
            d.EndOfPacket = true;
            d.ChecksumOffloadEnable = (i & 1) != 0;
            d.ReportEvent = (i & 31) == 0;
            TxPktDescDqo.AsRef(ring.Slice(i * TxPktDescDqo.Size)) = d;
        }
    }

    /// <summary>
    /// tx_pkt_desc_dqo write from the slot's template patched in the slot (not in the driver): the template copied
    /// into the slot first, then the same per-packet fields set there, as DqoRxQueue.Post does; no narrow stores to a
    /// local that a 16-byte copy then reads back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo write")]
    public void TxPktWriteTemplateInPlace()
    {
        Span<byte> ring = _ring;
        TxPktDescDqo[] templates = _txPktTemplates;
        for (int i = 0; i < Slots; i++)
        {
            ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(ring.Slice(i * TxPktDescDqo.Size));
            d = templates[i];
            d.BufSize = (ushort)(60 + i);
            d.EndOfPacket = true;
            d.ChecksumOffloadEnable = (i & 1) != 0;
            d.ReportEvent = (i & 31) == 0;
        }
    }

    /// <summary>tx_pkt_desc_dqo write, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo write")]
    public void TxPktWritePlainCopy() => CopySlots<Block16>(_txPkt, _ring);

    /// <summary>tx_pkt_desc_dqo write, Marshal.StructureToPtr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo write")]
    public void TxPktWriteNaive()
    {
        for (int i = 0; i < Slots; i++)
        {
            var d = new NaiveTxPkt
            {
                BufAddr = 0x1_0000_0000UL + (ulong)i * 2048,
                DtypeFlags = (byte)((int)TxDescDtypeDqo.Packet | 0x20 | ((i & 1) << 6) | ((i & 31) == 0 ? 0x80 : 0)),
                ComplTag = (ushort)i,
                BufSizeWord = (ushort)(60 + i),
            };
            Marshal.StructureToPtr(d, (IntPtr)At(_ring, i * 16), false);
        }
    }

    /// <summary>tx_pkt_desc_dqo read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo read")]
    public ulong TxPktReadGenerated()
    {
        ReadOnlySpan<byte> ring = _txPkt;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly TxPktDescDqo d = ref TxPktDescDqo.AsReadOnly(ring.Slice(i * TxPktDescDqo.Size));
            acc += d.BufAddr + (ulong)d.Dtype + (d.EndOfPacket ? 1UL : 0) + (d.ChecksumOffloadEnable ? 2UL : 0) + (d.ReportEvent ? 4UL : 0) + d.ComplTag + d.BufSize;
        }
        return acc;
    }

    /// <summary>tx_pkt_desc_dqo read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo read")]
    public ulong TxPktReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _txPkt;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 16, 16);
            uint f = d[8];
            acc += BinaryPrimitives.ReadUInt64LittleEndian(d) + (f & 0x1F) + ((f >> 5) & 1) + ((f >> 6) & 1) * 2 + ((f >> 7) & 1) * 4
                 + BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(12)) + (BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(14)) & 0x3FFFu);
        }
        return acc;
    }

    /// <summary>tx_pkt_desc_dqo read, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo read")]
    public void TxPktReadPlainCopy() => CopySlots<Block16>(_txPkt, _scratch);

    /// <summary>tx_pkt_desc_dqo read, Marshal.PtrToStructure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_pkt_desc_dqo read")]
    public ulong TxPktReadNaive()
    {
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            NaiveTxPkt d = Marshal.PtrToStructure<NaiveTxPkt>((IntPtr)At(_txPkt, i * 16));
            uint f = d.DtypeFlags;
            acc += d.BufAddr + (f & 0x1F) + ((f >> 5) & 1) + ((f >> 6) & 1) * 2 + ((f >> 7) & 1) * 4 + d.ComplTag + (d.BufSizeWord & 0x3FFFu);
        }
        return acc;
    }

    // ---------------------------------------------------------------- tx_tso_context_desc_dqo: tso_total_len, mss, header_len, cmd_dtype.dtype, cmd_dtype.tso

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct NaiveTso { public uint TotalLenWord; public ushort MssWord; public byte HeaderLen; public byte Flex11; public byte CmdDtype; public byte Reserved2; public byte Flex0, Flex5, Flex6, Flex7, Flex8, Flex9; }

    /// <summary>tx_tso_context_desc_dqo write, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_tso_context_desc_dqo write")]
    public void TsoWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref TxTsoContextDescDqo d = ref TxTsoContextDescDqo.AsRef(ring.Slice(i * TxTsoContextDescDqo.Size));
            d.TsoTotalLen = (uint)(64_000 + i);
            d.Mss = (ushort)(1400 + (i & 15));
            d.HeaderLen = 54;
            d.CmdDtype.Dtype = TxDescDtypeDqo.TsoContext;
            d.CmdDtype.Tso = true;
        }
    }

    /// <summary>tx_tso_context_desc_dqo write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_tso_context_desc_dqo write")]
    public void TsoWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 16, 16);
            BinaryPrimitives.WriteUInt32LittleEndian(d, (BinaryPrimitives.ReadUInt32LittleEndian(d) & 0xFF00_0000u) | (uint)(64_000 + i));
            Span<byte> m = d.Slice(4);
            BinaryPrimitives.WriteUInt16LittleEndian(m, (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(m) & 0xC000) | (1400 + (i & 15))));
            d[6] = 54;
            d[8] = (byte)((d[8] & 0xE0) | (int)TxDescDtypeDqo.TsoContext);
            d[8] = (byte)(d[8] | 0x20);
        }
    }

    /// <summary>tx_tso_context_desc_dqo write, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_tso_context_desc_dqo write")]
    public void TsoWritePlainCopy() => CopySlots<Block16>(_tso, _ring);

    /// <summary>tx_tso_context_desc_dqo write, Marshal.StructureToPtr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_tso_context_desc_dqo write")]
    public void TsoWriteNaive()
    {
        for (int i = 0; i < Slots; i++)
        {
            var d = new NaiveTso { TotalLenWord = (uint)(64_000 + i), MssWord = (ushort)(1400 + (i & 15)), HeaderLen = 54, CmdDtype = (byte)((int)TxDescDtypeDqo.TsoContext | 0x20) };
            Marshal.StructureToPtr(d, (IntPtr)At(_ring, i * 16), false);
        }
    }

    /// <summary>tx_tso_context_desc_dqo read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_tso_context_desc_dqo read")]
    public ulong TsoReadGenerated()
    {
        ReadOnlySpan<byte> ring = _tso;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly TxTsoContextDescDqo d = ref TxTsoContextDescDqo.AsReadOnly(ring.Slice(i * TxTsoContextDescDqo.Size));
            acc += (ulong)d.TsoTotalLen + d.Mss + d.HeaderLen + (ulong)d.CmdDtype.Dtype + (d.CmdDtype.Tso ? 1UL : 0);
        }
        return acc;
    }

    /// <summary>tx_tso_context_desc_dqo read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_tso_context_desc_dqo read")]
    public ulong TsoReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _tso;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 16, 16);
            acc += (ulong)(BinaryPrimitives.ReadUInt32LittleEndian(d) & 0xFF_FFFF) + (BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(4)) & 0x3FFFu) + d[6]
                 + (uint)(d[8] & 0x1F) + (uint)((d[8] >> 5) & 1);
        }
        return acc;
    }

    /// <summary>tx_tso_context_desc_dqo read, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_tso_context_desc_dqo read")]
    public void TsoReadPlainCopy() => CopySlots<Block16>(_tso, _scratch);

    /// <summary>tx_tso_context_desc_dqo read, Marshal.PtrToStructure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_tso_context_desc_dqo read")]
    public ulong TsoReadNaive()
    {
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            NaiveTso d = Marshal.PtrToStructure<NaiveTso>((IntPtr)At(_tso, i * 16));
            acc += (ulong)(d.TotalLenWord & 0xFF_FFFF) + (d.MssWord & 0x3FFFu) + d.HeaderLen + (uint)(d.CmdDtype & 0x1F) + (uint)((d.CmdDtype >> 5) & 1);
        }
        return acc;
    }

    // ---------------------------------------------------------------- tx_general_context_desc_dqo: flex0..flex11, cmd_dtype.dtype

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct NaiveGeneral { public byte Flex4, Flex5, Flex6, Flex7, Flex8, Flex9, Flex10, Flex11, CmdDtype, Reserved2; public ushort Reserved; public byte Flex0, Flex1, Flex2, Flex3; }

    /// <summary>tx_general_context_desc_dqo write, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_general_context_desc_dqo write")]
    public void GeneralWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref TxGeneralContextDescDqo d = ref TxGeneralContextDescDqo.AsRef(ring.Slice(i * TxGeneralContextDescDqo.Size));
            byte b = (byte)i;
            d.Flex0 = 0; d.Flex1 = b; d.Flex2 = (byte)(b >> 1); d.Flex3 = 0;
            d.Flex4 = 0; d.Flex5 = 0; d.Flex6 = 0; d.Flex7 = 0; d.Flex8 = 0; d.Flex9 = 0; d.Flex10 = 0; d.Flex11 = 0;
            d.CmdDtype.Dtype = TxDescDtypeDqo.GeneralContext;
        }
    }

    /// <summary>tx_general_context_desc_dqo write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_general_context_desc_dqo write")]
    public void GeneralWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 16, 16);
            byte b = (byte)i;
            d[12] = 0; d[13] = b; d[14] = (byte)(b >> 1); d[15] = 0;
            d[0] = 0; d[1] = 0; d[2] = 0; d[3] = 0; d[4] = 0; d[5] = 0; d[6] = 0; d[7] = 0;
            d[8] = (byte)((d[8] & 0xE0) | (int)TxDescDtypeDqo.GeneralContext);
        }
    }

    /// <summary>
    /// tx_general_context_desc_dqo write from the one template, as DqoTxQueue.WriteDescriptors: the static descriptor
    /// copied into the slot. The driver stops there (every flex byte zero); to leave the same bytes as the other
    /// writers, this one then sets the two flex bytes they vary (flex1, flex2) through the generated setters, so it
    /// costs at least what the driver's write costs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_general_context_desc_dqo write")]
    public void GeneralWriteTemplate()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref TxDescDqo d = ref TxDescDqo.AsRef(ring.Slice(i * TxDescDqo.Size));
            d = GeneralTemplate;
            byte b = (byte)i;
            d.GeneralCtx.Flex1 = b;
            d.GeneralCtx.Flex2 = (byte)(b >> 1);
        }
    }

    /// <summary>tx_general_context_desc_dqo write, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_general_context_desc_dqo write")]
    public void GeneralWritePlainCopy() => CopySlots<Block16>(_general, _ring);

    /// <summary>tx_general_context_desc_dqo write, Marshal.StructureToPtr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_general_context_desc_dqo write")]
    public void GeneralWriteNaive()
    {
        for (int i = 0; i < Slots; i++)
        {
            byte b = (byte)i;
            var d = new NaiveGeneral { Flex1 = b, Flex2 = (byte)(b >> 1), CmdDtype = (byte)TxDescDtypeDqo.GeneralContext };
            Marshal.StructureToPtr(d, (IntPtr)At(_ring, i * 16), false);
        }
    }

    /// <summary>tx_general_context_desc_dqo read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_general_context_desc_dqo read")]
    public ulong GeneralReadGenerated()
    {
        ReadOnlySpan<byte> ring = _general;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly TxGeneralContextDescDqo d = ref TxGeneralContextDescDqo.AsReadOnly(ring.Slice(i * TxGeneralContextDescDqo.Size));
            acc += (ulong)d.Flex0 + d.Flex1 + d.Flex2 + d.Flex3 + d.Flex4 + d.Flex5 + d.Flex6 + d.Flex7 + d.Flex8 + d.Flex9 + d.Flex10 + d.Flex11 + (ulong)d.CmdDtype.Dtype;
        }
        return acc;
    }

    /// <summary>tx_general_context_desc_dqo read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_general_context_desc_dqo read")]
    public ulong GeneralReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _general;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 16, 16);
            acc += (ulong)d[12] + d[13] + d[14] + d[15] + d[0] + d[1] + d[2] + d[3] + d[4] + d[5] + d[6] + d[7] + (uint)(d[8] & 0x1F);
        }
        return acc;
    }

    /// <summary>tx_general_context_desc_dqo read, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_general_context_desc_dqo read")]
    public void GeneralReadPlainCopy() => CopySlots<Block16>(_general, _scratch);

    /// <summary>tx_general_context_desc_dqo read, Marshal.PtrToStructure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_general_context_desc_dqo read")]
    public ulong GeneralReadNaive()
    {
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            NaiveGeneral d = Marshal.PtrToStructure<NaiveGeneral>((IntPtr)At(_general, i * 16));
            acc += (ulong)d.Flex0 + d.Flex1 + d.Flex2 + d.Flex3 + d.Flex4 + d.Flex5 + d.Flex6 + d.Flex7 + d.Flex8 + d.Flex9 + d.Flex10 + d.Flex11 + (uint)(d.CmdDtype & 0x1F);
        }
        return acc;
    }

    // ---------------------------------------------------------------- tx_compl_desc (8 B): id, type, generation, completion_tag

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct NaiveTxCompl { public ushort IdTypeGeneration; public ushort Tag; public uint Reserved1; }

    /// <summary>tx_compl_desc write (the device's side), generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_compl_desc write")]
    public void TxComplWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref TxComplDesc d = ref TxComplDesc.AsRef(ring.Slice(i * TxComplDesc.Size));
            d.Id = (ushort)(i & 15);
            d.Type = ComplTypeDqo.Pkt;
            d.Generation = (i & 1) != 0;
            d.CompletionTag = (ushort)i;
        }
    }

    /// <summary>tx_compl_desc write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_compl_desc write")]
    public void TxComplWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 8, 8);
            BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(d) & 0xF800) | (i & 15)));
            BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(d) & 0xC7FF) | ((int)ComplTypeDqo.Pkt << 11)));
            BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(d) & 0x7FFF) | ((i & 1) << 15)));
            BinaryPrimitives.WriteUInt16LittleEndian(d.Slice(2), (ushort)i);
        }
    }

    /// <summary>tx_compl_desc write, plain copy of the 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_compl_desc write")]
    public void TxComplWritePlainCopy() => CopySlots<ulong>(_txCompl, _ring);

    /// <summary>tx_compl_desc write, Marshal.StructureToPtr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_compl_desc write")]
    public void TxComplWriteNaive()
    {
        for (int i = 0; i < Slots; i++)
        {
            var d = new NaiveTxCompl { IdTypeGeneration = (ushort)((i & 15) | ((int)ComplTypeDqo.Pkt << 11) | ((i & 1) << 15)), Tag = (ushort)i };
            Marshal.StructureToPtr(d, (IntPtr)At(_ring, i * 8), false);
        }
    }

    /// <summary>tx_compl_desc read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_compl_desc read")]
    public ulong TxComplReadGenerated()
    {
        ReadOnlySpan<byte> ring = _txCompl;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly TxComplDesc d = ref TxComplDesc.AsReadOnly(ring.Slice(i * TxComplDesc.Size));
            acc += (ulong)d.Id + (ulong)d.Type + (d.Generation ? 1UL : 0) + d.CompletionTag;
        }
        return acc;
    }

    /// <summary>tx_compl_desc read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_compl_desc read")]
    public ulong TxComplReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _txCompl;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 8, 8);
            uint w = BinaryPrimitives.ReadUInt16LittleEndian(d);
            acc += (w & 0x7FF) + ((w >> 11) & 7) + (w >> 15) + BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(2));
        }
        return acc;
    }

    /// <summary>tx_compl_desc read, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_compl_desc read")]
    public void TxComplReadPlainCopy() => CopySlots<ulong>(_txCompl, _scratch);

    /// <summary>tx_compl_desc read, Marshal.PtrToStructure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO tx_compl_desc read")]
    public ulong TxComplReadNaive()
    {
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            NaiveTxCompl d = Marshal.PtrToStructure<NaiveTxCompl>((IntPtr)At(_txCompl, i * 8));
            uint w = d.IdTypeGeneration;
            acc += (w & 0x7FF) + ((w >> 11) & 7) + (w >> 15) + d.Tag;
        }
        return acc;
    }

    // ---------------------------------------------------------------- rx_desc_dqo (32 B, buffer post): buf_id, buf_addr, header_buf_addr

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct NaiveRxBuf { public ushort BufId; public ushort Reserved0; public uint Reserved1; public ulong BufAddr; public ulong HeaderBufAddr; public ulong Reserved2; }

    /// <summary>rx_desc_dqo write, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_desc_dqo write")]
    public void RxBufWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref RxDescDqo d = ref RxDescDqo.AsRef(ring.Slice(i * RxDescDqo.Size));
            d.BufId = (ushort)i;
            d.BufAddr = 0x2_0000_0000UL + (ulong)i * 2048;
            d.HeaderBufAddr = 0;
        }
    }

    /// <summary>rx_desc_dqo write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_desc_dqo write")]
    public void RxBufWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 32, 32);
            BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)i);
            BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(8), 0x2_0000_0000UL + (ulong)i * 2048);
            BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(16), 0);
        }
    }

    /// <summary>
    /// rx_desc_dqo write from the buffer's template, as DqoRxQueue.Post: the template copied into the slot, then
    /// header_buf_addr set (the driver sets it only with header split; zero here, as the other writers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_desc_dqo write")]
    public void RxBufWriteTemplate()
    {
        Span<byte> ring = _ring;
        RxDescDqo[] templates = _rxBufTemplates;
        for (int i = 0; i < Slots; i++)
        {
            ref RxDescDqo d = ref RxDescDqo.AsRef(ring.Slice(i * RxDescDqo.Size));
            d = templates[i];
            d.HeaderBufAddr = 0;
        }
    }

    /// <summary>rx_desc_dqo write, plain copy of the 32 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_desc_dqo write")]
    public void RxBufWritePlainCopy() => CopySlots<Block32>(_rxBuf, _ring);

    /// <summary>rx_desc_dqo write, Marshal.StructureToPtr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_desc_dqo write")]
    public void RxBufWriteNaive()
    {
        for (int i = 0; i < Slots; i++)
        {
            var d = new NaiveRxBuf { BufId = (ushort)i, BufAddr = 0x2_0000_0000UL + (ulong)i * 2048 };
            Marshal.StructureToPtr(d, (IntPtr)At(_ring, i * 32), false);
        }
    }

    /// <summary>rx_desc_dqo read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_desc_dqo read")]
    public ulong RxBufReadGenerated()
    {
        ReadOnlySpan<byte> ring = _rxBuf;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly RxDescDqo d = ref RxDescDqo.AsReadOnly(ring.Slice(i * RxDescDqo.Size));
            acc += d.BufId + d.BufAddr + d.HeaderBufAddr;
        }
        return acc;
    }

    /// <summary>rx_desc_dqo read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_desc_dqo read")]
    public ulong RxBufReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _rxBuf;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 32, 32);
            acc += BinaryPrimitives.ReadUInt16LittleEndian(d) + BinaryPrimitives.ReadUInt64LittleEndian(d.Slice(8)) + BinaryPrimitives.ReadUInt64LittleEndian(d.Slice(16));
        }
        return acc;
    }

    /// <summary>rx_desc_dqo read, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_desc_dqo read")]
    public void RxBufReadPlainCopy() => CopySlots<Block32>(_rxBuf, _scratch);

    /// <summary>rx_desc_dqo read, Marshal.PtrToStructure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_desc_dqo read")]
    public ulong RxBufReadNaive()
    {
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            NaiveRxBuf d = Marshal.PtrToStructure<NaiveRxBuf>((IntPtr)At(_rxBuf, i * 32));
            acc += d.BufId + d.BufAddr + d.HeaderBufAddr;
        }
        return acc;
    }

    // ---------------------------------------------------------------- rx_compl_desc_dqo (32 B): rxdid, rx_error, packet_type, packet_len, generation, descriptor_done, end_of_packet, l3_l4_processed, buf_id, hash

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct NaiveRxCompl
    {
        public byte RxdidFlags, StatusFlags; public ushort PtypeFlags, PacketLenFlags, HeaderLenFlags;
        public byte StatusError0, StatusError1, Reserved5, TsSubNsecsLow; public ushort BufId, CsumOrRsc;
        public uint Hash, Reserved6, Reserved7, Ts;
    }

    /// <summary>rx_compl_desc_dqo write (the device's side), generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_compl_desc_dqo write")]
    public void RxComplWriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref RxComplDescDqo d = ref RxComplDescDqo.AsRef(ring.Slice(i * RxComplDescDqo.Size));
            d.Rxdid = 1;
            d.RxError = false;
            d.PacketType = (ushort)(i & 0x3FF);
            d.PacketLen = (ushort)(60 + i);
            d.Generation = (i & 1) != 0;
            d.DescriptorDone = true;
            d.EndOfPacket = true;
            d.L3L4Processed = true;
            d.BufId = (ushort)i;
            d.Hash = (uint)i * 0x9E3779B1u;
        }
    }

    /// <summary>rx_compl_desc_dqo write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_compl_desc_dqo write")]
    public void RxComplWriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> d = ring.Slice(i * 32, 32);
            d[0] = (byte)((d[0] & 0xF0) | 1);
            d[1] = (byte)(d[1] & 0xFB);
            Span<byte> p = d.Slice(2);
            BinaryPrimitives.WriteUInt16LittleEndian(p, (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(p) & 0xFC00) | (i & 0x3FF)));
            Span<byte> l = d.Slice(4);
            BinaryPrimitives.WriteUInt16LittleEndian(l, (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(l) & 0xC000) | (60 + i)));
            BinaryPrimitives.WriteUInt16LittleEndian(l, (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(l) & 0xBFFF) | ((i & 1) << 14)));
            d[8] = (byte)(d[8] | 0x01);
            d[8] = (byte)(d[8] | 0x02);
            d[8] = (byte)(d[8] | 0x08);
            BinaryPrimitives.WriteUInt16LittleEndian(d.Slice(12), (ushort)i);
            BinaryPrimitives.WriteUInt32LittleEndian(d.Slice(16), (uint)i * 0x9E3779B1u);
        }
    }

    /// <summary>rx_compl_desc_dqo write, plain copy of the 32 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_compl_desc_dqo write")]
    public void RxComplWritePlainCopy() => CopySlots<Block32>(_rxCompl, _ring);

    /// <summary>rx_compl_desc_dqo write, Marshal.StructureToPtr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_compl_desc_dqo write")]
    public void RxComplWriteNaive()
    {
        for (int i = 0; i < Slots; i++)
        {
            var d = new NaiveRxCompl
            {
                RxdidFlags = 1,
                PtypeFlags = (ushort)(i & 0x3FF),
                PacketLenFlags = (ushort)((60 + i) | ((i & 1) << 14)),
                StatusError0 = 0x0B,
                BufId = (ushort)i,
                Hash = (uint)i * 0x9E3779B1u,
            };
            Marshal.StructureToPtr(d, (IntPtr)At(_ring, i * 32), false);
        }
    }

    /// <summary>rx_compl_desc_dqo read, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_compl_desc_dqo read")]
    public ulong RxComplReadGenerated()
    {
        ReadOnlySpan<byte> ring = _rxCompl;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly RxComplDescDqo d = ref RxComplDescDqo.AsReadOnly(ring.Slice(i * RxComplDescDqo.Size));
            acc += (ulong)d.Rxdid + (d.RxError ? 1UL : 0) + d.PacketType + d.PacketLen + (d.Generation ? 2UL : 0) + (d.DescriptorDone ? 4UL : 0)
                 + (d.EndOfPacket ? 8UL : 0) + (d.L3L4Processed ? 16UL : 0) + d.BufId + d.Hash;
        }
        return acc;
    }

    /// <summary>rx_compl_desc_dqo read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_compl_desc_dqo read")]
    public ulong RxComplReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _rxCompl;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> d = ring.Slice(i * 32, 32);
            uint len = BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(4));
            uint s0 = d[8];
            acc += (ulong)(d[0] & 0x0F) + (uint)((d[1] >> 2) & 1) + (BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(2)) & 0x3FFu) + (len & 0x3FFF) + ((len >> 14) & 1) * 2
                 + (s0 & 1) * 4 + ((s0 >> 1) & 1) * 8 + ((s0 >> 3) & 1) * 16 + BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(12)) + BinaryPrimitives.ReadUInt32LittleEndian(d.Slice(16));
        }
        return acc;
    }

    /// <summary>rx_compl_desc_dqo read, plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_compl_desc_dqo read")]
    public void RxComplReadPlainCopy() => CopySlots<Block32>(_rxCompl, _scratch);

    /// <summary>rx_compl_desc_dqo read, Marshal.PtrToStructure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("DQO rx_compl_desc_dqo read")]
    public ulong RxComplReadNaive()
    {
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            NaiveRxCompl d = Marshal.PtrToStructure<NaiveRxCompl>((IntPtr)At(_rxCompl, i * 32));
            uint len = d.PacketLenFlags;
            uint s0 = d.StatusError0;
            acc += (ulong)(d.RxdidFlags & 0x0F) + (uint)((d.StatusFlags >> 2) & 1) + (d.PtypeFlags & 0x3FFu) + (len & 0x3FFF) + ((len >> 14) & 1) * 2
                 + (s0 & 1) * 4 + ((s0 >> 1) & 1) * 8 + ((s0 >> 3) & 1) * 16 + d.BufId + d.Hash;
        }
        return acc;
    }
}
