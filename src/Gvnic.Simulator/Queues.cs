using System;
using System.Collections.Generic;

namespace Gvnic.Simulator;

/// <summary>What every simulated TX queue shares: identity, doorbell and counter indexes, and the path to the wire.</summary>
internal abstract class TxQueue(SimulatedGvnic device, int id, uint ntfyId, uint doorbellIndex, uint counterIndex, QueuePageList? qpl)
{
    protected SimulatedGvnic Device { get; } = device;
    public int Id { get; } = id;
    public uint NtfyId { get; } = ntfyId;
    public uint DoorbellIndex { get; } = doorbellIndex;
    public uint CounterIndex { get; } = counterIndex;
    public QueuePageList? Qpl { get; } = qpl;

    /// <summary>Whether posted descriptors wait for processing.</summary>
    public abstract bool HasWork { get; }

    /// <summary>The driver rang the queue's doorbell with <paramref name="value"/> (already decoded).</summary>
    public abstract void OnDoorbell(uint value);

    /// <summary>Processes one packet; false when none was ready.</summary>
    public abstract bool ProcessOne();

    protected void Violate(ViolationKind kind, long index, string detail) => Device.Violate(kind, Id, index, "TX queue " + Id + ": " + detail);

    /// <summary>Puts a finished frame on the wire (after the device lock is released), with the MTU and link checks.</summary>
    protected void Emit(byte[] frame, long index)
    {
        QueueCounters c = Device.TxCounters(Id);
        int max = Device.CurrentMtu + 14 + 4;
        if (frame.Length < 14 || frame.Length > max)
        {
            Violate(ViolationKind.BadFrameLength, index, "frame of " + frame.Length + " bytes (an Ethernet frame for MTU " + Device.CurrentMtu + " is 14.." + max + ")");
            c.Errors++;
            return;
        }
        if (!Device.IsLinkUp)
        {
            c.LinkDownDrops++;
            return;
        }
        c.Frames++;
        c.Bytes += frame.Length;
        Device.QueueFrameForWire(frame, Id);
    }
}

/// <summary>What every simulated RX queue shares: identity, indexes, and the frames waiting in manual mode.</summary>
internal abstract class RxQueue(SimulatedGvnic device, int id, uint ntfyId, uint doorbellIndex, uint counterIndex, QueuePageList? qpl)
{
    private readonly Queue<byte[]> _pending = new();

    protected SimulatedGvnic Device { get; } = device;
    public int Id { get; } = id;
    public uint NtfyId { get; } = ntfyId;
    public uint DoorbellIndex { get; } = doorbellIndex;
    public uint CounterIndex { get; } = counterIndex;
    public QueuePageList? Qpl { get; } = qpl;

    protected QueueCounters Counters => Device.RxCounters(Id);

    public bool HasWork => _pending.Count > 0;

    /// <summary>The driver rang the queue's doorbell with <paramref name="value"/> (already decoded).</summary>
    public abstract void OnDoorbell(uint value);

    /// <summary>Writes a frame into posted buffers now, or drops it.</summary>
    public abstract RxOutcome Deliver(byte[] frame);

    /// <summary>Manual mode: keeps a frame until <see cref="ProcessPendingFrame"/>.</summary>
    public RxOutcome Enqueue(byte[] frame)
    {
        if (_pending.Count >= Device.Config.MaxPendingRxFrames)
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

    protected void Violate(ViolationKind kind, long index, string detail) => Device.Violate(kind, Id, index, "RX queue " + Id + ": " + detail);

    /// <summary>The largest frame the MTU lets in (Ethernet header and one VLAN tag included).</summary>
    protected int MaxFrame => Device.CurrentMtu + 14 + 4;

    protected bool CheckMtu(byte[] frame)
    {
        if (frame.Length <= MaxFrame) return true;
        Counters.OverMruDrops++;
        return false;
    }

    protected void Delivered(byte[] frame)
    {
        Counters.Frames++;
        Counters.Bytes += frame.Length;
        Device.Notify(NtfyId);
    }
}
