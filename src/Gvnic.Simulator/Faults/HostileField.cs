namespace Gvnic.Simulator.Faults;

/// <summary>The number a <see cref="DeviceFaultKind.HostileValue"/> fault replaces: every number a device supplies to a driver.</summary>
public enum HostileField
{
    // ---- DESCRIBE_DEVICE: the descriptor ----

    /// <summary>tx_queue_entries (the default TX ring).</summary>
    TxQueueEntries,

    /// <summary>rx_queue_entries (the default RX ring).</summary>
    RxQueueEntries,

    /// <summary>mtu.</summary>
    Mtu,

    /// <summary>counters (event counters).</summary>
    Counters,

    /// <summary>tx_pages_per_qpl.</summary>
    TxPagesPerQpl,

    /// <summary>rx_pages_per_qpl.</summary>
    RxPagesPerQpl,

    /// <summary>max_registered_pages.</summary>
    MaxRegisteredPages,

    /// <summary>default_num_queues.</summary>
    DefaultNumQueues,

    // ---- DESCRIBE_DEVICE: the options ----

    /// <summary>The jumbo-frames option's max_mtu.</summary>
    JumboMaxMtu,

    /// <summary>The modify-ring option's max_tx_ring_size.</summary>
    ModifyRingMaxTx,

    /// <summary>The modify-ring option's max_rx_ring_size.</summary>
    ModifyRingMaxRx,

    /// <summary>The modify-ring option's min_tx_ring_size.</summary>
    ModifyRingMinTx,

    /// <summary>The modify-ring option's min_rx_ring_size.</summary>
    ModifyRingMinRx,

    /// <summary>The DQO QPL option's tx_pages_per_qpl.</summary>
    DqoQplTxPages,

    /// <summary>The DQO QPL option's rx_pages_per_qpl.</summary>
    DqoQplRxPages,

    /// <summary>The buffer-sizes option's packet_buffer_size.</summary>
    PacketBufferSize,

    /// <summary>The buffer-sizes option's header_buffer_size.</summary>
    HeaderBufferSize,

    /// <summary>The RSS-config option's hash_key_size.</summary>
    RssKeySize,

    /// <summary>The RSS-config option's hash_lut_size.</summary>
    RssLutSize,

    /// <summary>The flow-steering option's max_flow_rules.</summary>
    MaxFlowRules,

    // ---- BAR0 ----

    /// <summary>max_tx_queues.</summary>
    MaxTxQueues,

    /// <summary>max_rx_queues.</summary>
    MaxRxQueues,

    // ---- command answers ----

    /// <summary>The irq_db_index CONFIGURE_DEVICE_RESOURCES writes for notification block <see cref="DeviceFault.Queue"/> (any block when -1).</summary>
    IrqDoorbellIndex,

    /// <summary>The db_index CREATE_TX_QUEUE or CREATE_RX_QUEUE writes for queue <see cref="DeviceFault.Queue"/>.</summary>
    DoorbellIndex,

    /// <summary>The counter_index CREATE_TX_QUEUE writes for queue <see cref="DeviceFault.Queue"/>.</summary>
    CounterIndex,

    /// <summary>The link speed REPORT_LINK_SPEED writes.</summary>
    LinkSpeed,

    /// <summary>The l3_type and l4_type of every GET_PTYPE_MAP entry (both set to the value's low byte).</summary>
    PacketTypes,

    // ---- added with RX results and timestamps (issue 17); appended, so earlier values keep their numbers ----

    /// <summary>The NIC-timestamp option's supported_features_mask.</summary>
    NicTimestampFeatures,

    /// <summary>The nic_timestamp REPORT_NIC_TIMESTAMP writes.</summary>
    NicTimestamp,

    // ---- DQO RX completions (queue <see cref="DeviceFault.Queue"/>, any when -1) ----

    /// <summary>A completion's packet_type (the low 10 bits of the value).</summary>
    DqoRxPacketType,

    /// <summary>A completion's header_len (the low 10 bits), with split_header set.</summary>
    DqoRxHeaderLength,

    /// <summary>A completion's checksum bits: l3_l4_processed, csum_ip_err, csum_l4_err, csum_external_ip_err, ipv6_ex_add (value bits 0 … 4).</summary>
    DqoRxChecksumFlags,

    /// <summary>A completion's ts (the low 32 bits), marked valid.</summary>
    DqoRxTimestamp,
}
