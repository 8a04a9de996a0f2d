using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>
/// A DQO TX queue: a ring of 16-byte little-endian descriptors (packet, TSO context, general context) whose doorbell
/// is the tail index, and a completion ring of 8-byte entries with a generation bit that flips on every lap (it starts
/// at 1, so a zeroed ring reads as "nothing new"). Each packet gets a packet completion carrying its completion tag;
/// a packet with report_event on any descriptor also gets a descriptor completion with the new head.
/// With <see cref="SimulatedDeviceConfig.DqoReorderWindow"/> the packet completions wait in a window and leave it in a
/// seeded random order; with <see cref="SimulatedDeviceConfig.DqoMissRate"/> some packets first get a miss completion
/// (type miss, or under <see cref="SimulatedDeviceConfig.DqoAltMissCompletions"/> a packet completion with
/// alt_miss_compl_bit in the tag) and, when they leave the window, a re-injection completion instead of a packet one.
/// Descriptor completions are written when the descriptors are read, whatever the window holds. Completions reach host
/// memory a line at a time (<see cref="CompletionLine"/>): when the line fills or the queue's notification block fires.
/// </summary>
internal sealed partial class DqoTxQueue : TxQueue, ICompletionWriteBack
{
    private readonly ulong _ring;
    private readonly int _size;
    private readonly int _complSize;
    private readonly CompletionLine _line;
    private readonly byte[]?[] _posted;
    private readonly byte[][] _snapshots; // _posted's buffers, one a slot, reused lap after lap
    private readonly List<(ulong Addr, int Len)> _buffers = new();
    private int _tail;
    private int _head;
    private int _complTail;
    private bool _generation = true;
    private readonly List<Held> _held = new();
    private readonly Random _random;
    private long _sequence;
    private long _highestCompleted = -1;
    private long _generalContexts, _tsoContexts;
    private long _packetCompletions, _descriptorCompletions, _missCompletions, _reinjectionCompletions, _lostReinjections, _outOfOrder, _wraps;

    /// <summary>A packet whose completion the device has not written yet: its tag, its place in posting order, and whether it was missed.</summary>
    private readonly record struct Held(ushort Tag, long Sequence, bool Missed, bool LoseReinjection);

    /// <summary>Whether packet completions wait (unbounded) until <see cref="ReleaseHeld"/>: the ring-full pressure mode.</summary>
    public bool HoldAll { get; set; }

    public DqoTxCounters DqoCounters => new(_packetCompletions, _descriptorCompletions, _missCompletions, _reinjectionCompletions, _lostReinjections, _outOfOrder, _wraps, _held.Count, _generalContexts, _tsoContexts, _line.Held);

    /// <inheritdoc/>
    public void WriteBackHeld() => _line.WriteBack();

    public DqoTxQueue(IQueueHost host, QueueBinding binding, ulong ring, int size, ulong complRing, int complSize)
        : base(host, binding)
    {
        _ring = ring;
        _size = size;
        _complSize = complSize;
        _line = new CompletionLine(host, complRing, complSize, TxComplDesc.Size, TxComplDesc.Offsets.IdTypeGeneration, binding.Id, "TX queue " + binding.Id + " completion");
        _posted = new byte[]?[size];
        _snapshots = new byte[size][];
        _random = new Random(host.Config.DqoSeed * 7919 + binding.Id);
    }

    public override bool HasWork => _head != _tail && PacketReady(out _);

    /// <inheritdoc/>
    public override int RingCapacity => _size;

    public override void Ring(uint raw)
    {
        uint value = Bar2Registers.DecodeDoorbellDqo(raw);
        if (value >= (uint)_size)
        {
            Violate(ViolationKind.DoorbellBeyondRing, value, "tail " + value + " is outside the " + _size + "-entry descriptor ring");
            return;
        }
        int from = _tail;
        while (from != (int)value)
        {
            // The descriptors up to the tail or the ring's end in one DMA resolve; descriptor by descriptor (recording
            // the one that fails) only when that does not succeed.
            int to = (int)value > from ? (int)value : _size;
            if (Host.TryDmaQuiet(_ring + (ulong)from * TxDescDqo.Size, (long)(to - from) * TxDescDqo.Size, out Span<byte> range))
            {
                for (int i = from; i < to; i++) Snapshot(i, range.Slice((i - from) * TxDescDqo.Size, TxDescDqo.Size));
                from = to & (_size - 1);
                continue;
            }
            for (int i = from; i != (int)value; i = (i + 1) & (_size - 1))
            {
                if (!Host.TryDma(_ring + (ulong)i * TxDescDqo.Size, TxDescDqo.Size, Id, i, $"TX queue {Id} descriptor", out Span<byte> d)) return;
                Snapshot(i, d);
            }
            break;
        }
        _tail = (int)value;
        if (!PacketReady(out _) && _head != _tail)
            Violate(ViolationKind.BadDescriptor, _tail, "tail " + _tail + " stops inside a packet (no end_of_packet descriptor before it)");
        if (Host.Synchronous)
        {
            while (ProcessOne())
            {
            }
        }
    }

    /// <summary>Keeps descriptor <paramref name="i"/> as the doorbell handed it over.</summary>
    private void Snapshot(int i, ReadOnlySpan<byte> descriptor)
    {
        descriptor.CopyTo(_snapshots[i] ??= new byte[TxDescDqo.Size]);
        _posted[i] = _snapshots[i];
    }

    private TxDescDqo Read(int index)
    {
        byte[]? snap = _posted[index];
        _posted[index] = null;
        if (!Host.TryDma(_ring + (ulong)index * TxDescDqo.Size, TxDescDqo.Size, Id, index, $"TX queue {Id} descriptor", out Span<byte> d))
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
        List<(ulong Addr, int Len)> buffers = _buffers;
        buffers.Clear();
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
                    if (buffers.Count > 0) bad ??= "TSO context descriptor " + idx + " follows a data descriptor of its packet (context descriptors come first)";
                    if (tso) bad ??= "TSO context descriptor " + idx + " is the packet's second";
                    if (!d.TsoCtx.CmdDtype.Tso) bad ??= "TSO context descriptor " + idx + " does not set its tso flag";
                    tso = true;
                    mss = d.TsoCtx.Mss;
                    headerLen = d.TsoCtx.HeaderLen;
                    tsoTotal = (int)d.TsoCtx.TsoTotalLen;
                    _tsoContexts++;
                    break;
                case TxDescDtypeDqo.GeneralContext:
                    if (buffers.Count > 0) bad ??= "general context descriptor " + idx + " follows a data descriptor of its packet (context descriptors come first)";
                    else if (GeneralContextProblem(d.GeneralCtx) is string problem) bad ??= "general context descriptor " + idx + ": " + problem;
                    _generalContexts++;
                    break;
                default:
                    bad ??= "descriptor " + idx + " has unknown dtype " + (int)d.Pkt.Dtype;
                    break;
            }
        }
        if (bad is null && !tso && buffers.Count > GvnicConstants.TxMaxDataDescs)
            bad = "packet at " + start + " uses " + buffers.Count + " data descriptors; at most " + GvnicConstants.TxMaxDataDescs + " are allowed";
        if (bad is null && tso && TsoContextProblem(buffers, mss, headerLen, tsoTotal, total) is string tsoProblem)
            bad = "TSO packet at " + start + " (mss " + mss + ", header_len " + headerLen + ", tso_total_len " + tsoTotal + ", " + total + " bytes): " + tsoProblem;
        _head = (start + count) & (_size - 1);
        if (bad is not null)
        {
            Violate(ViolationKind.BadDescriptor, start, bad);
            Counters.Errors++;
            Complete(tag, report, total);
            return true;
        }
        byte[] frame = Host.RentFrame(total);
        int at = 0;
        foreach ((ulong addr, int len) in buffers)
        {
            if (Qpl is not null && !Qpl.ContainsAddress(addr, len))
            {
                Violate(ViolationKind.QplOffsetOutOfRange, start, "buffer 0x" + addr.ToString("X") + " (" + len + " bytes) is not inside one page of page list " + Qpl.Id);
                Counters.Errors++;
                Complete(tag, report, total);
                return true;
            }
            if (!Host.TryDma(addr, len, Id, start, $"TX queue {Id} packet data", out Span<byte> src))
            {
                Counters.Errors++;
                Complete(tag, report, total);
                return true;
            }
            src.CopyTo(frame.AsSpan(at));
            at += len;
        }
        if (tso && TcpHeaderEnd(frame) != headerLen)
        {
            Violate(ViolationKind.BadDescriptor, start, "TSO packet at " + start + " says header_len " + headerLen + " but its Ethernet, IP and TCP headers end at byte " + TcpHeaderEnd(frame));
            Counters.Errors++;
        }
        else if (tso)
        {
            List<byte[]>? segs = Offloads.SegmentTcp(frame, mss);
            if (segs is null)
            {
                Violate(ViolationKind.BadDescriptor, start, "TSO packet at " + start + " is not TCP over IPv4/IPv6");
                Counters.Errors++;
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
        Complete(tag, report, total);
        return true;
    }

    /// <summary>Where the TCP header of <paramref name="frame"/> ends (-1 when it is not TCP over IP).</summary>
    private static int TcpHeaderEnd(byte[] frame)
    {
        FrameInfo info = FrameInfo.Parse(frame);
        if (info.L4 != L4Type.Tcp || info.L4Offset < 0 || frame.Length < info.L4Offset + 20) return -1;
        return info.L4Offset + (frame[info.L4Offset + 12] >> 4) * 4;
    }

    /// <summary>What is wrong with the TX metadata a general context descriptor carries (flex0..flex11), or null.</summary>
    private static string? GeneralContextProblem(TxGeneralContextDescDqo g)
    {
        // flex0 is the metadata version, flex1..flex2 the path hash word, flex3..flex11 reserved (zero).
        if (g.Flex0 != GvnicConstants.TxMetadataVersionDqo) return "metadata version " + g.Flex0 + " (the device knows version " + GvnicConstants.TxMetadataVersionDqo + ")";
        if ((g.Flex3 | g.Flex4 | g.Flex5 | g.Flex6 | g.Flex7 | g.Flex8 | g.Flex9 | g.Flex10 | g.Flex11) != 0) return "the reserved metadata bytes (flex3..flex11) are not zero";
        return null;
    }

    private void Complete(ushort tag, bool report, long bytes = 0)
    {
        CountDone(bytes);
        SimulatedDeviceConfig config = Host.Config;
        long sequence = _sequence++;
        if (config.DqoReorderWindow == 0 && !HoldAll)
        {
            WritePacketCompletion(new Held(tag, sequence, false, false));
        }
        else
        {
            bool missed = config.DqoMissRate > 0 && _random.NextDouble() < config.DqoMissRate;
            bool lose = missed && config.DqoLostReinjectionRate > 0 && _random.NextDouble() < config.DqoLostReinjectionRate;
            if (missed)
            {
                if (config.DqoAltMissCompletions) WriteCompletion(ComplTypeDqo.Pkt, tag, altMiss: true);
                else WriteCompletion(ComplTypeDqo.Miss, tag);
                _missCompletions++;
            }
            _held.Add(new Held(tag, sequence, missed, lose));
            while (!HoldAll && _held.Count > config.DqoReorderWindow) ReleaseOne();
        }
        if (report)
        {
            WriteCompletion(ComplTypeDqo.Desc, (ushort)_head);
            _descriptorCompletions++;
        }
        Host.Notify(NtfyId);
    }

    /// <summary>Writes the completions of every held packet, in a seeded random order; returns how many packets left the window.</summary>
    public int ReleaseHeld()
    {
        int n = _held.Count;
        while (_held.Count > 0) ReleaseOne();
        if (n > 0) Host.Notify(NtfyId);
        return n;
    }

    /// <summary>Writes held completions until the window holds no more than its size.</summary>
    public void ReleaseBeyondWindow()
    {
        bool any = false;
        while (_held.Count > Host.Config.DqoReorderWindow)
        {
            ReleaseOne();
            any = true;
        }
        if (any) Host.Notify(NtfyId);
    }

    private void ReleaseOne()
    {
        int pick = _random.Next(_held.Count);
        Held h = _held[pick];
        _held[pick] = _held[^1];
        _held.RemoveAt(_held.Count - 1);
        WritePacketCompletion(h);
    }

    private void WritePacketCompletion(Held h)
    {
        if (h.LoseReinjection)
        {
            _lostReinjections++; // the re-injection never comes: the driver's timeout has to free the tag
            return;
        }
        if (h.Sequence < _highestCompleted) _outOfOrder++;
        else _highestCompleted = h.Sequence;
        if (h.Missed)
        {
            WriteCompletion(ComplTypeDqo.Reinjection, h.Tag);
            _reinjectionCompletions++;
        }
        else
        {
            WriteCompletion(ComplTypeDqo.Pkt, h.Tag);
            _packetCompletions++;
        }
    }

    /// <summary>
    /// Writes one completion into the ring (through the device's line): <paramref name="value"/> is the new head of a
    /// descriptor completion or the tag of any other; <paramref name="altMiss"/> sets alt_miss_compl (a packet completion
    /// that reports a miss, the alternative scheme).
    /// </summary>
    private void WriteCompletion(ComplTypeDqo type, ushort value, bool altMiss = false)
    {
        if (!_line.TryOpen(_complTail, out Span<byte> c)) return;
        c.Clear();
        ref TxComplDesc d = ref TxComplDesc.AsRef(c);
        d.Type = type;
        if (type == ComplTypeDqo.Desc) d.TxHead = value;
        else d.CompletionTag = value;
        if (altMiss) d.AltMissCompl = true; // the alternative miss scheme: a packet completion with the tag's top bit
        d.Generation = _generation;
        bool again = Host.Faults.OnDqoTxCompletion(Id, _complTail, c);
        _line.Commit(_complTail);
        _complTail = (_complTail + 1) & (_complSize - 1);
        if (_complTail == 0)
        {
            _generation = !_generation;
            _wraps++;
        }
        if (again) WriteCompletion(type, value, altMiss);
    }
}
