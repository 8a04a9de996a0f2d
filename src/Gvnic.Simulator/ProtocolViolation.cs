using System.Collections.Generic;

namespace Gvnic.Simulator;

/// <summary>The kinds of driver mistakes the device model detects.</summary>
public enum ViolationKind
{
    /// <summary>A DMA address (with its length) lies outside every live DMA region.</summary>
    DmaOutOfBounds,
    /// <summary>A DMA address points into a region the driver already freed.</summary>
    DmaToFreedRegion,
    /// <summary>The device needed DMA while bus mastering was off.</summary>
    DmaWithoutBusMaster,
    /// <summary>A DMA region was freed twice or did not come from this allocator.</summary>
    BadFree,
    /// <summary>A register write the device does not expect (unknown offset, wrong width, wrong admin-queue revision).</summary>
    RegisterAccess,
    /// <summary>The admin queue was used before it was set up, or set up twice.</summary>
    AdminQueueState,
    /// <summary>The admin-queue producer count ran more than a ring ahead of the event counter, or went backwards.</summary>
    AdminQueueOverrun,
    /// <summary>A command arrived in a state where the device cannot accept it (the command also fails with a status).</summary>
    CommandOutOfOrder,
    /// <summary>A queue doorbell moved past the ring (more descriptors or slots than the ring holds).</summary>
    DoorbellBeyondRing,
    /// <summary>A queue doorbell went backwards.</summary>
    DoorbellBackwards,
    /// <summary>A doorbell was written to a BAR2 index that no queue or notification block owns.</summary>
    UnknownDoorbell,
    /// <summary>A descriptor the doorbell handed over is malformed (type, count, lengths, zero descriptor).</summary>
    BadDescriptor,
    /// <summary>A descriptor slot was rewritten while the device still owned it.</summary>
    DescriptorRewritten,
    /// <summary>A QPL offset (plus length) lies beyond the queue's registered page list.</summary>
    QplOffsetOutOfRange,
    /// <summary>A transmitted frame is larger than the MTU allows, or smaller than an Ethernet header.</summary>
    BadFrameLength,
    /// <summary>An RX buffer was posted again while the device still owned it.</summary>
    BufferReposted,
    /// <summary>The device model itself failed while handling an access (a bug in the model, reported instead of thrown into the driver).</summary>
    DeviceModelFault,
}

/// <summary>One driver mistake the device model saw.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Queue">The queue involved (TX or RX per <paramref name="Detail"/>), or -1.</param>
/// <param name="Index">The ring index, slot, register offset or admin-queue slot involved, or -1.</param>
/// <param name="Detail">A sentence that says what the device saw.</param>
public sealed record ProtocolViolation(ViolationKind Kind, int Queue, long Index, string Detail)
{
    /// <inheritdoc/>
    public override string ToString() => Kind + (Queue >= 0 ? " queue " + Queue : "") + (Index >= 0 ? " index " + Index : "") + ": " + Detail;
}

/// <summary>A thread-safe list of violations shared by a device and its DMA allocator.</summary>
public sealed class ViolationLog
{
    private readonly object _gate = new();
    private readonly List<ProtocolViolation> _items = new();

    /// <summary>Records one violation.</summary>
    public void Add(ProtocolViolation violation)
    {
        lock (_gate) _items.Add(violation);
    }

    /// <summary>Records one violation.</summary>
    public void Add(ViolationKind kind, int queue, long index, string detail) => Add(new ProtocolViolation(kind, queue, index, detail));

    /// <summary>A copy of every violation so far, oldest first.</summary>
    public IReadOnlyList<ProtocolViolation> Snapshot()
    {
        lock (_gate) return _items.ToArray();
    }

    /// <summary>How many violations were recorded.</summary>
    public int Count
    {
        get { lock (_gate) return _items.Count; }
    }

    /// <summary>Forgets every recorded violation.</summary>
    public void Clear()
    {
        lock (_gate) _items.Clear();
    }
}
