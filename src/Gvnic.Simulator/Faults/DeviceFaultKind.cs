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

    // ---- hostile values ----

    /// <summary>
    /// A number the device supplies reads <see cref="DeviceFault.Value"/> instead of the truth: <see cref="DeviceFault.Field"/>
    /// names which (a DESCRIBE_DEVICE field or option field, a BAR0 queue limit, a doorbell or counter index a command
    /// answers with, the link speed, the packet-type map). Each chance is the next time the device supplies that number.
    /// </summary>
    HostileValue,

    // ---- a control plane that fails ----

    /// <summary>
    /// The device resets itself (a function-level reset) when a command with <see cref="DeviceFault.Opcode"/> arrives,
    /// instead of answering it: every queue and resource is dropped, the event counter reads 0, and adminq_pfn reads 0
    /// (revision 0) or device_status shows DEVICE_IS_RESET (revision 1).
    /// </summary>
    AdminSelfReset,

    /// <summary>A command with <see cref="DeviceFault.Opcode"/> runs, but the event counter then reads 5 past the commands posted.</summary>
    AdminEventCounterAhead,

    /// <summary>
    /// A command with <see cref="DeviceFault.Opcode"/> runs (its effect is in place), but the event counter never advances
    /// again: the driver cannot tell whether it happened. The release is not answered either.
    /// </summary>
    AdminStallAfterCommand,

    /// <summary>
    /// Revision 1: after driver_status RUN, device_status keeps DEVICE_IS_RESET for the next 20 reads, and the device
    /// answers each command one event-counter read late (a device that takes a moment to come out of reset).
    /// </summary>
    DeviceIsResetLingers,

    /// <summary>The device resets itself in the middle of traffic (as <see cref="AdminSelfReset"/>, without a command; acts at once).</summary>
    DeviceSelfReset,

    // ---- RX entries that never become valid, or come twice ----

    /// <summary>
    /// GQI RX: a descriptor is written in full, but with the sequence number a descriptor not yet written shows (0 on the
    /// first lap, the previous lap's number later): the head never becomes valid, while the frames after it are written.
    /// </summary>
    GqiRxNeverValid,

    /// <summary>DQO RX: a completion is written twice (the copy in the next completion slot).</summary>
    DqoRxDuplicateCompletion,
}
