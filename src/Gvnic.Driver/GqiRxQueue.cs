using System;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>
/// A GQI receive queue: the device writes 64-byte <see cref="RxDesc"/> entries into the descriptor ring, the
/// driver posts buffers in the parallel ring of 8-byte <see cref="RxDataSlot"/> entries. Slot <c>i</c> always
/// uses buffer <c>i</c>: page <c>i</c> of the queue's page list (QPL, the slot holds its byte offset) or the
/// <c>i</c>-th buffer of a driver-owned region (RDA, the slot holds its device address). A descriptor is new
/// when its sequence number is the one expected next; the frame starts 2 bytes into the buffer.
/// </summary>
internal sealed unsafe class GqiRxQueue : RxQueue
{
    private readonly Bar2Registers _bar2;
    private readonly DmaRegion _descriptors;
    private readonly DmaRegion _dataSlots;
    private readonly DmaRegion _resources;
    private readonly QueuePageList? _qpl;
    private readonly DmaRegion _buffers;
    private readonly int _bufferStride;
    private readonly int _bufferSize;
    private readonly int _size;
    private readonly uint _mask;
    private int _doorbell;
    private uint _head;
    private uint _fill;
    private byte _expected = GqiSequence.First;
    private bool _lapped;
    private bool _droppingChain;
    private int _peekedLength = -1;
    private long _packets, _bytes, _dropped, _posted, _doorbells;

    /// <summary>Creates a queue over <paramref name="qpl"/> (QPL, one page a slot) or, when null, over driver-owned buffers (RDA).</summary>
    public GqiRxQueue(int id, DmaMemory memory, Bar2Registers bar2, int ringSize, int bufferSize, QueuePageList? qpl) : base(id)
    {
        _bar2 = bar2;
        _size = ringSize;
        _mask = Ring.MaskFor(ringSize, nameof(ringSize));
        _bufferSize = bufferSize;
        _descriptors = memory.Allocate(ringSize * RxDesc.Size);
        _dataSlots = memory.Allocate(ringSize * RxDataSlot.Size);
        _resources = memory.Allocate(QueueResources.Size);
        _qpl = qpl;
        if (qpl is not null)
        {
            if (qpl.PageCount < ringSize) throw new NicConfigurationException(Name + ": the page list has " + qpl.PageCount + " pages for " + ringSize + " slots");
            _buffers = qpl.Pages;
            _bufferStride = (int)GvnicConstants.PageSize;
        }
        else
        {
            _bufferStride = bufferSize;
            _buffers = memory.Allocate(ringSize * bufferSize);
        }
    }

    public override void FillCreate(ref AdminqCommand cmd, uint notifyBlock)
        => Admin.AdminCommands.CreateRxQueue(ref cmd, (uint)Id, notifyBlock, _resources.DeviceAddress, _descriptors.DeviceAddress,
            _dataSlots.DeviceAddress, (ushort)_size, (ushort)_bufferSize, _qpl?.Id ?? GvnicConstants.RawAddressingQplId);

    public override void Bind(DeviceResources resources)
    {
        ref readonly QueueResources r = ref QueueResources.AsReadOnly(_resources.Span);
        resources.CheckDoorbellIndex(Name, "db_index", r.DbIndex);
        _doorbell = (int)r.DbIndex;
    }

    public override int PostAll()
    {
        for (int i = 0; i < _size; i++) PostSlot(_fill++);
        _posted += _size;
        RingDoorbell();
        return _size;
    }

    public override RxQueueStatistics Statistics => new(_packets, _bytes, _dropped, _posted, _doorbells);

    public override bool HasPending
    {
        get
        {
            ref readonly RxDesc d = ref Descriptor(Ring.Slot(_head, _mask));
            return GqiSequence.IsNew(d.Seqno, _expected);
        }
    }

    public override bool TryPeek(out ReadOnlySpan<byte> frame, out RxInfo info)
    {
        while (true)
        {
            int slot = Ring.Slot(_head, _mask);
            ref readonly RxDesc d = ref Descriptor(slot);
            int seqno = d.Seqno;
            if (!GqiSequence.IsNew(seqno, _expected))
            {
                CheckStale(slot, seqno);
                frame = default;
                info = default;
                return false;
            }
            Interlocked.MemoryBarrier(); // read the rest of the descriptor only after its sequence number
            if (_head == _fill)
                throw new DeviceFaultException(Name, "descriptor", slot, (ulong)seqno, "the device completed a descriptor for a slot with no buffer posted (head " + _head + ", filled " + _fill + ")");
            int length = d.Len;
            bool continues = d.PacketCont;
            if (continues || _droppingChain || d.Err)
            {
                // Frames that span several buffers are not configured (buffers hold the MTU): drop the whole chain.
                _droppingChain = continues;
                if (!continues) _dropped++;
                Advance();
                continue;
            }
            if (length <= (int)GvnicConstants.RxPad || length > _bufferSize)
                throw new DeviceFaultException(Name, "len", slot, (ulong)length, "outside " + (GvnicConstants.RxPad + 1) + " … " + _bufferSize + " (the " + _bufferSize + "-byte buffer including the " + GvnicConstants.RxPad + "-byte pad)");

            int frameLength = length - (int)GvnicConstants.RxPad;
            frame = new ReadOnlySpan<byte>(_buffers.Pointer + slot * _bufferStride + GvnicConstants.RxPad, frameLength);
            RxFlags flags = (d.Ipv4 ? RxFlags.Ipv4 : 0) | (d.Ipv6 ? RxFlags.Ipv6 : 0) | (d.Tcp ? RxFlags.Tcp : 0)
                | (d.Udp ? RxFlags.Udp : 0) | (d.Frag ? RxFlags.Fragment : 0);
            info = new RxInfo(frameLength, flags, d.Csum, d.RssHash, Id);
            _peekedLength = frameLength;
            return true;
        }
    }

    public override void Consume()
    {
        if (_peekedLength < 0) return;
        _packets++;
        _bytes += _peekedLength;
        _peekedLength = -1;
        Advance();
    }

    /// <summary>Moves past the descriptor at the head and posts its slot's buffer again.</summary>
    private void Advance()
    {
        _head++;
        if (_head == (uint)_size) _lapped = true;
        _expected = GqiSequence.Next(_expected);
        PostSlot(_fill++);
        _posted++;
        RingDoorbell();
    }

    private void CheckStale(int slot, int seqno)
    {
        // An old descriptor shows 0 (never written) on the first lap, or last lap's number afterwards.
        byte old = _lapped ? GqiSequence.PreviousLap(_expected, _size) : (byte)0;
        if (seqno != old)
            throw new DeviceFaultException(Name, "seqno", slot, (ulong)seqno,
                "expected " + _expected + " (new) or " + old + " (not yet written), sequence numbers run 1 … 7");
    }

    private void PostSlot(uint counter)
    {
        int slot = Ring.Slot(counter, _mask);
        ref RxDataSlot s = ref RxDataSlot.AsRef(new Span<byte>(_dataSlots.Pointer + slot * RxDataSlot.Size, RxDataSlot.Size));
        if (_qpl is not null) s.QplOffset = (ulong)slot * (ulong)_bufferStride;
        else s.Addr = _buffers.AddressOf(slot * _bufferStride);
    }

    private void RingDoorbell()
    {
        Interlocked.MemoryBarrier();
        _bar2.WriteDoorbell(_doorbell, _fill);
        _doorbells++;
    }

    private ref readonly RxDesc Descriptor(int slot)
        => ref RxDesc.AsReadOnly(new ReadOnlySpan<byte>(_descriptors.Pointer + slot * RxDesc.Size, RxDesc.Size));
}
