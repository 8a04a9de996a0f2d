using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>
/// A GQI RX queue: the driver fills 8-byte data slots (QPL offset or device address) and rings the doorbell with the
/// free-running count of slots filled; the device writes each frame 2 bytes (GVE_RX_PAD) into the slot's buffer and a
/// 64-byte descriptor at the same index, with a sequence number cycling 1..7.
/// </summary>
internal sealed class GqiRxQueue : RxQueue
{
    private readonly ulong _descRing;
    private readonly ulong _dataRing;
    private readonly int _size;
    private readonly int _bufferSize;
    private readonly ulong?[] _posted;
    private readonly byte[] _piece; // a buffer's worth of bytes, staged for the DMA write
    private readonly Dictionary<ulong, int> _owned = new();
    private uint _doorbell;
    private uint _head;
    private int _seqno = 1;

    public GqiRxQueue(IQueueHost host, QueueBinding binding, ulong descRing, ulong dataRing, int size, int bufferSize)
        : base(host, binding)
    {
        _descRing = descRing;
        _dataRing = dataRing;
        _size = size;
        _bufferSize = bufferSize;
        _posted = new ulong?[size];
        _piece = new byte[bufferSize];
    }

    private int Mask(uint position) => (int)(position & (uint)(_size - 1));

    public override void Ring(uint raw)
    {
        uint value = Bar2Registers.DecodeDoorbell(raw);
        if ((int)(value - _doorbell) < 0)
        {
            Violate(ViolationKind.DoorbellBackwards, value, "doorbell went back from " + _doorbell + " to " + value + " (it is the free-running count of slots filled)");
            return;
        }
        if (value - _head > (uint)_size)
        {
            Violate(ViolationKind.DoorbellBeyondRing, value, "doorbell " + value + " posts " + (value - _head) + " buffers in a " + _size + "-entry ring");
            return;
        }
        // The whole data ring in one DMA resolve; slot by slot (recording the one that fails) only when that does not succeed.
        bool whole = Host.TryDmaQuiet(_dataRing, (long)_size * RxDataSlot.Size, out Span<byte> ring);
        for (uint i = _doorbell; i != value; i++)
        {
            int slot = Mask(i);
            ulong buffer;
            if (whole) buffer = SlotBuffer(ring.Slice(slot * RxDataSlot.Size, RxDataSlot.Size));
            else if (!ReadSlot(slot, out buffer)) return;
            // A buffer outside the page list is recorded now; delivery into it is refused later.
            Qpl?.InRange(Host, buffer, _bufferSize, Id, slot, $"RX queue {Id} data slot {slot}");
            ref int owned = ref CollectionsMarshal.GetValueRefOrAddDefault(_owned, buffer, out bool already); // one lookup
            if (already)
                Violate(ViolationKind.BufferReposted, slot, "data slot " + slot + " posts buffer 0x" + buffer.ToString("X") + ", which the device already owns (posted at an earlier slot and not yet filled)");
            owned++;
            _posted[slot] = buffer;
        }
        _doorbell = value;
        NoteHeld((int)(_doorbell - _head));
    }

    /// <inheritdoc/>
    public override int BuffersHeld => (int)(_doorbell - _head);

    /// <inheritdoc/>
    public override long BuffersPosted => _doorbell;

    /// <inheritdoc/>
    public override int RingCapacity => _size;

    private bool ReadSlot(int slot, out ulong buffer)
    {
        buffer = 0;
        if (!Host.TryDma(_dataRing + (ulong)slot * RxDataSlot.Size, RxDataSlot.Size, Id, slot, $"RX queue {Id} data slot", out Span<byte> s)) return false;
        buffer = SlotBuffer(s);
        return true;
    }

    /// <summary>The buffer a data slot names: a QPL offset or a device address.</summary>
    private ulong SlotBuffer(ReadOnlySpan<byte> s)
    {
        RxDataSlot data = RxDataSlot.Read(s);
        return Qpl is not null ? data.QplOffset : data.Addr;
    }

    private void Release(ulong buffer)
    {
        ref int n = ref CollectionsMarshal.GetValueRefOrNullRef(_owned, buffer);
        if (Unsafe.IsNullRef(ref n)) return;
        if (n <= 1) _owned.Remove(buffer);
        else n--;
    }

    public override RxOutcome Deliver(in RxArrival arrival)
    {
        byte[] frame = arrival.Frame;
        if (!CheckMtu(frame)) return RxOutcome.DroppedTooLong;
        int pad = (int)GvnicConstants.RxPad;
        // Frames longer than one buffer span several descriptors (PACKET_CONT on all but the last); only the first carries the pad.
        int firstCap = _bufferSize - pad;
        int pieces = frame.Length <= firstCap ? 1 : 1 + (frame.Length - firstCap + _bufferSize - 1) / _bufferSize;
        if (_doorbell - _head < (uint)pieces)
        {
            Counters.NoBufferDrops++;
            return RxOutcome.DroppedNoBuffers;
        }
        FrameInfo info = arrival.Info;
        uint hash = Host.RssHash(in arrival);
        int done = 0;
        Span<byte> staged = stackalloc byte[RxDesc.Size];
        for (int p = 0; p < pieces; p++)
        {
            int slot = Mask(_head);
            if (!ReadSlot(slot, out ulong buffer)) return DropOnError();
            if (_posted[slot] is ulong posted && posted != buffer)
                Violate(ViolationKind.DescriptorRewritten, slot, "data slot " + slot + " changed from 0x" + posted.ToString("X") + " to 0x" + buffer.ToString("X") + " while the device owned it");
            int lead = p == 0 ? pad : 0;
            int len = Math.Min(_bufferSize - lead, frame.Length - done);
            Span<byte> piece = _piece.AsSpan(0, lead + len);
            piece[..lead].Clear();
            frame.AsSpan(done, len).CopyTo(piece[lead..]);
            bool ok = Qpl is not null
                ? Qpl.TryWrite(Host, buffer, piece, Id, slot, $"RX queue {Id} buffer at slot {slot}")
                : WriteRda(buffer, piece, slot);
            if (!ok) return DropOnError();
            if (!Host.TryDma(_descRing + (ulong)slot * RxDesc.Size, RxDesc.Size, Id, slot, $"RX queue {Id} descriptor", out Span<byte> ds)) return DropOnError();
            int unwritten = RxDesc.AsRef(ds).Seqno; // what the slot shows until this write: 0, or the previous lap's number
            staged.Clear();
            ref RxDesc d = ref RxDesc.AsRef(staged);
            d.RssHash = hash;
            d.Len = (ushort)piece.Length;
            if (p == 0 && info.L3Offset >= 0 && info.L3 is L3Type.Ipv4 or L3Type.Ipv6)
                d.Csum = FrameInfo.OnesComplementSumLe(frame.AsSpan(info.L3Offset));
            d.Frag = info.Fragment;
            d.Ipv4 = info.L3 == L3Type.Ipv4;
            d.Ipv6 = info.L3 == L3Type.Ipv6;
            d.Tcp = info.L4 == L4Type.Tcp;
            d.Udp = info.L4 == L4Type.Udp;
            d.PacketCont = p < pieces - 1;
            d.Seqno = (ushort)_seqno;
            _seqno = _seqno == GvnicConstants.GqiSeqnoCount ? 1 : _seqno + 1;
            // The data slot was read (resolved) above in this same lock: only an armed fault needs it again.
            if (Host.Faults.ArmedCount > 0 && Host.TryDma(_dataRing + (ulong)slot * RxDataSlot.Size, RxDataSlot.Size, Id, slot, $"RX queue {Id} data slot", out Span<byte> dataSlot))
                Host.Faults.OnGqiRxDescriptor(Id, slot, staged, dataSlot, Qpl is not null, _bufferSize, unwritten);
            Publish(staged, ds);
            _posted[slot] = null;
            Release(buffer);
            _head++;
            done += len;
        }
        Delivered(frame);
        return RxOutcome.Delivered;
    }

    /// <summary>
    /// Writes a descriptor into the ring as a device's DMA write appears to a driver polling it from another thread: the
    /// flags and sequence number word last, after the rest, so the driver never sees a half-written descriptor (nor a
    /// sequence number of 0 while the descriptor is rewritten).
    /// </summary>
    private static void Publish(ReadOnlySpan<byte> descriptor, Span<byte> ring)
    {
        const int word = RxDesc.Offsets.FlagsSeq;
        descriptor[..word].CopyTo(ring);
        descriptor[(word + 2)..].CopyTo(ring[(word + 2)..]);
        Volatile.Write(ref Unsafe.As<byte, ushort>(ref ring[word]), MemoryMarshal.Read<ushort>(descriptor[word..]));
    }

    private bool WriteRda(ulong address, ReadOnlySpan<byte> data, int slot)
    {
        if (!Host.TryDma(address, _bufferSize, Id, slot, $"RX queue {Id} buffer", out Span<byte> dst)) return false;
        data.CopyTo(dst);
        return true;
    }
}
