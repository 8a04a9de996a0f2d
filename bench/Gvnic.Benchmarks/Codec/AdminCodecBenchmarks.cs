using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Gvnic.Wire;
using static Gvnic.Benchmarks.Codec.CodecRing;

namespace Gvnic.Benchmarks.Codec;

/// <summary>
/// An admin command (CREATE_TX_QUEUE in a 64-byte big-endian command slot) written and read in place over 256 slots,
/// four ways: Generated, HandWritten (BinaryPrimitives: the baseline), PlainCopy (the 64 bytes), Naive (BitConverter and
/// Array.Reverse). Fields: opcode, status, queue_id, queue_resources_addr, tx_ring_addr, queue_page_list_id, ntfy_id,
/// tx_comp_ring_addr, tx_ring_size, tx_comp_ring_size (status is read, not written).
/// </summary>
[Config(typeof(CodecConfig))]
public class AdminCodecBenchmarks
{
    private readonly byte[] _ring = new byte[Slots * AdminqCommand.Size];
    private readonly byte[] _written = new byte[Slots * AdminqCommand.Size];
    private readonly byte[] _source = new byte[Slots * AdminqCommand.Size];

    /// <summary>Fills the source rings with the generated writer (the read source also with a PASSED status in each slot).</summary>
    [GlobalSetup]
    public void Setup()
    {
        WriteGenerated();
        _ring.CopyTo(_written, 0);
        for (int i = 0; i < Slots; i++) AdminqCommand.AsRef(_ring.AsSpan(i * AdminqCommand.Size)).Status = AdminqStatuses.CommandPassed;
        _ring.CopyTo(_source, 0);
    }

    /// <summary>CREATE_TX_QUEUE write, generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("admin create_tx_queue write")]
    public void WriteGenerated()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            ref AdminqCommand c = ref AdminqCommand.AsRef(ring.Slice(i * AdminqCommand.Size));
            c.Opcode = AdminqOpcodes.CreateTxQueue;
            ref AdminqCreateTxQueue b = ref c.CreateTxQueue;
            b.QueueId = (uint)(i & 15);
            b.QueueResourcesAddr = 0x1000UL * (ulong)i;
            b.TxRingAddr = 0x10_0000UL + 0x1000UL * (ulong)i;
            b.QueuePageListId = (uint)i;
            b.NtfyId = (uint)(i & 15);
            b.TxCompRingAddr = 0;
            b.TxRingSize = 256;
            b.TxCompRingSize = 0;
        }
    }

    /// <summary>CREATE_TX_QUEUE write, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("admin create_tx_queue write")]
    public void WriteHandWritten()
    {
        Span<byte> ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            Span<byte> c = ring.Slice(i * 64, 64);
            BinaryPrimitives.WriteUInt32BigEndian(c, (uint)AdminqOpcodes.CreateTxQueue);
            BinaryPrimitives.WriteUInt32BigEndian(c.Slice(8), (uint)(i & 15));
            BinaryPrimitives.WriteUInt64BigEndian(c.Slice(16), 0x1000UL * (ulong)i);
            BinaryPrimitives.WriteUInt64BigEndian(c.Slice(24), 0x10_0000UL + 0x1000UL * (ulong)i);
            BinaryPrimitives.WriteUInt32BigEndian(c.Slice(32), (uint)i);
            BinaryPrimitives.WriteUInt32BigEndian(c.Slice(36), (uint)(i & 15));
            BinaryPrimitives.WriteUInt64BigEndian(c.Slice(40), 0);
            BinaryPrimitives.WriteUInt16BigEndian(c.Slice(48), 256);
            BinaryPrimitives.WriteUInt16BigEndian(c.Slice(50), 0);
        }
    }

    /// <summary>CREATE_TX_QUEUE write, plain copy of the 64-byte slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("admin create_tx_queue write")]
    public void WritePlainCopy() => CopySlots<Block64>(_written, _ring);

    /// <summary>CREATE_TX_QUEUE write, BitConverter and Array.Reverse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("admin create_tx_queue write")]
    public void WriteNaive()
    {
        byte[] ring = _ring;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 64;
            Naive.PutBig(ring, o, (uint)AdminqOpcodes.CreateTxQueue);
            Naive.PutBig(ring, o + 8, (uint)(i & 15));
            Naive.PutBig(ring, o + 16, 0x1000UL * (ulong)i);
            Naive.PutBig(ring, o + 24, 0x10_0000UL + 0x1000UL * (ulong)i);
            Naive.PutBig(ring, o + 32, (uint)i);
            Naive.PutBig(ring, o + 36, (uint)(i & 15));
            Naive.PutBig(ring, o + 40, 0UL);
            Naive.PutBig(ring, o + 48, (ushort)256);
            Naive.PutBig(ring, o + 50, (ushort)0);
        }
    }

    /// <summary>CREATE_TX_QUEUE read (status and body, as the device or a log reads them), generated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("admin create_tx_queue read")]
    public ulong ReadGenerated()
    {
        ReadOnlySpan<byte> ring = _source;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly AdminqCommand c = ref AdminqCommand.AsReadOnly(ring.Slice(i * AdminqCommand.Size));
            ref readonly AdminqCreateTxQueue b = ref AdminqCreateTxQueue.AsReadOnly(ring.Slice(i * AdminqCommand.Size + AdminqCommand.Offsets.CreateTxQueue));
            acc += (ulong)c.Opcode + (ulong)c.Status + b.QueueId + b.QueueResourcesAddr + b.TxRingAddr + b.QueuePageListId + b.NtfyId + b.TxCompRingAddr + b.TxRingSize + b.TxCompRingSize;
        }
        return acc;
    }

    /// <summary>CREATE_TX_QUEUE read, hand-written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots), BenchmarkCategory("admin create_tx_queue read")]
    public ulong ReadHandWritten()
    {
        ReadOnlySpan<byte> ring = _source;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> c = ring.Slice(i * 64, 64);
            acc += (ulong)BinaryPrimitives.ReadUInt32BigEndian(c) + BinaryPrimitives.ReadUInt32BigEndian(c.Slice(4)) + BinaryPrimitives.ReadUInt32BigEndian(c.Slice(8))
                 + BinaryPrimitives.ReadUInt64BigEndian(c.Slice(16)) + BinaryPrimitives.ReadUInt64BigEndian(c.Slice(24)) + BinaryPrimitives.ReadUInt32BigEndian(c.Slice(32))
                 + BinaryPrimitives.ReadUInt32BigEndian(c.Slice(36)) + BinaryPrimitives.ReadUInt64BigEndian(c.Slice(40)) + BinaryPrimitives.ReadUInt16BigEndian(c.Slice(48))
                 + BinaryPrimitives.ReadUInt16BigEndian(c.Slice(50));
        }
        return acc;
    }

    /// <summary>CREATE_TX_QUEUE read, plain copy of the 64-byte slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("admin create_tx_queue read")]
    public void ReadPlainCopy() => CopySlots<Block64>(_source, _ring);

    /// <summary>CREATE_TX_QUEUE read, BitConverter and Array.Reverse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Benchmark(OperationsPerInvoke = Slots), BenchmarkCategory("admin create_tx_queue read")]
    public ulong ReadNaive()
    {
        byte[] ring = _source;
        ulong acc = 0;
        for (int i = 0; i < Slots; i++)
        {
            int o = i * 64;
            acc += (ulong)Naive.BigU32(ring, o) + Naive.BigU32(ring, o + 4) + Naive.BigU32(ring, o + 8) + Naive.BigU64(ring, o + 16) + Naive.BigU64(ring, o + 24)
                 + Naive.BigU32(ring, o + 32) + Naive.BigU32(ring, o + 36) + Naive.BigU64(ring, o + 40) + Naive.BigU16(ring, o + 48) + Naive.BigU16(ring, o + 50);
        }
        return acc;
    }
}
