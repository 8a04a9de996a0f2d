using System;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>
/// A DQO transmit queue: a ring of 16-byte little-endian <see cref="TxPktDescDqo"/> and a completion ring of
/// 8-byte <see cref="TxComplDesc"/> with a generation bit. Each frame is copied into the buffer of a free
/// completion tag (2 KiB chunks, one descriptor per chunk, at most 10), from a driver-owned region (RDA) or the
/// queue's page list (QPL, whose pages are addressed by device address; a chunk never crosses a page).
/// Packet completions return tags in any order; descriptor completions (asked for with report_event at least
/// every 32 descriptors) move the ring head. The completion ring is twice the descriptor ring, so a full ring of
/// packet completions plus descriptor completions cannot overrun it. The doorbell is the tail index (little-endian).
/// </summary>
internal sealed unsafe class DqoTxQueue : TxQueue
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
    private readonly bool[] _tagBusy;
    private readonly int[] _tagLength;
    private int _freeCount;
    private DqoGeneration _completion;
    private int _doorbell;
    private uint _posted;
    private uint _head;
    private uint _lastReport;
    private uint _rung;
    private long _packets, _bytes, _completed, _descriptors, _full, _doorbells, _faults;

    public DqoTxQueue(int id, DmaMemory memory, Bar2Registers bar2, int ringSize, QueuePageList? qpl, int maxFrame) : base(id)
    {
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
        _tagBusy = new bool[tags];
        _tagLength = new int[tags];
        for (int t = 0; t < tags; t++) _freeTags[t] = tags - 1 - t;
        _freeCount = tags;
    }

    public override void FillCreate(ref AdminqCommand cmd, uint notifyBlock)
        => Admin.AdminCommands.CreateTxQueue(ref cmd, (uint)Id, notifyBlock, _resources.DeviceAddress, _ring.DeviceAddress, (ushort)_size,
            _qpl?.Id ?? GvnicConstants.RawAddressingQplId, _completions.DeviceAddress, (ushort)_completionSize);

    public override void Bind(DeviceResources resources)
    {
        ref readonly QueueResources r = ref QueueResources.AsReadOnly(_resources.Span);
        resources.CheckDoorbellIndex(Name, "db_index", r.DbIndex);
        _doorbell = (int)r.DbIndex;
    }

    public override int InFlight => _freeTags.Length - _freeCount;

    public override TxQueueStatistics Statistics => new(_packets, _bytes, _completed, _descriptors, _full, _doorbells) { DeviceFaults = _faults };

    public override bool TryEnqueue(ReadOnlySpan<byte> frame)
    {
        int length = frame.Length;
        if (length == 0 || length > _maxFrame)
            throw new ArgumentOutOfRangeException(nameof(frame), length, "a frame is 1 … " + _maxFrame + " bytes on " + Name);
        int descriptors = (length + Chunk - 1) / Chunk;
        if (_freeCount == 0 || Ring.Free(_posted, _head, _size) <= (uint)descriptors)
        {
            Reclaim();
            if (_freeCount == 0 || Ring.Free(_posted, _head, _size) <= (uint)descriptors)
            {
                _full++;
                return false;
            }
        }

        int tag = _freeTags[--_freeCount];
        _tagBusy[tag] = true;
        _tagLength[tag] = length;
        int bufferAt = tag * _bufferBytes;
        frame.CopyTo(new Span<byte>(_buffers.Pointer + bufferAt, length));

        Span<byte> ring = new(_ring.Pointer, _size * TxPktDescDqo.Size);
        for (int i = 0; i < descriptors; i++)
        {
            int part = Math.Min(Chunk, length - i * Chunk);
            ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(ring.Slice(Ring.Slot(_posted, _mask) * TxPktDescDqo.Size));
            d = default;
            d.Dtype = TxDescDtypeDqo.Packet;
            d.BufAddr = _buffers.AddressOf(bufferAt + i * Chunk);
            d.BufSize = (ushort)part;
            d.ComplTag = (ushort)tag;
            bool last = i == descriptors - 1;
            d.EndOfPacket = last;
            _posted++;
            if (last && Ring.InUse(_posted, _lastReport) >= GvnicConstants.TxMinReInterval)
            {
                d.ReportEvent = true;
                _lastReport = _posted;
            }
        }
        _descriptors += descriptors;
        _packets++;
        _bytes += length;
        return true;
    }

    /// <summary>The entry at the head is not new: if the one after it is, the device wrote them out of order and the ring cannot be trusted.</summary>
    private void CheckGenerationOrder(Span<byte> ring)
    {
        DqoGeneration next = _completion;
        next.Advance();
        if (!next.IsNew(TxComplDesc.AsReadOnly(ring.Slice(next.Slot * TxComplDesc.Size)).Generation)) return;
        Interlocked.MemoryBarrier(); // completions are written in ring order: look at this one again after seeing the next
        bool bit = TxComplDesc.AsReadOnly(ring.Slice(_completion.Slot * TxComplDesc.Size)).Generation;
        if (_completion.IsNew(bit)) return;
        throw new DeviceFaultException(Name, "generation", _completion.Slot, bit ? 1UL : 0UL,
            "the completion at index " + next.Slot + " is new but this one is not: the device wrote the generation bits out of order");
    }

    public override void Audit()
    {
        Span<byte> ring = new(_completions.Pointer, _completionSize * TxComplDesc.Size);
        if (_completion.IsNew(TxComplDesc.AsReadOnly(ring.Slice(_completion.Slot * TxComplDesc.Size)).Generation)) return;
        DqoGeneration scan = _completion;
        for (int i = 1; i < _completionSize; i++)
        {
            scan.Advance();
            if (!scan.IsNew(TxComplDesc.AsReadOnly(ring.Slice(scan.Slot * TxComplDesc.Size)).Generation)) continue;
            Interlocked.MemoryBarrier();
            bool bit = TxComplDesc.AsReadOnly(ring.Slice(_completion.Slot * TxComplDesc.Size)).Generation;
            if (_completion.IsNew(bit)) return; // the device has just written the head
            throw new DeviceFaultException(Name, "generation", _completion.Slot, bit ? 1UL : 0UL,
                "the completion at index " + scan.Slot + " is new but this one (the head) is not: the device wrote the generation bits out of order");
        }
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
        int frames = 0;
        Span<byte> ring = new(_completions.Pointer, _completionSize * TxComplDesc.Size);
        while (true)
        {
            int slot = _completion.Slot;
            ref readonly TxComplDesc c = ref TxComplDesc.AsReadOnly(ring.Slice(slot * TxComplDesc.Size));
            if (!_completion.IsNew(c.Generation))
            {
                CheckGenerationOrder(ring);
                break;
            }
            Interlocked.MemoryBarrier(); // the rest of the entry only after its generation bit
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
                case ComplTypeDqo.Reinjection:
                    int tag = c.CompletionTag & ~GvnicConstants.AltMissComplBit;
                    if (tag >= _freeTags.Length || !_tagBusy[tag])
                    {
                        _faults++; // a tag outside the tags, or no packet with it in flight (duplicate, stale): skipped, as upstream does
                        break;
                    }
                    _tagBusy[tag] = false;
                    _freeTags[_freeCount++] = tag;
                    frames++;
                    break;
                case ComplTypeDqo.Miss:
                    break; // the packet completion (or re-injection) follows; the buffer stays with the device until then
                default:
                    throw new DeviceFaultException(Name, "completion type", slot, (ulong)c.Type, "not a known DQO completion type");
            }
            _completion.Advance();
        }
        _completed += frames;
        return frames;
    }
}
