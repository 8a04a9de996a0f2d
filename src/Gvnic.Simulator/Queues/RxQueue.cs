using System.Collections.Generic;

namespace Gvnic.Simulator.Queues;

/// <summary>What every simulated RX queue shares: the frames waiting in manual mode, the MTU check and the delivery count.</summary>
internal abstract class RxQueue(IQueueHost host, QueueBinding binding) : DeviceQueue(host, binding, "RX queue " + binding.Id)
{
    private readonly Queue<byte[]> _pending = new();

    public bool HasWork => _pending.Count > 0;

    /// <summary>Writes a frame into posted buffers now, or drops it.</summary>
    public abstract RxOutcome Deliver(byte[] frame);

    /// <summary>Manual mode: keeps a frame until <see cref="ProcessPendingFrame"/>.</summary>
    public RxOutcome Enqueue(byte[] frame)
    {
        if (_pending.Count >= Host.Config.MaxPendingRxFrames)
        {
            Counters.NoBufferDrops++;
            return RxOutcome.DroppedNoBuffers;
        }
        _pending.Enqueue(frame);
        return RxOutcome.Queued;
    }

    public bool ProcessPendingFrame()
    {
        if (_pending.Count == 0) return false;
        Deliver(_pending.Dequeue());
        return true;
    }

    /// <summary>The largest frame the MTU lets in (Ethernet header and one VLAN tag included).</summary>
    protected int MaxFrame => Host.Mtu + 14 + 4;

    protected bool CheckMtu(byte[] frame)
    {
        if (frame.Length <= MaxFrame) return true;
        Counters.OverMruDrops++;
        return false;
    }

    /// <summary>The frame is dropped because the device could not reach driver memory (counted as an error).</summary>
    protected RxOutcome DropOnError()
    {
        Counters.Errors++;
        return RxOutcome.DroppedNotReady;
    }

    protected void Delivered(byte[] frame)
    {
        Counters.Frames++;
        Counters.Bytes += frame.Length;
        Host.Notify(NtfyId);
    }
}
