using System;

namespace Gvnic.Driver.DataPlane;

// The offload side of a transmit queue: what its format allows, and the copying and zero-copy paths with a plan.
internal abstract partial class TxQueue
{
    /// <summary>Frames sent with L4 checksum offload; TSO frames, and the segments the device makes of them.</summary>
    protected long ChecksumOffloads, TsoFrames, TsoSegments;

    /// <summary>Counts a frame posted with <paramref name="plan"/>.</summary>
    protected void CountOffload(in TxOffloadPlan plan)
    {
        if (plan.IsTso)
        {
            TsoFrames++;
            TsoSegments += plan.Segments;
        }
        else
        {
            ChecksumOffloads++;
        }
    }

    /// <summary>What the queue's format allows of an offloaded frame.</summary>
    public abstract TxOffloadLimits OffloadLimits { get; }

    /// <summary>Places a frame planned by <see cref="TxOffloadPlanner"/> in the ring without ringing the doorbell; false when there is no room.</summary>
    public abstract bool TryEnqueue(ReadOnlySpan<byte> frame, in TxOffloadPlan plan);

    /// <summary>Posts the first <paramref name="length"/> bytes of lent buffer <paramref name="index"/> as a frame planned by <see cref="TxOffloadPlanner"/>; false when the ring has no room.</summary>
    protected abstract bool PostBuffer(int index, int length, in TxOffloadPlan plan);

    /// <summary>Plans (and so checks) every claimed buffer under <paramref name="offload"/>; on the first refusal un-claims them all and throws, so a refused hand-back changes nothing.</summary>
    public void PlanClaimed(ReadOnlySpan<TxBuffer> buffers, in TxOffload offload)
    {
        TxOffloadLimits limits = OffloadLimits;
        int i = 0;
        try
        {
            for (; i < buffers.Length; i++)
            {
                ref readonly TxBuffer b = ref buffers[i];
                TxOffloadPlanner.Plan(BufferData(b.Index).Slice(0, b.Length), offload, limits, Name, "buffers", i);
            }
        }
        catch
        {
            foreach (ref readonly TxBuffer b in buffers) _lendState[b.Index] = Lent;
            throw;
        }
    }

    /// <summary>As <see cref="PostClaimed(ReadOnlySpan{TxBuffer}, ref int)"/>, each buffer sent with <paramref name="offload"/> (checked first with <see cref="PlanClaimed"/>).</summary>
    public void PostClaimed(ReadOnlySpan<TxBuffer> buffers, ref int posted, in TxOffload offload)
    {
        TxOffloadLimits limits = OffloadLimits;
        posted = 0;
        try
        {
            for (; posted < buffers.Length; posted++)
            {
                ref readonly TxBuffer b = ref buffers[posted];
                TxOffloadPlan plan = TxOffloadPlanner.Plan(BufferData(b.Index).Slice(0, b.Length), offload, limits, Name, "buffers", posted);
                if (!PostBuffer(b.Index, b.Length, plan)) break;
                _lendState[b.Index] = NotLent;
                _lentCount--;
            }
        }
        finally
        {
            for (int k = posted; k < buffers.Length; k++) _lendState[buffers[k].Index] = Lent;
        }
    }
}
