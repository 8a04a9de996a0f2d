using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator;

/// <summary>
/// A DQO TX queue: a ring of 16-byte little-endian descriptors (packet, TSO context, general context) whose doorbell
/// is the tail index, and a completion ring of 8-byte entries with a generation bit that flips on every lap (it starts
/// at 1, so a zeroed ring reads as "nothing new"). Each packet gets a packet completion carrying its completion tag;
/// a packet with report_event on any descriptor also gets a descriptor completion with the new head.
/// </summary>
internal sealed class DqoTxQueue : TxQueue
{
    private readonly ulong _ring;
    private readonly int _size;
    private readonly ulong _complRing;
    private readonly int _complSize;
    private readonly byte[]?[] _posted;
    private int _tail;
    private int _head;
    private int _complTail;
    private bool _generation = true;

    public DqoTxQueue(SimulatedGvnic device, int id, uint ntfyId, uint doorbellIndex, uint counterIndex, QueuePageList? qpl,
        ulong ring, int size, ulong complRing, int complSize)
        : base(device, id, ntfyId, doorbellIndex, counterIndex, qpl)
    {
        _ring = ring;
        _size = size;
        _complRing = complRing;
        _complSize = complSize;
        _posted = new byte[]?[size];
    }

    public override bool HasWork => _head != _tail && PacketReady(out _);

    public override void OnDoorbell(uint value)
    {
        if (value >= (uint)_size)
        {
            Violate(ViolationKind.DoorbellBeyondRing, value, "tail " + value + " is outside the " + _size + "-entry descriptor ring");
            return;
        }
        for (int i = _tail; i != (int)value; i = (i + 1) & (_size - 1))
        {
            if (!Device.TryDma(_ring + (ulong)i * TxDescDqo.Size, TxDescDqo.Size, Id, i, "TX queue " + Id + " descriptor", out Span<byte> d)) return;
            _posted[i] = d.ToArray();
        }
        _tail = (int)value;
        if (!PacketReady(out _) && _head != _tail)
            Violate(ViolationKind.BadDescriptor, _tail, "tail " + _tail + " stops inside a packet (no end_of_packet descriptor before it)");
        if (Device.Synchronous)
        {
            while (ProcessOne())
            {
            }
        }
    }

    private TxDescDqo Read(int index)
    {
        byte[]? snap = _posted[index];
        _posted[index] = null;
        if (!Device.TryDma(_ring + (ulong)index * TxDescDqo.Size, TxDescDqo.Size, Id, index, "TX queue " + Id + " descriptor", out Span<byte> d))
            return snap is null ? default : TxDescDqo.Read(snap);
        if (snap is not null && !d.SequenceEqual(snap))
            Violate(ViolationKind.DescriptorRewritten, index, "descriptor " + index + " changed between the doorbell and the device reading it");
        return TxDescDqo.Read(d);
    }

    /// <summary>Whether a whole packet (ending with end_of_packet) lies between head and tail; <paramref name="count"/> is its descriptor count.</summary>
    private bool PacketReady(out int count)
    {
        count = 0;
        // Judged on the descriptors as they were when the doorbell handed them over (no DMA in a predicate).
        for (int i = _head; i != _tail; i = (i + 1) & (_size - 1))
        {
            count++;
            byte[]? posted = _posted[i];
            if (posted is null) return false;
            TxPktDescDqo d = TxPktDescDqo.Read(posted);
            if (d.Dtype == TxDescDtypeDqo.Packet && d.EndOfPacket) return true;
        }
        return false;
    }

    public override bool ProcessOne()
    {
        if (_head == _tail || !PacketReady(out int count)) return false;
        int start = _head;
        var buffers = new List<(ulong Addr, int Len)>();
        int total = 0, mss = 0, headerLen = 0, tsoTotal = 0;
        bool tso = false, csum = false, report = false;
        ushort tag = 0;
        string? bad = null;
        for (int k = 0; k < count; k++)
        {
            int idx = (start + k) & (_size - 1);
            TxDescDqo d = Read(idx);
            switch (d.Pkt.Dtype)
            {
                case TxDescDtypeDqo.Packet:
                    TxPktDescDqo p = d.Pkt;
                    if (p.BufSize == 0) bad ??= "packet descriptor " + idx + " has buf_size 0 (a real device stops transmitting)";
                    buffers.Add((p.BufAddr, p.BufSize));
                    total += p.BufSize;
                    csum |= p.ChecksumOffloadEnable;
                    report |= p.ReportEvent;
                    tag = p.ComplTag;
                    break;
                case TxDescDtypeDqo.TsoContext:
                    tso = true;
                    mss = d.TsoCtx.Mss;
                    headerLen = d.TsoCtx.HeaderLen;
                    tsoTotal = (int)d.TsoCtx.TsoTotalLen;
                    break;
                case TxDescDtypeDqo.GeneralContext:
                    break;
                default:
                    bad ??= "descriptor " + idx + " has unknown dtype " + (int)d.Pkt.Dtype;
                    break;
            }
        }
        if (bad is null && !tso && buffers.Count > GvnicConstants.TxMaxDataDescs)
            bad = "packet at " + start + " uses " + buffers.Count + " data descriptors; at most " + GvnicConstants.TxMaxDataDescs + " are allowed";
        if (bad is null && tso && (mss < GvnicConstants.TxMinTsoMssDqo || tsoTotal != total - headerLen))
            bad = "TSO packet at " + start + " has mss " + mss + " and tso_total_len " + tsoTotal + " for " + total + " bytes with a " + headerLen + "-byte header";
        _head = (start + count) & (_size - 1);
        if (bad is not null)
        {
            Violate(ViolationKind.BadDescriptor, start, bad);
            Device.TxCounters(Id).Errors++;
            Complete(tag, report);
            return true;
        }
        byte[] frame = new byte[total];
        int at = 0;
        foreach ((ulong addr, int len) in buffers)
        {
            if (Qpl is not null && !Qpl.ContainsAddress(addr, len))
            {
                Violate(ViolationKind.QplOffsetOutOfRange, start, "buffer 0x" + addr.ToString("X") + " (" + len + " bytes) is not inside one page of page list " + Qpl.Id);
                Device.TxCounters(Id).Errors++;
                Complete(tag, report);
                return true;
            }
            if (!Device.TryDma(addr, len, Id, start, "TX queue " + Id + " packet data", out Span<byte> src))
            {
                Device.TxCounters(Id).Errors++;
                Complete(tag, report);
                return true;
            }
            src.CopyTo(frame.AsSpan(at));
            at += len;
        }
        if (tso)
        {
            List<byte[]>? segs = Offloads.SegmentTcp(frame, mss);
            if (segs is null)
            {
                Violate(ViolationKind.BadDescriptor, start, "TSO packet at " + start + " is not TCP over IPv4/IPv6");
                Device.TxCounters(Id).Errors++;
            }
            else
            {
                foreach (byte[] s in segs) Emit(s, start);
            }
        }
        else
        {
            if (csum) Offloads.ComputeL4Checksum(frame);
            Emit(frame, start);
        }
        Complete(tag, report);
        return true;
    }

    private void Complete(ushort tag, bool report)
    {
        WriteCompletion(ComplTypeDqo.Pkt, tag);
        if (report) WriteCompletion(ComplTypeDqo.Desc, (ushort)_head);
        Device.Notify(NtfyId);
    }

    private void WriteCompletion(ComplTypeDqo type, ushort value)
    {
        if (!Device.TryDma(_complRing + (ulong)_complTail * TxComplDesc.Size, TxComplDesc.Size, Id, _complTail, "TX queue " + Id + " completion", out Span<byte> c)) return;
        c.Clear();
        ref TxComplDesc d = ref TxComplDesc.AsRef(c);
        d.Type = type;
        if (type == ComplTypeDqo.Pkt) d.CompletionTag = value;
        else d.TxHead = value;
        d.Generation = _generation;
        bool again = Device.Faults.OnDqoTxCompletion(Id, _complTail, c);
        _complTail = (_complTail + 1) & (_complSize - 1);
        if (_complTail == 0) _generation = !_generation;
        if (again) WriteCompletion(type, value);
    }
}
