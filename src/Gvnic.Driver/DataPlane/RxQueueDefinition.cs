namespace Gvnic.Driver.DataPlane;

/// <summary>
/// What the device needs to create an RX queue (CREATE_RX_QUEUE's fields): where the queue's memory is and how large
/// it is. The queue states it; the control plane sends it, in whatever form the control plane speaks.
/// </summary>
/// <param name="Id">The queue id.</param>
/// <param name="NotifyBlock">The notification block the queue reports to.</param>
/// <param name="ResourcesAddress">The queue resources block the device writes the doorbell index into.</param>
/// <param name="DescriptorRingAddress">GQI: the descriptor ring the device writes; DQO: the completion ring.</param>
/// <param name="DataRingAddress">GQI: the data-slot ring the driver fills; DQO: the buffer queue.</param>
/// <param name="RingSize">Entries in the ring.</param>
/// <param name="BufferSize">Bytes in each RX buffer.</param>
/// <param name="PageListId">The queue's page-list id, or <see cref="Wire.GvnicConstants.RawAddressingQplId"/> (RDA).</param>
/// <param name="BufferRingSize">DQO: entries in the buffer queue (0 for GQI).</param>
/// <param name="HeaderBufferSize">DQO header split: bytes in each header buffer (0: no split).</param>
internal readonly record struct RxQueueDefinition(uint Id, uint NotifyBlock, ulong ResourcesAddress, ulong DescriptorRingAddress, ulong DataRingAddress,
    ushort RingSize, ushort BufferSize, uint PageListId, ushort BufferRingSize = 0, ushort HeaderBufferSize = 0);
