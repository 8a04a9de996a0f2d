using System;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// A DQO transmit queue: a ring of 16-byte little-endian <see cref="TxDescDqo"/> and a completion ring of
/// 8-byte <see cref="TxComplDesc"/> with a generation bit. Each frame is a general context descriptor (the TX
/// metadata, as upstream writes for every packet) followed by its packet descriptors. Each frame is copied into the buffer of a free
/// completion tag (2 KiB chunks, one descriptor per chunk, at most 10), from a driver-owned region (RDA) or the
/// queue's page list (QPL, whose pages are addressed by device address; a chunk never crosses a page).
/// Packet completions return tags in any order; descriptor completions (asked for with report_event at least
/// every 32 descriptors) move the ring head. The completion ring is twice the descriptor ring, so a full ring of
/// packet completions plus descriptor completions cannot overrun it. The doorbell is the tail index (little-endian).
/// </summary>
/// <remarks>
/// Each tag is in one state, as upstream's pending packets: free, waiting for its data completion, waiting for a
/// re-injection (after a miss completion, on the miss list with a 1 s deadline), or timed out (no re-injection came:
/// counted dropped, on the timed-out list with a 60 s deadline, after which the tag is freed). A packet completion
/// frees a tag waiting for data; a re-injection frees a tag waiting for one (or a timed-out one). Upstream's other
/// combinations (miss then packet completion, re-injection without a miss, a miss in any other state) are skipped,
/// and counted in <see cref="DqoTxStatistics.Skipped"/>. A tag outside the range, or free (a duplicate or stale
/// completion), is skipped and counted in <see cref="TxQueueStatistics.DeviceFaults"/>. A tag can also be lent
/// (<see cref="TxBuffer"/>: its buffer is built in place and posted as it is, or given back unsent); a completion naming
/// a lent tag is one naming nothing in flight.
/// </remarks>
internal sealed unsafe partial class DqoTxQueue : TxQueue
{
    private const int Chunk = (int)GvnicConstants.TxBufSizeDqo;

    private readonly Bar2Registers _bar2;
    private readonly DmaRegion _ring;
    private readonly DmaRegion _completions;
    private readonly DmaRegion _resources;
    private readonly DmaRegion _buffers;
    private readonly QueuePageList? _qpl;
    private readonly int _size;
    private readonly uint _mask;
    private readonly int _completionSize;
    private readonly int _maxFrame;
    private readonly int _bufferBytes;
    private readonly int[] _freeTags;
    private readonly int[] _tagLength;
    private readonly TxPktDescDqo[] _templates; // per tag: the packet descriptor of its buffer's first chunk, without length or flags

    /// <summary>The general context descriptor every packet starts with (all flex bytes zero), encoded once.</summary>
    private static readonly TxDescDqo GeneralContext = MakeGeneralContext();

    private static TxDescDqo MakeGeneralContext()
    {
        TxDescDqo context = default;
        context.GeneralCtx.CmdDtype.Dtype = TxDescDtypeDqo.GeneralContext;
        return context;
    }
    private int _freeCount;
    private readonly TimeProvider _time;
    private readonly byte[] _state;
    private readonly long[] _deadline;
    private readonly int[] _next;
    private readonly int[] _prev;
    private TagList _missList = TagList.Empty;
    private TagList _timedOutList = TagList.Empty;
    private long _misses, _reinjections, _timedOut, _deallocated, _lateReinjections, _skipped;
    private DqoGeneration _completion;
    private int _doorbell;
    private uint _posted;
    private uint _head;
    private uint _lastReport;
    private uint _rung;
    private long _packets, _bytes, _completed, _descriptors, _full, _doorbells, _faults, _bytesCompleted, _wakes;
    private bool _refused;

    /// <summary>How long a missed packet waits for its re-injection completion before it counts as dropped (upstream GVE_REINJECT_COMPL_TIMEOUT).</summary>
    public static readonly TimeSpan ReinjectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long a timed-out packet keeps its tag (a late re-injection can still name it) before the tag is freed (upstream GVE_DEALLOCATE_COMPL_TIMEOUT).</summary>
    public static readonly TimeSpan DeallocateTimeout = TimeSpan.FromSeconds(60);

    private const byte Free = 0, PendingData = 1, PendingReinject = 2, TimedOut = 3, LentOut = 4;

    public DqoTxQueue(int id, int block, DmaMemory memory, Bar2Registers bar2, int ringSize, QueuePageList? qpl, int maxFrame, TimeProvider time) : base(id, block)
    {
        _time = time;
        _bar2 = bar2;
        _size = ringSize;
        _mask = Ring.MaskFor(ringSize, nameof(ringSize));
        _maxFrame = maxFrame;
        _bufferBytes = (maxFrame + Chunk - 1) / Chunk * Chunk;
        if (_bufferBytes / Chunk > GvnicConstants.TxMaxDataDescs)
            throw new NicConfigurationException(Name + ": a " + maxFrame + "-byte frame needs more than " + GvnicConstants.TxMaxDataDescs + " descriptors", nameof(NicOptions.Mtu));
        _ring = memory.Allocate(ringSize * TxPktDescDqo.Size);
        // Twice the ring: a full ring of packet completions plus the descriptor completions never overrun it.
        _completionSize = 2 * ringSize;
        _completions = memory.Allocate(_completionSize * TxComplDesc.Size);
        _resources = memory.Allocate(QueueResources.Size);
        _completion = new DqoGeneration(_completionSize);
        _qpl = qpl;
        int tags = qpl is null ? ringSize : Math.Min(ringSize, qpl.Bytes / _bufferBytes);
        if (tags < 1) throw new NicConfigurationException(Name + ": the page list cannot hold one " + _bufferBytes + "-byte buffer");
        _buffers = qpl?.Pages ?? memory.Allocate(tags * _bufferBytes);
        _freeTags = new int[tags];
        _state = new byte[tags];
        _deadline = new long[tags];
        _next = new int[tags];
        _prev = new int[tags];
        _tagLength = new int[tags];
        for (int t = 0; t < tags; t++) _freeTags[t] = tags - 1 - t;
        _templates = new TxPktDescDqo[tags];
        for (int t = 0; t < tags; t++)
        {
            _templates[t].Dtype = TxDescDtypeDqo.Packet;
            _templates[t].BufAddr = _buffers.AddressOf(t * _bufferBytes);
            _templates[t].ComplTag = (ushort)t;
        }
        _freeCount = tags;
        InitLending(tags);
        InitChains(tags);
    }

    public override TxQueueDefinition Definition
        => new((uint)Id, (uint)Block, _resources.DeviceAddress, _ring.DeviceAddress, (ushort)_size, _qpl?.Id ?? GvnicConstants.RawAddressingQplId,
            _completions.DeviceAddress, (ushort)_completionSize);

    public override void Bind(DeviceResources resources)
    {
        ref readonly QueueResources r = ref QueueResources.AsReadOnly(_resources.Span);
        _doorbell = resources.ClaimDoorbell(Name, "db_index", r.DbIndex);
    }

    /// <summary>Frames neither completed nor counted dropped: tags in use, less the timed-out ones (already counted in <see cref="TxQueueStatistics.TimedOut"/>).</summary>
    public override int InFlight => _freeTags.Length - _freeCount - LentBuffers - _chainedTags - (int)(_timedOut - _deallocated - _lateReinjections);

    public override bool AwaitsCompletions => _freeTags.Length - _freeCount - LentBuffers - _chainedTags > 0;

    public override bool HasCompletions
        => _completion.IsNew(TxComplDesc.AsReadOnly(new ReadOnlySpan<byte>(_completions.Pointer + (long)_completion.Slot * TxComplDesc.Size, TxComplDesc.Size)).Generation);

    public override TxQueueStatistics Statistics => new(_packets, _bytes, _completed, _descriptors, _full, _doorbells) { DeviceFaults = _faults, TimedOut = _timedOut, BytesCompleted = _bytesCompleted, Wakes = _wakes,
            ChecksumOffloads = ChecksumOffloads, TsoFrames = TsoFrames, TsoSegments = TsoSegments };

    /// <summary>The counters of the DQO completion state machine.</summary>
    public DqoTxStatistics DqoStatistics => new(_misses, _reinjections, _timedOut, _deallocated, _lateReinjections, _skipped);

    public override bool TryEnqueue(ReadOnlySpan<byte> frame)
    {
        int length = frame.Length;
        if (length == 0 || length > _maxFrame)
            throw new ArgumentOutOfRangeException(nameof(frame), length, "a frame is 1 … " + _maxFrame + " bytes on " + Name);
        int chunks = (length + Chunk - 1) / Chunk;
        int descriptors = 1 + chunks; // the general context descriptor, then the data
        if (_freeCount == 0 || Ring.Free(_posted, _head, _size) <= (uint)descriptors)
        {
            Reclaim();
            if (_freeCount == 0 || Ring.Free(_posted, _head, _size) <= (uint)descriptors)
            {
                _full++;
                _refused = true;
                return false;
            }
        }

        int tag = _freeTags[--_freeCount];
        frame.CopyTo(new Span<byte>(_buffers.Pointer + tag * _bufferBytes, length));
        WriteDescriptors(tag, length, chunks);
        return true;
    }

    /// <summary>Posts tag <paramref name="tag"/>'s buffer as a frame of <paramref name="length"/> bytes in <paramref name="chunks"/> chunks (the ring has room).</summary>
    private void WriteDescriptors(int tag, int length, int chunks)
    {
        int descriptors = 1 + chunks;
        _state[tag] = PendingData;
        _tagLength[tag] = length;
        int bufferAt = tag * _bufferBytes;
        Span<byte> ring = new(_ring.Pointer, _size * TxPktDescDqo.Size);
        // As upstream, every packet starts with a general context descriptor carrying the TX metadata: version 0 and
        // no path hash (the frame has no stack-computed L4 hash), so all its flex bytes are zero.
        TxDescDqo.AsRef(ring.Slice(Ring.Slot(_posted, _mask) * TxDescDqo.Size)) = GeneralContext;
        _posted++;
        for (int i = 0; i < chunks; i++)
        {
            int part = Math.Min(Chunk, length - i * Chunk);
            TxPktDescDqo d = _templates[tag]; // dtype, completion tag and the first chunk's address, encoded once
            if (i > 0) d.BufAddr = _buffers.AddressOf(bufferAt + i * Chunk);
            d.BufSize = (ushort)part;
            bool last = i == chunks - 1;
            d.EndOfPacket = last;
            int slot = Ring.Slot(_posted, _mask);
            _posted++;
            if (last && Ring.InUse(_posted, _lastReport) >= GvnicConstants.TxMinReInterval)
            {
                d.ReportEvent = true;
                _lastReport = _posted;
            }
            TxPktDescDqo.AsRef(ring.Slice(slot * TxPktDescDqo.Size)) = d;
        }
        _descriptors += descriptors;
        _packets++;
        _bytes += length;
        if (_refused)
        {
            _refused = false;
            _wakes++;
        }
    }

    public override int LendCapacity => _maxFrame;

    /// <summary>A free tag, its buffer lent.</summary>
    protected override int TakeBuffer()
    {
        if (_freeCount == 0)
        {
            Reclaim();
            if (_freeCount == 0) return -1;
        }
        int tag = _freeTags[--_freeCount];
        _state[tag] = LentOut;
        return tag;
    }

    protected override Span<byte> BufferData(int index) => new(_buffers.Pointer + (long)index * _bufferBytes, _maxFrame);

    protected override bool PostBuffer(int index, int length)
    {
        int chunks = (length + Chunk - 1) / Chunk;
        if (Ring.Free(_posted, _head, _size) <= (uint)(1 + chunks))
        {
            Reclaim();
            if (Ring.Free(_posted, _head, _size) <= (uint)(1 + chunks))
            {
                _full++;
                _refused = true;
                return false;
            }
        }
        WriteDescriptors(index, length, chunks);
        return true;
    }

    protected override void GiveBack(int index) => FreeTag(index);

    public override void Audit() => DqoRingOrder.Audit(new Completions(_completions.Pointer), _completion, _completionSize, Name);

    /// <summary>The generation bits of the completion ring at <paramref name="ring"/>.</summary>
    private readonly struct Completions(byte* ring) : IGenerationBits
    {
        public bool Generation(int slot) => TxComplDesc.AsReadOnly(new ReadOnlySpan<byte>(ring + (long)slot * TxComplDesc.Size, TxComplDesc.Size)).Generation;
    }

    public override void RingDoorbell()
    {
        if (_rung == _posted) return;
        Interlocked.MemoryBarrier();
        _bar2.WriteDoorbellDqo(_doorbell, (uint)Ring.Slot(_posted, _mask));
        _rung = _posted;
        _doorbells++;
    }

    public override int Reclaim()
    {
        // Nothing new (the second look after a re-arm, an idle poll): one generation-bit read and the look-ahead check,
        // without setting up the walk.
        if (!_completion.IsNew(GenerationAt(_completion.Slot)))
        {
            DqoRingOrder.CheckNext(new Completions(_completions.Pointer), _completion, Name);
            if (!_missList.IsEmpty || !_timedOutList.IsEmpty) ExpireDeadlines();
            return 0;
        }
        return Walk();
    }

    /// <summary>The generation bit of completion <paramref name="slot"/>.</summary>
    private bool GenerationAt(int slot) => new Completions(_completions.Pointer).Generation(slot);

    /// <summary>Takes every completion the device wrote, from a head that is new.</summary>
    private int Walk()
    {
        int frames = 0;
        Span<byte> ring = new(_completions.Pointer, _completionSize * TxComplDesc.Size);
        try
        {
            while (true)
            {
                int slot = _completion.Slot;
                ref readonly TxComplDesc c = ref TxComplDesc.AsReadOnly(ring.Slice(slot * TxComplDesc.Size));
                if (!_completion.IsNew(c.Generation))
                {
                    DqoRingOrder.CheckNext(new Completions(_completions.Pointer), _completion, Name);
                    break;
                }
                Volatile.ReadBarrier(); // the rest of the entry only after its generation bit (dma_rmb)
                switch (c.Type)
                {
                    case ComplTypeDqo.Desc:
                        uint head = c.TxHead;
                        uint advance = (head - (uint)Ring.Slot(_head, _mask)) & _mask;
                        if (head > _mask || advance > Ring.InUse(_rung, _head))
                            throw new DeviceFaultException(Name, "tx_head", slot, head, "outside the " + Ring.InUse(_rung, _head) + " descriptors posted after head " + Ring.Slot(_head, _mask));
                        _head += advance;
                        break;
                    case ComplTypeDqo.Pkt:
                        int tag = CheckTag(c.PacketTag);
                        if (tag < 0) break;
                        if (c.AltMissCompl) OnMiss(tag);
                        else if (_state[tag] == PendingData) frames += CompleteTag(tag);
                        else _skipped++; // a packet completion after a miss: upstream waits for the re-injection
                        break;
                    case ComplTypeDqo.Miss:
                        int missed = CheckTag(c.CompletionTag);
                        if (missed >= 0) OnMiss(missed);
                        break;
                    case ComplTypeDqo.Reinjection:
                        int reinjected = CheckTag(c.CompletionTag);
                        if (reinjected < 0) break;
                        switch (_state[reinjected])
                        {
                            case PendingReinject:
                                _missList.Remove(reinjected, _next, _prev);
                                _reinjections++;
                                frames += CompleteTag(reinjected);
                                break;
                            case TimedOut:
                                _timedOutList.Remove(reinjected, _next, _prev);
                                _lateReinjections++;
                                FreeTag(reinjected); // already counted as dropped when it timed out
                                break;
                            default:
                                _skipped++; // a re-injection without a miss: upstream leaves the packet waiting
                                break;
                        }
                        break;
                    default:
                        throw new DeviceFaultException(Name, "completion type", slot, (ulong)c.Type, "not a known DQO completion type");
                }
                _completion.Advance();
            }
        }
        finally
        {
            // Counted even when a fault ends the walk: the tags freed before it are completed frames.
            _completed += frames;
        }
        if (!_missList.IsEmpty || !_timedOutList.IsEmpty) ExpireDeadlines();
        return frames;
    }

    /// <summary>
    /// The tag a completion names (without alt_miss_compl_bit), checked: inside the range and in flight. A tag outside
    /// the range or not in flight (free or lent: a duplicate or stale completion) is skipped and counted in
    /// <see cref="TxQueueStatistics.DeviceFaults"/>, as upstream logs and ignores it: -1.
    /// </summary>
    private int CheckTag(int tag)
    {
        if ((uint)tag < (uint)_state.Length && _state[tag] is not (Free or LentOut or Chained)) return tag;
        _faults++;
        return -1;
    }

    /// <summary>A miss completion: the packet waits for its re-injection, on the miss list, until the re-injection deadline.</summary>
    private void OnMiss(int tag)
    {
        if (_state[tag] != PendingData)
        {
            _skipped++; // a second miss, or a miss after a timeout: upstream ignores it
            return;
        }
        _state[tag] = PendingReinject;
        _deadline[tag] = _time.GetTimestamp() + TicksOf(ReinjectTimeout);
        _missList.Append(tag, _next, _prev);
        _misses++;
    }

    /// <summary>
    /// Moves missed packets whose re-injection did not come in time to the timed-out list (counted dropped), and frees
    /// the tags of timed-out packets whose deadline passed. Both lists are in deadline order, so each walk stops early.
    /// </summary>
    private void ExpireDeadlines()
    {
        long now = _time.GetTimestamp();
        while (!_missList.IsEmpty && _deadline[_missList.Head] <= now)
        {
            int tag = _missList.Head;
            _missList.Remove(tag, _next, _prev);
            _state[tag] = TimedOut;
            _deadline[tag] = now + TicksOf(DeallocateTimeout);
            _timedOutList.Append(tag, _next, _prev);
            _timedOut++;
        }
        while (!_timedOutList.IsEmpty && _deadline[_timedOutList.Head] <= now)
        {
            int tag = _timedOutList.Head;
            _timedOutList.Remove(tag, _next, _prev);
            _deallocated++;
            FreeTag(tag);
        }
    }

    private long TicksOf(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>A frame the device sent: its bytes counted, its tag freed; 1.</summary>
    private int CompleteTag(int tag)
    {
        _bytesCompleted += _tagLength[tag];
        return FreeTag(tag);
    }

    /// <summary>Returns a tag (and its buffer) to the free list; 1, the frame it completes.</summary>
    private int FreeTag(int tag)
    {
        _state[tag] = Free;
        _freeTags[_freeCount++] = tag;
        if (_chain[tag] >= 0) FreeChain(tag);
        return 1;
    }

    /// <summary>An intrusive doubly linked list of tags (links in the queue's arrays), oldest first, as upstream's index lists.</summary>
    private struct TagList
    {
        public int Head;
        public int Tail;

        public static TagList Empty => new() { Head = -1, Tail = -1 };

        public readonly bool IsEmpty => Head < 0;

        public void Append(int tag, int[] next, int[] prev)
        {
            next[tag] = -1;
            prev[tag] = Tail;
            if (Tail < 0) Head = tag;
            else next[Tail] = tag;
            Tail = tag;
        }

        public void Remove(int tag, int[] next, int[] prev)
        {
            int p = prev[tag], n = next[tag];
            if (p < 0) Head = n;
            else next[p] = n;
            if (n < 0) Tail = p;
            else prev[n] = p;
        }
    }
}
