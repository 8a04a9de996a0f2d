using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>
/// A DQO RX queue: the driver posts 32-byte buffer descriptors (buffer id and address) and rings the doorbell with the
/// buffer-queue tail; the device fills buffers in the order posted and writes a 32-byte completion per buffer, with a
/// generation bit that starts at 1 and flips on every lap of the completion queue. No pad before the frame.
/// With <see cref="SimulatedDeviceConfig.DqoShuffleRxBuffers"/> it takes the buffers it holds in a seeded random order
/// instead, so buffer ids come back in an order unrelated to the posting order. With header split (a header buffer
/// size in CREATE_RX_QUEUE) every buffer descriptor also names a header buffer; completion n uses the header buffer of
/// the n-th descriptor posted, and a frame whose Ethernet, IP and TCP/UDP headers fit goes there (split_header,
/// header_len), its payload to the packet buffers (packet_len may then be 0); headers that do not fit set
/// header_buffer_overflow and the whole frame goes to the packet buffers. Completions reach host memory a line at a time
/// (<see cref="CompletionLine"/>): when the line fills or the queue's notification block fires.
/// </summary>
internal sealed class DqoRxQueue : RxQueue, ICompletionWriteBack
{
    private readonly CompletionLine _line;
    private readonly int _complSize;
    private readonly ulong _bufRing;
    private readonly int _bufSize;
    private readonly int _bufferBytes;
    // Posted buffers the device holds, in posting order, each with its place in that order (to count out-of-order takes).
    private readonly List<(ushort Id, ulong Addr, long Posted)> _available = new();
    private int _availableHead;
    private readonly Random? _random;
    private long _completions, _wraps, _buffersOutOfOrder;
    private long _takeSequence;
    private long _postCount;
    private readonly int _headerBytes;
    private readonly Queue<ulong> _headerBuffers = new();
    private long _splitHeaders, _headerOverflows;
    private readonly ulong[] _ownedIds = new ulong[(ushort.MaxValue + 1) / 64]; // a bit per buffer id the device owns
    private int _tail;
    private int _complTail;
    private bool _generation = true;

    public DqoRxQueue(IQueueHost host, QueueBinding binding, ulong complRing, int complSize, ulong bufRing, int bufSize, int bufferBytes, int headerBytes)
        : base(host, binding)
    {
        _line = new CompletionLine(host, complRing, complSize, RxComplDescDqo.Size, RxComplDescDqo.Offsets.PacketLenFlags, binding.Id, "RX queue " + binding.Id + " completion");
        _complSize = complSize;
        _bufRing = bufRing;
        _bufSize = bufSize;
        _bufferBytes = bufferBytes;
        _headerBytes = headerBytes;
        if (host.Config.DqoShuffleRxBuffers) _random = new Random(host.Config.DqoSeed * 104729 + binding.Id);
    }

    public DqoRxCounters DqoCounters => new(_completions, _wraps, _buffersOutOfOrder, _available.Count - _availableHead, _splitHeaders, _headerOverflows, _line.Held);

    /// <summary>Buffers the driver posted (free-running; every one the doorbell handed over).</summary>
    public override long BuffersPosted => _postCount;

    /// <inheritdoc/>
    public override int RingCapacity => _bufSize;

    /// <summary>Entries of the completion queue.</summary>
    public int CompletionRingSize => _complSize;

    /// <inheritdoc/>
    public override int BuffersHeld => AvailableCount;

    /// <inheritdoc/>
    public void WriteBackHeld() => _line.WriteBack();

    private int AvailableCount => _available.Count - _availableHead;

    /// <summary>Takes a posted buffer: the oldest, or (shuffled) any of them.</summary>
    private (ushort Id, ulong Addr) Take()
    {
        int pick = _random is null ? _availableHead : _availableHead + _random.Next(AvailableCount);
        (ushort Id, ulong Addr, long Posted) b = _available[pick];
        _available[pick] = _available[_availableHead];
        _available[_availableHead] = default;
        _availableHead++;
        if (_availableHead > 1024 && _availableHead * 2 > _available.Count)
        {
            _available.RemoveRange(0, _availableHead);
            _availableHead = 0;
        }
        if (b.Posted != _takeSequence) _buffersOutOfOrder++;
        _takeSequence++;
        return (b.Id, b.Addr);
    }

    public override void Ring(uint raw)
    {
        uint value = Bar2Registers.DecodeDoorbellDqo(raw);
        if (value >= (uint)_bufSize)
        {
            Violate(ViolationKind.DoorbellBeyondRing, value, "buffer-queue tail " + value + " is outside the " + _bufSize + "-entry ring");
            return;
        }
        int adding = ((int)value - _tail) & (_bufSize - 1);
        if (AvailableCount + adding > _bufSize)
        {
            Violate(ViolationKind.DoorbellBeyondRing, value, "tail " + value + " would give the device " + (AvailableCount + adding) + " buffers in a " + _bufSize + "-entry queue");
            return;
        }
        int from = _tail;
        while (from != (int)value)
        {
            // The descriptors up to the tail or the ring's end in one DMA resolve; descriptor by descriptor (recording
            // the one that fails) only when that does not succeed.
            int to = (int)value > from ? (int)value : _bufSize;
            if (Host.TryDmaQuiet(_bufRing + (ulong)from * RxDescDqo.Size, (long)(to - from) * RxDescDqo.Size, out Span<byte> range))
            {
                for (int i = from; i < to; i++) Post(i, range.Slice((i - from) * RxDescDqo.Size, RxDescDqo.Size));
                from = to & (_bufSize - 1);
                continue;
            }
            for (int i = from; i != (int)value; i = (i + 1) & (_bufSize - 1))
            {
                if (!Host.TryDma(_bufRing + (ulong)i * RxDescDqo.Size, RxDescDqo.Size, Id, i, $"RX queue {Id} buffer descriptor", out Span<byte> s)) return;
                Post(i, s);
            }
            break;
        }
        _tail = (int)value;
        NoteHeld(AvailableCount);
    }

    /// <summary>Takes the buffer that descriptor <paramref name="i"/> (<paramref name="s"/>) posts, with the checks on it.</summary>
    private void Post(int i, ReadOnlySpan<byte> s)
    {
        RxDescDqo d = RxDescDqo.Read(s);
        if (!Own(d.BufId))
        {
            Violate(ViolationKind.BufferReposted, i, "buffer id " + d.BufId + " posted at " + i + " while the device still owns it");
            return;
        }
        if (_headerBytes > 0)
        {
            if (d.HeaderBufAddr == 0 || !Host.TryDma(d.HeaderBufAddr, _headerBytes, Id, i, $"RX queue {Id} header buffer", out _))
                Violate(ViolationKind.BadDescriptor, i, "buffer descriptor " + i + " names header buffer 0x" + d.HeaderBufAddr.ToString("X") + ", not " + _headerBytes + " bytes of DMA memory (header split is on)");
            _headerBuffers.Enqueue(d.HeaderBufAddr);
        }
        if (Qpl is not null && !Qpl.ContainsAddress(d.BufAddr, _bufferBytes))
            Violate(ViolationKind.QplOffsetOutOfRange, i, "buffer 0x" + d.BufAddr.ToString("X") + " is not inside one page of page list " + Qpl.Id);
        _available.Add((d.BufId, d.BufAddr, _postCount++));
    }

    public override RxOutcome Deliver(in RxArrival arrival)
    {
        byte[] frame = arrival.Frame;
        if (!CheckMtu(frame)) return RxOutcome.DroppedTooLong;
        FrameInfo info = arrival.Info;
        int headerEnd = _headerBytes > 0 ? HeaderEnd(frame, info) : -1;
        bool split = headerEnd > 0 && headerEnd <= _headerBytes;
        bool overflow = headerEnd > _headerBytes;
        int start = split ? headerEnd : 0;
        int pieces = Math.Max(1, (frame.Length - start + _bufferBytes - 1) / _bufferBytes);
        if (AvailableCount < pieces)
        {
            Counters.NoBufferDrops++;
            return RxOutcome.DroppedNoBuffers;
        }
        uint hash = Host.RssHash(in arrival);
        RxChecksumCheck.Result checks = RxChecksumCheck.Check(frame, info);
        // A fragment's packet type says L4 Other: the device cannot check (or vouch for) a transport header it has only part of.
        ushort packetType = (ushort)PacketTypeMap.Index(info.L3, info.Fragment && info.L4 != L4Type.Unknown ? L4Type.Other : info.L4);
        bool stamp = Host.Config.NicTimestamp;
        uint ts = stamp ? (uint)Host.NicNanoseconds : 0;
        int done = start;
        Span<byte> again = stackalloc byte[RxComplDescDqo.Size];
        for (int p = 0; p < pieces; p++)
        {
            (ushort bufId, ulong addr) = Take();
            ulong headerAddr = _headerBytes > 0 && _headerBuffers.Count > 0 ? _headerBuffers.Dequeue() : 0;
            bool headerOk = !split || p > 0 || (Host.TryDma(headerAddr, headerEnd, Id, bufId, $"RX queue {Id} header buffer", out Span<byte> hdr)
                && Copy(frame.AsSpan(0, headerEnd), hdr));
            _ownedIds[bufId >> 6] &= ~(1UL << bufId);
            int len = Math.Min(_bufferBytes, frame.Length - done);
            bool ok = headerOk && (Qpl is null || Qpl.ContainsAddress(addr, len))
                && (len == 0 || (Host.TryDma(addr, len, Id, bufId, $"RX queue {Id} buffer {bufId}", out Span<byte> dst)
                && Copy(frame.AsSpan(done, len), dst)));
            if (!_line.TryOpen(_complTail, out Span<byte> c)) return DropOnError();
            c.Clear();
            ref RxComplDescDqo d = ref RxComplDescDqo.AsRef(c);
            d.BufId = bufId;
            d.PacketLen = (ushort)len;
            d.Generation = _generation;
            d.EndOfPacket = p == pieces - 1;
            d.DescriptorDone = true;
            d.RxError = !ok;
            d.PacketType = packetType;
            d.L3L4Processed = checks.Processed;
            d.CsumIpErr = checks.IpError;
            d.CsumL4Err = checks.L4Error;
            d.Ipv6ExAdd = checks.Ipv6ExtensionHeaders;
            d.Hash = hash;
            d.HwtstampValid = stamp;
            d.Ts = ts;
            if (p == 0 && split)
            {
                d.SplitHeader = true;
                d.HeaderLen = (ushort)headerEnd;
                _splitHeaders++;
            }
            else if (p == 0 && overflow)
            {
                d.HeaderBufferOverflow = true;
                _headerOverflows++;
            }
            bool duplicate = Host.Faults.OnDqoRxCompletion(Id, _complTail, c, _bufferBytes);
            if (duplicate) c.CopyTo(again); // before the commit: a line that fills is written back, and the next one starts clear
            _line.Commit(_complTail);
            AdvanceCompletion();
            if (duplicate && _line.TryOpen(_complTail, out Span<byte> copy))
            {
                again.CopyTo(copy);
                RxComplDescDqo.AsRef(copy).Generation = _generation; // the same completion again, with this lap's generation bit
                _line.Commit(_complTail);
                AdvanceCompletion();
            }
            if (!ok) Counters.Errors++;
            done += len;
        }
        Delivered(frame);
        return RxOutcome.Delivered;
    }

    /// <summary>Where the headers a header split separates end: after TCP or UDP, else after IP; -1 for a frame that is not IP.</summary>
    private static int HeaderEnd(byte[] frame, in FrameInfo info)
    {
        if (info.L3 is not (L3Type.Ipv4 or L3Type.Ipv6) || info.L4Offset < 0) return -1;
        if (info.L4 == L4Type.Tcp && frame.Length >= info.L4Offset + 20) return Math.Min(frame.Length, info.L4Offset + (frame[info.L4Offset + 12] >> 4) * 4);
        if (info.L4 == L4Type.Udp && frame.Length >= info.L4Offset + 8) return info.L4Offset + 8;
        return info.L4Offset;
    }

    /// <summary>Marks buffer <paramref name="id"/> as the device's; false when it already was.</summary>
    private bool Own(ushort id)
    {
        ref ulong word = ref _ownedIds[id >> 6];
        ulong bit = 1UL << id;
        if ((word & bit) != 0) return false;
        word |= bit;
        return true;
    }

    private static bool Copy(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        src.CopyTo(dst);
        return true;
    }

    private void AdvanceCompletion()
    {
        _complTail = (_complTail + 1) & (_complSize - 1);
        _completions++;
        if (_complTail == 0)
        {
            _generation = !_generation;
            _wraps++;
        }
    }
}
