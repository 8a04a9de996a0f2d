using System;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

// DQO offloads, as upstream's gve_tx_add_skb_dqo: checksum_offload_enable on every data descriptor; a TSO packet starts
// with a TSO context descriptor (MSS, header length, L4 payload length) before the general context descriptor. The
// checksum field holds the pseudo-header sum: with the L4 length for a checksum, without it for TSO (upstream's
// gve_prep_tso takes the payload length out of the sum the stack left). A TSO frame larger than one tag's buffer takes
// the buffers of further free tags, chained to its completion tag and freed with it (as upstream's DQO-QPL chains 2 KiB
// buffers); every buffer is cut into 2 KiB chunks, one data descriptor each.
internal sealed unsafe partial class DqoTxQueue
{
    private const byte Chained = 5;

    /// <summary>Per tag: the next tag whose buffer continues the same frame, or -1.</summary>
    private int[] _chain = [];
    private int _chainedTags;

    private void InitChains(int tags)
    {
        _chain = new int[tags];
        _chain.AsSpan().Fill(-1);
    }

    /// <summary>Frees the tags chained after <paramref name="tag"/> (not counted as frames).</summary>
    private void FreeChain(int tag)
    {
        int next = _chain[tag];
        _chain[tag] = -1;
        while (next >= 0)
        {
            int t = next;
            next = _chain[t];
            _chain[t] = -1;
            _state[t] = Free;
            _freeTags[_freeCount++] = t;
            _chainedTags--;
        }
    }

    // A TSO frame: every tag's buffer, 2 KiB chunks up to the ring (two context descriptors and one slot free), the DQO maximum.
    public override TxOffloadLimits OffloadLimits
        => new(true, _maxFrame - (int)GvnicConstants.FrameOverhead, _maxFrame,
            (int)Math.Min(Math.Min((long)_freeTags.Length * _bufferBytes, (long)(_size - 3) * Chunk), GvnicConstants.DqoTxMax), Chunk);

    public override bool TryEnqueue(ReadOnlySpan<byte> frame, in TxOffloadPlan plan)
    {
        int length = frame.Length;
        int chunks = (length + Chunk - 1) / Chunk;
        int tags = (length + _bufferBytes - 1) / _bufferBytes;
        int descriptors = (plan.IsTso ? 2 : 1) + chunks;
        if (_freeCount < tags || Ring.Free(_posted, _head, _size) <= (uint)descriptors)
        {
            Reclaim();
            if (_freeCount < tags || Ring.Free(_posted, _head, _size) <= (uint)descriptors)
            {
                _full++;
                _refused = true;
                return false;
            }
        }

        int tag = _freeTags[--_freeCount];
        int last = tag;
        int part = Math.Min(length, _bufferBytes);
        frame.Slice(0, part).CopyTo(new Span<byte>(_buffers.Pointer + (long)tag * _bufferBytes, part));
        for (int at = part; at < length; at += part)
        {
            int t = _freeTags[--_freeCount];
            _state[t] = Chained;
            _chainedTags++;
            _chain[last] = t;
            last = t;
            part = Math.Min(length - at, _bufferBytes);
            frame.Slice(at, part).CopyTo(new Span<byte>(_buffers.Pointer + (long)t * _bufferBytes, part));
        }
        TxOffloadPlanner.WritePseudoHeaderSum(new Span<byte>(_buffers.Pointer + (long)tag * _bufferBytes, plan.HeaderLength), length, plan, withLength: !plan.IsTso);
        WriteOffloadDescriptors(tag, length, chunks, plan);
        return true;
    }

    protected override bool PostBuffer(int index, int length, in TxOffloadPlan plan)
    {
        int chunks = (length + Chunk - 1) / Chunk;
        int descriptors = (plan.IsTso ? 2 : 1) + chunks;
        if (Ring.Free(_posted, _head, _size) <= (uint)descriptors)
        {
            Reclaim();
            if (Ring.Free(_posted, _head, _size) <= (uint)descriptors)
            {
                _full++;
                _refused = true;
                return false;
            }
        }
        TxOffloadPlanner.WritePseudoHeaderSum(new Span<byte>(_buffers.Pointer + (long)index * _bufferBytes, plan.HeaderLength), length, plan, withLength: !plan.IsTso);
        WriteOffloadDescriptors(index, length, chunks, plan);
        return true;
    }

    /// <summary>Posts tag <paramref name="tag"/>'s buffer (and those chained after it) as a frame of <paramref name="length"/> bytes in <paramref name="chunks"/> chunks, with the offload of <paramref name="plan"/> (the ring has room).</summary>
    private void WriteOffloadDescriptors(int tag, int length, int chunks, in TxOffloadPlan plan)
    {
        _state[tag] = PendingData;
        _tagLength[tag] = length;
        Span<byte> ring = new(_ring.Pointer, _size * TxPktDescDqo.Size);
        int descriptors = 1 + chunks;
        if (plan.IsTso)
        {
            ref TxDescDqo tso = ref TxDescDqo.AsRef(ring.Slice(Ring.Slot(_posted, _mask) * TxDescDqo.Size));
            tso = default;
            tso.TsoCtx.CmdDtype.Dtype = TxDescDtypeDqo.TsoContext;
            tso.TsoCtx.CmdDtype.Tso = true;
            tso.TsoCtx.TsoTotalLen = (uint)(length - plan.HeaderLength);
            tso.TsoCtx.Mss = (ushort)plan.Mss;
            tso.TsoCtx.HeaderLen = (byte)plan.HeaderLength;
            _posted++;
            descriptors++;
        }
        ref TxDescDqo context = ref TxDescDqo.AsRef(ring.Slice(Ring.Slot(_posted, _mask) * TxDescDqo.Size));
        context = default;
        context.GeneralCtx.CmdDtype.Dtype = TxDescDtypeDqo.GeneralContext;
        _posted++;
        int perTag = _bufferBytes / Chunk;
        int buffer = tag;
        for (int i = 0; i < chunks; i++)
        {
            if (i > 0 && i % perTag == 0) buffer = _chain[buffer];
            int part = Math.Min(Chunk, length - i * Chunk);
            ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(ring.Slice(Ring.Slot(_posted, _mask) * TxPktDescDqo.Size));
            d = default;
            d.Dtype = TxDescDtypeDqo.Packet;
            d.BufAddr = _buffers.AddressOf(buffer * _bufferBytes + (i % perTag) * Chunk);
            d.BufSize = (ushort)part;
            d.ComplTag = (ushort)tag;
            d.ChecksumOffloadEnable = true;
            bool last = i == chunks - 1;
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
        CountOffload(plan);
        if (_refused)
        {
            _refused = false;
            _wakes++;
        }
    }
}
