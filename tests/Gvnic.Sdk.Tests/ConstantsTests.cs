using System;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>Every row of constants.md against the generated enum member or constant.</summary>
public class ConstantsTests
{
    public static TheoryData<string, ulong, ulong> Table => new()
    {
        // gve_adminq_opcodes
        { "GVE_ADMINQ_DESCRIBE_DEVICE", 0x1, (ulong)AdminqOpcodes.DescribeDevice },
        { "GVE_ADMINQ_CONFIGURE_DEVICE_RESOURCES", 0x2, (ulong)AdminqOpcodes.ConfigureDeviceResources },
        { "GVE_ADMINQ_REGISTER_PAGE_LIST", 0x3, (ulong)AdminqOpcodes.RegisterPageList },
        { "GVE_ADMINQ_UNREGISTER_PAGE_LIST", 0x4, (ulong)AdminqOpcodes.UnregisterPageList },
        { "GVE_ADMINQ_CREATE_TX_QUEUE", 0x5, (ulong)AdminqOpcodes.CreateTxQueue },
        { "GVE_ADMINQ_CREATE_RX_QUEUE", 0x6, (ulong)AdminqOpcodes.CreateRxQueue },
        { "GVE_ADMINQ_DESTROY_TX_QUEUE", 0x7, (ulong)AdminqOpcodes.DestroyTxQueue },
        { "GVE_ADMINQ_DESTROY_RX_QUEUE", 0x8, (ulong)AdminqOpcodes.DestroyRxQueue },
        { "GVE_ADMINQ_DECONFIGURE_DEVICE_RESOURCES", 0x9, (ulong)AdminqOpcodes.DeconfigureDeviceResources },
        { "GVE_ADMINQ_CONFIGURE_RSS", 0xa, (ulong)AdminqOpcodes.ConfigureRss },
        { "GVE_ADMINQ_SET_DRIVER_PARAMETER", 0xb, (ulong)AdminqOpcodes.SetDriverParameter },
        { "GVE_ADMINQ_REPORT_STATS", 0xc, (ulong)AdminqOpcodes.ReportStats },
        { "GVE_ADMINQ_REPORT_LINK_SPEED", 0xd, (ulong)AdminqOpcodes.ReportLinkSpeed },
        { "GVE_ADMINQ_GET_PTYPE_MAP", 0xe, (ulong)AdminqOpcodes.GetPtypeMap },
        { "GVE_ADMINQ_VERIFY_DRIVER_COMPATIBILITY", 0xf, (ulong)AdminqOpcodes.VerifyDriverCompatibility },
        { "GVE_ADMINQ_EXTENDED_COMMAND", 0xff, (ulong)AdminqOpcodes.ExtendedCommand },
        { "GVE_ADMINQ_CONFIGURE_FLOW_RULE", 0x101, (ulong)AdminqExtendedOpcodes.ConfigureFlowRule },
        { "GVE_ADMINQ_QUERY_FLOW_RULES", 0x10, (ulong)AdminqOpcodes.QueryFlowRules },
        { "GVE_ADMINQ_REPORT_NIC_TIMESTAMP", 0x11, (ulong)AdminqOpcodes.ReportNicTimestamp },
        { "GVE_ADMINQ_QUERY_RSS", 0x12, (ulong)AdminqOpcodes.QueryRss },
        // gve_adminq_statuses
        { "GVE_ADMINQ_COMMAND_UNSET", 0x0, (ulong)AdminqStatuses.CommandUnset },
        { "GVE_ADMINQ_COMMAND_PASSED", 0x1, (ulong)AdminqStatuses.CommandPassed },
        { "GVE_ADMINQ_COMMAND_ERROR_ABORTED", 0xfffffff0, (ulong)AdminqStatuses.CommandErrorAborted },
        { "GVE_ADMINQ_COMMAND_ERROR_ALREADY_EXISTS", 0xfffffff1, (ulong)AdminqStatuses.CommandErrorAlreadyExists },
        { "GVE_ADMINQ_COMMAND_ERROR_CANCELLED", 0xfffffff2, (ulong)AdminqStatuses.CommandErrorCancelled },
        { "GVE_ADMINQ_COMMAND_ERROR_DATALOSS", 0xfffffff3, (ulong)AdminqStatuses.CommandErrorDataloss },
        { "GVE_ADMINQ_COMMAND_ERROR_DEADLINE_EXCEEDED", 0xfffffff4, (ulong)AdminqStatuses.CommandErrorDeadlineExceeded },
        { "GVE_ADMINQ_COMMAND_ERROR_FAILED_PRECONDITION", 0xfffffff5, (ulong)AdminqStatuses.CommandErrorFailedPrecondition },
        { "GVE_ADMINQ_COMMAND_ERROR_INTERNAL_ERROR", 0xfffffff6, (ulong)AdminqStatuses.CommandErrorInternalError },
        { "GVE_ADMINQ_COMMAND_ERROR_INVALID_ARGUMENT", 0xfffffff7, (ulong)AdminqStatuses.CommandErrorInvalidArgument },
        { "GVE_ADMINQ_COMMAND_ERROR_NOT_FOUND", 0xfffffff8, (ulong)AdminqStatuses.CommandErrorNotFound },
        { "GVE_ADMINQ_COMMAND_ERROR_OUT_OF_RANGE", 0xfffffff9, (ulong)AdminqStatuses.CommandErrorOutOfRange },
        { "GVE_ADMINQ_COMMAND_ERROR_PERMISSION_DENIED", 0xfffffffa, (ulong)AdminqStatuses.CommandErrorPermissionDenied },
        { "GVE_ADMINQ_COMMAND_ERROR_UNAUTHENTICATED", 0xfffffffb, (ulong)AdminqStatuses.CommandErrorUnauthenticated },
        { "GVE_ADMINQ_COMMAND_ERROR_RESOURCE_EXHAUSTED", 0xfffffffc, (ulong)AdminqStatuses.CommandErrorResourceExhausted },
        { "GVE_ADMINQ_COMMAND_ERROR_UNAVAILABLE", 0xfffffffd, (ulong)AdminqStatuses.CommandErrorUnavailable },
        { "GVE_ADMINQ_COMMAND_ERROR_UNIMPLEMENTED", 0xfffffffe, (ulong)AdminqStatuses.CommandErrorUnimplemented },
        { "GVE_ADMINQ_COMMAND_ERROR_UNKNOWN_ERROR", 0xffffffff, (ulong)AdminqStatuses.CommandErrorUnknownError },
        // gve_dev_opt_id
        { "GVE_DEV_OPT_ID_GQI_RAW_ADDRESSING", 0x1, (ulong)DevOptId.GqiRawAddressing },
        { "GVE_DEV_OPT_ID_GQI_RDA", 0x2, (ulong)DevOptId.GqiRda },
        { "GVE_DEV_OPT_ID_GQI_QPL", 0x3, (ulong)DevOptId.GqiQpl },
        { "GVE_DEV_OPT_ID_DQO_RDA", 0x4, (ulong)DevOptId.DqoRda },
        { "GVE_DEV_OPT_ID_MODIFY_RING", 0x6, (ulong)DevOptId.ModifyRing },
        { "GVE_DEV_OPT_ID_DQO_QPL", 0x7, (ulong)DevOptId.DqoQpl },
        { "GVE_DEV_OPT_ID_JUMBO_FRAMES", 0x8, (ulong)DevOptId.JumboFrames },
        { "GVE_DEV_OPT_ID_BUFFER_SIZES", 0xa, (ulong)DevOptId.BufferSizes },
        { "GVE_DEV_OPT_ID_FLOW_STEERING", 0xb, (ulong)DevOptId.FlowSteering },
        { "GVE_DEV_OPT_ID_NIC_TIMESTAMP", 0xd, (ulong)DevOptId.NicTimestamp },
        { "GVE_DEV_OPT_ID_RSS_CONFIG", 0xe, (ulong)DevOptId.RssConfig },
        // gve_dev_opt_req_feat_mask
        { "GVE_DEV_OPT_REQ_FEAT_MASK_GQI_RAW_ADDRESSING", 0x0, (ulong)DevOptReqFeatMask.GqiRawAddressing },
        { "GVE_DEV_OPT_REQ_FEAT_MASK_GQI_RDA", 0x0, (ulong)DevOptReqFeatMask.GqiRda },
        { "GVE_DEV_OPT_REQ_FEAT_MASK_GQI_QPL", 0x0, (ulong)DevOptReqFeatMask.GqiQpl },
        { "GVE_DEV_OPT_REQ_FEAT_MASK_DQO_RDA", 0x0, (ulong)DevOptReqFeatMask.DqoRda },
        { "GVE_DEV_OPT_REQ_FEAT_MASK_MODIFY_RING", 0x0, (ulong)DevOptReqFeatMask.ModifyRing },
        { "GVE_DEV_OPT_REQ_FEAT_MASK_JUMBO_FRAMES", 0x0, (ulong)DevOptReqFeatMask.JumboFrames },
        { "GVE_DEV_OPT_REQ_FEAT_MASK_BUFFER_SIZES", 0x0, (ulong)DevOptReqFeatMask.BufferSizes },
        { "GVE_DEV_OPT_REQ_FEAT_MASK_DQO_QPL", 0x0, (ulong)DevOptReqFeatMask.DqoQpl },
        { "GVE_DEV_OPT_REQ_FEAT_MASK_FLOW_STEERING", 0x0, (ulong)DevOptReqFeatMask.FlowSteering },
        // gve_sup_feature_mask
        { "GVE_SUP_MODIFY_RING_MASK", 0x1, (ulong)SupFeatureMask.ModifyRing },
        { "GVE_SUP_JUMBO_FRAMES_MASK", 0x4, (ulong)SupFeatureMask.JumboFrames },
        { "GVE_SUP_BUFFER_SIZES_MASK", 0x10, (ulong)SupFeatureMask.BufferSizes },
        { "GVE_SUP_FLOW_STEERING_MASK", 0x20, (ulong)SupFeatureMask.FlowSteering },
        { "GVE_SUP_RSS_CONFIG_MASK", 0x80, (ulong)SupFeatureMask.RssConfig },
        { "GVE_SUP_NIC_TIMESTAMP_MASK", 0x100, (ulong)SupFeatureMask.NicTimestamp },
        // gve_driver_capbility
        { "gve_driver_capability_gqi_qpl", 0x0, (ulong)DriverCapability.GqiQpl },
        { "gve_driver_capability_gqi_rda", 0x1, (ulong)DriverCapability.GqiRda },
        { "gve_driver_capability_dqo_qpl", 0x2, (ulong)DriverCapability.DqoQpl },
        { "gve_driver_capability_dqo_rda", 0x3, (ulong)DriverCapability.DqoRda },
        { "gve_driver_capability_alt_miss_compl", 0x4, (ulong)DriverCapability.AltMissCompl },
        { "gve_driver_capability_flexible_buffer_size", 0x5, (ulong)DriverCapability.FlexibleBufferSize },
        { "gve_driver_capability_flexible_rss_size", 0x6, (ulong)DriverCapability.FlexibleRssSize },
        // gve_set_driver_param_types
        { "GVE_SET_PARAM_MTU", 0x1, (ulong)SetDriverParamTypes.Mtu },
        // gve_stat_names
        { "TX_STOP_CNT", 0x2, (ulong)StatNames.TxStopCnt },
        { "TX_FRAMES_SENT", 0x3, (ulong)StatNames.TxFramesSent },
        { "TX_BYTES_SENT", 0x4, (ulong)StatNames.TxBytesSent },
        { "TX_LAST_COMPLETION_PROCESSED", 0x5, (ulong)StatNames.TxLastCompletionProcessed },
        { "RX_NEXT_EXPECTED_SEQUENCE", 0x6, (ulong)StatNames.RxNextExpectedSequence },
        { "RX_BUFFERS_POSTED", 0x7, (ulong)StatNames.RxBuffersPosted },
        { "TX_TIMEOUT_CNT", 0x8, (ulong)StatNames.TxTimeoutCnt },
        { "RX_NO_BUFFERS_POSTED", 0x42, (ulong)StatNames.RxNoBuffersPosted },
        { "RX_DROPS_PACKET_OVER_MRU", 0x43, (ulong)StatNames.RxDropsPacketOverMru },
        { "RX_DROPS_INVALID_CHECKSUM", 0x44, (ulong)StatNames.RxDropsInvalidChecksum },
        // gve_l3_type, gve_l4_type
        { "GVE_L3_TYPE_UNKNOWN", 0x0, (ulong)L3Type.Unknown },
        { "GVE_L3_TYPE_OTHER", 0x1, (ulong)L3Type.Other },
        { "GVE_L3_TYPE_IPV4", 0x2, (ulong)L3Type.Ipv4 },
        { "GVE_L3_TYPE_IPV6", 0x3, (ulong)L3Type.Ipv6 },
        { "GVE_L4_TYPE_UNKNOWN", 0x0, (ulong)L4Type.Unknown },
        { "GVE_L4_TYPE_OTHER", 0x1, (ulong)L4Type.Other },
        { "GVE_L4_TYPE_TCP", 0x2, (ulong)L4Type.Tcp },
        { "GVE_L4_TYPE_UDP", 0x3, (ulong)L4Type.Udp },
        { "GVE_L4_TYPE_ICMP", 0x4, (ulong)L4Type.Icmp },
        { "GVE_L4_TYPE_SCTP", 0x5, (ulong)L4Type.Sctp },
        // gve_adminq_flow_type
        { "GVE_FLOW_TYPE_TCPV4", 0x0, (ulong)FlowType.Tcpv4 },
        { "GVE_FLOW_TYPE_UDPV4", 0x1, (ulong)FlowType.Udpv4 },
        { "GVE_FLOW_TYPE_SCTPV4", 0x2, (ulong)FlowType.Sctpv4 },
        { "GVE_FLOW_TYPE_AHV4", 0x3, (ulong)FlowType.Ahv4 },
        { "GVE_FLOW_TYPE_ESPV4", 0x4, (ulong)FlowType.Espv4 },
        { "GVE_FLOW_TYPE_TCPV6", 0x5, (ulong)FlowType.Tcpv6 },
        { "GVE_FLOW_TYPE_UDPV6", 0x6, (ulong)FlowType.Udpv6 },
        { "GVE_FLOW_TYPE_SCTPV6", 0x7, (ulong)FlowType.Sctpv6 },
        { "GVE_FLOW_TYPE_AHV6", 0x8, (ulong)FlowType.Ahv6 },
        { "GVE_FLOW_TYPE_ESPV6", 0x9, (ulong)FlowType.Espv6 },
        // gve_device_status_flags, gve_driver_status_flags
        { "GVE_DEVICE_STATUS_RESET_MASK", 0x2, (ulong)DeviceStatusFlags.Reset },
        { "GVE_DEVICE_STATUS_LINK_STATUS_MASK", 0x4, (ulong)DeviceStatusFlags.LinkStatus },
        { "GVE_DEVICE_STATUS_REPORT_STATS_MASK", 0x8, (ulong)DeviceStatusFlags.ReportStats },
        { "GVE_DEVICE_STATUS_DEVICE_IS_RESET", 0x10, (ulong)DeviceStatusFlags.DeviceIsReset },
        { "GVE_DRIVER_STATUS_RUN_MASK", 0x1, (ulong)DriverStatusFlags.Run },
        { "GVE_DRIVER_STATUS_RESET_MASK", 0x2, (ulong)DriverStatusFlags.Reset },
        // flow rule opcodes
        { "GVE_FLOW_RULE_CFG_ADD", 0x0, (ulong)FlowRuleCfgOpcode.Add },
        { "GVE_FLOW_RULE_CFG_DEL", 0x1, (ulong)FlowRuleCfgOpcode.Del },
        { "GVE_FLOW_RULE_CFG_RESET", 0x2, (ulong)FlowRuleCfgOpcode.Reset },
        { "GVE_FLOW_RULE_QUERY_RULES", 0x0, (ulong)FlowRuleQueryOpcode.QueryRules },
        { "GVE_FLOW_RULE_QUERY_IDS", 0x1, (ulong)FlowRuleQueryOpcode.QueryIds },
        { "GVE_FLOW_RULE_QUERY_STATS", 0x2, (ulong)FlowRuleQueryOpcode.QueryStats },
        // (define)
        { "GVE_ADMINQ_DEVICE_DESCRIPTOR_VERSION", 0x1, GvnicConstants.AdminqDeviceDescriptorVersion },
        { "GVE_DEV_OPT_LEN_GQI_RAW_ADDRESSING", 0x0, GvnicConstants.DevOptLenGqiRawAddressing },
        { "GVE_VERSION_STR_LEN", 0x80, GvnicConstants.VersionStrLen },
        { "GVE_DRIVER_CAPABILITY_FLAGS1", 0x7b, GvnicConstants.DriverCapabilityFlags1 },
        { "GVE_DRIVER_CAPABILITY_FLAGS2", 0x0, GvnicConstants.DriverCapabilityFlags2 },
        { "GVE_DRIVER_CAPABILITY_FLAGS3", 0x0, GvnicConstants.DriverCapabilityFlags3 },
        { "GVE_DRIVER_CAPABILITY_FLAGS4", 0x0, GvnicConstants.DriverCapabilityFlags4 },
        { "GVE_RAW_ADDRESSING_QPL_ID", 0xffffffff, GvnicConstants.RawAddressingQplId },
        { "GVE_RSS_HASH_IPV4", 0x0, GvnicConstants.RssHashIpv4 },
        { "GVE_RSS_HASH_TCPV4", 0x1, GvnicConstants.RssHashTcpv4 },
        { "GVE_RSS_HASH_IPV6", 0x2, GvnicConstants.RssHashIpv6 },
        { "GVE_RSS_HASH_IPV6_EX", 0x3, GvnicConstants.RssHashIpv6Ex },
        { "GVE_RSS_HASH_TCPV6", 0x4, GvnicConstants.RssHashTcpv6 },
        { "GVE_RSS_HASH_TCPV6_EX", 0x5, GvnicConstants.RssHashTcpv6Ex },
        { "GVE_RSS_HASH_UDPV4", 0x6, GvnicConstants.RssHashUdpv4 },
        { "GVE_RSS_HASH_UDPV6", 0x7, GvnicConstants.RssHashUdpv6 },
        { "GVE_RSS_HASH_UDPV6_EX", 0x8, GvnicConstants.RssHashUdpv6Ex },
        { "GVE_TXD_STD", 0x0, GvnicConstants.TxdStd },
        { "GVE_TXD_TSO", 0x10, GvnicConstants.TxdTso },
        { "GVE_TXD_SEG", 0x20, GvnicConstants.TxdSeg },
        { "GVE_TXD_MTD", 0x30, GvnicConstants.TxdMtd },
        { "GVE_TXF_L4CSUM", 0x1, GvnicConstants.TxfL4csum },
        { "GVE_TXF_TSTAMP", 0x4, GvnicConstants.TxfTstamp },
        { "GVE_TXSF_IPV6", 0x2, GvnicConstants.TxsfIpv6 },
        { "GVE_MTD_SUBTYPE_PATH", 0x0, GvnicConstants.MtdSubtypePath },
        { "GVE_MTD_PATH_STATE_DEFAULT", 0x0, GvnicConstants.MtdPathStateDefault },
        { "GVE_MTD_PATH_STATE_TIMEOUT", 0x1, GvnicConstants.MtdPathStateTimeout },
        { "GVE_MTD_PATH_STATE_CONGESTION", 0x2, GvnicConstants.MtdPathStateCongestion },
        { "GVE_MTD_PATH_STATE_RETRANSMIT", 0x3, GvnicConstants.MtdPathStateRetransmit },
        { "GVE_MTD_PATH_HASH_NONE", 0x0, GvnicConstants.MtdPathHashNone },
        { "GVE_MTD_PATH_HASH_L4", 0x10, GvnicConstants.MtdPathHashL4 },
        { "GVE_RX_PAD", 0x2, GvnicConstants.RxPad },
        { "GVE_IRQ_ACK", 0x80000000, GvnicConstants.IrqAck },
        { "GVE_IRQ_MASK", 0x40000000, GvnicConstants.IrqMask },
        { "GVE_IRQ_EVENT", 0x20000000, GvnicConstants.IrqEvent },
        { "GVE_TX_MAX_HDR_SIZE_DQO", 0xff, GvnicConstants.TxMaxHdrSizeDqo },
        { "GVE_TX_MIN_TSO_MSS_DQO", 0x58, GvnicConstants.TxMinTsoMssDqo },
        { "GVE_TX_PKT_DESC_DTYPE_DQO", 0xc, GvnicConstants.TxPktDescDtypeDqo },
        { "GVE_TX_MAX_BUF_SIZE_DQO", 0x3fff, GvnicConstants.TxMaxBufSizeDqo },
        { "GVE_TX_MAX_DATA_DESCS", 0xa, GvnicConstants.TxMaxDataDescs },
        { "GVE_TX_MIN_DESC_PREVENT_CACHE_OVERLAP", 0x4, GvnicConstants.TxMinDescPreventCacheOverlap },
        { "GVE_TX_MIN_RE_INTERVAL", 0x20, GvnicConstants.TxMinReInterval },
        { "GVE_TX_TSO_CTX_DESC_DTYPE_DQO", 0x5, GvnicConstants.TxTsoCtxDescDtypeDqo },
        { "GVE_TX_GENERAL_CTX_DESC_DTYPE_DQO", 0x4, GvnicConstants.TxGeneralCtxDescDtypeDqo },
        { "GVE_TX_METADATA_VERSION_DQO", 0x0, GvnicConstants.TxMetadataVersionDqo },
        { "GVE_COMPL_TYPE_DQO_PKT", 0x2, GvnicConstants.ComplTypeDqoPkt },
        { "GVE_COMPL_TYPE_DQO_DESC", 0x4, GvnicConstants.ComplTypeDqoDesc },
        { "GVE_COMPL_TYPE_DQO_MISS", 0x1, GvnicConstants.ComplTypeDqoMiss },
        { "GVE_COMPL_TYPE_DQO_REINJECTION", 0x3, GvnicConstants.ComplTypeDqoReinjection },
        { "GVE_ALT_MISS_COMPL_BIT", 0x8000, GvnicConstants.AltMissComplBit },
        { "GVE_RX_BUF_THRESH_DQO", 0x20, GvnicConstants.RxBufThreshDqo },
        // enum twins of the defines
        { "GVE_TXD_STD >> 4", 0x0, (ulong)TxdType.Std },
        { "GVE_TXD_TSO >> 4", 0x1, (ulong)TxdType.Tso },
        { "GVE_TXD_SEG >> 4", 0x2, (ulong)TxdType.Seg },
        { "GVE_TXD_MTD >> 4", 0x3, (ulong)TxdType.Mtd },
        { "GVE_MTD_PATH_HASH_L4 >> 4", 0x1, (ulong)MtdPathHash.L4 },
        { "GVE_MTD_PATH_STATE_RETRANSMIT", 0x3, (ulong)MtdPathState.Retransmit },
        { "GVE_TX_PKT_DESC_DTYPE_DQO (enum)", 0xc, (ulong)TxDescDtypeDqo.Packet },
        { "GVE_TX_TSO_CTX_DESC_DTYPE_DQO (enum)", 0x5, (ulong)TxDescDtypeDqo.TsoContext },
        { "GVE_TX_GENERAL_CTX_DESC_DTYPE_DQO (enum)", 0x4, (ulong)TxDescDtypeDqo.GeneralContext },
        { "GVE_COMPL_TYPE_DQO_MISS (enum)", 0x1, (ulong)ComplTypeDqo.Miss },
        { "GVE_COMPL_TYPE_DQO_PKT (enum)", 0x2, (ulong)ComplTypeDqo.Pkt },
        { "GVE_COMPL_TYPE_DQO_REINJECTION (enum)", 0x3, (ulong)ComplTypeDqo.Reinjection },
        { "GVE_COMPL_TYPE_DQO_DESC (enum)", 0x4, (ulong)ComplTypeDqo.Desc },
        { "GVE_IRQ_ACK (flag)", 0x80000000, (ulong)IrqDoorbellBits.Ack },
        { "GVE_IRQ_MASK (flag)", 0x40000000, (ulong)IrqDoorbellBits.Mask },
        { "GVE_IRQ_EVENT (flag)", 0x20000000, (ulong)IrqDoorbellBits.Event },
        { "1 << GVE_RSS_HASH_IPV4", 0x1, (ulong)RssHashTypes.Ipv4 },
        { "1 << GVE_RSS_HASH_TCPV4", 0x2, (ulong)RssHashTypes.Tcpv4 },
        { "1 << GVE_RSS_HASH_IPV6", 0x4, (ulong)RssHashTypes.Ipv6 },
        { "1 << GVE_RSS_HASH_IPV6_EX", 0x8, (ulong)RssHashTypes.Ipv6Ex },
        { "1 << GVE_RSS_HASH_TCPV6", 0x10, (ulong)RssHashTypes.Tcpv6 },
        { "1 << GVE_RSS_HASH_TCPV6_EX", 0x20, (ulong)RssHashTypes.Tcpv6Ex },
        { "1 << GVE_RSS_HASH_UDPV4", 0x40, (ulong)RssHashTypes.Udpv4 },
        { "1 << GVE_RSS_HASH_UDPV6", 0x80, (ulong)RssHashTypes.Udpv6 },
        { "1 << GVE_RSS_HASH_UDPV6_EX", 0x100, (ulong)RssHashTypes.Udpv6Ex },
        // queue formats (gve_queue_format)
        { "GVE_QUEUE_FORMAT_UNSPECIFIED", 0x0, (ulong)QueueFormat.Unspecified },
        { "GVE_GQI_RDA_FORMAT", 0x1, (ulong)QueueFormat.GqiRda },
        { "GVE_GQI_QPL_FORMAT", 0x2, (ulong)QueueFormat.GqiQpl },
        { "GVE_DQO_RDA_FORMAT", 0x3, (ulong)QueueFormat.DqoRda },
        { "GVE_DQO_QPL_FORMAT", 0x4, (ulong)QueueFormat.DqoQpl },
        // registers.md, dqo.md
        { "ITR enable bit 0", 0x1, GvnicConstants.ItrEnableBitDqo },
        { "ITR clear-PBA bit 1", 0x2, GvnicConstants.ItrClearPbaBitDqo },
        { "ITR no update 3 << 3", 0x18, GvnicConstants.ItrNoUpdateDqo },
        { "ITR interval shift (bits 5-16)", 5, GvnicConstants.ItrIntervalDqoShift },
        { "ITR interval mask (12 bits)", 0xfff, GvnicConstants.ItrIntervalDqoMask },
        { "PCI vendor 0x1ae0", 0x1ae0, GvnicConstants.PciVendorIdGoogle },
        { "PCI device 0x0042", 0x0042, GvnicConstants.PciDevIdGvnic },
        { "BAR0 registers", 0, GvnicConstants.RegisterBar },
        { "BAR2 doorbells", 2, GvnicConstants.DoorbellBar },
        { "page", 4096, GvnicConstants.PageSize },
        { "adminq command slot", 64, GvnicConstants.AdminqCommandSize },
        { "adminq body", 56, GvnicConstants.AdminqBodySize },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Value_MatchesReference(string upstreamName, ulong expected, ulong generated)
        => Assert.True(expected == generated, upstreamName + ": reference 0x" + expected.ToString("X") + ", generated 0x" + generated.ToString("X"));

    [Fact]
    public void IsDefined_EnumsAcceptTheirValuesOnly()
    {
        Assert.True(AdminqOpcodesInfo.IsDefined(AdminqOpcodes.QueryRss));
        Assert.True(AdminqOpcodesInfo.IsDefined(AdminqOpcodes.ExtendedCommand));
        Assert.False(AdminqOpcodesInfo.IsDefined((AdminqOpcodes)0));
        Assert.False(AdminqOpcodesInfo.IsDefined((AdminqOpcodes)0x13));
        Assert.False(AdminqOpcodesInfo.IsDefined((AdminqOpcodes)0x101));
        Assert.True(AdminqExtendedOpcodesInfo.IsDefined(AdminqExtendedOpcodes.ConfigureFlowRule));
        Assert.True(AdminqStatusesInfo.IsDefined(AdminqStatuses.CommandErrorAborted));
        Assert.False(AdminqStatusesInfo.IsDefined((AdminqStatuses)0xFFFFFFEF));
        Assert.False(AdminqStatusesInfo.IsDefined((AdminqStatuses)2));
        Assert.True(DevOptIdInfo.IsDefined(DevOptId.RssConfig));
        Assert.False(DevOptIdInfo.IsDefined((DevOptId)5));
        Assert.False(DevOptIdInfo.IsDefined((DevOptId)9));
        Assert.False(DevOptIdInfo.IsDefined((DevOptId)0xC));
        Assert.True(StatNamesInfo.IsDefined(StatNames.RxQueueDropCnt));
        Assert.False(StatNamesInfo.IsDefined((StatNames)9));
        Assert.False(StatNamesInfo.IsDefined((StatNames)0x40));
        Assert.True(ComplTypeDqoInfo.IsDefined(ComplTypeDqo.Desc));
        Assert.False(ComplTypeDqoInfo.IsDefined((ComplTypeDqo)0));
        Assert.False(ComplTypeDqoInfo.IsDefined((ComplTypeDqo)5));
        Assert.True(TxDescDtypeDqoInfo.IsDefined(TxDescDtypeDqo.Packet));
        Assert.False(TxDescDtypeDqoInfo.IsDefined((TxDescDtypeDqo)0x1F));
        Assert.False(TxDescDtypeDqoInfo.IsDefined((TxDescDtypeDqo)0xD));
        Assert.True(TxdTypeInfo.IsDefined(TxdType.Mtd));
        Assert.False(TxdTypeInfo.IsDefined((TxdType)4));
        Assert.True(QueueFormatInfo.IsDefined(QueueFormat.DqoQpl));
        Assert.False(QueueFormatInfo.IsDefined((QueueFormat)5));
        Assert.True(L3TypeInfo.IsDefined(L3Type.Ipv6));
        Assert.False(L3TypeInfo.IsDefined((L3Type)4));
        Assert.True(L4TypeInfo.IsDefined(L4Type.Sctp));
        Assert.False(L4TypeInfo.IsDefined((L4Type)6));
        Assert.True(FlowTypeInfo.IsDefined(FlowType.Espv6));
        Assert.False(FlowTypeInfo.IsDefined((FlowType)10));
        Assert.True(FlowRuleCfgOpcodeInfo.IsDefined(FlowRuleCfgOpcode.Reset));
        Assert.False(FlowRuleCfgOpcodeInfo.IsDefined((FlowRuleCfgOpcode)3));
        Assert.True(FlowRuleQueryOpcodeInfo.IsDefined(FlowRuleQueryOpcode.QueryStats));
        Assert.False(FlowRuleQueryOpcodeInfo.IsDefined((FlowRuleQueryOpcode)3));
        Assert.True(RssHashAlgInfo.IsDefined(RssHashAlg.NoChange));
        Assert.False(RssHashAlgInfo.IsDefined((RssHashAlg)2));
        Assert.True(SetDriverParamTypesInfo.IsDefined(SetDriverParamTypes.Mtu));
        Assert.False(SetDriverParamTypesInfo.IsDefined((SetDriverParamTypes)0));
        Assert.True(MtdSubtypeInfo.IsDefined(MtdSubtype.Path));
        Assert.False(MtdSubtypeInfo.IsDefined((MtdSubtype)1));
        Assert.True(MtdPathStateInfo.IsDefined(MtdPathState.Timeout));
        Assert.False(MtdPathStateInfo.IsDefined((MtdPathState)4));
        Assert.True(MtdPathHashInfo.IsDefined(MtdPathHash.None));
        Assert.False(MtdPathHashInfo.IsDefined((MtdPathHash)2));
        Assert.True(DriverCapabilityInfo.IsDefined(DriverCapability.FlexibleRssSize));
        Assert.False(DriverCapabilityInfo.IsDefined((DriverCapability)7));
        Assert.True(DevOptReqFeatMaskInfo.IsDefined(DevOptReqFeatMask.RssConfig));
        Assert.False(DevOptReqFeatMaskInfo.IsDefined((DevOptReqFeatMask)1));
    }

    [Fact]
    public void IsDefined_FlagSetsAcceptCombinationsOfTheirBitsOnly()
    {
        Assert.True(DeviceStatusFlagsInfo.IsDefined(DeviceStatusFlags.Reset | DeviceStatusFlags.LinkStatus | DeviceStatusFlags.ReportStats | DeviceStatusFlags.DeviceIsReset));
        Assert.True(DeviceStatusFlagsInfo.IsDefined(0));
        Assert.False(DeviceStatusFlagsInfo.IsDefined((DeviceStatusFlags)0x1));
        Assert.False(DeviceStatusFlagsInfo.IsDefined((DeviceStatusFlags)0x20));
        Assert.True(DriverStatusFlagsInfo.IsDefined(DriverStatusFlags.Run | DriverStatusFlags.Reset));
        Assert.False(DriverStatusFlagsInfo.IsDefined((DriverStatusFlags)0x4));
        Assert.True(IrqDoorbellBitsInfo.IsDefined(IrqDoorbellBits.Ack | IrqDoorbellBits.Mask | IrqDoorbellBits.Event));
        Assert.False(IrqDoorbellBitsInfo.IsDefined((IrqDoorbellBits)0x10000000));
        Assert.True(RssHashTypesInfo.IsDefined((RssHashTypes)0x1FF));
        Assert.False(RssHashTypesInfo.IsDefined((RssHashTypes)0x200));
        Assert.True(SupFeatureMaskInfo.IsDefined(SupFeatureMask.ModifyRing | SupFeatureMask.NicTimestamp));
        Assert.False(SupFeatureMaskInfo.IsDefined((SupFeatureMask)0x2));
        Assert.False(SupFeatureMaskInfo.IsDefined((SupFeatureMask)0x40));
    }

    [Fact]
    public void DriverCapabilityFlags1_IsTheUpstreamCapabilityBits()
    {
        ulong bits = 0;
        foreach (var c in new[] { DriverCapability.GqiQpl, DriverCapability.GqiRda, DriverCapability.DqoRda, DriverCapability.AltMissCompl, DriverCapability.FlexibleBufferSize, DriverCapability.FlexibleRssSize })
            bits |= 1UL << (int)c;
        Assert.Equal(GvnicConstants.DriverCapabilityFlags1, bits);
        Assert.Equal(GvnicConstants.TxMaxBufSizeDqo, (1u << 14) - 1);
        Assert.Equal(GvnicConstants.MaxItrIntervalDqo, GvnicConstants.ItrIntervalDqoMask * 2);
    }
}
