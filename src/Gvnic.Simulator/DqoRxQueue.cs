using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator;

/// <summary>
/// A DQO RX queue: the driver posts 32-byte buffer descriptors (buffer id and address) and rings the doorbell with the
/// buffer-queue tail; the device fills buffers in the order posted and writes a 32-byte completion per buffer, with a
/// generation bit that starts at 1 and flips on every lap of the completion queue. No pad before the frame.
/// </summary>
internal sealed class DqoRxQueue : RxQueue
{
    private readonly ulong _complRing;
    private readonly int _complSize;
    private readonly ulong _bufRing;
    private readonly int _bufSize;
    private readonly int _bufferBytes;
    private readonly Queue<(ushort Id, ulong Addr)> _available = new();
    private readonly HashSet<ushort> _ownedIds = new();
    private int _tail;
    private int _complTail;
    private bool _generation = true;

    public DqoRxQueue(SimulatedGvnic device, int id, uint ntfyId, uint doorbellIndex, uint counterIndex, QueuePageList? qpl,
        ulong complRing, int complSize, ulong bufRing, int bufSize, int bufferBytes)
        : base(device, id, ntfyId, doorbellIndex, counterIndex, qpl)
    {
        _complRing = complRing;
        _complSize = complSize;
        _bufRing = bufRing;
        _bufSize = bufSize;
        _bufferBytes = bufferBytes;
    }

    public override void OnDoorbell(uint value)
    {
        if (value >= (uint)_bufSize)
        {
            Violate(ViolationKind.DoorbellBeyondRing, value, "buffer-queue tail " + value + " is outside the " + _bufSize + "-entry ring");
            return;
        }
        int adding = ((int)value - _tail) & (_bufSize - 1);
        if (_available.Count + adding > _bufSize)
        {
            Violate(ViolationKind.DoorbellBeyondRing, value, "tail " + value + " would give the device " + (_available.Count + adding) + " buffers in a " + _bufSize + "-entry queue");
            return;
        }
        for (int i = _tail; i != (int)value; i = (i + 1) & (_bufSize - 1))
        {
            if (!Device.TryDma(_bufRing + (ulong)i * RxDescDqo.Size, RxDescDqo.Size, Id, i, "RX queue " + Id + " buffer descriptor", out Span<byte> s)) return;
            RxDescDqo d = RxDescDqo.Read(s);
            if (!_ownedIds.Add(d.BufId))
            {
                Violate(ViolationKind.BufferReposted, i, "buffer id " + d.BufId + " posted at " + i + " while the device still owns it");
                continue;
            }
            if (Qpl is not null && !Qpl.ContainsAddress(d.BufAddr, _bufferBytes))
                Violate(ViolationKind.QplOffsetOutOfRange, i, "buffer 0x" + d.BufAddr.ToString("X") + " is not inside one page of page list " + Qpl.Id);
            _available.Enqueue((d.BufId, d.BufAddr));
        }
        _tail = (int)value;
    }

    public override RxOutcome Deliver(byte[] frame)
    {
        if (!CheckMtu(frame)) return RxOutcome.DroppedTooLong;
        int pieces = Math.Max(1, (frame.Length + _bufferBytes - 1) / _bufferBytes);
        if (_available.Count < pieces)
        {
            Counters.NoBufferDrops++;
            return RxOutcome.DroppedNoBuffers;
        }
        FrameInfo info = FrameInfo.Parse(frame);
        uint hash = Device.RssHash(frame);
        int done = 0;
        for (int p = 0; p < pieces; p++)
        {
            (ushort bufId, ulong addr) = _available.Dequeue();
            _ownedIds.Remove(bufId);
            int len = Math.Min(_bufferBytes, frame.Length - done);
            bool ok = (Qpl is null || Qpl.ContainsAddress(addr, len))
                && Device.TryDma(addr, len, Id, bufId, "RX queue " + Id + " buffer " + bufId, out Span<byte> dst)
                && Copy(frame.AsSpan(done, len), dst);
            if (!Device.TryDma(_complRing + (ulong)_complTail * RxComplDescDqo.Size, RxComplDescDqo.Size, Id, _complTail, "RX queue " + Id + " completion", out Span<byte> c))
            {
                Counters.Errors++;
                return RxOutcome.DroppedNotReady;
            }
            c.Clear();
            ref RxComplDescDqo d = ref RxComplDescDqo.AsRef(c);
            d.BufId = bufId;
            d.PacketLen = (ushort)len;
            d.Generation = _generation;
            d.EndOfPacket = p == pieces - 1;
            d.DescriptorDone = true;
            d.RxError = !ok;
            d.PacketType = (ushort)SimulatedGvnic.PacketTypeIndex(info.L3, info.L4);
            d.L3L4Processed = info.L3 is L3Type.Ipv4 or L3Type.Ipv6;
            d.Hash = hash;
            Device.Faults.OnDqoRxCompletion(Id, _complTail, c, _bufferBytes);
            _complTail = (_complTail + 1) & (_complSize - 1);
            if (_complTail == 0) _generation = !_generation;
            if (!ok) Counters.Errors++;
            done += len;
        }
        Delivered(frame);
        return RxOutcome.Delivered;
    }

    private static bool Copy(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        src.CopyTo(dst);
        return true;
    }
}
