namespace Gvnic.Simulator.Faults;

/// <summary>
/// Every way the device model can lie to or misbehave towards a driver. Each is switched on with
/// <see cref="SimulatedGvnic.InjectFault"/>; <c>docs/reliability.md</c> lists what the driver does about each.
/// </summary>
public enum DeviceFaultKind
{
    // ---- admin queue ----

    /// <summary>Commands with <see cref="DeviceFault.Opcode"/> are not executed and answer <see cref="DeviceFault.Status"/>.</summary>
    AdminCommandStatus,

    /// <summary>The admin-queue event counter never advances (commands and the release handshake are not answered).</summary>
    AdminEventCounterStalled,

    /// <summary>DESCRIBE_DEVICE: num_device_options is larger than the options written.</summary>
    DescriptorOptionCountLies,

    /// <summary>DESCRIBE_DEVICE: the first option's length runs past total_length.</summary>
    DescriptorOptionLengthLies,

    /// <summary>DESCRIBE_DEVICE: total_length is larger than the buffer the driver offered.</summary>
    DescriptorTotalLengthTooLong,

    /// <summary>DESCRIBE_DEVICE: total_length is smaller than the descriptor itself.</summary>
    DescriptorTotalLengthTooShort,

    /// <summary>DESCRIBE_DEVICE: the last option carries an id no driver knows.</summary>
    DescriptorUnknownOptionId,

    /// <summary>DESCRIBE_DEVICE: MTU 0.</summary>
    DescriptorMtuZero,

    /// <summary>DESCRIBE_DEVICE: MTU 65535 (beyond any frame the length fields carry).</summary>
    DescriptorMtuAbsurd,

    /// <summary>max_tx_queues and max_rx_queues read 0, and default_num_queues is 0.</summary>
    ZeroQueues,

    /// <summary>CREATE_TX/RX_QUEUE: the queue resources name a doorbell outside BAR2.</summary>
    DoorbellOutsideBar2,

    /// <summary>CREATE_TX_QUEUE: the queue resources name an event counter outside the counter array.</summary>
    CounterIndexOutsideArray,

    // ---- GQI data path ----

    /// <summary>GQI RX: a descriptor's len is larger than the buffer.</summary>
    GqiRxLenTooLarge,

    /// <summary>GQI RX: a descriptor's len is 0.</summary>
    GqiRxLenZero,

    /// <summary>GQI RX: a descriptor carries a sequence number that is neither the expected one nor an old one.</summary>
    GqiRxBadSequence,

    /// <summary>GQI RX: a good frame's descriptor carries the error flag.</summary>
    GqiRxErrorFlag,

    /// <summary>GQI RX: the last descriptor of a frame carries packet_cont (the frame seems to go on into the next one).</summary>
    GqiRxPacketContOnLast,

    /// <summary>GQI RX: the device overwrites the data slot it consumed with an offset outside the page list (or an address outside any region).</summary>
    GqiRxDataSlotOutsideQpl,

    /// <summary>GQI TX: the event counter reports more descriptors done than the doorbell posted.</summary>
    GqiTxCounterPastPosted,

    // ---- DQO data path ----

    /// <summary>DQO TX: a packet completion names a tag outside the driver's tags.</summary>
    DqoTxUnknownTag,

    /// <summary>DQO TX: a packet completion is written twice.</summary>
    DqoTxDuplicateTag,

    /// <summary>DQO TX: a packet completion names the tag of the packet completed before it instead of its own (it waits for a completion whose predecessor had another tag).</summary>
    DqoTxStaleTag,

    /// <summary>DQO TX: a completion is written with the previous lap's generation bit (the ones after it are correct).</summary>
    DqoTxGenerationFlipped,

    /// <summary>DQO RX: a completion names a buffer id outside the posted buffers.</summary>
    DqoRxBufferIdOutOfRange,

    /// <summary>DQO RX: a completion's packet_len is 0.</summary>
    DqoRxLenZero,

    /// <summary>DQO RX: a completion's packet_len is larger than the buffer.</summary>
    DqoRxLenTooLarge,

    /// <summary>DQO RX: a completion is written with the previous lap's generation bit (the ones after it are correct).</summary>
    DqoRxGenerationFlipped,

    // ---- device events (act at once) ----

    /// <summary>device_status RESET is raised (in the middle of traffic) and the management vector fires.</summary>
    ResetRequest,

    /// <summary>The link goes down and comes back up.</summary>
    LinkFlap,
}
