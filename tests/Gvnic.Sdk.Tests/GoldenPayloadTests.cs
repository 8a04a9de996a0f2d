using System;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Golden images of the admin-queue DMA payloads (device descriptor and options, driver info, stats,
/// ptype map, queue resources, timestamps, query descriptors), derived by hand from layouts-admin-queue.md.
/// All multi-byte fields are big-endian.
/// </summary>
public class GoldenPayloadTests
{
    internal const string DeviceDescriptorHex =
        "0000000000010000" + // max_registered_pages (be64) at 0
        "BEEF" +             // reserved1 (be16) at 8 (reserved, ignored)
        "0200" +             // tx_queue_entries (be16) at 10
        "0400" +             // rx_queue_entries (be16) at 12
        "0010" +             // default_num_queues (be16) at 14
        "05B4" +             // mtu (be16) at 16: 1460
        "0020" +             // counters (be16) at 18
        "0201" +             // tx_pages_per_qpl (be16) at 20
        "0402" +             // rx_pages_per_qpl (be16) at 22
        "42010A800002" +     // mac[6] at 24, transmission order
        "0003" +             // num_device_options (be16) at 30
        "0058" +             // total_length (be16) at 32
        "A1A2A3A4A5A6";      // reserved2[6] at 34 (reserved, ignored)

    [Fact]
    public void DeviceDescriptor_Golden()
    {
        var v = new DeviceDescriptor
        {
            MaxRegisteredPages = 0x10000, Reserved1 = 0xBEEF, TxQueueEntries = 0x200, RxQueueEntries = 0x400, DefaultNumQueues = 16,
            Mtu = 1460, Counters = 32, TxPagesPerQpl = 0x201, RxPagesPerQpl = 0x402, NumDeviceOptions = 3, TotalLength = 0x58,
        };
        byte[] mac = { 0x42, 0x01, 0x0A, 0x80, 0x00, 0x02 };
        mac.CopyTo(v.Mac);
        for (int i = 0; i < 6; i++) v.SetReserved2(i, (byte)(0xA1 + i));
        Hex.Equal(DeviceDescriptorHex, Codec.Encode(DeviceDescriptor.Size, v.Write));

        var r = DeviceDescriptor.Read(Hex.Parse(DeviceDescriptorHex));
        Assert.Equal(0x10000UL, r.MaxRegisteredPages);
        Assert.Equal((ushort)0xBEEF, r.Reserved1);
        Assert.Equal((ushort)0x200, r.TxQueueEntries);
        Assert.Equal((ushort)0x400, r.RxQueueEntries);
        Assert.Equal((ushort)16, r.DefaultNumQueues);
        Assert.Equal((ushort)1460, r.Mtu);
        Assert.Equal((ushort)32, r.Counters);
        Assert.Equal((ushort)0x201, r.TxPagesPerQpl);
        Assert.Equal((ushort)0x402, r.RxPagesPerQpl);
        Assert.Equal(mac, r.Mac.ToArray());
        for (int i = 0; i < DeviceDescriptor.MacLength; i++) Assert.Equal(mac[i], r.GetMac(i));
        Assert.Equal(6, DeviceDescriptor.MacLength);
        Assert.Equal((ushort)3, r.NumDeviceOptions);
        Assert.Equal((ushort)0x58, r.TotalLength);
        Assert.Equal(Hex.Parse("A1A2A3A4A5A6"), r.Reserved2.ToArray());
        Valid.Clean(r.Validate); // reserved1 and reserved2 are reserved: ignore

        var img = Hex.Parse(DeviceDescriptorHex);
        ref var view = ref DeviceDescriptor.AsRef(img);
        view.SetMac(5, 0xFE);
        view.Mtu = 8896;
        Hex.ChangedOnly(DeviceDescriptorHex, img, (16, "22C0"), (29, "FE"));
    }

    [Fact]
    public void DeviceOption_Golden()
    {
        const string golden =
            "0006" +     // option_id (be16) at 0: modify_ring
            "000C" +     // option_length (be16) at 2: 12
            "89ABCDEF";  // required_features_mask (be32) at 4
        var v = new DeviceOption { OptionId = DevOptId.ModifyRing, OptionLength = 12, RequiredFeaturesMask = 0x89ABCDEF };
        Hex.Equal(golden, Codec.Encode(DeviceOption.Size, v.Write));
        var r = DeviceOption.Read(Hex.Parse(golden));
        Assert.Equal(DevOptId.ModifyRing, r.OptionId);
        Assert.Equal((ushort)12, r.OptionLength);
        Assert.Equal(0x89ABCDEFu, r.RequiredFeaturesMask);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOption.AsRef(img).OptionId = DevOptId.RssConfig;
        Hex.ChangedOnly(golden, img, 0, "000E");
    }

    [Fact]
    public void DeviceOptionGqiRda_Golden()
    {
        const string golden = "00000135"; // supported_features_mask (be32) at 0
        var v = new DeviceOptionGqiRda { SupportedFeaturesMask = 0x135 };
        Hex.Equal(golden, Codec.Encode(DeviceOptionGqiRda.Size, v.Write));
        var r = DeviceOptionGqiRda.Read(Hex.Parse(golden));
        Assert.Equal(0x135u, r.SupportedFeaturesMask);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionGqiRda.AsRef(img).SupportedFeaturesMask = 0x01000000;
        Hex.ChangedOnly(golden, img, 0, "01000000");
    }

    [Fact]
    public void DeviceOptionGqiQpl_Golden()
    {
        const string golden = "01020304"; // supported_features_mask (be32) at 0
        var v = new DeviceOptionGqiQpl { SupportedFeaturesMask = 0x01020304 };
        Hex.Equal(golden, Codec.Encode(DeviceOptionGqiQpl.Size, v.Write));
        var r = DeviceOptionGqiQpl.Read(Hex.Parse(golden));
        Assert.Equal(0x01020304u, r.SupportedFeaturesMask);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionGqiQpl.AsRef(img).SupportedFeaturesMask = 0x20;
        Hex.ChangedOnly(golden, img, 0, "00000020");
    }

    [Fact]
    public void DeviceOptionDqoRda_Golden()
    {
        const string golden =
            "00000001" + // supported_features_mask (be32) at 0
            "0400" +     // tx_comp_ring_entries (be16) at 4
            "0200";      // rx_buff_ring_entries (be16) at 6
        var v = new DeviceOptionDqoRda { SupportedFeaturesMask = 1, TxCompRingEntries = 1024, RxBuffRingEntries = 512 };
        Hex.Equal(golden, Codec.Encode(DeviceOptionDqoRda.Size, v.Write));
        var r = DeviceOptionDqoRda.Read(Hex.Parse(golden));
        Assert.Equal(1u, r.SupportedFeaturesMask);
        Assert.Equal((ushort)1024, r.TxCompRingEntries);
        Assert.Equal((ushort)512, r.RxBuffRingEntries);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionDqoRda.AsRef(img).RxBuffRingEntries = 0x1234;
        Hex.ChangedOnly(golden, img, 6, "1234");
    }

    [Fact]
    public void DeviceOptionDqoQpl_Golden()
    {
        const string golden =
            "00000010" + // supported_features_mask (be32) at 0
            "0200" +     // tx_pages_per_qpl (be16) at 4
            "0100";      // rx_pages_per_qpl (be16) at 6
        var v = new DeviceOptionDqoQpl { SupportedFeaturesMask = 0x10, TxPagesPerQpl = 512, RxPagesPerQpl = 256 };
        Hex.Equal(golden, Codec.Encode(DeviceOptionDqoQpl.Size, v.Write));
        var r = DeviceOptionDqoQpl.Read(Hex.Parse(golden));
        Assert.Equal(0x10u, r.SupportedFeaturesMask);
        Assert.Equal((ushort)512, r.TxPagesPerQpl);
        Assert.Equal((ushort)256, r.RxPagesPerQpl);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionDqoQpl.AsRef(img).RxPagesPerQpl = 0xA0B0;
        Hex.ChangedOnly(golden, img, 6, "A0B0");
    }

    [Fact]
    public void DeviceOptionJumboFrames_Golden()
    {
        const string golden =
            "00000004" + // supported_features_mask (be32) at 0: jumbo_frames
            "2328" +     // max_mtu (be16) at 4: 9000
            "5A5B";      // padding[2] at 6 (reserved, ignored)
        var v = new DeviceOptionJumboFrames { SupportedFeaturesMask = (uint)SupFeatureMask.JumboFrames, MaxMtu = 9000 };
        v.SetPadding(0, 0x5A);
        v.SetPadding(1, 0x5B);
        Hex.Equal(golden, Codec.Encode(DeviceOptionJumboFrames.Size, v.Write));
        var r = DeviceOptionJumboFrames.Read(Hex.Parse(golden));
        Assert.Equal(4u, r.SupportedFeaturesMask);
        Assert.Equal((ushort)9000, r.MaxMtu);
        Assert.Equal(new byte[] { 0x5A, 0x5B }, r.Padding.ToArray());
        Assert.Equal((byte)0x5B, r.GetPadding(1));
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionJumboFrames.AsRef(img).MaxMtu = 1500;
        Hex.ChangedOnly(golden, img, 4, "05DC");
    }

    [Fact]
    public void DeviceOptionBufferSizes_Golden()
    {
        const string golden =
            "00000010" + // supported_features_mask (be32) at 0: buffer_sizes
            "1000" +     // packet_buffer_size (be16) at 4: 4096
            "0080";      // header_buffer_size (be16) at 6: 128
        var v = new DeviceOptionBufferSizes { SupportedFeaturesMask = 0x10, PacketBufferSize = 4096, HeaderBufferSize = 128 };
        Hex.Equal(golden, Codec.Encode(DeviceOptionBufferSizes.Size, v.Write));
        var r = DeviceOptionBufferSizes.Read(Hex.Parse(golden));
        Assert.Equal(0x10u, r.SupportedFeaturesMask);
        Assert.Equal((ushort)4096, r.PacketBufferSize);
        Assert.Equal((ushort)128, r.HeaderBufferSize);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionBufferSizes.AsRef(img).PacketBufferSize = 0x0800;
        Hex.ChangedOnly(golden, img, 4, "0800");
    }

    [Fact]
    public void DeviceOptionModifyRing_Golden()
    {
        const string golden =
            "00000001" + // supported_featured_mask (be32) at 0
            "1000" +     // max_rx_ring_size (be16) at 4
            "0800" +     // max_tx_ring_size (be16) at 6
            "0200" +     // min_rx_ring_size (be16) at 8
            "0100";      // min_tx_ring_size (be16) at 10
        var v = new DeviceOptionModifyRing { SupportedFeaturedMask = 1, MaxRxRingSize = 4096, MaxTxRingSize = 2048, MinRxRingSize = 512, MinTxRingSize = 256 };
        Hex.Equal(golden, Codec.Encode(DeviceOptionModifyRing.Size, v.Write));
        var r = DeviceOptionModifyRing.Read(Hex.Parse(golden));
        Assert.Equal(1u, r.SupportedFeaturedMask);
        Assert.Equal((ushort)4096, r.MaxRxRingSize);
        Assert.Equal((ushort)2048, r.MaxTxRingSize);
        Assert.Equal((ushort)512, r.MinRxRingSize);
        Assert.Equal((ushort)256, r.MinTxRingSize);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionModifyRing.AsRef(img).MinTxRingSize = 0x0040;
        Hex.ChangedOnly(golden, img, 10, "0040");
    }

    [Fact]
    public void DeviceOptionFlowSteering_Golden()
    {
        const string golden =
            "00000020" + // supported_features_mask (be32) at 0: flow_steering
            "11223344" + // reserved (be32) at 4 (reserved, ignored)
            "00001000";  // max_flow_rules (be32) at 8
        var v = new DeviceOptionFlowSteering { SupportedFeaturesMask = 0x20, Reserved = 0x11223344, MaxFlowRules = 4096 };
        Hex.Equal(golden, Codec.Encode(DeviceOptionFlowSteering.Size, v.Write));
        var r = DeviceOptionFlowSteering.Read(Hex.Parse(golden));
        Assert.Equal(0x20u, r.SupportedFeaturesMask);
        Assert.Equal(0x11223344u, r.Reserved);
        Assert.Equal(4096u, r.MaxFlowRules);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionFlowSteering.AsRef(img).MaxFlowRules = 0xFFEEDDCC;
        Hex.ChangedOnly(golden, img, 8, "FFEEDDCC");
    }

    [Fact]
    public void DeviceOptionNicTimestamp_Golden()
    {
        const string golden = "00000100"; // supported_features_mask (be32) at 0: nic_timestamp
        var v = new DeviceOptionNicTimestamp { SupportedFeaturesMask = (uint)SupFeatureMask.NicTimestamp };
        Hex.Equal(golden, Codec.Encode(DeviceOptionNicTimestamp.Size, v.Write));
        var r = DeviceOptionNicTimestamp.Read(Hex.Parse(golden));
        Assert.Equal(0x100u, r.SupportedFeaturesMask);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionNicTimestamp.AsRef(img).SupportedFeaturesMask = 0x80000001;
        Hex.ChangedOnly(golden, img, 0, "80000001");
    }

    [Fact]
    public void DeviceOptionRssConfig_Golden()
    {
        const string golden =
            "00000080" + // supported_features_mask (be32) at 0: rss_config
            "0028" +     // hash_key_size (be16) at 4: 40
            "0080";      // hash_lut_size (be16) at 6: 128
        var v = new DeviceOptionRssConfig { SupportedFeaturesMask = 0x80, HashKeySize = 40, HashLutSize = 128 };
        Hex.Equal(golden, Codec.Encode(DeviceOptionRssConfig.Size, v.Write));
        var r = DeviceOptionRssConfig.Read(Hex.Parse(golden));
        Assert.Equal(0x80u, r.SupportedFeaturesMask);
        Assert.Equal((ushort)40, r.HashKeySize);
        Assert.Equal((ushort)128, r.HashLutSize);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        DeviceOptionRssConfig.AsRef(img).HashKeySize = 52;
        Hex.ChangedOnly(golden, img, 4, "0034");
    }

    internal static readonly string DriverInfoHex =
        "01" +                       // os_type (u8) at 0: linux
        "02" +                       // driver_major at 1
        "03" +                       // driver_minor at 2
        "04" +                       // driver_sub at 3
        "00000006" +                 // os_version_major (be32) at 4
        "0000000C" +                 // os_version_minor (be32) at 8
        "00000022" +                 // os_version_sub (be32) at 12
        "000000000000007B" +         // driver_capability_flags[0] (be64) at 16
        "0102030405060708" +         // driver_capability_flags[1] (be64) at 24
        "0000000000000000" +         // driver_capability_flags[2] (be64) at 32
        "8000000000000001" +         // driver_capability_flags[3] (be64) at 40
        Hex.Ascii("6.12.0", 128) +   // os_version_str1[128] at 48
        Hex.Ascii("#1 SMP", 128);    // os_version_str2[128] at 176

    [Fact]
    public void DriverInfo_Golden()
    {
        var v = new DriverInfo { OsType = GvnicConstants.OsTypeLinux, DriverMajor = 2, DriverMinor = 3, DriverSub = 4, OsVersionMajor = 6, OsVersionMinor = 12, OsVersionSub = 0x22 };
        v.SetDriverCapabilityFlags(0, GvnicConstants.DriverCapabilityFlags1);
        v.SetDriverCapabilityFlags(1, 0x0102030405060708);
        v.SetDriverCapabilityFlags(2, 0);
        v.SetDriverCapabilityFlags(3, 0x8000000000000001);
        "6.12.0"u8.CopyTo(v.OsVersionStr1);
        "#1 SMP"u8.CopyTo(v.OsVersionStr2);
        Hex.Equal(DriverInfoHex, Codec.Encode(DriverInfo.Size, v.Write));

        var r = DriverInfo.Read(Hex.Parse(DriverInfoHex));
        Assert.Equal((byte)1, r.OsType);
        Assert.Equal((byte)2, r.DriverMajor);
        Assert.Equal((byte)3, r.DriverMinor);
        Assert.Equal((byte)4, r.DriverSub);
        Assert.Equal(6u, r.OsVersionMajor);
        Assert.Equal(12u, r.OsVersionMinor);
        Assert.Equal(0x22u, r.OsVersionSub);
        Assert.Equal(4, DriverInfo.DriverCapabilityFlagsLength);
        Assert.Equal(0x7BUL, r.GetDriverCapabilityFlags(0));
        Assert.Equal(0x0102030405060708UL, r.GetDriverCapabilityFlags(1));
        Assert.Equal(0UL, r.GetDriverCapabilityFlags(2));
        Assert.Equal(0x8000000000000001UL, r.GetDriverCapabilityFlags(3));
        Assert.Equal(128, DriverInfo.OsVersionStr1Length);
        Assert.Equal(128, DriverInfo.OsVersionStr2Length);
        Assert.Equal(Hex.Parse(Hex.Ascii("6.12.0", 128)), r.OsVersionStr1.ToArray());
        Assert.Equal(Hex.Parse(Hex.Ascii("#1 SMP", 128)), r.OsVersionStr2.ToArray());
        Assert.Equal((byte)'#', r.GetOsVersionStr2(0));
        Assert.Equal((byte)0, r.GetOsVersionStr2(127));
        Valid.Clean(r.Validate);

        var img = Hex.Parse(DriverInfoHex);
        ref var view = ref DriverInfo.AsRef(img);
        view.SetDriverCapabilityFlags(2, 0x1122334455667788);
        view.SetOsVersionStr1(127, 0x7A);
        Hex.ChangedOnly(DriverInfoHex, img, (32, "1122334455667788"), (175, "7A"));
    }

    [Fact]
    public void StatsReport_Golden()
    {
        const string golden = "0102030405060708"; // written_count (be64) at 0
        var v = new StatsReport { WrittenCount = 0x0102030405060708 };
        Hex.Equal(golden, Codec.Encode(StatsReport.Size, v.Write));
        var r = StatsReport.Read(Hex.Parse(golden));
        Assert.Equal(0x0102030405060708UL, r.WrittenCount);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        StatsReport.AsRef(img).WrittenCount = 9;
        Hex.ChangedOnly(golden, img, 0, "0000000000000009");
    }

    [Fact]
    public void Stats_Golden()
    {
        const string golden =
            "00000003" +         // stat_name (be32) at 0: tx_frames_sent
            "00000007" +         // queue_id (be32) at 4
            "0000000012345678";  // value (be64) at 8
        var v = new Stats { StatName = StatNames.TxFramesSent, QueueId = 7, Value = 0x12345678 };
        Hex.Equal(golden, Codec.Encode(Stats.Size, v.Write));
        var r = Stats.Read(Hex.Parse(golden));
        Assert.Equal(StatNames.TxFramesSent, r.StatName);
        Assert.Equal(7u, r.QueueId);
        Assert.Equal(0x12345678UL, r.Value);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        Stats.AsRef(img).StatName = StatNames.RxDropsInvalidChecksum;
        Hex.ChangedOnly(golden, img, 0, "00000044");
    }

    [Fact]
    public void PtypeEntry_Golden()
    {
        const string golden =
            "02" + // l3_type at 0: ipv4
            "05";  // l4_type at 1: sctp
        var v = new PtypeEntry { L3Type = L3Type.Ipv4, L4Type = L4Type.Sctp };
        Hex.Equal(golden, Codec.Encode(PtypeEntry.Size, v.Write));
        var r = PtypeEntry.Read(Hex.Parse(golden));
        Assert.Equal(L3Type.Ipv4, r.L3Type);
        Assert.Equal(L4Type.Sctp, r.L4Type);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        PtypeEntry.AsRef(img).L4Type = L4Type.Icmp;
        Hex.ChangedOnly(golden, img, 1, "04");
    }

    internal static readonly string PtypeMapHex =
        "0202" +                  // ptypes[0] at 0: ipv4, tcp
        "0303" +                  // ptypes[1] at 2: ipv6, udp
        Hex.Zeros(2 * 1021) +     // ptypes[2..1022] at 4: unknown, unknown
        "0104";                   // ptypes[1023] at 2046: other, icmp

    [Fact]
    public void PtypeMap_Golden()
    {
        var v = new PtypeMap();
        v.SetPtypes(0, new PtypeEntry { L3Type = L3Type.Ipv4, L4Type = L4Type.Tcp });
        v.Ptypes[1] = new PtypeEntry { L3Type = L3Type.Ipv6, L4Type = L4Type.Udp };
        v.Ptypes[1023].L3Type = L3Type.Other;
        v.Ptypes[1023].L4Type = L4Type.Icmp;
        Hex.Equal(PtypeMapHex, Codec.Encode(PtypeMap.Size, v.Write));

        var r = PtypeMap.Read(Hex.Parse(PtypeMapHex));
        Assert.Equal(1024, PtypeMap.PtypesLength);
        Assert.Equal(1024, r.Ptypes.Length);
        Assert.Equal(L3Type.Ipv4, r.GetPtypes(0).L3Type);
        Assert.Equal(L4Type.Tcp, r.GetPtypes(0).L4Type);
        Assert.Equal(L3Type.Ipv6, r.GetPtypes(1).L3Type);
        Assert.Equal(L4Type.Udp, r.GetPtypes(1).L4Type);
        for (int i = 2; i < 1023; i++)
        {
            Assert.Equal(L3Type.Unknown, r.Ptypes[i].L3Type);
            Assert.Equal(L4Type.Unknown, r.Ptypes[i].L4Type);
        }
        Assert.Equal(L3Type.Other, r.GetPtypes(1023).L3Type);
        Assert.Equal(L4Type.Icmp, r.GetPtypes(1023).L4Type);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(PtypeMapHex);
        ref var view = ref PtypeMap.AsRef(img);
        view.SetPtypes(512, new PtypeEntry { L3Type = L3Type.Ipv6, L4Type = L4Type.Sctp });
        Hex.ChangedOnly(PtypeMapHex, img, 1024, "0305");
    }

    [Fact]
    public void QueueResources_Golden()
    {
        string golden =
            "00000123" +         // db_index (be32) at 0
            "00000045" +         // counter_index (be32) at 4
            Hex.Seq(0x80, 56);   // reserved[56] at 8 (reserved, ignored): 80 81 ... B7
        var v = new QueueResources { DbIndex = 0x123, CounterIndex = 0x45 };
        for (int i = 0; i < QueueResources.ReservedLength; i++) v.Reserved[i] = (byte)(0x80 + i);
        Hex.Equal(golden, Codec.Encode(QueueResources.Size, v.Write));
        var r = QueueResources.Read(Hex.Parse(golden));
        Assert.Equal(0x123u, r.DbIndex);
        Assert.Equal(0x45u, r.CounterIndex);
        Assert.Equal(56, QueueResources.ReservedLength);
        Assert.Equal((byte)0x80, r.GetReserved(0));
        Assert.Equal((byte)0xB7, r.GetReserved(55));
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        QueueResources.AsRef(img).CounterIndex = 0xDEADBEEF;
        Hex.ChangedOnly(golden, img, 4, "DEADBEEF");
    }

    [Fact]
    public void NicTsReport_Golden()
    {
        const string golden =
            "17F0A1B2C3D4E5F6" + // nic_timestamp (be64) at 0
            "0000000000000001" + // reserved1 (be64) at 8 (reserved, ignored)
            "0000000000000002" + // reserved2 (be64) at 16
            "0000000000000003" + // reserved3 (be64) at 24
            "0000000000000004";  // reserved4 (be64) at 32
        var v = new NicTsReport { NicTimestamp = 0x17F0A1B2C3D4E5F6, Reserved1 = 1, Reserved2 = 2, Reserved3 = 3, Reserved4 = 4 };
        Hex.Equal(golden, Codec.Encode(NicTsReport.Size, v.Write));
        var r = NicTsReport.Read(Hex.Parse(golden));
        Assert.Equal(0x17F0A1B2C3D4E5F6UL, r.NicTimestamp);
        Assert.Equal(1UL, r.Reserved1);
        Assert.Equal(2UL, r.Reserved2);
        Assert.Equal(3UL, r.Reserved3);
        Assert.Equal(4UL, r.Reserved4);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        NicTsReport.AsRef(img).NicTimestamp = 0x0000000100000002;
        Hex.ChangedOnly(golden, img, 0, "0000000100000002");
    }

    [Fact]
    public void QueryRssDescriptor_Golden()
    {
        const string golden =
            "000000B0" + // total_length (be32) at 0
            "0052" +     // hash_types (be16) at 4: tcpv4|tcpv6|udpv4
            "01" +       // hash_alg at 6: toeplitz
            "7E";        // reserved at 7 (reserved, ignored)
        var v = new QueryRssDescriptor { TotalLength = 0xB0, HashTypes = RssHashTypes.Tcpv4 | RssHashTypes.Tcpv6 | RssHashTypes.Udpv4, HashAlg = RssHashAlg.Toeplitz, Reserved = 0x7E };
        Hex.Equal(golden, Codec.Encode(QueryRssDescriptor.Size, v.Write));
        var r = QueryRssDescriptor.Read(Hex.Parse(golden));
        Assert.Equal(0xB0u, r.TotalLength);
        Assert.Equal(RssHashTypes.Tcpv4 | RssHashTypes.Tcpv6 | RssHashTypes.Udpv4, r.HashTypes);
        Assert.Equal(RssHashAlg.Toeplitz, r.HashAlg);
        Assert.Equal((byte)0x7E, r.Reserved);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        QueryRssDescriptor.AsRef(img).HashTypes = RssHashTypes.Udpv6Ex;
        Hex.ChangedOnly(golden, img, 4, "0100");
    }

    [Fact]
    public void QueryFlowRulesDescriptor_Golden()
    {
        const string golden =
            "00000003" + // num_flow_rules (be32) at 0
            "00001000" + // max_flow_rules (be32) at 4
            "00000002" + // num_queried_rules (be32) at 8
            "000000C0";  // total_length (be32) at 12
        var v = new QueryFlowRulesDescriptor { NumFlowRules = 3, MaxFlowRules = 4096, NumQueriedRules = 2, TotalLength = 0xC0 };
        Hex.Equal(golden, Codec.Encode(QueryFlowRulesDescriptor.Size, v.Write));
        var r = QueryFlowRulesDescriptor.Read(Hex.Parse(golden));
        Assert.Equal(3u, r.NumFlowRules);
        Assert.Equal(4096u, r.MaxFlowRules);
        Assert.Equal(2u, r.NumQueriedRules);
        Assert.Equal(0xC0u, r.TotalLength);
        Valid.Clean(r.Validate);
        var img = Hex.Parse(golden);
        QueryFlowRulesDescriptor.AsRef(img).NumQueriedRules = 0x01000000;
        Hex.ChangedOnly(golden, img, 8, "01000000");
    }
}
