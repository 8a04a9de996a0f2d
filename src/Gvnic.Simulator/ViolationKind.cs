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
    /// <summary>A DMA structure a command handed over does not start on a 4 KiB page (the command answers INVALID_ARGUMENT).</summary>
    MisalignedDma,
    /// <summary>The driver's part of the stats report, as the device read it, breaks upstream's layout or contradicts what the device did.</summary>
    StatsReport,
    /// <summary>The device model itself failed while handling an access (a bug in the model, reported instead of thrown into the driver).</summary>
    DeviceModelFault,
}
