using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Gvnic.Wire;

namespace Gvnic.Sdk.Tests.Support;

public delegate T ReadFn<T>(ReadOnlySpan<byte> source);
public delegate void WriteFn<T>(ref T value, Span<byte> destination);
public delegate ref T AsRefFn<T>(Span<byte> bytes);
public delegate ref readonly T AsReadOnlyFn<T>(ReadOnlySpan<byte> bytes);
public delegate bool ValidateFn<T>(ref T value, ICollection<WireIssue>? issues);

/// <summary>One generated wire struct, reached through its generated API (bound once by reflection).</summary>
public abstract class WireCase
{
    protected WireCase(string schemaName, int referenceSize, Type type)
    {
        SchemaName = schemaName;
        ReferenceSize = referenceSize;
        Type = type;
    }

    /// <summary>The schema name, as in schema/gvnic.yaml and the reference tables.</summary>
    public string SchemaName { get; }

    /// <summary>The size from the reference tables (layouts-*.md).</summary>
    public int ReferenceSize { get; }

    public Type Type { get; }

    /// <summary>The generated <c>Size</c> constant.</summary>
    public abstract int GeneratedSize { get; }

    /// <summary>The generated <c>SchemaName</c> constant.</summary>
    public abstract string GeneratedSchemaName { get; }

    /// <summary>The CLR size of the generated struct.</summary>
    public abstract int ClrSize { get; }

    /// <summary>Read the image, then Write the value into a fresh buffer.</summary>
    public abstract byte[] ReadThenWrite(byte[] image);

    /// <summary>AsReadOnly over the image, then Write that view.</summary>
    public abstract byte[] AsReadOnlyThenWrite(byte[] image);

    /// <summary>AsRef over a copy of the image, then Write that view.</summary>
    public abstract byte[] AsRefThenWrite(byte[] image);

    public abstract void Read(byte[] source);
    public abstract void AsRef(byte[] source);
    public abstract void AsReadOnly(byte[] source);
    public abstract void Write(byte[] destination);
    public abstract bool Validate(byte[] image, ICollection<WireIssue>? issues);
    public abstract string Describe(byte[] image);

    public override string ToString() => SchemaName;
}

public sealed class WireCase<T> : WireCase where T : struct
{
    private readonly ReadFn<T> _read;
    private readonly WriteFn<T> _write;
    private readonly AsRefFn<T> _asRef;
    private readonly AsReadOnlyFn<T> _asReadOnly;
    private readonly ValidateFn<T> _validate;
    private readonly int _size;
    private readonly string _schemaName;

    public WireCase(string schemaName, int referenceSize) : base(schemaName, referenceSize, typeof(T))
    {
        Type t = typeof(T);
        _size = (int)t.GetField("Size", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
        _schemaName = (string)t.GetField("SchemaName", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
        _read = t.GetMethod("Read", new[] { typeof(ReadOnlySpan<byte>) })!.CreateDelegate<ReadFn<T>>();
        _write = t.GetMethod("Write", new[] { typeof(Span<byte>) })!.CreateDelegate<WriteFn<T>>();
        _asRef = t.GetMethod("AsRef", new[] { typeof(Span<byte>) })!.CreateDelegate<AsRefFn<T>>();
        _asReadOnly = t.GetMethod("AsReadOnly", new[] { typeof(ReadOnlySpan<byte>) })!.CreateDelegate<AsReadOnlyFn<T>>();
        _validate = t.GetMethod("Validate", new[] { typeof(ICollection<WireIssue>) })!.CreateDelegate<ValidateFn<T>>();
    }

    public override int GeneratedSize => _size;
    public override string GeneratedSchemaName => _schemaName;
    public override int ClrSize => Unsafe.SizeOf<T>();

    public override byte[] ReadThenWrite(byte[] image)
    {
        T value = _read(image);
        return Codec.Encode(_size, d => _write(ref value, d));
    }

    public override byte[] AsReadOnlyThenWrite(byte[] image)
    {
        T copy = _asReadOnly(image);
        return Codec.Encode(_size, d => _write(ref copy, d));
    }

    public override byte[] AsRefThenWrite(byte[] image)
    {
        var bytes = (byte[])image.Clone();
        ref T view = ref _asRef(bytes);
        var output = new byte[_size];
        _write(ref view, output);
        return output;
    }

    public override void Read(byte[] source) => _read(source);
    public override void AsRef(byte[] source) => _asRef(source);
    public override void AsReadOnly(byte[] source) => _asReadOnly(source);
    public override void Write(byte[] destination) { T value = default; _write(ref value, destination); }

    public override bool Validate(byte[] image, ICollection<WireIssue>? issues)
    {
        T value = _read(image);
        return _validate(ref value, issues);
    }

    public override string Describe(byte[] image) => _read(image).ToString() ?? "";
}

/// <summary>Every struct of the schema with its size from the reference tables.</summary>
public static class WireCatalog
{
    private static WireCase C<T>(string name, int size) where T : struct => new WireCase<T>(name, size);

    public static readonly IReadOnlyList<WireCase> All = new[]
    {
        // layouts-admin-queue.md (adminq_command: gve_adminq.h, opcode + status + 56-byte body)
        C<AdminqCommand>("adminq_command", 64),
        C<AdminqDescribeDevice>("adminq_describe_device", 16),
        C<AdminqConfigureDeviceResources>("adminq_configure_device_resources", 40),
        C<AdminqRegisterPageList>("adminq_register_page_list", 24),
        C<AdminqUnregisterPageList>("adminq_unregister_page_list", 4),
        C<AdminqCreateTxQueue>("adminq_create_tx_queue", 48),
        C<AdminqCreateRxQueue>("adminq_create_rx_queue", 56),
        C<AdminqDestroyTxQueue>("adminq_destroy_tx_queue", 4),
        C<AdminqDestroyRxQueue>("adminq_destroy_rx_queue", 4),
        C<AdminqConfigureRss>("adminq_configure_rss", 24),
        C<AdminqSetDriverParameter>("adminq_set_driver_parameter", 16),
        C<AdminqReportStats>("adminq_report_stats", 24),
        C<AdminqReportLinkSpeed>("adminq_report_link_speed", 8),
        C<AdminqGetPtypeMap>("adminq_get_ptype_map", 16),
        C<AdminqVerifyDriverCompatibility>("adminq_verify_driver_compatibility", 16),
        C<AdminqExtendedCommand>("adminq_extended_command", 16),
        C<AdminqQueryFlowRules>("adminq_query_flow_rules", 24),
        C<AdminqReportNicTs>("adminq_report_nic_ts", 16),
        C<AdminqQueryRss>("adminq_query_rss", 16),
        C<DeviceDescriptor>("device_descriptor", 40),
        C<DeviceOption>("device_option", 8),
        C<DeviceOptionGqiRda>("device_option_gqi_rda", 4),
        C<DeviceOptionGqiQpl>("device_option_gqi_qpl", 4),
        C<DeviceOptionDqoRda>("device_option_dqo_rda", 8),
        C<DeviceOptionDqoQpl>("device_option_dqo_qpl", 8),
        C<DeviceOptionJumboFrames>("device_option_jumbo_frames", 8),
        C<DeviceOptionBufferSizes>("device_option_buffer_sizes", 8),
        C<DeviceOptionModifyRing>("device_option_modify_ring", 12),
        C<DeviceOptionFlowSteering>("device_option_flow_steering", 12),
        C<DeviceOptionNicTimestamp>("device_option_nic_timestamp", 4),
        C<DeviceOptionRssConfig>("device_option_rss_config", 8),
        C<DriverInfo>("driver_info", 304),
        C<StatsReport>("stats_report", 8),
        C<Stats>("stats", 16),
        C<EventCounter>("event_counter", 4),
        C<IrqDb>("irq_db", 4),
        C<PageListEntry>("page_list_entry", 8),
        C<LinkSpeedReport>("link_speed_report", 8),
        C<RssLutEntry>("rss_lut_entry", 4),
        C<PtypeEntry>("ptype_entry", 2),
        C<PtypeMap>("ptype_map", 2048),
        C<QueueResources>("queue_resources", 64),
        C<NicTsReport>("nic_ts_report", 40),
        C<QueryRssDescriptor>("query_rss_descriptor", 8),
        C<FlowSpec>("flow_spec", 40),
        C<AdminqFlowRule>("adminq_flow_rule", 84),
        C<AdminqConfigureFlowRule>("adminq_configure_flow_rule", 92),
        C<AdminqQueriedFlowRule>("adminq_queried_flow_rule", 88),
        C<QueryFlowRulesDescriptor>("query_flow_rules_descriptor", 16),
        // layouts-gqi.md
        C<TxPktDesc>("tx_pkt_desc", 16),
        C<TxSegDesc>("tx_seg_desc", 16),
        C<TxMtdDesc>("tx_mtd_desc", 16),
        C<TxDesc>("tx_desc", 16),
        C<RxDesc>("rx_desc", 64),
        C<RxDataSlot>("rx_data_slot", 8),
        // layouts-dqo.md
        C<TxPktDescDqo>("tx_pkt_desc_dqo", 16),
        C<TxContextCmdDtype>("tx_context_cmd_dtype", 2),
        C<TxTsoContextDescDqo>("tx_tso_context_desc_dqo", 16),
        C<TxGeneralContextDescDqo>("tx_general_context_desc_dqo", 16),
        C<TxMetadataDqo>("tx_metadata_dqo", 12),
        C<TxDescDqo>("tx_desc_dqo", 16),
        C<TxComplDesc>("tx_compl_desc", 8),
        C<RxDescDqo>("rx_desc_dqo", 32),
        C<RxComplDescDqo>("rx_compl_desc_dqo", 32),
        C<ItrDoorbellDqo>("itr_doorbell_dqo", 4),
        // compute-virtual-ethernet-linux google/gve/gve_mailbox.h and gve_flow_rule.h: sizeof of each struct (natural
        // C alignment; a flexible array adds nothing), static_assert'ed for report_link_status_resp (16),
        // get_interrupt_dbs_req (4) and interrupt_db_info (8).
        C<MbxDesc>("mbx_desc", 32),
        C<MbxRxQueueLen>("mbx_rx_queue_len", 4),
        C<MbxTxQueueLen>("mbx_tx_queue_len", 4),
        C<MbxRxQueueHead>("mbx_rx_queue_head", 4),
        C<MbxTxQueueHead>("mbx_tx_queue_head", 4),
        C<MbxResetCtrl>("mbx_reset_ctrl", 4),
        C<MbxResetStatus>("mbx_reset_status", 4),
        C<MbxCapsReq>("mbx_caps_req", 608),
        C<MbxCapsResp>("mbx_caps_resp", 72),
        C<MbxGetInfoFlowSteeringResp>("mbx_get_info_flow_steering_resp", 4),
        C<MbxEvent>("mbx_event", 4),
        C<MbxGetInfoNicTstampRegResp>("mbx_get_info_nic_tstamp_reg_resp", 48),
        C<MbxReportLinkStatusResp>("mbx_report_link_status_resp", 16),
        C<MbxGetInterruptDbsReq>("mbx_get_interrupt_dbs_req", 4),
        C<MbxInterruptDbInfo>("mbx_interrupt_db_info", 8),
        C<MbxGetInterruptDbsResp>("mbx_get_interrupt_dbs_resp", 4),
        C<MbxQueryRssResp>("mbx_query_rss_resp", 264),
        C<MbxConfigureRssReq>("mbx_configure_rss_req", 264),
        C<MbxQueryFlowRuleIdsReq>("mbx_query_flow_rule_ids_req", 8),
        C<MbxQueryFlowRuleIdsResp>("mbx_query_flow_rule_ids_resp", 4),
        C<MbxQueryFlowRulesReq>("mbx_query_flow_rules_req", 8),
        C<MbxQueryFlowRulesResp>("mbx_query_flow_rules_resp", 4),
        C<MbxQueryFlowRuleStatsResp>("mbx_query_flow_rule_stats_resp", 8),
        C<MbxAddFlowRuleReq>("mbx_add_flow_rule_req", 88),
        C<MbxDelFlowRuleReq>("mbx_del_flow_rule_req", 4),
        C<MbxTxQInfo>("mbx_tx_q_info", 40),
        C<MbxConfigTxQReq>("mbx_config_tx_q_req", 8),
        C<MbxConfiguredTxQInfo>("mbx_configured_tx_q_info", 8),
        C<MbxConfigTxQsResp>("mbx_config_tx_qs_resp", 8),
        C<MbxRxQInfo>("mbx_rx_q_info", 40),
        C<MbxConfigRxQsReq>("mbx_config_rx_qs_req", 8),
        C<MbxConfiguredRxQInfo>("mbx_configured_rx_q_info", 8),
        C<MbxConfigRxQsResp>("mbx_config_rx_qs_resp", 8),
        C<MbxDisableQsReq>("mbx_disable_qs_req", 2),
        C<MbxEnableQsReq>("mbx_enable_qs_req", 2),
        C<MbxFlowRule>("mbx_flow_rule", 84),
        C<MbxFlowRuleConfig>("mbx_flow_rule_config", 88),
    };

    public static IEnumerable<object[]> Cases() => All.Select(c => new object[] { c });
}
