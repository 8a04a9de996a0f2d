using System;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>
/// A DQO receive queue: the driver posts 32-byte <see cref="RxDescDqo"/> entries (buffer id and address) into the
/// buffer queue and rings its tail index; the device writes a 32-byte <see cref="RxComplDescDqo"/> per buffer
/// into the completion queue, with a generation bit. Buffers come back by id, in any order. The frame starts at
/// the buffer's first byte (no pad); flags come from the ptype map.
/// </summary>
internal sealed unsafe class DqoRxQueue : RxQueue
{
    private readonly Bar2Registers _bar2;
    private readonly DmaRegion _bufferQueue;
    private readonly DmaRegion _completions;
    private readonly DmaRegion _resources;
    private readonly DmaRegion _buffers;
    private readonly QueuePageList? _qpl;
    private readonly RxFlags[] _ptypeFlags;
    private readonly int _size;
    private readonly uint _mask;
    private readonly int _bufferSize;
    private readonly bool[] _withDevice;
    private DqoGeneration _completion;
    private int _doorbell;
    private uint _tail;
    private bool _droppingChain;
    private int _peekedId = -1;
    private int _peekedLength;
    private long _packets, _bytes, _dropped, _posted, _doorbells;

    public DqoRxQueue(int id, DmaMemory memory, Bar2Registers bar2, int ringSize, int bufferSize, QueuePageList? qpl, RxFlags[] ptypeFlags) : base(id)
    {
        _bar2 = bar2;
        _size = ringSize;
        _mask = Ring.MaskFor(ringSize, nameof(ringSize));
        _bufferSize = bufferSize;
        _ptypeFlags = ptypeFlags;
        _bufferQueue = memory.Allocate(ringSize * RxDescDqo.Size);
        _completions = memory.Allocate(ringSize * RxComplDescDqo.Size);
        _resources = memory.Allocate(QueueResources.Size);
        _completion = new DqoGeneration(ringSize);
        _qpl = qpl;
        // One slot of the buffer queue stays empty (tail == head means empty).
        int buffers = qpl is null ? ringSize - 1 : Math.Min(ringSize - 1, qpl.Bytes / bufferSize);
        if (buffers < 1) throw new NicConfigurationException(Name + ": the page list cannot hold one " + bufferSize + "-byte buffer");
        _buffers = qpl?.Pages ?? memory.Allocate(buffers * bufferSize);
        _withDevice = new bool[buffers];
    }

    public override void FillCreate(ref AdminqCommand cmd, uint notifyBlock)
        => Admin.AdminCommands.CreateRxQueue(ref cmd, (uint)Id, notifyBlock, _resources.DeviceAddress, _completions.DeviceAddress,
            _bufferQueue.DeviceAddress, (ushort)_size, (ushort)_bufferSize, _qpl?.Id ?? GvnicConstants.RawAddressingQplId, bufferRingSize: (ushort)_size);

    public override void Bind(DeviceResources resources)
    {
        ref readonly QueueResources r = ref QueueResources.AsReadOnly(_resources.Span);
        resources.CheckDoorbellIndex(Name, "db_index", r.DbIndex);
        _doorbell = (int)r.DbIndex;
    }

    public override int PostAll()
    {
        for (int buffer = 0; buffer < _withDevice.Length; buffer++) Post(buffer);
        RingDoorbell();
        return _withDevice.Length;
    }

    public override RxQueueStatistics Statistics => new(_packets, _bytes, _dropped, _posted, _doorbells);

    public override bool HasPending
    {
        get
        {
            ref readonly RxComplDescDqo c = ref Completion(_completion.Slot);
            return _completion.IsNew(c.Generation);
        }
    }

    public override bool TryPeek(out ReadOnlySpan<byte> frame, out RxInfo info)
    {
        while (true)
        {
            int slot = _completion.Slot;
            ref readonly RxComplDescDqo c = ref Completion(slot);
            if (!_completion.IsNew(c.Generation))
            {
                frame = default;
                info = default;
                return false;
            }
            Interlocked.MemoryBarrier(); // the rest of the entry only after its generation bit
            int buffer = c.BufId;
            if (buffer >= _withDevice.Length || !_withDevice[buffer])
                throw new DeviceFaultException(Name, "buf_id", slot, (ulong)buffer, buffer >= _withDevice.Length ? "outside the " + _withDevice.Length + " buffers" : "the buffer was not posted to the device");
            int length = c.PacketLen;
            bool last = c.EndOfPacket;
            if (!last || _droppingChain || c.RxError)
            {
                // Frames spanning several buffers are not configured (buffers hold the MTU): drop the whole chain.
                _droppingChain = !last;
                if (last) _dropped++;
                Release(buffer);
                continue;
            }
            if (length == 0 || length > _bufferSize)
                throw new DeviceFaultException(Name, "packet_len", slot, (ulong)length, "outside 1 … " + _bufferSize + " (the buffer)");
            frame = new ReadOnlySpan<byte>(_buffers.Pointer + (long)buffer * _bufferSize, length);
            int ptype = c.PacketType;
            RxFlags flags = ptype < _ptypeFlags.Length ? _ptypeFlags[ptype] : RxFlags.None;
            info = new RxInfo(length, flags, c.RawCs, c.Hash, Id);
            _peekedId = buffer;
            _peekedLength = length;
            return true;
        }
    }

    public override void Consume()
    {
        if (_peekedId < 0) return;
        _packets++;
        _bytes += _peekedLength;
        int buffer = _peekedId;
        _peekedId = -1;
        Release(buffer);
    }

    /// <summary>Moves past the completion at the head and posts its buffer again.</summary>
    private void Release(int buffer)
    {
        _withDevice[buffer] = false;
        _completion.Advance();
        Post(buffer);
        RingDoorbell();
    }

    private void Post(int buffer)
    {
        ref RxDescDqo d = ref RxDescDqo.AsRef(new Span<byte>(_bufferQueue.Pointer + Ring.Slot(_tail, _mask) * RxDescDqo.Size, RxDescDqo.Size));
        d = default;
        d.BufId = (ushort)buffer;
        d.BufAddr = _buffers.AddressOf(buffer * _bufferSize);
        _withDevice[buffer] = true;
        _tail++;
        _posted++;
    }

    private void RingDoorbell()
    {
        Interlocked.MemoryBarrier();
        _bar2.WriteDoorbellDqo(_doorbell, (uint)Ring.Slot(_tail, _mask));
        _doorbells++;
    }

    private ref readonly RxComplDescDqo Completion(int slot)
        => ref RxComplDescDqo.AsReadOnly(new ReadOnlySpan<byte>(_completions.Pointer + slot * RxComplDescDqo.Size, RxComplDescDqo.Size));
}
