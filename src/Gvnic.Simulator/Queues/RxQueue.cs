using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>What every simulated RX queue shares: the frames waiting in manual mode, the MTU check and the delivery count.</summary>
internal abstract class RxQueue(IQueueHost host, QueueBinding binding) : DeviceQueue(host, binding, "RX queue " + binding.Id)
{
    private readonly Queue<RxArrival> _pending = new();
    private int _mostHeld;
    private long[]? _arrivals;
    private long _arrivalCount;

    public bool HasWork => _pending.Count > 0;

    /// <summary>Posted buffers the device holds now.</summary>
    public abstract int BuffersHeld { get; }

    /// <summary>Buffers the driver handed over since the queue was created (free-running).</summary>
    public abstract long BuffersPosted { get; }

    /// <summary>The most buffers the driver can have posted without ringing (the ring's entries).</summary>
    public abstract int RingCapacity { get; }

    /// <summary>The most buffers the device held at once since the queue was created (after each doorbell).</summary>
    public int MostBuffersHeld => _mostHeld;

    /// <summary>Frames delivered since the queue was created.</summary>
    public long FramesDelivered { get; private set; }

    /// <summary>Call after a doorbell posted buffers.</summary>
    protected void NoteHeld(int held)
    {
        if (held > _mostHeld) _mostHeld = held;
    }

    /// <summary>
    /// Whether a frame arriving now could be dropped under load (<see cref="DropsUnderLoad"/>): not once the driver has
    /// kept <see cref="SimulatedDeviceConfig.MinRxBuffersUnderLoad"/> buffers posted (the most held never falls), so the
    /// device need not time arrivals then.
    /// </summary>
    public bool MayDropUnderLoad
    {
        get
        {
            int needed = Host.Config.MinRxBuffersUnderLoad;
            return needed > 0 && _mostHeld < needed;
        }
    }

    /// <summary>
    /// A frame arrives at <paramref name="now"/>: true when it is dropped because it comes under load (the
    /// <see cref="SimulatedDeviceConfig.RxLoadFrames"/>-th or later within <paramref name="window"/>) while buffers are posted
    /// but the driver never kept <see cref="SimulatedDeviceConfig.MinRxBuffersUnderLoad"/> of them. Only asked while
    /// <see cref="MayDropUnderLoad"/>.
    /// </summary>
    public bool DropsUnderLoad(long now, long window)
    {
        int frames = Host.Config.RxLoadFrames;
        _arrivals ??= new long[frames - 1];
        // The arrival RxLoadFrames - 1 frames ago: within the window, this frame makes the burst long enough.
        int slot = (int)(_arrivalCount % _arrivals.Length);
        bool underLoad = _arrivalCount >= _arrivals.Length && now - _arrivals[slot] < window;
        _arrivals[slot] = now;
        _arrivalCount++;
        int needed = Host.Config.MinRxBuffersUnderLoad;
        if (!underLoad || needed == 0 || _mostHeld >= needed || BuffersHeld == 0) return false;
        Counters.LoadDrops++;
        return true;
    }

    /// <summary>Writes a frame into posted buffers now, or drops it.</summary>
    public abstract RxOutcome Deliver(in RxArrival arrival);

    /// <summary>Manual mode: keeps a frame until <see cref="ProcessPendingFrame"/>.</summary>
    public RxOutcome Enqueue(in RxArrival arrival)
    {
        if (_pending.Count >= Host.Config.MaxPendingRxFrames)
        {
            Counters.NoBufferDrops++;
            return RxOutcome.DroppedNoBuffers;
        }
        _pending.Enqueue(arrival);
        return RxOutcome.Queued;
    }

    public bool ProcessPendingFrame()
    {
        if (_pending.Count == 0) return false;
        RxArrival arrival = _pending.Dequeue();
        Deliver(in arrival);
        Host.ReturnFrame(arrival.Frame);
        return true;
    }

    /// <summary>The largest frame the MTU lets in (Ethernet header and one VLAN tag included).</summary>
    protected int MaxFrame => Host.Mtu + (int)GvnicConstants.FrameOverhead;

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
        FramesDelivered++;
        Counters.Frames++;
        Counters.Bytes += frame.Length;
        Host.Notify(NtfyId);
    }
}
