using System;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// A GQI receive queue: the device writes 64-byte <see cref="RxDesc"/> entries into the descriptor ring, the
/// driver posts buffers in the parallel ring of 8-byte <see cref="RxDataSlot"/> entries. Slot <c>i</c> always
/// uses buffer <c>i</c>: page <c>i</c> of the queue's page list (QPL, the slot holds its byte offset) or the
/// <c>i</c>-th buffer of a driver-owned region (RDA, the slot holds its device address). A descriptor is new
/// when its sequence number is the one expected next; the frame starts 2 bytes into the buffer.
/// A frame longer than one buffer spans consecutive descriptors: each but the last carries packet_cont, only the
/// first buffer holds the pad, and each descriptor's len counts the bytes in its own buffer (the first one's
/// including the pad), as upstream reads them.
/// Buffers go back in ring order (slot i is buffer i): while a burst holds frames, the buffers of every frame after
/// them (dropped ones too) wait with theirs, and all are posted when the burst ends.
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
    private byte _expected = GqiSequence.First;
    private bool _lapped;
    private readonly int _maxFrame;
    private readonly int[] _segmentLength;
    private bool _holding;
    private int _owed; // descriptors moved past whose buffers are not posted again yet (held by a burst, or after one)

    /// <summary>Creates a queue over <paramref name="qpl"/> (QPL, one page a slot) or, when null, over driver-owned buffers (RDA).</summary>
    public GqiRxQueue(int id, int block, DmaMemory memory, Bar2Registers bar2, int ringSize, int bufferSize, QueuePageList? qpl, int maxFrame) : base(id, block)
    {
        _maxFrame = maxFrame;
        _segmentLength = new int[BuffersPerFrame(maxFrame, dqo: false, bufferSize)];
        _bar2 = bar2;
        CheckPostedBuffers(ringSize, ringSize, ringLimited: true, "one a slot of the " + ringSize + "-entry ring");
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

    public override RxQueueDefinition Definition
        => new((uint)Id, (uint)Block, _resources.DeviceAddress, _descriptors.DeviceAddress, _dataSlots.DeviceAddress, (ushort)_size, (ushort)_bufferSize,
            _qpl?.Id ?? GvnicConstants.RawAddressingQplId);

    public override void Bind(DeviceResources resources)
    {
        ref readonly QueueResources r = ref QueueResources.AsReadOnly(_resources.Span);
        _doorbell = resources.ClaimDoorbell(Name, "db_index", r.DbIndex);
    }

    public override int PostAll()
    {
        for (int i = 0; i < _size; i++) PostSlot(Filled++);
        BuffersPosted += _size;
        RingDoorbell();
        return _size;
    }

    /// <remarks>
    /// Every posted slot is looked at, not only those up to the first one not written: frames the device wrote behind a
    /// head that never became valid are handed over too, and lost with the reset. (A slot's old sequence number never
    /// equals the one expected there: 7 does not divide a power-of-two ring.)
    /// </remarks>
    public override int CountUntaken()
    {
        int frames = 0;
        uint position = _head;
        byte expected = _expected;
        for (int i = 0; i < _size && position != Filled; i++)
        {
            ref readonly RxDesc d = ref Descriptor(Ring.Slot(position, _mask));
            if (GqiSequence.IsNew(d.Seqno, expected) && !d.PacketCont) frames++;
            position++;
            expected = GqiSequence.Next(expected);
        }
        return frames;
    }

    public override long NextExpected => _expected;

    /// <remarks>
    /// The first descriptor not yet valid is found from the head (frames, or the first part of a chain, may wait before
    /// it); the device writes in ring order, so a valid descriptor anywhere behind it means it was written and never made
    /// valid.
    /// </remarks>
    public override void Audit()
    {
        uint gap = _head;
        byte gapExpected = _expected;
        while (Ring.InUse(Filled, gap) > 0 && GqiSequence.IsNew(Descriptor(Ring.Slot(gap, _mask)).Seqno, gapExpected))
        {
            gap++;
            gapExpected = GqiSequence.Next(gapExpected);
        }
        uint position = gap + 1;
        byte expected = GqiSequence.Next(gapExpected);
        for (; Ring.InUse(Filled, position) > 0; position++, expected = GqiSequence.Next(expected))
        {
            if (!GqiSequence.IsNew(Descriptor(Ring.Slot(position, _mask)).Seqno, expected)) continue;
            Interlocked.MemoryBarrier(); // descriptors are written in ring order: look at the gap again after seeing a later one
            int slot = Ring.Slot(gap, _mask);
            int seqno = Descriptor(slot).Seqno;
            if (GqiSequence.IsNew(seqno, gapExpected)) return; // the device has just written it
            throw NeverValid(slot, seqno, gapExpected, Ring.Slot(position, _mask));
        }
    }

    public override bool HeadStuck(out int slot)
    {
        slot = Ring.Slot(_head, _mask);
        if (_head == Filled) return false;
        ref readonly RxDesc d = ref Descriptor(slot);
        // First lap: a never-written descriptor is all zeros; one with a length but sequence number 0 was written, not made valid.
        if (!GqiSequence.IsNew(d.Seqno, _expected)) return !_lapped && d.Seqno == 0 && d.Len != 0;
        uint position = _head;
        byte expected = _expected;
        for (int i = 0; i < _segmentLength.Length && position != Filled; i++)
        {
            ref readonly RxDesc c = ref Descriptor(Ring.Slot(position, _mask));
            if (!GqiSequence.IsNew(c.Seqno, expected)) return true; // a chain whose next descriptor has not come
            if (!c.PacketCont) return false;                         // a whole frame waits to be taken
            position++;
            expected = GqiSequence.Next(expected);
        }
        return false;
    }

    public override bool HasPending
    {
        get
        {
            ref readonly RxDesc d = ref Descriptor(Ring.Slot(_head, _mask));
            return GqiSequence.IsNew(d.Seqno, _expected);
        }
    }

    public override bool TryPeek(out RxInfo info)
    {
        while (true)
        {
            int first = Ring.Slot(_head, _mask);
            int seqno = Descriptor(first).Seqno;
            if (!GqiSequence.IsNew(seqno, _expected))
            {
                CheckStale(first, seqno, _expected, _lapped); // the queue is empty (the caller announces the buffers given back)
                CheckAhead(_head, _expected);
                info = default;
                return false;
            }
            // Walk the chain: a descriptor with packet_cont continues in the next one.
            int count = 0;
            int total = 0;
            bool error = false;
            bool malformed = false;
            uint position = _head;
            byte expected = _expected;
            while (true)
            {
                int slot = Ring.Slot(position, _mask);
                ref readonly RxDesc d = ref Descriptor(slot);
                if (count > 0)
                {
                    int next = d.Seqno;
                    if (!GqiSequence.IsNew(next, expected))
                    {
                        // The rest of the chain is not written yet (checked like any old descriptor).
                        CheckStale(slot, next, expected, _lapped || position >= (uint)_size);
                        CheckAhead(position, expected);
                        FlushDoorbell(); // the device may need these buffers to finish the chain
                        info = default;
                        return false;
                    }
                }
                Volatile.ReadBarrier(); // read the rest of the descriptor only after its sequence number (dma_rmb)
                if (position == Filled)
                    throw new DeviceFaultException(Name, "descriptor", slot, (ulong)d.Seqno, "the device completed a descriptor for a slot with no buffer posted (head " + position + ", filled " + Filled + ")");
                if (count == _segmentLength.Length)
                    throw new DeviceFaultException(Name, "packet_cont", slot, (ulong)(count + 1), "the chain starting at index " + first + " continues past " + count
                        + " descriptors, the most a " + _maxFrame + "-byte frame (MTU + " + GvnicConstants.FrameOverhead + ") fills in " + _bufferSize + "-byte buffers");
                int length = d.Len;
                int pad = count == 0 ? (int)GvnicConstants.RxPad : 0;
                if (d.Err)
                {
                    error = true;
                }
                else if (length <= pad || length > _bufferSize)
                {
                    malformed = true; // a length of 0 or beyond the buffer: the frame is dropped and counted, its buffers go back
                    length = pad;
                }
                _segmentLength[count] = length - pad;
                total += length - pad;
                count++;
                position++;
                expected = GqiSequence.Next(expected);
                if (!d.PacketCont) break;
            }
            if (error)
            {
                Dropped++;
                Release(count);
                continue;
            }
            if (malformed || total > _maxFrame)
            {
                Faults++; // a bad len, or a chain carrying more than the largest frame (MTU + FrameOverhead)
                Release(count);
                continue;
            }

            var firstBuffer = new ReadOnlySpan<byte>(_buffers.Pointer + first * _bufferStride + (int)GvnicConstants.RxPad, _segmentLength[0]);
            info = RxResultDecoder.Gqi(in Descriptor(first), total, Id, firstBuffer);
            PeekedEntries = count;
            PeekedLength = total;
            return true;
        }
    }

    public override int PeekedSegments => PeekedEntries;

    public override ReadOnlySpan<byte> PeekedSegment(int index)
    {
        if ((uint)index >= (uint)PeekedEntries) throw new ArgumentOutOfRangeException(nameof(index), index, "the frame spans " + PeekedEntries + " buffers");
        int slot = Ring.Slot(_head + (uint)index, _mask);
        int pad = index == 0 ? (int)GvnicConstants.RxPad : 0;
        return new ReadOnlySpan<byte>(_buffers.Pointer + slot * _bufferStride + pad, _segmentLength[index]);
    }

    /// <summary>Moves past <paramref name="count"/> descriptors at the head and posts their slots' buffers again (unless a burst holds buffers before them).</summary>
    protected override void GiveBack(int count)
    {
        Advance(count);
        if (!_holding) PostOwed();
    }

    private void Advance(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _head++;
            if (_head == (uint)_size) _lapped = true;
            _expected = GqiSequence.Next(_expected);
        }
        _owed += count;
    }

    /// <summary>Posts the buffers of every descriptor moved past, in ring order.</summary>
    private void PostOwed()
    {
        for (int i = 0; i < _owed; i++) PostSlot(Filled++);
        BuffersPosted += _owed;
        _owed = 0;
    }

    public override int BufferCount => _size;

    protected override void Keep(int count)
    {
        _holding = true;
        Advance(count);
    }

    protected override void GiveBackHeld()
    {
        _holding = false;
        PostOwed();
    }

    private void CheckStale(int slot, int seqno, byte expected, bool lapped)
    {
        // An old descriptor shows 0 (never written) on the first lap, or last lap's number afterwards.
        byte old = lapped ? GqiSequence.PreviousLap(expected, _size) : (byte)0;
        if (seqno != old)
            throw new DeviceFaultException(Name, "seqno", slot, (ulong)seqno,
                "expected " + expected + " (new) or " + old + " (not yet written), sequence numbers run 1 … 7");
    }

    /// <summary>
    /// The look-ahead (as DQO's): the descriptor at <paramref name="position"/> is not new; if the one after it is (and
    /// still this one is not), the device wrote past a descriptor it never made valid, and the ring cannot be trusted.
    /// One more descriptor read, only when the queue looks empty.
    /// </summary>
    private void CheckAhead(uint position, byte expected)
    {
        if (Ring.InUse(Filled, position) < 2) return; // no buffer after it: the device cannot have written there
        int nextSlot = Ring.Slot(position + 1, _mask);
        if (!GqiSequence.IsNew(Descriptor(nextSlot).Seqno, GqiSequence.Next(expected))) return;
        Interlocked.MemoryBarrier(); // descriptors are written in ring order: look at this one again after seeing the next
        int slot = Ring.Slot(position, _mask);
        int seqno = Descriptor(slot).Seqno;
        if (GqiSequence.IsNew(seqno, expected)) return;
        throw NeverValid(slot, seqno, expected, nextSlot);
    }

    private DeviceFaultException NeverValid(int slot, int seqno, byte expected, int writtenSlot)
        => new(Name, "seqno", slot, (ulong)seqno, "expected " + expected + ", but the descriptor at index " + writtenSlot
            + " after it is written: the device wrote past a descriptor it never made valid");

    private void PostSlot(uint counter)
    {
        int slot = Ring.Slot(counter, _mask);
        ref RxDataSlot s = ref RxDataSlot.AsRef(new Span<byte>(_dataSlots.Pointer + slot * RxDataSlot.Size, RxDataSlot.Size));
        if (_qpl is not null) s.QplOffset = (ulong)slot * (ulong)_bufferStride;
        else s.Addr = _buffers.AddressOf(slot * _bufferStride);
    }

    /// <summary>The doorbell takes the free-running count of buffers posted.</summary>
    protected override void WriteDoorbell(uint filled) => _bar2.WriteDoorbell(_doorbell, filled);

    private ref readonly RxDesc Descriptor(int slot)
        => ref RxDesc.AsReadOnly(new ReadOnlySpan<byte>(_descriptors.Pointer + slot * RxDesc.Size, RxDesc.Size));
}
