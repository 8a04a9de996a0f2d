using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>
/// A GQI TX queue: a power-of-two ring of 16-byte descriptors (packet, segment, metadata); the doorbell is the
/// free-running count of descriptors produced; completion is the free-running count of descriptors consumed,
/// written to the queue's event counter.
/// </summary>
internal sealed partial class GqiTxQueue : TxQueue
{
    private readonly ulong _ring;
    private readonly int _size;
    private readonly byte[][] _posted;
    private readonly byte[][] _snapshots; // _posted's buffers, one a slot, reused lap after lap
    private readonly List<(ulong Addr, int Len)> _segments = new();
    private uint _doorbell;
    private uint _head;

    public GqiTxQueue(IQueueHost host, QueueBinding binding, ulong ring, int size)
        : base(host, binding)
    {
        _ring = ring;
        _size = size;
        _posted = new byte[size][];
        _snapshots = new byte[size][];
    }

    public override bool HasWork => _head != _doorbell;

    /// <inheritdoc/>
    public override int RingCapacity => _size;

    public override void Ring(uint raw)
    {
        uint value = Bar2Registers.DecodeDoorbell(raw);
        if ((int)(value - _doorbell) < 0)
        {
            Violate(ViolationKind.DoorbellBackwards, value, "doorbell went back from " + _doorbell + " to " + value + " (it is the free-running count of descriptors produced)");
            return;
        }
        if (value - _head > (uint)_size)
        {
            Violate(ViolationKind.DoorbellBeyondRing, value, "doorbell " + value + " is " + (value - _head) + " descriptors ahead of the device's head " + _head + " in a " + _size + "-entry ring");
            return;
        }
        // The whole ring in one DMA resolve; descriptor by descriptor (recording the one that fails) only when that does not succeed.
        bool whole = Host.TryDmaQuiet(_ring, (long)_size * TxDesc.Size, out Span<byte> ring);
        for (uint i = _doorbell; i != value; i++)
        {
            int slot = (int)(i & (uint)(_size - 1));
            Span<byte> d;
            if (whole) d = ring.Slice(slot * TxDesc.Size, TxDesc.Size);
            else if (!Host.TryDma(_ring + (ulong)slot * TxDesc.Size, TxDesc.Size, Id, slot, $"TX queue {Id} descriptor", out d)) return;
            d.CopyTo(_snapshots[slot] ??= new byte[TxDesc.Size]);
            _posted[slot] = _snapshots[slot];
        }
        _doorbell = value;
        if (Host.Synchronous)
        {
            while (ProcessOne())
            {
            }
        }
    }

    private bool ReadDesc(uint position, out TxDesc desc)
    {
        desc = default;
        int slot = (int)(position & (uint)(_size - 1));
        if (!Host.TryDma(_ring + (ulong)slot * TxDesc.Size, TxDesc.Size, Id, slot, $"TX queue {Id} descriptor", out Span<byte> d)) return false;
        byte[]? snap = _posted[slot];
        if (snap is not null && !d.SequenceEqual(snap))
            Violate(ViolationKind.DescriptorRewritten, slot, "descriptor " + slot + " changed between the doorbell and the device reading it (" + Convert.ToHexString(snap) + " -> " + Convert.ToHexString(d) + ")");
        _posted[slot] = null!;
        desc = TxDesc.Read(d);
        return true;
    }

    public override bool ProcessOne()
    {
        if (_head == _doorbell) return false;
        uint start = _head;
        int slot = (int)(start & (uint)(_size - 1));
        if (!ReadDesc(start, out TxDesc first)) return false;
        TxPktDesc pkt = first.Pkt;
        uint available = _doorbell - start;
        int descCnt = pkt.DescCnt;
        string? bad = null;
        if (pkt.Type is not (TxdType.Std or TxdType.Tso))
            bad = "descriptor " + slot + " starts a packet but has type " + pkt.Type + " (type_flags 0x" + pkt.TypeFlags.ToString("X2") + ")";
        else if (descCnt == 0)
            bad = "packet descriptor " + slot + " has desc_cnt 0 (a zero or never-written descriptor?)";
        else if (descCnt > available)
            bad = "packet descriptor " + slot + " has desc_cnt " + descCnt + " but the doorbell handed over only " + available;
        else if (pkt.Len == 0)
            bad = "packet descriptor " + slot + " has len 0";
        else if (pkt.SegLen == 0)
            bad = "packet descriptor " + slot + " has seg_len 0";
        if (bad is not null)
        {
            uint consume = descCnt == 0 ? 1u : Math.Min((uint)descCnt, available);
            for (uint i = 1; i < consume; i++) ReadDesc(start + i, out _);
            return Fail(start, consume, bad);
        }

        List<(ulong Addr, int Len)> segments = _segments;
        segments.Clear();
        segments.Add((pkt.SegAddr, pkt.SegLen));
        int total = pkt.SegLen;
        int mss = 0;
        bool tso = pkt.Type == TxdType.Tso;
        (bool Ipv6, byte L3Offset, ushort Mss) segmentHeader = default;
        for (uint i = 1; i < (uint)descCnt; i++)
        {
            if (!ReadDesc(start + i, out TxDesc d)) return Fail(start, (uint)descCnt, "descriptor unreadable");
            int s = (int)((start + i) & (uint)(_size - 1));
            switch (d.Seg.Type)
            {
                case TxdType.Seg:
                    if (d.Seg.SegLen == 0)
                    {
                        bad ??= "segment descriptor " + s + " has seg_len 0";
                        break;
                    }
                    if (mss == 0) mss = d.Seg.Mss;
                    if (segments.Count == 1) segmentHeader = (d.Seg.Ipv6, d.Seg.L3Offset, d.Seg.Mss);
                    else if (tso && (d.Seg.Ipv6, d.Seg.L3Offset, d.Seg.Mss) != segmentHeader)
                        bad ??= "segment descriptor " + s + " of a TSO packet says ipv6 " + d.Seg.Ipv6 + ", l3_offset " + d.Seg.L3Offset + ", mss " + d.Seg.Mss
                            + " but the packet's first segment descriptor said " + segmentHeader.Ipv6 + ", " + segmentHeader.L3Offset + ", " + segmentHeader.Mss;
                    segments.Add((d.Seg.SegAddr, d.Seg.SegLen));
                    total += d.Seg.SegLen;
                    break;
                case TxdType.Mtd:
                    break;
                default:
                    bad ??= "descriptor " + s + " inside a packet of " + descCnt + " has type " + d.Seg.Type;
                    break;
            }
        }
        if (bad is null && total != pkt.Len)
            bad = "packet at " + slot + " has len " + pkt.Len + " but its " + segments.Count + " segments add up to " + total;
        if (bad is null && tso && mss == 0)
            bad = "TSO packet at " + slot + " has no segment descriptor with an MSS";
        if (bad is not null) return Fail(start, (uint)descCnt, bad);

        byte[] frame = Host.RentFrame(total);
        int at = 0;
        foreach ((ulong addr, int len) in segments)
        {
            Span<byte> dst = frame.AsSpan(at, len);
            bool ok = Qpl is not null
                ? Qpl.TryRead(Host, addr, dst, Id, slot, $"TX queue {Id} packet at {slot}")
                : CopyRda(addr, dst, slot);
            if (!ok) return Fail(start, (uint)descCnt, null);
            at += len;
        }

        if (pkt.L4Csum && !tso)
        {
            int l4 = pkt.L4HdrOffset * 2;
            int field = l4 + pkt.L4CsumOffset * 2;
            if (l4 < 14 || field + 2 > frame.Length)
                return Fail(start, (uint)descCnt, "packet at " + slot + " asks for a checksum at l4_hdr_offset " + l4 + " + l4_csum_offset " + pkt.L4CsumOffset * 2 + " outside its " + frame.Length + " bytes");
            Offloads.CompletePartialChecksum(frame, l4, field);
        }

        if (tso && TsoHeaderProblem(frame, pkt, segmentHeader.Ipv6, segmentHeader.L3Offset) is string problem)
            return Fail(start, (uint)descCnt, "TSO packet at " + slot + ": " + problem);

        if (tso)
        {
            List<byte[]>? segs = Offloads.SegmentTcp(frame, mss);
            if (segs is null) return Fail(start, (uint)descCnt, "TSO packet at " + slot + " is not TCP over IPv4/IPv6");
            foreach (byte[] s in segs) Emit(s, slot);
        }
        else
        {
            Emit(frame, slot);
        }
        CountDone(total);
        Complete(start, (uint)descCnt);
        return true;
    }

    private bool CopyRda(ulong addr, Span<byte> dst, int slot)
    {
        if (!Host.TryDma(addr, dst.Length, Id, slot, $"TX queue {Id} packet data", out Span<byte> src)) return false;
        src.CopyTo(dst);
        return true;
    }

    private bool Fail(uint start, uint consumed, string? detail)
    {
        if (detail is not null) Violate(ViolationKind.BadDescriptor, start & (uint)(_size - 1), detail);
        Counters.Errors++;
        CountDone(0);
        Complete(start, consumed);
        return true;
    }

    private void Complete(uint start, uint consumed)
    {
        _head = start + consumed;
        Host.WriteEventCounter(CounterIndex, Host.Faults.OnGqiTxEventCounter(Id, _head, _doorbell), Id);
        Host.Notify(NtfyId);
    }
}
