using System;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// A DQO receive queue: the driver posts 32-byte <see cref="RxDescDqo"/> entries (buffer id and address) into the
/// buffer queue and rings its tail index; the device writes a 32-byte <see cref="RxComplDescDqo"/> per buffer
/// into the completion queue, with a generation bit. Buffers come back by id, in any order. The frame starts at
/// the buffer's first byte (no pad); flags come from the ptype map. A frame longer than one buffer comes as
/// several completions, in order, the last with end_of_packet; each names its buffer and the bytes in it.
/// With header split, buffer queue slot i also names header buffer i (a region of ring × header size); the device
/// writes the headers of the frame whose first completion sits at completion slot i there (split_header, header_len),
/// and the frame is delivered as the header segment followed by the payload segments (packet_len 0 when the frame is
/// all headers). A completion with header_buffer_overflow carries the whole frame in its packet buffers.
/// </summary>
internal sealed unsafe class DqoRxQueue : RxQueue
{
    private readonly Bar2Registers _bar2;
    private readonly DmaRegion _bufferQueue;
    private readonly DmaRegion _completions;
    private readonly DmaRegion _resources;
    private readonly DmaRegion _buffers;
    private readonly QueuePageList? _qpl;
    private readonly PacketTypes _packetTypes;
    private readonly NicClock? _clock;
    private readonly int _size;
    private readonly uint _mask;
    private readonly int _bufferSize;
    private readonly bool[] _withDevice;
    private readonly uint[] _postedAt; // the free-running post count of each buffer's last post: the device's once announced
    private DqoGeneration _completion;
    private int _doorbell;
    private readonly int _maxFrame;
    private readonly int[] _segmentBuffer;
    private readonly int[] _segmentLength;
    private readonly int _headerSize;
    private readonly DmaRegion? _headers;
    private int _peekedHeaderLength;
    private int _peekedHeaderSlot;
    private int _peekedPayloadSegments;
    private readonly int[] _heldBuffers;
    private readonly RxDescDqo[] _templates; // per buffer: the buffer-queue entry that posts it (no header buffer: that follows the slot)
    private int _heldCount;

    public DqoRxQueue(int id, int block, DmaMemory memory, Bar2Registers bar2, int ringSize, int bufferSize, QueuePageList? qpl, PacketTypes packetTypes, int maxFrame, int headerSize = 0, NicClock? clock = null)
        : base(id, block)
    {
        _headerSize = headerSize;
        if (headerSize > 0) _headers = memory.Allocate(ringSize * headerSize);
        _maxFrame = maxFrame;
        int perFrame = BuffersPerFrame(maxFrame, dqo: true, bufferSize);
        _segmentBuffer = new int[perFrame];
        _segmentLength = new int[perFrame];
        _bar2 = bar2;
        _size = ringSize;
        _mask = Ring.MaskFor(ringSize, nameof(ringSize));
        _bufferSize = bufferSize;
        _packetTypes = packetTypes;
        _clock = clock;
        _bufferQueue = memory.Allocate(ringSize * RxDescDqo.Size);
        _completions = memory.Allocate(ringSize * RxComplDescDqo.Size);
        _resources = memory.Allocate(QueueResources.Size);
        _completion = new DqoGeneration(ringSize);
        _qpl = qpl;
        // One slot of the buffer queue stays empty (tail == head means empty).
        int buffers = qpl is null ? ringSize - 1 : Math.Min(ringSize - 1, qpl.Bytes / bufferSize);
        if (buffers < 2 * perFrame)
            throw new NicConfigurationException(Name + ": " + buffers + " RX buffers of " + bufferSize + " bytes cannot hold two " + maxFrame + "-byte frames (" + perFrame + " buffers each)", nameof(NicOptions.Mtu));
        bool ringLimited = buffers == ringSize - 1;
        CheckPostedBuffers(buffers, ringSize, ringLimited, ringLimited ? "a " + ringSize + "-entry buffer queue keeps one slot empty" : "what the page list holds");
        _buffers = qpl?.Pages ?? memory.Allocate(buffers * bufferSize);
        _withDevice = new bool[buffers];
        _postedAt = new uint[buffers];
        _heldBuffers = new int[buffers];
        _templates = new RxDescDqo[buffers];
        for (int buffer = 0; buffer < buffers; buffer++)
        {
            _templates[buffer].BufId = (ushort)buffer;
            _templates[buffer].BufAddr = _buffers.AddressOf(buffer * bufferSize);
        }
    }

    public override RxQueueDefinition Definition
        => new((uint)Id, (uint)Block, _resources.DeviceAddress, _completions.DeviceAddress, _bufferQueue.DeviceAddress, (ushort)_size, (ushort)_bufferSize,
            _qpl?.Id ?? GvnicConstants.RawAddressingQplId, BufferRingSize: (ushort)_size, HeaderBufferSize: (ushort)_headerSize);

    public override void Bind(DeviceResources resources)
    {
        ref readonly QueueResources r = ref QueueResources.AsReadOnly(_resources.Span);
        _doorbell = resources.ClaimDoorbell(Name, "db_index", r.DbIndex);
    }

    public override int PostAll()
    {
        for (int buffer = 0; buffer < _withDevice.Length; buffer++) Post(buffer);
        RingDoorbell();
        return _withDevice.Length;
    }

    /// <remarks>The whole ring is looked at: frames written behind an entry whose generation bit is wrong are handed over too.</remarks>
    public override int CountUntaken()
    {
        int frames = 0;
        DqoGeneration cursor = _completion;
        for (int i = 0; i < _size; i++)
        {
            ref readonly RxComplDescDqo c = ref Completion(cursor.Slot);
            if (cursor.IsNew(c.Generation) && c.EndOfPacket) frames++;
            cursor.Advance();
        }
        return frames;
    }

    public override long NextExpected => _completion.Slot;

    public override bool HeadStuck(out int slot)
    {
        DqoGeneration cursor = _completion;
        slot = cursor.Slot;
        if (!cursor.IsNew(Completion(cursor.Slot).Generation)) return false;
        for (int i = 0; i < _segmentBuffer.Length; i++)
        {
            ref readonly RxComplDescDqo c = ref Completion(cursor.Slot);
            if (!cursor.IsNew(c.Generation)) return true; // a frame whose end_of_packet has not come
            if (c.EndOfPacket) return false;               // a whole frame waits to be taken
            cursor.Advance();
        }
        return false;
    }

    public override bool HasPending
    {
        get
        {
            ref readonly RxComplDescDqo c = ref Completion(_completion.Slot);
            return _completion.IsNew(c.Generation);
        }
    }

    public override bool TryPeek(out RxInfo info)
    {
        if (!_completion.IsNew(Completion(_completion.Slot).Generation))
        {
            // Nothing new (the look after the last frame, the second look after a re-arm): one generation-bit read and the
            // look-ahead check, without setting up the walk.
            DqoRingOrder.CheckNext(new Completions(_completions.Pointer), _completion, Name);
            info = default;
            return false;
        }
        while (true)
        {
            // Walk the completions of one frame (up to end_of_packet) without consuming them.
            DqoGeneration cursor = _completion;
            int first = cursor.Slot;
            int count = 0;
            int total = 0;
            int header = 0;
            int lastSlot = first;
            bool error = false;
            bool malformed = false;
            while (true)
            {
                int slot = cursor.Slot;
                ref readonly RxComplDescDqo c = ref Completion(slot);
                if (!cursor.IsNew(c.Generation))
                {
                    DqoRingOrder.CheckNext(new Completions(_completions.Pointer), cursor, Name);
                    if (count > 0) FlushDoorbell(); // the device may need these buffers to finish the frame (empty: the caller announces them)
                    info = default; // nothing new, or the rest of the frame is not written yet
                    return false;
                }
                Volatile.ReadBarrier(); // the rest of the entry only after its generation bit (dma_rmb)
                if (count == _segmentBuffer.Length)
                    throw new DeviceFaultException(Name, "end_of_packet", slot, (ulong)(count + 1), "the frame whose first completion is at index " + first + " continues past " + count
                        + " completions, the most a " + _maxFrame + "-byte frame (MTU + " + GvnicConstants.FrameOverhead + ") fills in " + _bufferSize + "-byte buffers");
                int buffer = c.BufId;
                // A buffer id outside the buffers, not the device's (never posted, or posted again but not yet announced by
                // a doorbell: a completion written twice), or named twice in the frame: the frame is dropped and counted;
                // that completion gives nothing back (-1), as upstream drops a buffer it has not given the device.
                if (buffer >= _withDevice.Length || !_withDevice[buffer] || (int)(Announced - _postedAt[buffer]) <= 0) buffer = -1;
                for (int k = 0; k < count && buffer >= 0; k++)
                {
                    if (_segmentBuffer[k] == buffer) buffer = -1;
                }
                int length = c.PacketLen;
                if (buffer < 0) malformed = true;
                if (c.SplitHeader && !c.RxError)
                {
                    // Header split off, set on a completion that does not start its frame, or a header longer than
                    // the header buffer: the frame is malformed.
                    int h = c.HeaderLen;
                    if (_headerSize == 0 || count > 0 || h == 0 || h > _headerSize) malformed = true;
                    else header = h;
                }
                if (c.RxError) error = true;
                else if ((length == 0 && !(header > 0 && count == 0 && c.EndOfPacket)) || length > _bufferSize)
                {
                    malformed = true; // 0 only when a frame's single completion carries its headers
                    length = 0;
                }
                _segmentBuffer[count] = buffer;
                _segmentLength[count] = length;
                total += length;
                count++;
                bool last = c.EndOfPacket;
                lastSlot = slot;
                cursor.Advance();
                if (last) break;
            }
            total += header;
            if (malformed || total > _maxFrame)
            {
                Faults++; // a bad buffer id, length or header, or more than the largest frame (MTU + FrameOverhead)
                Release(count);
                continue;
            }
            if (error)
            {
                Dropped++;
                Release(count);
                continue;
            }
            // The results come from the completion that ends the frame, as upstream's gve_rx_complete_skb reads them.
            info = RxResultDecoder.Dqo(in Completion(lastSlot), _packetTypes, total, Id, header, _clock);
            _peekedHeaderLength = header;
            _peekedHeaderSlot = first;
            _peekedPayloadSegments = total == header ? 0 : count;
            PeekedEntries = count;
            PeekedLength = total;
            return true;
        }
    }

    public override int PeekedSegments => PeekedEntries == 0 ? 0 : (_peekedHeaderLength > 0 ? 1 : 0) + _peekedPayloadSegments;

    public override ReadOnlySpan<byte> PeekedSegment(int index)
    {
        if ((uint)index >= (uint)PeekedSegments) throw new ArgumentOutOfRangeException(nameof(index), index, "the frame has " + PeekedSegments + " segments");
        if (_peekedHeaderLength > 0)
        {
            if (index == 0) return new ReadOnlySpan<byte>(_headers!.Pointer + (long)_peekedHeaderSlot * _headerSize, _peekedHeaderLength);
            index--;
        }
        return new ReadOnlySpan<byte>(_buffers.Pointer + (long)_segmentBuffer[index] * _bufferSize, _segmentLength[index]);
    }

    /// <summary>Moves past the <paramref name="count"/> completions at the head and posts their buffers again.</summary>
    protected override void GiveBack(int count)
    {
        for (int k = 0; k < count; k++)
        {
            int buffer = _segmentBuffer[k];
            _completion.Advance();
            if (buffer < 0) continue; // a bad buffer id: nothing to give back
            _withDevice[buffer] = false;
            Post(buffer);
        }
    }

    public override int BufferCount => _withDevice.Length;

    protected override void Keep(int count)
    {
        for (int k = 0; k < count; k++)
        {
            int buffer = _segmentBuffer[k];
            _completion.Advance();
            _withDevice[buffer] = false; // a delivered frame names only posted buffers
            _heldBuffers[_heldCount++] = buffer;
        }
    }

    protected override void GiveBackHeld()
    {
        for (int k = 0; k < _heldCount; k++) Post(_heldBuffers[k]);
        _heldCount = 0;
    }

    public override void Audit() => DqoRingOrder.Audit(new Completions(_completions.Pointer), _completion, _size, Name);

    /// <summary>The generation bits of the completion ring at <paramref name="ring"/>.</summary>
    private readonly struct Completions(byte* ring) : IGenerationBits
    {
        public bool Generation(int slot) => RxComplDescDqo.AsReadOnly(new ReadOnlySpan<byte>(ring + (long)slot * RxComplDescDqo.Size, RxComplDescDqo.Size)).Generation;
    }

    private void Post(int buffer)
    {
        ref RxDescDqo d = ref RxDescDqo.AsRef(new Span<byte>(_bufferQueue.Pointer + Ring.Slot(Filled, _mask) * RxDescDqo.Size, RxDescDqo.Size));
        d = _templates[buffer]; // buf_id and buf_addr, encoded once
        if (_headers is not null) d.HeaderBufAddr = _headers.AddressOf(Ring.Slot(Filled, _mask) * _headerSize);
        _withDevice[buffer] = true;
        _postedAt[buffer] = Filled;
        Filled++;
        BuffersPosted++;
    }

    /// <summary>The doorbell takes the buffer queue's tail index (the free-running count of buffers posted, within the ring).</summary>
    protected override void WriteDoorbell(uint filled) => _bar2.WriteDoorbellDqo(_doorbell, (uint)Ring.Slot(filled, _mask));

    private ref readonly RxComplDescDqo Completion(int slot)
        => ref RxComplDescDqo.AsReadOnly(new ReadOnlySpan<byte>(_completions.Pointer + slot * RxComplDescDqo.Size, RxComplDescDqo.Size));
}
