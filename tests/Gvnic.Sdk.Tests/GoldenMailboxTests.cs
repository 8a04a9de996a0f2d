using System;
using System.Collections.Generic;
using System.Text;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Golden images of the mailbox of the 0x0043 gVNIC, laid out as compute-virtual-ethernet-linux google/gve/gve_mailbox.h
/// and gve_flow_rule.h declare them (natural C alignment, every field little-endian except the flow spec, which stays in
/// network order), with the values Linux gve_mailbox.c writes: a request descriptor, NEGOTIATE_CAPABILITIES both ways,
/// batched queue configuration with the doorbell offsets the device returns, RSS, flow rules. The trailing-array counts
/// Linux computes for a 4096-byte buffer (1023 rule ids, 46 rules, 511 interrupt doorbells) are the generated MaxCounts.
/// </summary>
public class GoldenMailboxTests
{
    // A request descriptor as gve_send_mbx_msg fills it for NEGOTIATE_CAPABILITIES.
    private const string RequestDescHex =
        "0014" +       // flags: buf (bit 12) | rd (bit 10) = 0x1400
        "0108" +       // destination 0x0801: the control plane
        "6002" +       // buf_len 608: sizeof(struct gve_mbx_caps_req)
        "0000" +       // pfid_vfid 0: the physical function
        "01600000" +   // cmd_opcode 0x6001 NEGOTIATE_CAPABILITIES
        "0000" +       // cmd_retval
        "0000" +       // reserved1
        "00000000" +   // function_id
        "0000" +       // reserved2
        "4180" +       // cmd_cookie 0x8041: bit 15, counter 1 << 6, index 1
        "01000000" +   // addr_high
        "00604523";    // addr_low 0x23456000

    [Fact]
    public void MbxDesc_Request_Golden()
    {
        var d = new MbxDesc
        {
            Buf = true,
            Rd = true,
            Destination = GvnicConstants.MbxDestinationCp,
            BufLen = MbxCapsReq.Size,
            PfidVfid = 0,
            CmdOpcode = MbxOpcode.NegotiateCapabilities,
            CmdCookie = 0x8000 | (1 << GvnicConstants.MbxCookieIndexBits) | 1,
            AddrHigh = 0x00000001,
            AddrLow = 0x23456000,
        };
        Assert.Equal(32, MbxDesc.Size);
        Hex.Equal(RequestDescHex, Codec.Encode(MbxDesc.Size, d.Write));
        Assert.Equal((ushort)0x1400, d.Flags);
        Valid.Clean(d.Validate);
    }

    [Fact]
    public void MbxDesc_Response_Decodes()
    {
        var img = Hex.Parse(
            "0114" + "0000" + "4800" + "0000" + // flags dd | rd | buf, destination, buf_len 72, retval
            "01600000" + "0100" + "0000" +      // cmd_opcode NEGOTIATE_CAPABILITIES, cmd_retval passed, reserved1
            "00000000" + "0000" + "4180" +      // function_id, reserved2, cmd_cookie 0x8041
            "01000000" + "00704523");           // addr_high, addr_low
        ref readonly var d = ref MbxDesc.AsReadOnly(img);
        Assert.True(d.Dd);
        Assert.False(d.Err);
        Assert.True(d.Buf && d.Rd);
        Assert.Equal((ushort)72, d.BufLen);
        Assert.Equal(MbxOpcode.NegotiateCapabilities, d.CmdOpcode);
        Assert.Equal(MbxStatus.Passed, d.CmdRetval);
        Assert.Equal(1, d.CmdCookie & GvnicConstants.MbxCookieIndexMask);
        Assert.Equal(0x23457000u, d.AddrLow);
        Valid.Clean(d.Validate);

        // A status the header does not define, an opcode it does not define, and the err bit the device may set.
        img[12] = 0xEE; img[13] = 0xFF;
        img[8] = 0x0A;
        img[0] |= 0x04;
        Valid.Issues(MbxDesc.AsReadOnly(img).Validate,
            new WireIssue("mbx_desc", "cmd_opcode", WireIssueKind.UnknownEnumValue, 0x600A),
            new WireIssue("mbx_desc", "cmd_retval", WireIssueKind.UnknownEnumValue, 0xFFEE));
        Assert.True(MbxDesc.AsReadOnly(img).Err);
    }

    [Fact]
    public void MbxStatusAndOpcodes_AreTheHeaders()
    {
        Assert.Equal((ushort)0xFFFF, (ushort)MbxStatus.UnknownError);
        Assert.Equal((ushort)0xFFF0, (ushort)MbxStatus.AbortedError);
        Assert.Equal((ushort)0xFFEF, (ushort)MbxStatus.UnsupportedError);
        Assert.Equal((ushort)0xFFFD, (ushort)MbxStatus.UnavailableError);
        Assert.Equal(0x6001u, (uint)MbxOpcode.NegotiateCapabilities);
        Assert.Equal(0x6009u, (uint)MbxOpcode.ConfigRxQueues);
        Assert.Equal(0x600Cu, (uint)MbxOpcode.EnableTxQueues);
        Assert.Equal(0x6017u, (uint)MbxOpcode.ResetFlowRules);
        Assert.Equal(21, Enum.GetValues<MbxOpcode>().Length); // 0x6001..0x6017 without 0x600a and 0x600b
        Assert.Equal(0x40UL, (ulong)MbxCaps.HwGro);
        Assert.True(GvnicConstants.MbxMsgQueueLen <= (1 << GvnicConstants.MbxCookieIndexBits));
    }

    [Fact]
    public void MbxCapsReq_Golden()
    {
        string expected =
            "01000000" +              // msg_version caps_msg_v1
            "60020000" +              // msg_size 608
            "3900000000000000" +      // supported_caps: dqo_rda | flow_steering | nic_tstamp_reg | nic_tstamp_cmd (Linux)
            "01" + "010203" +         // os_type linux, driver 1.2.3
            "06000000" + "0C000000" + "00000000" + // os_version major, minor, sub
            Hex.Ascii("6.12.0", 512) + Hex.Ascii("#1 SMP", 64);
        var req = new MbxCapsReq
        {
            MsgVersion = MbxNegotiateCapsMsgVersion.CapsMsgV1,
            MsgSize = MbxCapsReq.Size,
            SupportedCaps = MbxCaps.DqoRda | MbxCaps.FlowSteering | MbxCaps.NicTstampReg | MbxCaps.NicTstampCmd,
            OsType = GvnicConstants.OsTypeLinux,
            DriverMajor = 1,
            DriverMinor = 2,
            DriverSub = 3,
            OsVersionMajor = 6,
            OsVersionMinor = 12,
        };
        Encoding.ASCII.GetBytes("6.12.0").CopyTo(req.OsVersionStr);
        Encoding.ASCII.GetBytes("#1 SMP").CopyTo(req.DriverVersionStr);
        Assert.Equal(608, MbxCapsReq.Size);
        Assert.Equal(32, MbxCapsReq.Offsets.OsVersionStr);
        Assert.Equal(544, MbxCapsReq.Offsets.DriverVersionStr);
        Hex.Equal(expected, Codec.Encode(MbxCapsReq.Size, req.Write));
        Assert.True(MbxCapsReq.Size <= MbxCapsReq.MaxSize);
    }

    [Fact]
    public void MbxCapsResp_Decodes()
    {
        var img = Hex.Parse(
            "01000000" + "48000000" +     // msg_version 1, msg_size 72
            "0900000000000000" +          // negotiated_caps dqo_rda | flow_steering
            "00" + "000000" +             // db_bar 0, pad
            "00100000" +                  // mbx_irq_db_offset 0x1000
            "1027" + "8813" + "1100" +    // response timeout 10000 ms, TX watchdog 5000 ms, 17 MSI-X vectors
            "0800" + "0800" + "1000" + "1000" + // default TX/RX queues 8, max 16
            "C022" +                      // max_mtu 8896
            "42010A000002" +              // mac
            "0002" + "0004" + "0010" + "0010" + "0001" + "0002" + // ring sizes: default 512/1024, max 4096, min 256/512
            "0010" + "8000" +             // max packet buffer 4096, header buffer 128
            "2800" + "8000" +             // hash key 40 bytes, 128 table entries
            Hex.Zeros(6));                // tail padding of the C struct (72 = 66 rounded up to 8)
        Assert.Equal(72, img.Length);
        ref readonly var r = ref MbxCapsResp.AsReadOnly(img);
        Assert.Equal(MbxCaps.DqoRda | MbxCaps.FlowSteering, r.NegotiatedCaps);
        Assert.Equal(0x1000u, r.MbxIrqDbOffset);
        Assert.Equal((ushort)10000, r.MbxResponseTimeoutMs);
        Assert.Equal((ushort)17, r.NumMsixVectors);
        Assert.Equal((ushort)16, r.MaxRxQueues);
        Assert.Equal((ushort)8896, r.MaxMtu);
        var copy = MbxCapsResp.Read(img);
        Assert.Equal(Hex.Parse("42010A000002"), copy.Mac.ToArray());
        Assert.Equal(40, MbxCapsResp.Offsets.Mac);
        Assert.Equal((ushort)1024, r.DefaultRxRingSize);
        Assert.Equal((ushort)256, r.MinTxRingSize);
        Assert.Equal((ushort)128, r.MaxHeaderBufferSize);
        Assert.Equal(64, MbxCapsResp.Offsets.HashLutSize);
        Assert.Equal((ushort)128, r.HashLutSize);
        Valid.Clean(r.Validate);
    }

    [Fact]
    public void FixedResponses_Decode()
    {
        var link = MbxReportLinkStatusResp.Read(Hex.Parse("10270000000000000100000000000000"));
        Assert.Equal(16, MbxReportLinkStatusResp.Size);
        Assert.Equal(10000UL, link.LinkSpeed);
        Assert.Equal((byte)1, link.LinkUp);

        var ev = MbxEvent.Read(Hex.Parse("01000000"));
        Assert.Equal(MbxEventId.LinkStatusChange, ev.EventId);
        Valid.Issues(MbxEvent.Read(Hex.Parse("02000000")).Validate, new WireIssue("mbx_event", "event_id", WireIssueKind.UnknownEnumValue, 2));

        var ts = MbxGetInfoNicTstampRegResp.Read(Hex.Parse(
            "0010000000000000" + "0410000000000000" + "0810000000000000" + "0C10000000000000" + "1010000000000000" + "00" + "02" + Hex.Zeros(6)));
        Assert.Equal(48, MbxGetInfoNicTstampRegResp.Size);
        Assert.Equal(0x1004UL, ts.DevClkNsHOffset);
        Assert.Equal(0x1010UL, ts.CmdSyncTriggerOffset);
        Assert.Equal((byte)2, ts.ClkType);

        var dbs = new MbxGetInterruptDbsReq { StartMsixIndex = 1, NumVecs = 16 };
        Hex.Equal("01001000", Codec.Encode(MbxGetInterruptDbsReq.Size, dbs.Write));
        Assert.Equal(8, MbxInterruptDbInfo.Size);
    }

    /// <summary>Linux's own arithmetic for one 4096-byte buffer: (GVE_MBX_BUF_SIZE - sizeof(resp)) / sizeof(element).</summary>
    [Fact]
    public void MaxCounts_AreWhatA4KiBBufferHolds()
    {
        Assert.Equal(4096, MbxQueryFlowRuleIdsResp.MaxSize);
        Assert.Equal(1023, MbxQueryFlowRuleIdsResp.RuleIdsMaxCount);
        Assert.Equal(46, MbxQueryFlowRulesResp.RulesMaxCount);
        Assert.Equal(511, MbxGetInterruptDbsResp.InfoMaxCount);
        Assert.Equal(102, MbxConfigTxQReq.TxQueuesMaxCount);
        Assert.Equal(102, MbxConfigRxQsReq.RxQueuesMaxCount);
        Assert.Equal(511, MbxConfigTxQsResp.QueuesMaxCount);
        Assert.Equal(958, MbxConfigureRssReq.HashLutMaxCount);
        Assert.Equal(2047, MbxEnableQsReq.QueueIdMaxCount);
        Assert.Equal(8 + 102 * 40, MbxConfigTxQReq.MessageSize(102));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MbxConfigTxQReq.MessageSize(103));
        Assert.Contains("mbx_config_tx_q_req.tx_queues holds 0 to 102 elements", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MbxConfigTxQReq.MessageSize(-1));
    }

    private const string TxQueuesHex =
        "0200" + "000000000000" +                       // num_queues 2, pad[6]
        "00000000" + "0100" + "0000" + "FFFFFFFF" + "00000000" + // queue 0: id, msix_index 1, pad1, raw addressing, pad2
        "0000341201000000" + "0000351201000000" +       // tx_ring_addr, tx_comp_ring_addr
        "0002" + "0002" + "00000000" +                  // ring sizes 512, pad3
        "01000000" + "0200" + "0000" + "FFFFFFFF" + "00000000" + // queue 1
        "0000361201000000" + "0000371201000000" +
        "0002" + "0002" + "00000000";

    [Fact]
    public void MbxConfigTxQReq_BuildsTheBatch()
    {
        var msg = new byte[MbxConfigTxQReq.MessageSize(2)];
        Assert.Equal(88, msg.Length);
        MbxConfigTxQReq.AsRef(msg).NumQueues = 2;
        var queues = MbxConfigTxQReq.TxQueues(msg);
        Assert.Equal(2, queues.Length);
        for (int i = 0; i < 2; i++)
        {
            ref var q = ref queues[i];
            q.QueueId = (uint)i;
            q.MsixIndex = (ushort)(i + 1);
            q.QueuePageListId = GvnicConstants.RawAddressingQplId;
            q.TxRingAddr = 0x112340000UL + (ulong)(2 * i) * 0x10000;
            q.TxCompRingAddr = 0x112350000UL + (ulong)(2 * i) * 0x10000;
            q.TxRingSize = 512;
            q.TxCompRingSize = 512;
        }
        Hex.Equal(TxQueuesHex, msg);
        Assert.Equal(8, MbxConfigTxQReq.Offsets.TxQueues);
        Assert.Equal(1u, MbxConfigTxQReq.GetTxQueues(msg, 1).QueueId);
        Assert.True(MbxConfigTxQReq.ValidateMessage(msg));

        // A padding byte of an element is reported with the element's type.
        var bad = (byte[])msg.Clone();
        bad[8 + 40 + 6] = 1;
        var issues = new List<WireIssue>();
        Assert.False(MbxConfigTxQReq.ValidateMessage(bad, issues));
        Assert.Equal(new[] { new WireIssue("mbx_tx_q_info", "pad1", WireIssueKind.ReservedNotZero, 1) }, issues);
    }

    [Fact]
    public void MbxConfigTxQsResp_ReturnsTheDoorbells()
    {
        var msg = Hex.Parse("0200" + Hex.Zeros(6) + "00000000" + "00400000" + "01000000" + "04400000");
        Assert.Equal(2, MbxConfigTxQsResp.QueuesCount(msg));
        Assert.Equal(0x4000u, MbxConfigTxQsResp.QueuesReadOnly(msg)[0].TailDbOffset);
        Assert.Equal(0x4004u, MbxConfigTxQsResp.GetQueues(msg, 1).TailDbOffset);
        Assert.True(MbxConfigTxQsResp.HasQueues(msg, 1));
        Assert.False(MbxConfigTxQsResp.HasQueues(msg, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => MbxConfigTxQsResp.GetQueues(msg, 2));
        Valid.Clean(issues => MbxConfigTxQsResp.ValidateMessage(msg, issues));

        // The device states 3 queues in a message that holds 2: every accessor refuses, naming the counter.
        msg[0] = 3;
        var e = Assert.Throws<ArgumentException>(() => MbxConfigTxQsResp.QueuesCount(msg));
        Assert.Contains("mbx_config_tx_qs_resp.num_queues says 3 elements of queues, but the message has room for 2", e.Message);
        Assert.Throws<ArgumentException>(() => MbxConfigTxQsResp.GetQueues(msg, 0));
        Assert.False(MbxConfigTxQsResp.HasQueues(msg, 2));
        Valid.Issues(issues => MbxConfigTxQsResp.ValidateMessage(msg, issues),
            new WireIssue("mbx_config_tx_qs_resp", "num_queues", WireIssueKind.CountBeyondMessage, 3));

        Valid.Issues(issues => MbxConfigTxQsResp.ValidateMessage(msg.AsSpan(0, 4), issues),
            new WireIssue("mbx_config_tx_qs_resp", "queues", WireIssueKind.MessageTooShort, 4));
        var big = new byte[4097];
        Valid.Issues(issues => MbxConfigTxQsResp.ValidateMessage(big, issues),
            new WireIssue("mbx_config_tx_qs_resp", "queues", WireIssueKind.MessageTooLarge, 4097));
    }

    [Fact]
    public void MbxConfigRxQsReq_Golden()
    {
        string expected =
            "0100" + Hex.Zeros(6) +
            "03000000" + "0400" + "0000" + "FFFFFFFF" + "01000000" + // queue 3, vector 4, RDA, flags enable_rsc
            "0000001001000000" + "0000001101000000" +               // completion ring, buffer ring
            "0004" + "0004" + "0008" + "8000";                      // ring sizes 1024, packet buffer 2048, header buffer 128
        var msg = new byte[MbxConfigRxQsReq.MessageSize(1)];
        MbxConfigRxQsReq.AsRef(msg).NumQueues = 1;
        MbxConfigRxQsReq.SetRxQueues(msg, 0, new MbxRxQInfo
        {
            QueueId = 3,
            MsixIndex = 4,
            QueuePageListId = GvnicConstants.RawAddressingQplId,
            Flags = MbxRxQueueFlags.EnableRsc,
            RxDescRingAddr = 0x110000000UL,
            RxDataRingAddr = 0x111000000UL,
            RxDescRingSize = 1024,
            RxDataRingSize = 1024,
            PacketBufferSize = 2048,
            HeaderBufferSize = 128,
        });
        Hex.Equal(expected, msg);
        Valid.Clean(issues => MbxConfigRxQsReq.ValidateMessage(msg, issues));
    }

    [Fact]
    public void MbxEnableAndDisableQsReq_AreU16Lists()
    {
        var msg = new byte[MbxDisableQsReq.MessageSize(3)];
        Assert.Equal(8, msg.Length);
        MbxDisableQsReq.AsRef(msg).NumQueues = 3;
        for (int i = 0; i < 3; i++) MbxDisableQsReq.SetQueueId(msg, i, (ushort)(0x0100 + i));
        Hex.Equal("0300" + "0001" + "0101" + "0201", msg);
        Assert.Equal((ushort)0x0102, MbxDisableQsReq.GetQueueId(msg, 2));
        Assert.Equal((ushort)0x0101, MbxEnableQsReq.GetQueueId(msg, 1)); // the same layout
        Assert.Throws<ArgumentOutOfRangeException>(() => MbxDisableQsReq.SetQueueId(msg, 3, 1));
    }

    [Fact]
    public void MbxConfigureRssReq_Golden()
    {
        string expected =
            "0000" + "01" + "00" + "2800" + "0400" + // hash_types 0 (as Linux), toeplitz, reserved, key 40 bytes, 4 entries
            Hex.Seq(1, 40) + Hex.Zeros(216) +        // hash_key[256]
            "00000000" + "01000000" + "02000000" + "03000000"; // hash_lut: little-endian queue ids
        var msg = new byte[MbxConfigureRssReq.MessageSize(4)];
        Assert.Equal(280, msg.Length);
        ref var head = ref MbxConfigureRssReq.AsRef(msg);
        head.HashAlg = MbxHashAlg.Toeplitz;
        head.HashKeySize = 40;
        head.HashLutSize = 4;
        for (int i = 0; i < 40; i++) head.HashKey[i] = (byte)(i + 1);
        for (int i = 0; i < 4; i++) MbxConfigureRssReq.SetHashLut(msg, i, (uint)i);
        Hex.Equal(expected, msg);
        Assert.Equal(264, MbxConfigureRssReq.Offsets.HashLut);
        Assert.Equal(3u, MbxQueryRssResp.GetHashLut(msg, 3)); // the query response has the same layout
        Valid.Clean(issues => MbxQueryRssResp.ValidateMessage(msg, issues));
    }

    [Fact]
    public void MbxAddFlowRuleReq_LittleEndianAroundANetworkOrderSpec()
    {
        string expected =
            "07000000" +                 // rule_id 7
            "0600" + "0300" +            // flow_type udpv6 (6), action: RX queue 3 (both little-endian)
            GoldenFlowTests.KeyHex + GoldenFlowTests.MaskHex; // key and mask in network order
        var req = new MbxAddFlowRuleReq { RuleId = 7 };
        req.Rule.FlowType = FlowType.Udpv6;
        req.Rule.Action = 3;
        GoldenFlowTests.FillKey(ref req.Rule.Key);
        GoldenFlowTests.FillMask(ref req.Rule.Mask);
        Assert.Equal(88, MbxAddFlowRuleReq.Size);
        Hex.Equal(expected, Codec.Encode(MbxAddFlowRuleReq.Size, req.Write));
        Valid.Clean(req.Validate);
    }

    [Fact]
    public void MbxQueryFlowRulesResp_Decodes()
    {
        var msg = Hex.Parse("01000000" + "05000000" + "0100" + "0200" + GoldenFlowTests.KeyHex + GoldenFlowTests.MaskHex);
        Assert.Equal(1, MbxQueryFlowRulesResp.RulesCount(msg));
        var rule = MbxQueryFlowRulesResp.GetRules(msg, 0);
        Assert.Equal(5u, rule.Location);
        Assert.Equal(FlowType.Udpv4, rule.FlowRule.FlowType);
        Assert.Equal((ushort)2, rule.FlowRule.Action);
        Assert.Equal((ushort)443, rule.FlowRule.Key.DstPort);
        Assert.Equal((ushort)0, rule.FlowRule.Mask.DstPort);
        Valid.Clean(issues => MbxQueryFlowRulesResp.ValidateMessage(msg, issues));

        var ids = Hex.Parse("03000000" + "01000000" + "05000000" + "09000000");
        Assert.Equal(9u, MbxQueryFlowRuleIdsResp.GetRuleIds(ids, 2));
    }

    [Fact]
    public void TrailingArrays_AreReachedByPath()
    {
        var msg = Hex.Parse(TxQueuesHex);
        Assert.True(MbxConfigTxQReq.TryGetField(msg, "tx_queues[1].msix_index", out var v));
        Assert.Equal(2UL, v);
        Assert.True(MbxConfigTxQReq.TryGetField(msg, "num_queues", out v));
        Assert.Equal(2UL, v);
        Assert.False(MbxConfigTxQReq.TryGetField(msg, "tx_queues[2].msix_index", out _));
        Assert.Equal(WireSetResult.Ok, MbxConfigTxQReq.TrySetField(msg, "tx_queues[0].tx_ring_size", 1024));
        Assert.Equal((ushort)1024, MbxConfigTxQReq.GetTxQueues(msg, 0).TxRingSize);
        Assert.Equal(WireSetResult.NotAValue, MbxConfigTxQReq.TrySetField(msg, "tx_queues", 1));

        var ids = Hex.Parse("0200" + "0100" + "0200");
        Assert.Equal(WireSetResult.Ok, MbxEnableQsReq.TrySetField(ids, "queue_id[1]", 0x0BAD));
        Hex.Equal("0200" + "0100" + "AD0B", ids);
        Assert.Equal(WireSetResult.OutOfRange, MbxEnableQsReq.TrySetField(ids, "queue_id[1]", 0x10000));

        var field = Assert.Single(MbxConfigTxQReq.Fields, f => f.Name == "tx_queues");
        Assert.Equal((8, 40, 0, "num_queues", "mbx_tx_q_info"), (field.Offset, field.Size, field.Count, field.CountedBy, field.TypeName));
    }

    [Fact]
    public void MbxBar0_IsLittleEndianAtTheHeadersOffsets()
    {
        Assert.Equal((long)GvnicConstants.MbxRxBase, MbxBar0Registers.Offsets.RxBaseAddrLow);
        Assert.Equal((long)GvnicConstants.MbxTxBase, MbxBar0Registers.Offsets.TxBaseAddrLow);
        Assert.Equal(0x08400010, MbxBar0Registers.Offsets.RxQueueTail);
        Assert.Equal(0x08400024, MbxBar0Registers.Offsets.TxQueueTail);
        Assert.Equal(0x08407008, MbxBar0Registers.Offsets.ResetStatus);
        Assert.Equal(0x0840700C, MbxBar0Registers.Offsets.ResetCtrl);

        var mmio = new SparseMmio();
        var bar = new MbxBar0Registers(mmio);
        bar.WriteRxQueueLen(new MbxRxQueueLen { Len = GvnicConstants.MbxDefaultRingSize, Enable = true });
        bar.WriteTxQueueLen(new MbxTxQueueLen { Len = 1023, Enable = true });
        Assert.Equal(Hex.Parse("40000080"), mmio.BytesAt(0x08400008));
        Assert.Equal(Hex.Parse("FF030080"), mmio.BytesAt(0x0840001C));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MbxTxQueueLen { Len = 1024 });

        mmio.Set(0x08407008, Hex.Parse("01000000"));
        Assert.True(bar.ReadResetStatus().Done);
        mmio.Set(0x08407008, Hex.Parse("FFFFFFFF"));
        Assert.Equal(GvnicConstants.MbxResetStatusAbsent, bar.ReadResetStatus().Value);
        mmio.Set(0x0840700C, Hex.Parse("00010000"));
        var ctrl = bar.ReadResetCtrl();
        ctrl.Reset = true;
        bar.WriteResetCtrl(ctrl);
        Assert.Equal(Hex.Parse("01010000"), mmio.BytesAt(0x0840700C));
    }

    /// <summary>A BAR as a map of 32-bit words (the mailbox registers sit 132 MiB into BAR0).</summary>
    private sealed class SparseMmio : IMmioRegion
    {
        private readonly Dictionary<long, uint> _words = new();

        public void Set(long offset, byte[] bytes) => _words[offset] = BitConverter.ToUInt32(bytes);

        public byte[] BytesAt(long offset) => BitConverter.GetBytes(_words[offset]);

        public uint Read32(long offset) => _words.TryGetValue(offset, out var v) ? v : 0;
        public void Write32(long offset, uint value) => _words[offset] = value;
        public byte Read8(long offset) => throw new NotSupportedException();
        public void Write8(long offset, byte value) => throw new NotSupportedException();
        public ushort Read16(long offset) => throw new NotSupportedException();
        public void Write16(long offset, ushort value) => throw new NotSupportedException();
        public ulong Read64(long offset) => throw new NotSupportedException();
        public void Write64(long offset, ulong value) => throw new NotSupportedException();
    }
}
