using System;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

// GQI offloads, as upstream's gve_tx_fill_pkt_desc and gve_tx_fill_seg_desc: the packet descriptor carries the l4_csum
// flag with the L4 header and checksum offsets (2-byte units); a TSO packet is type tso, its first segment exactly the
// headers, and every segment descriptor carries the MSS, the IP header offset and the IPv6 flag. The checksum field holds
// the pseudo-header sum with the L4 length (what the Linux stack leaves for CHECKSUM_PARTIAL and for GSO).
internal sealed unsafe partial class GqiTxQueue
{
    // The headers of a TSO frame never wrap (at most a header's worth of padding), plus the FIFO alignment.
    public override TxOffloadLimits OffloadLimits
        => new(false, _maxFrame - (int)GvnicConstants.FrameOverhead, _maxFrame, Math.Min(ushort.MaxValue, _fifoSize - 2 * byte.MaxValue - 2 * FifoAlignment), 0);

    public override bool TryEnqueue(ReadOnlySpan<byte> frame, in TxOffloadPlan plan)
    {
        int length = frame.Length;
        int headerLength = HeaderPart(length, plan);
        int payloadLength = length - headerLength;
        int head = _fifoHead;
        int padding = head + headerLength > _fifoSize ? _fifoSize - head : 0;
        int headerAt = padding > 0 ? 0 : head;
        int payloadAt = headerAt + headerLength;
        if (payloadAt == _fifoSize) payloadAt = 0;
        int first = Math.Min(payloadLength, _fifoSize - payloadAt);
        int second = payloadLength - first;
        int end = second > 0 ? second : payloadAt + first;
        int aligned = (end + FifoAlignment - 1) & ~(FifoAlignment - 1);
        int used = padding + length + (aligned - end);
        int newHead = aligned >= _fifoSize ? aligned - _fifoSize : aligned;
        int descriptors = 1 + (first > 0 ? 1 : 0) + (second > 0 ? 1 : 0);

        if (Ring.Free(_posted, _done, _size) < descriptors || used > _fifoFree || ReservationsFull)
        {
            Reclaim();
            if (Ring.Free(_posted, _done, _size) < descriptors || used > _fifoFree || ReservationsFull)
            {
                _full++;
                _refused = true;
                return false;
            }
        }

        Span<byte> header = new(_fifo + headerAt, headerLength);
        frame.Slice(0, headerLength).CopyTo(header);
        if (first > 0) frame.Slice(headerLength, first).CopyTo(new Span<byte>(_fifo + payloadAt, first));
        if (second > 0) frame.Slice(headerLength + first).CopyTo(new Span<byte>(_fifo, second));
        TxOffloadPlanner.WritePseudoHeaderSum(header, length, plan, withLength: true);

        Span<byte> ring = new(_ring.Pointer, _size * TxPktDesc.Size);
        WritePacket(ring, descriptors, length, headerLength, headerAt, Reserve(used, headerAt));
        if (first > 0) WriteSegment(ring, _posted + 1, payloadAt, first);
        if (second > 0) WriteSegment(ring, _posted + 2, 0, second);
        MarkOffload(ring, descriptors, plan);

        _posted += (uint)descriptors;
        _descriptors += descriptors;
        _fifoHead = newHead;
        _fifoFree -= used;
        _packets++;
        _bytes += length;
        _inFlight++;
        if (_refused)
        {
            _refused = false;
            _wakes++;
        }
        return true;
    }

    protected override bool PostBuffer(int index, int length, in TxOffloadPlan plan)
    {
        int headerLength = HeaderPart(length, plan);
        int rest = length - headerLength;
        int descriptors = rest > 0 ? 2 : 1;
        if (Ring.Free(_posted, _done, _size) < descriptors)
        {
            Reclaim();
            if (Ring.Free(_posted, _done, _size) < descriptors)
            {
                _full++;
                _refused = true;
                return false;
            }
        }
        int at = _reservationAt[index];
        TxOffloadPlanner.WritePseudoHeaderSum(new Span<byte>(_fifo + at, headerLength), length, plan, withLength: true);
        Span<byte> ring = new(_ring.Pointer, _size * TxPktDesc.Size);
        WritePacket(ring, descriptors, length, headerLength, at, index);
        if (rest > 0) WriteSegment(ring, _posted + 1, at + headerLength, rest);
        MarkOffload(ring, descriptors, plan);
        _posted += (uint)descriptors;
        _descriptors += descriptors;
        _packets++;
        _bytes += length;
        _inFlight++;
        if (_refused)
        {
            _refused = false;
            _wakes++;
        }
        return true;
    }

    /// <summary>The bytes the packet descriptor carries: TSO, exactly the headers (the device repeats them in every segment); otherwise at least 182, as without offload, and never less than the headers.</summary>
    private static int HeaderPart(int length, in TxOffloadPlan plan)
        => plan.IsTso ? plan.HeaderLength : Math.Max(plan.HeaderLength, Math.Min(length, (int)GvnicConstants.GqTxMinPktDescBytes));

    /// <summary>Adds the offload fields to the <paramref name="descriptors"/> descriptors just written at <see cref="_posted"/>, and counts the offload.</summary>
    private void MarkOffload(Span<byte> ring, int descriptors, in TxOffloadPlan plan)
    {
        ref TxPktDesc packet = ref TxPktDesc.AsRef(ring.Slice(Ring.Slot(_posted, _mask) * TxPktDesc.Size));
        packet.Type = plan.IsTso ? TxdType.Tso : TxdType.Std;
        packet.L4Csum = true;
        packet.L4CsumOffset = (byte)(plan.ChecksumOffset >> 1);
        packet.L4HdrOffset = (byte)(plan.L4Offset >> 1);
        if (plan.IsTso)
        {
            for (int i = 1; i < descriptors; i++)
            {
                ref TxSegDesc segment = ref TxSegDesc.AsRef(ring.Slice(Ring.Slot(_posted + (uint)i, _mask) * TxSegDesc.Size));
                segment.Ipv6 = plan.Ipv6;
                segment.L3Offset = (byte)(plan.L3Offset >> 1);
                segment.Mss = (ushort)plan.Mss;
            }
        }
        CountOffload(plan);
    }
}
