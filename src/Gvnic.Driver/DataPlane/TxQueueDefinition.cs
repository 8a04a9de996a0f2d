namespace Gvnic.Driver.DataPlane;

/// <summary>
/// What the device needs to create a TX queue (CREATE_TX_QUEUE's fields): where the queue's memory is and how large
/// it is. The queue states it; the control plane sends it, in whatever form the control plane speaks.
/// </summary>
/// <param name="Id">The queue id.</param>
/// <param name="NotifyBlock">The notification block the queue reports to.</param>
/// <param name="ResourcesAddress">The queue resources block the device writes the doorbell and counter indexes into.</param>
/// <param name="RingAddress">The descriptor ring.</param>
/// <param name="RingSize">Entries in the descriptor ring.</param>
/// <param name="PageListId">The queue's page-list id, or <see cref="Wire.GvnicConstants.RawAddressingQplId"/> (RDA).</param>
/// <param name="CompletionRingAddress">DQO: the completion ring (0 for GQI).</param>
/// <param name="CompletionRingSize">DQO: entries in the completion ring (0 for GQI).</param>
internal readonly record struct TxQueueDefinition(uint Id, uint NotifyBlock, ulong ResourcesAddress, ulong RingAddress, ushort RingSize, uint PageListId,
    ulong CompletionRingAddress = 0, ushort CompletionRingSize = 0);
