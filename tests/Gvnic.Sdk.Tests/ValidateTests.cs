using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Validate on decoded images: every problem is one WireIssue naming the schema struct, the schema field
/// (or bit range), the kind and the offending value, the value being what the field's own property
/// decodes (byte order converted, bit range shifted down).
/// </summary>
public class ValidateTests
{
    private static byte[] With(string hex, params (int Offset, string Hex)[] changes)
    {
        var image = Hex.Parse(hex);
        foreach (var (offset, h) in changes) Hex.Parse(h).CopyTo(image, offset);
        return image;
    }

    private static WireIssue Reserved(string type, string field, ulong value) => new(type, field, WireIssueKind.ReservedNotZero, value);
    private static WireIssue UnknownEnum(string type, string field, ulong value) => new(type, field, WireIssueKind.UnknownEnumValue, value);

    // ---- reserved spans that must be zero --------------------------------------------------------------

    [Fact]
    public void AdminqCreateTxQueue_ReservedAndPadding()
    {
        var r = AdminqCreateTxQueue.Read(With(GoldenAdminqBodyTests.CreateTxQueueHex, (4, "00000001"), (46, "7F")));
        Assert.Equal(1u, r.Reserved); // reserved is a be32: bytes 00 00 00 01 are the value 1
        ValidNames.Issues(r.Validate,
            Reserved("adminq_create_tx_queue", "reserved", 1),
            Reserved("adminq_create_tx_queue", "padding", 0x7F));
    }

    [Fact]
    public void AdminqCreateRxQueue_Paddings()
    {
        var r = AdminqCreateRxQueue.Read(With(GoldenAdminqBodyTests.CreateRxQueueHex, (51, "01"), (54, "0009"), (8, "00000000")));
        Valid.Issues(r.Validate,
            Reserved("adminq_create_rx_queue", "padding1", 1),
            Reserved("adminq_create_rx_queue", "padding2", 9));
    }

    [Fact]
    public void AdminqConfigureDeviceResources_Padding()
    {
        var r = AdminqConfigureDeviceResources.Read(With(GoldenAdminqBodyTests.ConfigureDeviceResourcesHex, (39, "40")));
        Valid.Issues(r.Validate, Reserved("adminq_configure_device_resources", "padding", 0x40));
    }

    [Fact]
    public void AdminqConfigureRss_Reserved()
    {
        var r = AdminqConfigureRss.Read(With(GoldenAdminqBodyTests.ConfigureRssHex, (3, "01")));
        Valid.Issues(r.Validate, Reserved("adminq_configure_rss", "reserved", 1));
    }

    [Fact]
    public void AdminqSetDriverParameter_Reserved()
    {
        var r = AdminqSetDriverParameter.Read(With(GoldenAdminqBodyTests.SetDriverParameterHex, (6, "22")));
        Valid.Issues(r.Validate, Reserved("adminq_set_driver_parameter", "reserved", 0x22));
    }

    [Fact]
    public void AdminqQueryFlowRules_Padding()
    {
        var r = AdminqQueryFlowRules.Read(With(GoldenAdminqBodyTests.QueryFlowRulesHex, (3, "0A")));
        Valid.Issues(r.Validate, Reserved("adminq_query_flow_rules", "padding", 0x0A));
    }

    [Fact]
    public void FlowSpec_AndNestedRules_Padding()
    {
        Valid.Issues(FlowSpec.Read(With(GoldenFlowTests.KeyHex, (38, "11"))).Validate, Reserved("flow_spec", "padding", 0x11));

        // The mask's padding sits at 44 + 37 = 81 of adminq_flow_rule.
        var rule = AdminqFlowRule.Read(With(GoldenFlowTests.FlowRuleHex, (83, "5A")));
        Valid.Issues(rule.Validate, Reserved("flow_spec", "padding", 0x5A));

        var cfg = AdminqConfigureFlowRule.Read(With(GoldenFlowTests.ConfigureFlowRuleHex, (2, "0100")));
        Valid.Issues(cfg.Validate, Reserved("adminq_configure_flow_rule", "padding", 1));
    }

    [Fact]
    public void TxPktDesc_ReservedFlagBits()
    {
        // type_flags 0x1F: flags_reserved1 (bit 1) and flags_reserved3 (bit 3) set.
        var r = TxPktDesc.Read(With(GoldenGqiTests.PktHex, (0, "1F")));
        Assert.Equal((byte)1, r.FlagsReserved1);
        Assert.Equal((byte)1, r.FlagsReserved3);
        ValidNames.Issues(r.Validate,
            Reserved("tx_pkt_desc", "flags_reserved1", 1),
            Reserved("tx_pkt_desc", "flags_reserved3", 1));
    }

    [Fact]
    public void TxSegDesc_ReservedBitsAndSpan()
    {
        // type_flags 0x2F: flags_reserved0 (bit 0), flags_reserved2 (bits 2..3 = 3); reserved (be16 at 2) = 1.
        var r = TxSegDesc.Read(With(GoldenGqiTests.SegHex, (0, "2F"), (2, "0001")));
        Assert.Equal((ushort)1, r.Reserved);
        ValidNames.Issues(r.Validate,
            Reserved("tx_seg_desc", "flags_reserved0", 1),
            Reserved("tx_seg_desc", "flags_reserved2", 3),
            Reserved("tx_seg_desc", "reserved", 1));
    }

    [Fact]
    public void TxMtdDesc_ReservedSpans()
    {
        var r = TxMtdDesc.Read(With(GoldenGqiTests.MtdHex, (2, "0102"), (8, "0000000000000003")));
        ValidNames.Issues(r.Validate,
            Reserved("tx_mtd_desc", "reserved0", 0x0102),
            Reserved("tx_mtd_desc", "reserved1", 3));
    }

    [Fact]
    public void TxPktDescDqo_Reserved()
    {
        // reserved0 at 9 = 5; reserved1 (le16 at 10) = 1; reserved2 = bits 14..15 of the le16 at 14 = 3.
        var r = TxPktDescDqo.Read(With(GoldenDqoTests.PktHex, (9, "05"), (10, "0100"), (15, "EA")));
        Assert.Equal((ushort)3, r.Reserved2);
        Assert.Equal((ushort)0x2ABC, r.BufSize);
        ValidNames.Issues(r.Validate,
            Reserved("tx_pkt_desc_dqo", "reserved0", 5),
            Reserved("tx_pkt_desc_dqo", "reserved1", 1),
            Reserved("tx_pkt_desc_dqo", "reserved2", 3));
    }

    [Fact]
    public void TxContextCmdDtype_Reserved()
    {
        // dtype_flags 0x65: reserved1 (bits 6..7) = 1; reserved2 at 1 = 0x80.
        var r = TxContextCmdDtype.Read(Hex.Parse("6580"));
        ValidNames.Issues(r.Validate,
            Reserved("tx_context_cmd_dtype", "reserved1", 1),
            Reserved("tx_context_cmd_dtype", "reserved2", 0x80));
    }

    [Fact]
    public void TxTsoContextDescDqo_Reserved()
    {
        // mss_word 0x45A0: reserved (bits 14..15) = 1; cmd_dtype reserved2 at 9 = 2.
        var r = TxTsoContextDescDqo.Read(With(GoldenDqoTests.TsoHex, (4, "A045"), (9, "02")));
        ValidNames.Issues(r.Validate,
            Reserved("tx_tso_context_desc_dqo", "reserved", 1),
            Reserved("tx_context_cmd_dtype", "reserved2", 2));
    }

    [Fact]
    public void TxGeneralContextDescDqo_Reserved()
    {
        var r = TxGeneralContextDescDqo.Read(With(GoldenDqoTests.GeneralHex, (10, "3412")));
        Valid.Issues(r.Validate, Reserved("tx_general_context_desc_dqo", "reserved", 0x1234));
    }

    [Fact]
    public void TxMetadataDqo_Reserved()
    {
        var r = TxMetadataDqo.Read(Hex.Parse("00" + "0000" + "0000000000000000" + "99"));
        Valid.Issues(r.Validate, Reserved("tx_metadata_dqo", "reserved", 0x99));
    }

    [Fact]
    public void RxDescDqo_Reserved()
    {
        var r = RxDescDqo.Read(Hex.Parse("CD0B" + "0200" + "00000001" + Hex.Zeros(16) + "0000000000000080"));
        Valid.Issues(r.Validate,
            Reserved("rx_desc_dqo", "reserved0", 2),
            Reserved("rx_desc_dqo", "reserved1", 0x01000000),
            Reserved("rx_desc_dqo", "reserved2", 0x8000000000000000));
    }

    [Fact]
    public void ItrDoorbellDqo_Reserved()
    {
        // 0x80000007: reserved1 (bits 17..31) = 0x4000, reserved0 (bit 2) = 1, enable and clear_pba.
        var r = ItrDoorbellDqo.Read(Hex.Parse("07000080"));
        Assert.Equal(0x4000u, r.Reserved1);
        ValidNames.Issues(r.Validate,
            Reserved("itr_doorbell_dqo", "reserved0", 1),
            Reserved("itr_doorbell_dqo", "reserved1", 0x4000));
    }

    [Fact]
    public void ReservedIgnore_IsAccepted()
    {
        // rx_compl_desc_dqo: every reserved bit and byte is reserved: ignore.
        Valid.Clean(RxComplDescDqo.Read(Hex.Parse("F1F8" + "00E0" + "0000" + "00F0" + "00" + "00" + "FF" + "00" + Hex.Zeros(8) + "FFFFFFFF" + "FFFFFFFF" + "00000000")).Validate);
        // tx_compl_desc reserved0 (bit 14) and reserved1.
        Valid.Clean(TxComplDesc.Read(Hex.Parse("0050" + "0000" + "FFFFFFFF")).Validate);
        // rx_desc padding, reserved and unused flag bits.
        Valid.Clean(RxDesc.Read(Hex.Parse(Hex.Seq(1, 48) + "00000000" + "0000" + "FFFF" + "0000" + "0000" + "0000" + "C038")).Validate);
        // device_descriptor reserved1/reserved2, queue_resources reserved, nic_ts_report reserved1..4.
        Valid.Clean(DeviceDescriptor.Read(Hex.Parse(GoldenPayloadTests.DeviceDescriptorHex)).Validate);
        Valid.Clean(QueueResources.Read(Hex.Parse("00000001" + "00000002" + Hex.Seq(0xC8, 56))).Validate);
        Valid.Clean(NicTsReport.Read(Hex.Parse("0000000000000001" + Hex.Seq(0x10, 32))).Validate);
    }

    // ---- enum values the schema does not define --------------------------------------------------------

    [Fact]
    public void UnknownEnumValues_AreReported()
    {
        Valid.Issues(AdminqConfigureDeviceResources.Read(With(GoldenAdminqBodyTests.ConfigureDeviceResourcesHex, (32, "05"))).Validate,
            UnknownEnum("adminq_configure_device_resources", "queue_format", 5));
        Valid.Issues(Stats.Read(Hex.Parse("00000009" + "00000000" + "0000000000000000")).Validate,
            UnknownEnum("stats", "stat_name", 9));
        Valid.Issues(PtypeEntry.Read(Hex.Parse("0406")).Validate,
            UnknownEnum("ptype_entry", "l3_type", 4), UnknownEnum("ptype_entry", "l4_type", 6));
        Valid.Issues(DeviceOption.Read(Hex.Parse("0005" + "0000" + "00000000")).Validate,
            UnknownEnum("device_option", "option_id", 5));
        Valid.Issues(AdminqConfigureRss.Read(With(GoldenAdminqBodyTests.ConfigureRssHex, (2, "02"))).Validate,
            UnknownEnum("adminq_configure_rss", "hash_alg", 2));
        Valid.Issues(AdminqSetDriverParameter.Read(With(GoldenAdminqBodyTests.SetDriverParameterHex, (0, "00000002"))).Validate,
            UnknownEnum("adminq_set_driver_parameter", "parameter_type", 2));
        Valid.Issues(AdminqExtendedCommand.Read(With(GoldenAdminqBodyTests.ExtendedCommandHex, (0, "00000102"))).Validate,
            UnknownEnum("adminq_extended_command", "inner_opcode", 0x102));
        Valid.Issues(AdminqQueryFlowRules.Read(With(GoldenAdminqBodyTests.QueryFlowRulesHex, (0, "0003"))).Validate,
            UnknownEnum("adminq_query_flow_rules", "opcode", 3));
        Valid.Issues(AdminqFlowRule.Read(With(GoldenFlowTests.FlowRuleHex, (0, "000A"))).Validate,
            UnknownEnum("adminq_flow_rule", "flow_type", 10));
        Valid.Issues(AdminqConfigureFlowRule.Read(With(GoldenFlowTests.ConfigureFlowRuleHex, (0, "0003"))).Validate,
            UnknownEnum("adminq_configure_flow_rule", "opcode", 3));
    }

    [Fact]
    public void UnknownEnumBitfields_AreReported()
    {
        // tx_mtd_desc: subtype 1 (low nibble of byte 0), state 4 and hash_type 2 (nibbles of byte 1).
        Valid.Issues(TxMtdDesc.Read(With(GoldenGqiTests.MtdHex, (0, "31"), (1, "24"))).Validate,
            UnknownEnum("tx_mtd_desc", "subtype", 1),
            UnknownEnum("tx_mtd_desc", "state", 4),
            UnknownEnum("tx_mtd_desc", "hash_type", 2));
        // tx_pkt_desc type 0xF (high nibble).
        Valid.Issues(TxPktDesc.Read(With(GoldenGqiTests.PktHex, (0, "F5"))).Validate,
            UnknownEnum("tx_pkt_desc", "type", 0xF));
        // tx_pkt_desc_dqo dtype 0x1F.
        Valid.Issues(TxPktDescDqo.Read(With(GoldenDqoTests.PktHex, (8, "7F"))).Validate,
            UnknownEnum("tx_pkt_desc_dqo", "dtype", 0x1F));
    }

    [Fact]
    public void UnknownFlags_AreReported()
    {
        // hash_types 0x0343: bit 9 is not an rss_hash_types flag.
        var r = AdminqConfigureRss.Read(With(GoldenAdminqBodyTests.ConfigureRssHex, (0, "0343")));
        var issues = new System.Collections.Generic.List<WireIssue>();
        Assert.False(r.Validate(issues));
        var issue = Assert.Single(issues);
        Assert.Equal("adminq_configure_rss", issue.Type);
        Assert.Equal("hash_types", issue.Field);
        Assert.Equal(WireIssueKind.UnknownFlags, issue.Kind);
        Assert.Equal(0x0200UL, issue.Value & 0x0200UL);

        Valid.Issues(QueryRssDescriptor.Read(Hex.Parse("00000000" + "8000" + "01" + "00")).Validate,
            new WireIssue("query_rss_descriptor", "hash_types", WireIssueKind.UnknownFlags, 0x8000));
    }

    // ---- union selectors ---------------------------------------------------------------------------------

    [Fact]
    public void TxDescDqo_UnknownDtype_IsAnUnknownVariant()
    {
        var image = With(GoldenDqoTests.PktHex, (8, "1F"));
        var d = TxDescDqo.Read(image);
        Assert.False(d.IsPkt);
        Assert.False(d.IsTsoCtx);
        Assert.False(d.IsGeneralCtx);
        Valid.Issues(d.Validate, new WireIssue("tx_desc_dqo", "desc", WireIssueKind.UnknownVariant, 0x1F));

        Valid.Issues(TxDescDqo.Read(With(GoldenDqoTests.PktHex, (8, "00"))).Validate,
            new WireIssue("tx_desc_dqo", "desc", WireIssueKind.UnknownVariant, 0));
    }

    [Fact]
    public void TxDescDqo_ValidatesTheSelectedMember()
    {
        // A packet descriptor with reserved0 set is reported under tx_pkt_desc_dqo.
        ValidNames.Issues(TxDescDqo.Read(With(GoldenDqoTests.PktHex, (9, "01"))).Validate,
            Reserved("tx_pkt_desc_dqo", "reserved0", 1));
        // A TSO context with its reserved MSS bits set.
        ValidNames.Issues(TxDescDqo.Read(With(GoldenDqoTests.TsoHex, (5, "C5"))).Validate,
            Reserved("tx_tso_context_desc_dqo", "reserved", 3));
    }

    [Fact]
    public void TxDesc_UnknownType_IsAnUnknownVariant()
    {
        var d = TxDesc.Read(With(GoldenGqiTests.PktHex, (0, "45")));
        Assert.False(d.IsPkt || d.IsSeg || d.IsMtd);
        Valid.Issues(d.Validate, new WireIssue("tx_desc", "desc", WireIssueKind.UnknownVariant, 4));

        ValidNames.Issues(TxDesc.Read(With(GoldenGqiTests.SegHex, (2, "0100"))).Validate,
            Reserved("tx_seg_desc", "reserved", 0x0100));
    }

    [Fact]
    public void TxComplDesc_UnknownType()
    {
        // type 0 (bits 11..13 clear) and type 7.
        foreach (var (hex, type) in new[] { ("0000", 0UL), ("0038", 7UL), ("0028", 5UL) })
        {
            var c = TxComplDesc.Read(Hex.Parse(hex + "0000" + "00000000"));
            Assert.False(c.IsTxHead);
            Assert.False(c.IsCompletionTag);
            Valid.Issues(c.Validate,
                UnknownEnum("tx_compl_desc", "type", type),
                new WireIssue("tx_compl_desc", "head_or_tag", WireIssueKind.UnknownVariant, type));
        }
    }

    [Fact]
    public void AdminqCommand_UnknownOpcodeAndStatus()
    {
        var c = AdminqCommand.Read(Hex.Parse("00000013" + "00000002" + Hex.Zeros(56)));
        Valid.Issues(c.Validate,
            UnknownEnum("adminq_command", "opcode", 0x13),
            UnknownEnum("adminq_command", "status", 2),
            new WireIssue("adminq_command", "body", WireIssueKind.UnknownVariant, 0x13));
    }

    [Fact]
    public void AdminqCommand_ValidatesTheSelectedBody()
    {
        // CREATE_TX_QUEUE with its reserved word (body offset 4 = slot offset 12) set.
        string hex = "00000005" + "00000000" + GoldenAdminqBodyTests.CreateTxQueueHex + Hex.Zeros(8);
        ValidNames.Issues(AdminqCommand.Read(With(hex, (12, "00000010"))).Validate,
            Reserved("adminq_create_tx_queue", "reserved", 0x10));
        // The same bytes under DESTROY_TX_QUEUE are not the create command's reserved word.
        var asDestroy = AdminqCommand.Read(With(hex, (0, "00000007"), (12, "00000010")));
        Assert.True(asDestroy.IsDestroyTxQueue);
        Assert.Equal(3u, asDestroy.DestroyTxQueue.QueueId);
    }

    [Fact]
    public void AdminqCommand_BodyBytesBeyondTheMember_MustBeZero()
    {
        // docs/schema.md: "bytes of the union that the chosen member does not cover are padding that must be
        // zero"; the schema's body doc: "bytes a body does not use must be zero". DESTROY_TX_QUEUE uses body
        // bytes 0..3 (slot 8..11); slot byte 40 is padding.
        var destroy = AdminqCommand.Read(Hex.Parse("00000007" + "00000000" + "00000003" + Hex.Zeros(28) + "01" + Hex.Zeros(23)));
        var issues = new System.Collections.Generic.List<WireIssue>();
        Assert.False(destroy.Validate(issues), "a DESTROY_TX_QUEUE command with a non-zero byte after its 4-byte body validated clean");
        var issue = Assert.Single(issues);
        Assert.Equal("adminq_command", issue.Type);
        Assert.Equal("body", issue.Field);
        Assert.Equal(WireIssueKind.ReservedNotZero, issue.Kind);
        Assert.Equal(1UL, issue.Value);

        // DECONFIGURE_DEVICE_RESOURCES has no body: all 56 bytes must be zero.
        var deconfigure = AdminqCommand.Read(Hex.Parse("00000009" + "00000000" + "AB" + Hex.Zeros(55)));
        Assert.False(deconfigure.Validate(null), "a DECONFIGURE_DEVICE_RESOURCES command with a non-zero body validated clean");
    }

    // ---- the reported value is the field's decoded value -------------------------------------------------

    [Fact]
    public void ReservedValue_OfABigEndianSpan_IsItsDecodedValue()
    {
        // A WireIssue's value is "the offending value": for a big-endian reserved span it must be the value
        // the field holds (what its property returns), not the raw storage loaded in host order.
        var seg = TxSegDesc.Read(With(GoldenGqiTests.SegHex, (2, "0001")));   // reserved (be16 at 2) = 0x0001
        var mtd = TxMtdDesc.Read(With(GoldenGqiTests.MtdHex, (2, "0102"), (8, "0000000000000003")));
        var create = AdminqCreateTxQueue.Read(With(GoldenAdminqBodyTests.CreateTxQueueHex, (4, "00000001")));
        Assert.Equal((ushort)1, seg.Reserved);
        Assert.Equal((ushort)0x0102, mtd.Reserved0);
        Assert.Equal(3UL, mtd.Reserved1);
        Assert.Equal(1u, create.Reserved);
        Valid.Issues(seg.Validate, Reserved("tx_seg_desc", "reserved", 1));
        Valid.Issues(mtd.Validate, Reserved("tx_mtd_desc", "reserved0", 0x0102), Reserved("tx_mtd_desc", "reserved1", 3));
        Valid.Issues(create.Validate, Reserved("adminq_create_tx_queue", "reserved", 1));
    }

    [Fact]
    public void ReservedValue_OfABitRange_IsTheBitfieldValue()
    {
        // For an enum bit range Validate reports the bitfield's value (tx_pkt_desc_dqo dtype 0x1F, not 0x1F in
        // place); a reserved bit range must be reported the same way: the value its property returns.
        var pkt = TxPktDescDqo.Read(With(GoldenDqoTests.PktHex, (15, "EA")));  // buf_size_word 0xEABC: reserved2 = 3
        var itr = ItrDoorbellDqo.Read(Hex.Parse("04000080"));                  // reserved0 = 1, reserved1 = 0x4000
        var gqi = TxPktDesc.Read(With(GoldenGqiTests.PktHex, (0, "1F")));      // flags_reserved1 = 1, flags_reserved3 = 1
        Assert.Equal((ushort)3, pkt.Reserved2);
        Assert.Equal(1u, itr.Reserved0);
        Assert.Equal(0x4000u, itr.Reserved1);
        Valid.Issues(pkt.Validate, Reserved("tx_pkt_desc_dqo", "reserved2", 3));
        Valid.Issues(itr.Validate, Reserved("itr_doorbell_dqo", "reserved0", 1), Reserved("itr_doorbell_dqo", "reserved1", 0x4000));
        Valid.Issues(gqi.Validate, Reserved("tx_pkt_desc", "flags_reserved1", 1), Reserved("tx_pkt_desc", "flags_reserved3", 1));
    }
}
