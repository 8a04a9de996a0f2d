using System;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Gvnic.Wire;

namespace Gvnic.Benchmarks;

/// <summary>
/// Writing and reading descriptors in place over a ring, with the generated types, against a
/// hand-written BinaryPrimitives baseline that does the same stores. Both must cost about the same:
/// the generated accessors are meant to compile down to the plain loads, stores and byte swaps.
/// </summary>
[MemoryDiagnoser]
public class DescriptorCodecBenchmarks
{
    private const int Slots = 256;
    private readonly byte[] _dqoRing = new byte[Slots * TxPktDescDqo.Size];
    private readonly byte[] _gqiRing = new byte[Slots * TxPktDesc.Size];
    private readonly byte[] _rxRing = new byte[Slots * RxDesc.Size];

    /// <summary>Fills the RX ring with plausible completions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Slots; i++)
        {
            ref var d = ref RxDesc.AsRef(_rxRing.AsSpan(i * RxDesc.Size));
            d.Len = (ushort)(64 + i);
            d.Seqno = (ushort)(i % 7 + 1);
        }
    }

    /// <summary>256 DQO TX packet descriptors written with the generated type.</summary>
    [Benchmark(Baseline = true)]
    public void DqoTxWriteGenerated()
    {
        var ring = _dqoRing.AsSpan();
        for (int i = 0; i < Slots; i++)
        {
            ref var d = ref TxPktDescDqo.AsRef(ring.Slice(i * TxPktDescDqo.Size));
            d.BufAddr = 0x1_0000_0000UL + (ulong)(i * 2048);
            d.Dtype = TxDescDtypeDqo.Packet;
            d.EndOfPacket = true;
            d.ComplTag = (ushort)i;
            d.BufSize = (ushort)(60 + i);
        }
    }

    /// <summary>The same 256 descriptors with hand-written BinaryPrimitives stores.</summary>
    [Benchmark]
    public void DqoTxWriteHandWritten()
    {
        var ring = _dqoRing.AsSpan();
        for (int i = 0; i < Slots; i++)
        {
            var d = ring.Slice(i * 16, 16);
            BinaryPrimitives.WriteUInt64LittleEndian(d, 0x1_0000_0000UL + (ulong)(i * 2048));
            d[8] = (byte)((d[8] & 0xC0) | 0x0C | 0x20);
            BinaryPrimitives.WriteUInt16LittleEndian(d.Slice(12), (ushort)i);
            ushort word = BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(14));
            BinaryPrimitives.WriteUInt16LittleEndian(d.Slice(14), (ushort)((word & 0xC000) | (60 + i)));
        }
    }

    /// <summary>256 GQI TX packet descriptors (big-endian) written with the generated type.</summary>
    [Benchmark]
    public void GqiTxWriteGenerated()
    {
        var ring = _gqiRing.AsSpan();
        for (int i = 0; i < Slots; i++)
        {
            ref var d = ref TxPktDesc.AsRef(ring.Slice(i * TxPktDesc.Size));
            d.Type = TxdType.Std;
            d.DescCnt = 1;
            d.Len = (ushort)(60 + i);
            d.SegLen = (ushort)(60 + i);
            d.SegAddr = (ulong)(i * 2048);
        }
    }

    /// <summary>256 GQI RX descriptors read (length and sequence number) with the generated type.</summary>
    [Benchmark]
    public int GqiRxReadGenerated()
    {
        var ring = _rxRing.AsSpan();
        int total = 0;
        for (int i = 0; i < Slots; i++)
        {
            ref readonly var d = ref RxDesc.AsReadOnly(ring.Slice(i * RxDesc.Size));
            total += d.Len + d.Seqno;
        }
        return total;
    }

    /// <summary>Copying a whole admin command out of memory and back.</summary>
    [Benchmark]
    public void AdminCommandRoundTrip()
    {
        var page = _rxRing.AsSpan(0, AdminqCommand.Size);
        var cmd = AdminqCommand.Read(page);
        cmd.Opcode = AdminqOpcodes.CreateTxQueue;
        cmd.CreateTxQueue.QueueId = 3;
        cmd.Write(page);
    }
}
