using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// adminq_command: a 64-byte slot, opcode (be32) at 0, status (be32) at 4, a 56-byte body at 8 chosen by the
/// opcode; body bytes the command does not use are zero.
/// </summary>
public class GoldenAdminqCommandTests
{
    [Fact]
    public void DescribeDevice_Golden()
    {
        string golden =
            "00000001" +                                  // opcode (be32) at 0: describe_device
            "FFFFFFFE" +                                  // status (be32) at 4: command_error_unimplemented
            GoldenAdminqBodyTests.DescribeDeviceHex +     // body.describe_device at 8 (16 bytes)
            Hex.Zeros(40);                                // rest of the 56-byte body at 24
        var v = new AdminqCommand { Opcode = AdminqOpcodes.DescribeDevice, Status = AdminqStatuses.CommandErrorUnimplemented };
        v.DescribeDevice.DeviceDescriptorAddr = 0x0011223344556677;
        v.DescribeDevice.DeviceDescriptorVersion = GvnicConstants.AdminqDeviceDescriptorVersion;
        v.DescribeDevice.AvailableLength = GvnicConstants.PageSize;
        Hex.Equal(golden, Codec.Encode(AdminqCommand.Size, v.Write));

        var r = AdminqCommand.Read(Hex.Parse(golden));
        Assert.Equal(AdminqOpcodes.DescribeDevice, r.Opcode);
        Assert.Equal(AdminqStatuses.CommandErrorUnimplemented, r.Status);
        Assert.True(r.IsDescribeDevice);
        Assert.False(r.IsCreateTxQueue);
        Assert.False(r.IsExtendedCommand);
        Assert.Equal(0x0011223344556677UL, r.DescribeDevice.DeviceDescriptorAddr);
        Assert.Equal(1u, r.DescribeDevice.DeviceDescriptorVersion);
        Assert.Equal(4096u, r.DescribeDevice.AvailableLength);
        Valid.Clean(r.Validate);

        // The device writes the status in place.
        var img = Hex.Parse(golden);
        ref var slot = ref AdminqCommand.AsRef(img);
        slot.Status = AdminqStatuses.CommandPassed;
        Hex.ChangedOnly(golden, img, 4, "00000001");
        slot.DescribeDevice.AvailableLength = 0x2000;
        Hex.ChangedOnly(golden, img, (4, "00000001"), (20, "00002000"));
    }

    [Fact]
    public void CreateTxQueue_Golden()
    {
        string golden =
            "00000005" +                                  // opcode at 0: create_tx_queue
            "00000000" +                                  // status at 4: command_unset
            GoldenAdminqBodyTests.CreateTxQueueHex +      // body.create_tx_queue at 8 (48 bytes)
            Hex.Zeros(8);                                 // rest of the body at 56
        var v = new AdminqCommand { Opcode = AdminqOpcodes.CreateTxQueue };
        ref var body = ref v.CreateTxQueue;
        body.QueueId = 3;
        body.QueueResourcesAddr = 0x0000000112345040;
        body.TxRingAddr = 0x0000000198765000;
        body.QueuePageListId = 0xFFFFFFFF;
        body.NtfyId = 7;
        body.TxCompRingAddr = 0x00000001ABCDE000;
        body.TxRingSize = 512;
        body.TxCompRingSize = 1024;
        Hex.Equal(golden, Codec.Encode(AdminqCommand.Size, v.Write));

        var r = AdminqCommand.Read(Hex.Parse(golden));
        Assert.Equal(AdminqOpcodes.CreateTxQueue, r.Opcode);
        Assert.Equal(AdminqStatuses.CommandUnset, r.Status);
        Assert.True(r.IsCreateTxQueue);
        Assert.False(r.IsDescribeDevice);
        Assert.False(r.IsCreateRxQueue);
        Assert.Equal(3u, r.CreateTxQueue.QueueId);
        Assert.Equal(0xFFFFFFFFu, r.CreateTxQueue.QueuePageListId);
        Assert.Equal((ushort)1024, r.CreateTxQueue.TxCompRingSize);
        Valid.Clean(r.Validate);

        // cmd.CreateTxQueue.QueueId = n writes straight into the slot (body offset 8 + field offset 0).
        var img = Hex.Parse(golden);
        AdminqCommand.AsRef(img).CreateTxQueue.QueueId = 0x0A0B0C0D;
        Hex.ChangedOnly(golden, img, 8, "0A0B0C0D");
    }

    [Fact]
    public void CreateRxQueue_FillsTheWholeBody_Golden()
    {
        string golden =
            "00000006" +                                  // opcode at 0: create_rx_queue
            "00000001" +                                  // status at 4: command_passed
            GoldenAdminqBodyTests.CreateRxQueueHex;       // body.create_rx_queue at 8 (56 bytes, the whole body)
        var v = new AdminqCommand { Opcode = AdminqOpcodes.CreateRxQueue, Status = AdminqStatuses.CommandPassed };
        ref var b = ref v.CreateRxQueue;
        b.QueueId = 2; b.Index = 0x102; b.NtfyId = 9; b.QueueResourcesAddr = 0x000000010A0B0C00;
        b.RxDescRingAddr = 0x000000020D0E0F00; b.RxDataRingAddr = 0x0000000310203000; b.QueuePageListId = 4;
        b.RxRingSize = 1024; b.PacketBufferSize = 2048; b.RxBuffRingSize = 512; b.EnableRsc = 1; b.HeaderBufferSize = 128;
        Hex.Equal(golden, Codec.Encode(AdminqCommand.Size, v.Write));
        var r = AdminqCommand.Read(Hex.Parse(golden));
        Assert.True(r.IsCreateRxQueue);
        Assert.Equal(AdminqStatuses.CommandPassed, r.Status);
        Assert.Equal((ushort)128, r.CreateRxQueue.HeaderBufferSize);
        Assert.Equal(0x0000000310203000UL, r.CreateRxQueue.RxDataRingAddr);
        Valid.Clean(r.Validate);
    }

    [Fact]
    public void ConfigureRss_Golden()
    {
        string golden =
            "0000000A" +                                  // opcode at 0: configure_rss
            "FFFFFFF7" +                                  // status at 4: command_error_invalid_argument
            GoldenAdminqBodyTests.ConfigureRssHex +       // body.configure_rss at 8 (24 bytes)
            Hex.Zeros(32);
        var v = new AdminqCommand { Opcode = AdminqOpcodes.ConfigureRss, Status = AdminqStatuses.CommandErrorInvalidArgument };
        v.ConfigureRss.HashTypes = RssHashTypes.Ipv4 | RssHashTypes.Tcpv4 | RssHashTypes.Udpv4 | RssHashTypes.Udpv6Ex;
        v.ConfigureRss.HashAlg = RssHashAlg.Toeplitz;
        v.ConfigureRss.HashKeySize = 40;
        v.ConfigureRss.HashLutSize = 128;
        v.ConfigureRss.HashKeyAddr = 0x0000000123456780;
        v.ConfigureRss.HashLutAddr = 0x0000000189ABCDE0;
        Hex.Equal(golden, Codec.Encode(AdminqCommand.Size, v.Write));
        var r = AdminqCommand.Read(Hex.Parse(golden));
        Assert.True(r.IsConfigureRss);
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, r.Status);
        Assert.Equal(RssHashAlg.Toeplitz, r.ConfigureRss.HashAlg);
        Assert.Equal(0x0000000189ABCDE0UL, r.ConfigureRss.HashLutAddr);
        Valid.Clean(r.Validate);
    }

    [Fact]
    public void ExtendedCommand_Golden()
    {
        string golden =
            "000000FF" +                                  // opcode at 0: extended_command
            "00000000" +                                  // status at 4
            GoldenAdminqBodyTests.ExtendedCommandHex +    // body.extended_command at 8 (16 bytes)
            Hex.Zeros(40);
        var v = new AdminqCommand { Opcode = AdminqOpcodes.ExtendedCommand };
        v.ExtendedCommand.InnerOpcode = AdminqExtendedOpcodes.ConfigureFlowRule;
        v.ExtendedCommand.InnerLength = AdminqConfigureFlowRule.Size;
        v.ExtendedCommand.InnerCommandAddr = 0x0000000155667700;
        Hex.Equal(golden, Codec.Encode(AdminqCommand.Size, v.Write));
        var r = AdminqCommand.Read(Hex.Parse(golden));
        Assert.True(r.IsExtendedCommand);
        Assert.False(r.IsQueryFlowRules);
        Assert.Equal(AdminqExtendedOpcodes.ConfigureFlowRule, r.ExtendedCommand.InnerOpcode);
        Assert.Equal(92u, r.ExtendedCommand.InnerLength);
        Valid.Clean(r.Validate);
    }

    [Fact]
    public void DeconfigureDeviceResources_HasNoBody_Golden()
    {
        string golden =
            "00000009" +      // opcode at 0: deconfigure_device_resources
            "00000000" +      // status at 4
            Hex.Zeros(56);    // no body
        var v = new AdminqCommand { Opcode = AdminqOpcodes.DeconfigureDeviceResources };
        Hex.Equal(golden, Codec.Encode(AdminqCommand.Size, v.Write));
        var r = AdminqCommand.Read(Hex.Parse(golden));
        Assert.Equal(AdminqOpcodes.DeconfigureDeviceResources, r.Opcode);
        Assert.False(r.IsDescribeDevice);
        Assert.False(r.IsConfigureDeviceResources);
        Assert.False(r.IsExtendedCommand);
        Valid.Clean(r.Validate);
    }

    [Fact]
    public void EveryOpcode_SelectsItsMember()
    {
        var cases = new (AdminqOpcodes Opcode, string Hex, System.Func<AdminqCommand, bool> Is)[]
        {
            (AdminqOpcodes.DescribeDevice, "00000001", c => c.IsDescribeDevice),
            (AdminqOpcodes.ConfigureDeviceResources, "00000002", c => c.IsConfigureDeviceResources),
            (AdminqOpcodes.RegisterPageList, "00000003", c => c.IsRegisterPageList),
            (AdminqOpcodes.UnregisterPageList, "00000004", c => c.IsUnregisterPageList),
            (AdminqOpcodes.CreateTxQueue, "00000005", c => c.IsCreateTxQueue),
            (AdminqOpcodes.CreateRxQueue, "00000006", c => c.IsCreateRxQueue),
            (AdminqOpcodes.DestroyTxQueue, "00000007", c => c.IsDestroyTxQueue),
            (AdminqOpcodes.DestroyRxQueue, "00000008", c => c.IsDestroyRxQueue),
            (AdminqOpcodes.ConfigureRss, "0000000A", c => c.IsConfigureRss),
            (AdminqOpcodes.SetDriverParameter, "0000000B", c => c.IsSetDriverParameter),
            (AdminqOpcodes.ReportStats, "0000000C", c => c.IsReportStats),
            (AdminqOpcodes.ReportLinkSpeed, "0000000D", c => c.IsReportLinkSpeed),
            (AdminqOpcodes.GetPtypeMap, "0000000E", c => c.IsGetPtypeMap),
            (AdminqOpcodes.VerifyDriverCompatibility, "0000000F", c => c.IsVerifyDriverCompatibility),
            (AdminqOpcodes.QueryFlowRules, "00000010", c => c.IsQueryFlowRules),
            (AdminqOpcodes.ReportNicTimestamp, "00000011", c => c.IsReportNicTimestamp),
            (AdminqOpcodes.QueryRss, "00000012", c => c.IsQueryRss),
            (AdminqOpcodes.ExtendedCommand, "000000FF", c => c.IsExtendedCommand),
        };
        foreach (var (opcode, hex, isMember) in cases)
        {
            var image = Hex.Parse(hex + Hex.Zeros(60));
            var cmd = AdminqCommand.Read(image);
            Assert.Equal(opcode, cmd.Opcode);
            Assert.True(isMember(cmd), opcode + " does not select its member");
            foreach (var (other, _, otherIs) in cases)
                if (other != opcode) Assert.False(otherIs(cmd), opcode + " also selects " + other);
            var written = new AdminqCommand { Opcode = opcode };
            Hex.Equal(hex + Hex.Zeros(60), Codec.Encode(AdminqCommand.Size, written.Write));
        }
    }
}
