using System.Collections.Generic;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Golden images of the admin-command bodies, derived by hand from layouts-admin-queue.md (all big-endian:
/// the most significant byte first).
/// </summary>
public class GoldenAdminqBodyTests
{
    internal const string DescribeDeviceHex =
        "0011223344556677" + // device_descriptor_addr (be64) at 0
        "00000001" +         // device_descriptor_version (be32) at 8
        "00001000";          // available_length (be32) at 12

    [Fact]
    public void AdminqDescribeDevice_Golden()
    {
        var v = new AdminqDescribeDevice { DeviceDescriptorAddr = 0x0011223344556677, DeviceDescriptorVersion = 1, AvailableLength = 4096 };
        Hex.Equal(DescribeDeviceHex, Codec.Encode(AdminqDescribeDevice.Size, v.Write));

        var r = AdminqDescribeDevice.Read(Hex.Parse(DescribeDeviceHex));
        Assert.Equal(0x0011223344556677UL, r.DeviceDescriptorAddr);
        Assert.Equal(1u, r.DeviceDescriptorVersion);
        Assert.Equal(4096u, r.AvailableLength);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(DescribeDeviceHex);
        AdminqDescribeDevice.AsRef(img).AvailableLength = 0xA1B2C3D4;
        Hex.ChangedOnly(DescribeDeviceHex, img, 12, "A1B2C3D4");
    }

    internal const string ConfigureDeviceResourcesHex =
        "0000000123456000" + // counter_array (be64) at 0
        "0000000189ABC000" + // irq_db_addr (be64) at 8
        "00000201" +         // num_counters (be32) at 16
        "00000102" +         // num_irq_dbs (be32) at 20
        "00000040" +         // irq_db_stride (be32) at 24
        "00000003" +         // ntfy_blk_msix_base_idx (be32) at 28
        "03" +               // queue_format (u8) at 32: dqo_rda
        "00000000000000";    // padding[7] at 33

    [Fact]
    public void AdminqConfigureDeviceResources_Golden()
    {
        var v = new AdminqConfigureDeviceResources
        {
            CounterArray = 0x0000000123456000, IrqDbAddr = 0x0000000189ABC000, NumCounters = 0x201, NumIrqDbs = 0x102,
            IrqDbStride = 64, NtfyBlkMsixBaseIdx = 3, QueueFormat = QueueFormat.DqoRda,
        };
        Hex.Equal(ConfigureDeviceResourcesHex, Codec.Encode(AdminqConfigureDeviceResources.Size, v.Write));

        var r = AdminqConfigureDeviceResources.Read(Hex.Parse(ConfigureDeviceResourcesHex));
        Assert.Equal(0x0000000123456000UL, r.CounterArray);
        Assert.Equal(0x0000000189ABC000UL, r.IrqDbAddr);
        Assert.Equal(0x201u, r.NumCounters);
        Assert.Equal(0x102u, r.NumIrqDbs);
        Assert.Equal(64u, r.IrqDbStride);
        Assert.Equal(3u, r.NtfyBlkMsixBaseIdx);
        Assert.Equal(QueueFormat.DqoRda, r.QueueFormat);
        Assert.Equal(new byte[7], r.Padding.ToArray());
        Valid.Clean(r.Validate);

        var img = Hex.Parse(ConfigureDeviceResourcesHex);
        ref var view = ref AdminqConfigureDeviceResources.AsRef(img);
        view.QueueFormat = QueueFormat.GqiQpl;
        Hex.ChangedOnly(ConfigureDeviceResourcesHex, img, 32, "02");
        view.NumIrqDbs = 0x0A0B0C0D;
        Hex.ChangedOnly(ConfigureDeviceResourcesHex, img, (20, "0A0B0C0D"), (32, "02"));
    }

    internal const string RegisterPageListHex =
        "00000005" +         // page_list_id (be32) at 0
        "00000400" +         // num_pages (be32) at 4
        "0000000234567000" + // page_address_list_addr (be64) at 8
        "0000000000001000";  // page_size (be64) at 16

    [Fact]
    public void AdminqRegisterPageList_Golden()
    {
        var v = new AdminqRegisterPageList { PageListId = 5, NumPages = 1024, PageAddressListAddr = 0x0000000234567000, PageSize = 4096 };
        Hex.Equal(RegisterPageListHex, Codec.Encode(AdminqRegisterPageList.Size, v.Write));

        var r = AdminqRegisterPageList.Read(Hex.Parse(RegisterPageListHex));
        Assert.Equal(5u, r.PageListId);
        Assert.Equal(1024u, r.NumPages);
        Assert.Equal(0x0000000234567000UL, r.PageAddressListAddr);
        Assert.Equal(4096UL, r.PageSize);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(RegisterPageListHex);
        AdminqRegisterPageList.AsRef(img).PageSize = 0x0102030405060708;
        Hex.ChangedOnly(RegisterPageListHex, img, 16, "0102030405060708");
    }

    [Fact]
    public void AdminqUnregisterPageList_Golden()
    {
        const string golden = "A1B2C3D4"; // page_list_id (be32) at 0
        var v = new AdminqUnregisterPageList { PageListId = 0xA1B2C3D4 };
        Hex.Equal(golden, Codec.Encode(AdminqUnregisterPageList.Size, v.Write));
        Assert.Equal(0xA1B2C3D4u, AdminqUnregisterPageList.Read(Hex.Parse(golden)).PageListId);
        Valid.Clean(AdminqUnregisterPageList.Read(Hex.Parse(golden)).Validate);
        var img = Hex.Parse(golden);
        AdminqUnregisterPageList.AsRef(img).PageListId = 7;
        Hex.ChangedOnly(golden, img, 0, "00000007");
    }

    internal const string CreateTxQueueHex =
        "00000003" +         // queue_id (be32) at 0
        "00000000" +         // reserved (be32) at 4
        "0000000112345040" + // queue_resources_addr (be64) at 8
        "0000000198765000" + // tx_ring_addr (be64) at 16
        "FFFFFFFF" +         // queue_page_list_id (be32) at 24: raw addressing
        "00000007" +         // ntfy_id (be32) at 28
        "00000001ABCDE000" + // tx_comp_ring_addr (be64) at 32
        "0200" +             // tx_ring_size (be16) at 40
        "0400" +             // tx_comp_ring_size (be16) at 42
        "00000000";          // padding[4] at 44

    [Fact]
    public void AdminqCreateTxQueue_Golden()
    {
        var v = new AdminqCreateTxQueue
        {
            QueueId = 3, QueueResourcesAddr = 0x0000000112345040, TxRingAddr = 0x0000000198765000,
            QueuePageListId = GvnicConstants.RawAddressingQplId, NtfyId = 7, TxCompRingAddr = 0x00000001ABCDE000,
            TxRingSize = 512, TxCompRingSize = 1024,
        };
        Hex.Equal(CreateTxQueueHex, Codec.Encode(AdminqCreateTxQueue.Size, v.Write));

        var r = AdminqCreateTxQueue.Read(Hex.Parse(CreateTxQueueHex));
        Assert.Equal(3u, r.QueueId);
        Assert.Equal(0u, r.Reserved);
        Assert.Equal(0x0000000112345040UL, r.QueueResourcesAddr);
        Assert.Equal(0x0000000198765000UL, r.TxRingAddr);
        Assert.Equal(0xFFFFFFFFu, r.QueuePageListId);
        Assert.Equal(7u, r.NtfyId);
        Assert.Equal(0x00000001ABCDE000UL, r.TxCompRingAddr);
        Assert.Equal((ushort)512, r.TxRingSize);
        Assert.Equal((ushort)1024, r.TxCompRingSize);
        Assert.Equal(new byte[4], r.Padding.ToArray());
        Valid.Clean(r.Validate);

        var img = Hex.Parse(CreateTxQueueHex);
        ref var view = ref AdminqCreateTxQueue.AsRef(img);
        view.TxCompRingSize = 0xABCD;
        Hex.ChangedOnly(CreateTxQueueHex, img, 42, "ABCD");
        view.QueueId = 0x11223344;
        Hex.ChangedOnly(CreateTxQueueHex, img, (0, "11223344"), (42, "ABCD"));
    }

    internal const string CreateRxQueueHex =
        "00000002" +         // queue_id (be32) at 0
        "00000102" +         // index (be32) at 4
        "00000000" +         // reserved (be32) at 8
        "00000009" +         // ntfy_id (be32) at 12
        "000000010A0B0C00" + // queue_resources_addr (be64) at 16
        "000000020D0E0F00" + // rx_desc_ring_addr (be64) at 24
        "0000000310203000" + // rx_data_ring_addr (be64) at 32
        "00000004" +         // queue_page_list_id (be32) at 40
        "0400" +             // rx_ring_size (be16) at 44
        "0800" +             // packet_buffer_size (be16) at 46
        "0200" +             // rx_buff_ring_size (be16) at 48
        "01" +               // enable_rsc (u8) at 50
        "00" +               // padding1 at 51
        "0080" +             // header_buffer_size (be16) at 52
        "0000";              // padding2[2] at 54

    [Fact]
    public void AdminqCreateRxQueue_Golden()
    {
        var v = new AdminqCreateRxQueue
        {
            QueueId = 2, Index = 0x102, NtfyId = 9, QueueResourcesAddr = 0x000000010A0B0C00, RxDescRingAddr = 0x000000020D0E0F00,
            RxDataRingAddr = 0x0000000310203000, QueuePageListId = 4, RxRingSize = 1024, PacketBufferSize = 2048,
            RxBuffRingSize = 512, EnableRsc = 1, HeaderBufferSize = 128,
        };
        Hex.Equal(CreateRxQueueHex, Codec.Encode(AdminqCreateRxQueue.Size, v.Write));

        var r = AdminqCreateRxQueue.Read(Hex.Parse(CreateRxQueueHex));
        Assert.Equal(2u, r.QueueId);
        Assert.Equal(0x102u, r.Index);
        Assert.Equal(0u, r.Reserved);
        Assert.Equal(9u, r.NtfyId);
        Assert.Equal(0x000000010A0B0C00UL, r.QueueResourcesAddr);
        Assert.Equal(0x000000020D0E0F00UL, r.RxDescRingAddr);
        Assert.Equal(0x0000000310203000UL, r.RxDataRingAddr);
        Assert.Equal(4u, r.QueuePageListId);
        Assert.Equal((ushort)1024, r.RxRingSize);
        Assert.Equal((ushort)2048, r.PacketBufferSize);
        Assert.Equal((ushort)512, r.RxBuffRingSize);
        Assert.Equal((byte)1, r.EnableRsc);
        Assert.Equal((byte)0, r.Padding1);
        Assert.Equal((ushort)128, r.HeaderBufferSize);
        Assert.Equal(new byte[2], r.Padding2.ToArray());
        Valid.Clean(r.Validate);

        var img = Hex.Parse(CreateRxQueueHex);
        ref var view = ref AdminqCreateRxQueue.AsRef(img);
        view.HeaderBufferSize = 0x1234;
        Hex.ChangedOnly(CreateRxQueueHex, img, 52, "1234");
        view.EnableRsc = 0;
        Hex.ChangedOnly(CreateRxQueueHex, img, (50, "00"), (52, "1234"));
    }

    [Fact]
    public void AdminqDestroyTxQueue_Golden()
    {
        const string golden = "01020304"; // queue_id (be32) at 0
        var v = new AdminqDestroyTxQueue { QueueId = 0x01020304 };
        Hex.Equal(golden, Codec.Encode(AdminqDestroyTxQueue.Size, v.Write));
        Assert.Equal(0x01020304u, AdminqDestroyTxQueue.Read(Hex.Parse(golden)).QueueId);
        Valid.Clean(AdminqDestroyTxQueue.Read(Hex.Parse(golden)).Validate);
        var img = Hex.Parse(golden);
        AdminqDestroyTxQueue.AsRef(img).QueueId = 0xFFFFFF00;
        Hex.ChangedOnly(golden, img, 0, "FFFFFF00");
    }

    [Fact]
    public void AdminqDestroyRxQueue_Golden()
    {
        const string golden = "05060708"; // queue_id (be32) at 0
        var v = new AdminqDestroyRxQueue { QueueId = 0x05060708 };
        Hex.Equal(golden, Codec.Encode(AdminqDestroyRxQueue.Size, v.Write));
        Assert.Equal(0x05060708u, AdminqDestroyRxQueue.Read(Hex.Parse(golden)).QueueId);
        Valid.Clean(AdminqDestroyRxQueue.Read(Hex.Parse(golden)).Validate);
        var img = Hex.Parse(golden);
        AdminqDestroyRxQueue.AsRef(img).QueueId = 1;
        Hex.ChangedOnly(golden, img, 0, "00000001");
    }

    internal const string ConfigureRssHex =
        "0143" +             // hash_types (be16) at 0: ipv4|tcpv4|udpv4|udpv6_ex = 0x0143
        "01" +               // hash_alg (u8) at 2: toeplitz
        "00" +               // reserved at 3
        "0028" +             // hash_key_size (be16) at 4: 40
        "0080" +             // hash_lut_size (be16) at 6: 128
        "0000000123456780" + // hash_key_addr (be64) at 8
        "0000000189ABCDE0";  // hash_lut_addr (be64) at 16

    [Fact]
    public void AdminqConfigureRss_Golden()
    {
        var v = new AdminqConfigureRss
        {
            HashTypes = RssHashTypes.Ipv4 | RssHashTypes.Tcpv4 | RssHashTypes.Udpv4 | RssHashTypes.Udpv6Ex,
            HashAlg = RssHashAlg.Toeplitz, HashKeySize = 40, HashLutSize = 128,
            HashKeyAddr = 0x0000000123456780, HashLutAddr = 0x0000000189ABCDE0,
        };
        Hex.Equal(ConfigureRssHex, Codec.Encode(AdminqConfigureRss.Size, v.Write));

        var r = AdminqConfigureRss.Read(Hex.Parse(ConfigureRssHex));
        Assert.Equal(RssHashTypes.Ipv4 | RssHashTypes.Tcpv4 | RssHashTypes.Udpv4 | RssHashTypes.Udpv6Ex, r.HashTypes);
        Assert.Equal(RssHashAlg.Toeplitz, r.HashAlg);
        Assert.Equal((byte)0, r.Reserved);
        Assert.Equal((ushort)40, r.HashKeySize);
        Assert.Equal((ushort)128, r.HashLutSize);
        Assert.Equal(0x0000000123456780UL, r.HashKeyAddr);
        Assert.Equal(0x0000000189ABCDE0UL, r.HashLutAddr);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(ConfigureRssHex);
        ref var view = ref AdminqConfigureRss.AsRef(img);
        view.HashTypes = RssHashTypes.Tcpv6;
        Hex.ChangedOnly(ConfigureRssHex, img, 0, "0010");
        view.HashLutSize = 0x0102;
        Hex.ChangedOnly(ConfigureRssHex, img, (0, "0010"), (6, "0102"));
    }

    internal const string SetDriverParameterHex =
        "00000001" +         // parameter_type (be32) at 0: mtu
        "00000000" +         // reserved[4] at 4
        "0000000000002328";  // parameter_value (be64) at 8: 9000

    [Fact]
    public void AdminqSetDriverParameter_Golden()
    {
        var v = new AdminqSetDriverParameter { ParameterType = SetDriverParamTypes.Mtu, ParameterValue = 9000 };
        Hex.Equal(SetDriverParameterHex, Codec.Encode(AdminqSetDriverParameter.Size, v.Write));

        var r = AdminqSetDriverParameter.Read(Hex.Parse(SetDriverParameterHex));
        Assert.Equal(SetDriverParamTypes.Mtu, r.ParameterType);
        Assert.Equal(new byte[4], r.Reserved.ToArray());
        Assert.Equal(9000UL, r.ParameterValue);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(SetDriverParameterHex);
        AdminqSetDriverParameter.AsRef(img).ParameterValue = 1460;
        Hex.ChangedOnly(SetDriverParameterHex, img, 8, "00000000000005B4");
    }

    internal const string ReportStatsHex =
        "0000000000001000" + // stats_report_len (be64) at 0
        "0000000ABCDEF000" + // stats_report_addr (be64) at 8
        "0000000000004E20";  // interval (be64) at 16: 20000 ms

    [Fact]
    public void AdminqReportStats_Golden()
    {
        var v = new AdminqReportStats { StatsReportLen = 4096, StatsReportAddr = 0x0000000ABCDEF000, Interval = 20000 };
        Hex.Equal(ReportStatsHex, Codec.Encode(AdminqReportStats.Size, v.Write));

        var r = AdminqReportStats.Read(Hex.Parse(ReportStatsHex));
        Assert.Equal(4096UL, r.StatsReportLen);
        Assert.Equal(0x0000000ABCDEF000UL, r.StatsReportAddr);
        Assert.Equal(20000UL, r.Interval);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(ReportStatsHex);
        AdminqReportStats.AsRef(img).StatsReportAddr = 0x1122334455667788;
        Hex.ChangedOnly(ReportStatsHex, img, 8, "1122334455667788");
    }

    [Fact]
    public void AdminqReportLinkSpeed_Golden()
    {
        const string golden = "0000000102030408"; // link_speed_address (be64) at 0
        var v = new AdminqReportLinkSpeed { LinkSpeedAddress = 0x0000000102030408 };
        Hex.Equal(golden, Codec.Encode(AdminqReportLinkSpeed.Size, v.Write));
        var r = AdminqReportLinkSpeed.Read(Hex.Parse(golden));
        Assert.Equal(0x0000000102030408UL, r.LinkSpeedAddress);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        AdminqReportLinkSpeed.AsRef(img).LinkSpeedAddress = 0xF0E0D0C0B0A09080;
        Hex.ChangedOnly(golden, img, 0, "F0E0D0C0B0A09080");
    }

    internal const string GetPtypeMapHex =
        "0000000000000800" + // ptype_map_len (be64) at 0: 2048
        "0000000FEDCBA000";  // ptype_map_addr (be64) at 8

    [Fact]
    public void AdminqGetPtypeMap_Golden()
    {
        var v = new AdminqGetPtypeMap { PtypeMapLen = 2048, PtypeMapAddr = 0x0000000FEDCBA000 };
        Hex.Equal(GetPtypeMapHex, Codec.Encode(AdminqGetPtypeMap.Size, v.Write));
        var r = AdminqGetPtypeMap.Read(Hex.Parse(GetPtypeMapHex));
        Assert.Equal(2048UL, r.PtypeMapLen);
        Assert.Equal(0x0000000FEDCBA000UL, r.PtypeMapAddr);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(GetPtypeMapHex);
        AdminqGetPtypeMap.AsRef(img).PtypeMapLen = 0x10;
        Hex.ChangedOnly(GetPtypeMapHex, img, 0, "0000000000000010");
    }

    internal const string VerifyDriverCompatibilityHex =
        "0000000000000130" + // driver_info_len (be64) at 0: 304
        "0000000122334000";  // driver_info_addr (be64) at 8

    [Fact]
    public void AdminqVerifyDriverCompatibility_Golden()
    {
        var v = new AdminqVerifyDriverCompatibility { DriverInfoLen = 304, DriverInfoAddr = 0x0000000122334000 };
        Hex.Equal(VerifyDriverCompatibilityHex, Codec.Encode(AdminqVerifyDriverCompatibility.Size, v.Write));
        var r = AdminqVerifyDriverCompatibility.Read(Hex.Parse(VerifyDriverCompatibilityHex));
        Assert.Equal(304UL, r.DriverInfoLen);
        Assert.Equal(0x0000000122334000UL, r.DriverInfoAddr);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(VerifyDriverCompatibilityHex);
        AdminqVerifyDriverCompatibility.AsRef(img).DriverInfoAddr = 0xAB;
        Hex.ChangedOnly(VerifyDriverCompatibilityHex, img, 8, "00000000000000AB");
    }

    internal const string ExtendedCommandHex =
        "00000101" +         // inner_opcode (be32) at 0: configure_flow_rule
        "0000005C" +         // inner_length (be32) at 4: 92
        "0000000155667700";  // inner_command_addr (be64) at 8

    [Fact]
    public void AdminqExtendedCommand_Golden()
    {
        var v = new AdminqExtendedCommand
        {
            InnerOpcode = AdminqExtendedOpcodes.ConfigureFlowRule, InnerLength = 92, InnerCommandAddr = 0x0000000155667700,
        };
        Hex.Equal(ExtendedCommandHex, Codec.Encode(AdminqExtendedCommand.Size, v.Write));
        var r = AdminqExtendedCommand.Read(Hex.Parse(ExtendedCommandHex));
        Assert.Equal(AdminqExtendedOpcodes.ConfigureFlowRule, r.InnerOpcode);
        Assert.Equal(92u, r.InnerLength);
        Assert.Equal(0x0000000155667700UL, r.InnerCommandAddr);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(ExtendedCommandHex);
        AdminqExtendedCommand.AsRef(img).InnerLength = 0x01020304;
        Hex.ChangedOnly(ExtendedCommandHex, img, 4, "01020304");
    }

    internal const string QueryFlowRulesHex =
        "0001" +             // opcode (be16) at 0: query_ids
        "0000" +             // padding[2] at 2
        "00000010" +         // starting_rule_id (be32) at 4
        "0000000000001000" + // available_length (be64) at 8
        "0000000200003000";  // rule_descriptor_addr (be64) at 16

    [Fact]
    public void AdminqQueryFlowRules_Golden()
    {
        var v = new AdminqQueryFlowRules
        {
            Opcode = FlowRuleQueryOpcode.QueryIds, StartingRuleId = 16, AvailableLength = 4096, RuleDescriptorAddr = 0x0000000200003000,
        };
        Hex.Equal(QueryFlowRulesHex, Codec.Encode(AdminqQueryFlowRules.Size, v.Write));
        var r = AdminqQueryFlowRules.Read(Hex.Parse(QueryFlowRulesHex));
        Assert.Equal(FlowRuleQueryOpcode.QueryIds, r.Opcode);
        Assert.Equal(new byte[2], r.Padding.ToArray());
        Assert.Equal(16u, r.StartingRuleId);
        Assert.Equal(4096UL, r.AvailableLength);
        Assert.Equal(0x0000000200003000UL, r.RuleDescriptorAddr);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(QueryFlowRulesHex);
        AdminqQueryFlowRules.AsRef(img).Opcode = FlowRuleQueryOpcode.QueryStats;
        Hex.ChangedOnly(QueryFlowRulesHex, img, 0, "0002");
    }

    internal const string ReportNicTsHex =
        "0000000000000028" + // nic_ts_report_len (be64) at 0: 40
        "0000000300004000";  // nic_ts_report_addr (be64) at 8

    [Fact]
    public void AdminqReportNicTs_Golden()
    {
        var v = new AdminqReportNicTs { NicTsReportLen = 40, NicTsReportAddr = 0x0000000300004000 };
        Hex.Equal(ReportNicTsHex, Codec.Encode(AdminqReportNicTs.Size, v.Write));
        var r = AdminqReportNicTs.Read(Hex.Parse(ReportNicTsHex));
        Assert.Equal(40UL, r.NicTsReportLen);
        Assert.Equal(0x0000000300004000UL, r.NicTsReportAddr);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(ReportNicTsHex);
        AdminqReportNicTs.AsRef(img).NicTsReportAddr = 0x0807060504030201;
        Hex.ChangedOnly(ReportNicTsHex, img, 8, "0807060504030201");
    }

    internal const string QueryRssHex =
        "0000000000001000" + // available_length (be64) at 0
        "0000000400005000";  // rss_descriptor_addr (be64) at 8

    [Fact]
    public void AdminqQueryRss_Golden()
    {
        var v = new AdminqQueryRss { AvailableLength = 4096, RssDescriptorAddr = 0x0000000400005000 };
        Hex.Equal(QueryRssHex, Codec.Encode(AdminqQueryRss.Size, v.Write));
        var r = AdminqQueryRss.Read(Hex.Parse(QueryRssHex));
        Assert.Equal(4096UL, r.AvailableLength);
        Assert.Equal(0x0000000400005000UL, r.RssDescriptorAddr);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(QueryRssHex);
        AdminqQueryRss.AsRef(img).AvailableLength = 0x2000;
        Hex.ChangedOnly(QueryRssHex, img, 0, "0000000000002000");
    }
}
