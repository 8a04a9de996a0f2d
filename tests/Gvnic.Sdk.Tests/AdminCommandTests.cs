using System;
using Gvnic.Admin;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

public class AdminCommandTests
{
    private static byte[] Slot(out byte[] bytes)
    {
        bytes = new byte[AdminqCommand.Size];
        bytes.AsSpan().Fill(0xEE); // builders must clear leftovers
        return bytes;
    }

    private static string Hex(byte[] b, int start, int length) => Convert.ToHexString(b, start, length);

    [Fact]
    public void CreateTxQueueWritesBigEndianBody()
    {
        Slot(out byte[] b);
        AdminCommands.CreateTxQueue(ref AdminqCommand.AsRef(b), queueId: 3, notifyBlock: 3, queueResourcesAddress: 0x1122334455667788,
            ringAddress: 0x0000001000002000, ringSize: 256, pageListId: 3);
        Assert.Equal("00000005", Hex(b, 0, 4));          // opcode
        Assert.Equal("00000000", Hex(b, 4, 4));          // status cleared
        Assert.Equal("00000003", Hex(b, 8, 4));          // queue_id
        Assert.Equal("00000000", Hex(b, 12, 4));         // reserved
        Assert.Equal("1122334455667788", Hex(b, 16, 8)); // queue_resources_addr
        Assert.Equal("0000001000002000", Hex(b, 24, 8)); // tx_ring_addr
        Assert.Equal("00000003", Hex(b, 32, 4));         // queue_page_list_id
        Assert.Equal("00000003", Hex(b, 36, 4));         // ntfy_id
        Assert.Equal("0000000000000000", Hex(b, 40, 8)); // tx_comp_ring_addr
        Assert.Equal("0100", Hex(b, 48, 2));             // tx_ring_size
        Assert.Equal(new byte[14], b[50..]);
        Assert.True(AdminqCommand.AsReadOnly(b).Validate());
    }

    [Fact]
    public void CreateRxQueueCarriesSizesAndRdaId()
    {
        Slot(out byte[] b);
        AdminCommands.CreateRxQueue(ref AdminqCommand.AsRef(b), queueId: 1, notifyBlock: 5, queueResourcesAddress: 0x1000,
            descriptorRingAddress: 0x2000, dataRingAddress: 0x3000, ringSize: 512, packetBufferSize: 2048, pageListId: GvnicConstants.RawAddressingQplId);
        ref readonly AdminqCommand cmd = ref AdminqCommand.AsReadOnly(b);
        Assert.Equal(AdminqOpcodes.CreateRxQueue, cmd.Opcode);
        Assert.Equal("00000001" + "00000001" + "00000000" + "00000005", Hex(b, 8, 16)); // queue_id, index, reserved, ntfy_id
        Assert.Equal("0000000000001000" + "0000000000002000" + "0000000000003000", Hex(b, 24, 24));
        Assert.Equal("FFFFFFFF", Hex(b, 48, 4));
        Assert.Equal("0200" + "0800" + "0000", Hex(b, 52, 6));
    }

    [Fact]
    public void DescribeDeviceUsesVersionOne()
    {
        Slot(out byte[] b);
        AdminCommands.DescribeDevice(ref AdminqCommand.AsRef(b), 0xABCD000, 4096);
        Assert.Equal("00000001" + "00000000" + "000000000ABCD000" + "00000001" + "00001000", Hex(b, 0, 24));
        Assert.Equal(new byte[40], b[24..]);
    }

    [Fact]
    public void ConfigureDeviceResourcesCarriesFormat()
    {
        Slot(out byte[] b);
        AdminCommands.ConfigureDeviceResources(ref AdminqCommand.AsRef(b), 0x5000, 16, 0x6000, 4, 64, 0, QueueFormat.GqiQpl);
        Assert.Equal("00000002" + "00000000" + "0000000000005000" + "0000000000006000" + "00000010" + "00000004" + "00000040" + "00000000" + "02", Hex(b, 0, 41));
    }

    [Fact]
    public void SmallCommands()
    {
        Slot(out byte[] b);
        AdminCommands.RegisterPageList(ref AdminqCommand.AsRef(b), 4, 128, 0x7000);
        Assert.Equal("00000003" + "00000000" + "00000004" + "00000080" + "0000000000007000" + "0000000000001000", Hex(b, 0, 32));
        AdminCommands.UnregisterPageList(ref AdminqCommand.AsRef(b), 4);
        Assert.Equal("00000004" + "00000000" + "00000004", Hex(b, 0, 12));
        Assert.Equal(new byte[52], b[12..]);
        AdminCommands.DestroyTxQueue(ref AdminqCommand.AsRef(b), 2);
        Assert.Equal("00000007" + "00000000" + "00000002", Hex(b, 0, 12));
        AdminCommands.DestroyRxQueue(ref AdminqCommand.AsRef(b), 2);
        Assert.Equal("00000008" + "00000000" + "00000002", Hex(b, 0, 12));
        AdminCommands.DeconfigureDeviceResources(ref AdminqCommand.AsRef(b));
        Assert.Equal("00000009", Hex(b, 0, 4));
        Assert.Equal(new byte[60], b[4..]);
        AdminCommands.ReportLinkSpeed(ref AdminqCommand.AsRef(b), 0x8000);
        Assert.Equal("0000000D" + "00000000" + "0000000000008000", Hex(b, 0, 16));
        AdminCommands.ReportStats(ref AdminqCommand.AsRef(b), 0x9000, 200, 20000);
        Assert.Equal("0000000C" + "00000000" + "00000000000000C8" + "0000000000009000" + "0000000000004E20", Hex(b, 0, 32));
        AdminCommands.VerifyDriverCompatibility(ref AdminqCommand.AsRef(b), 0xA000);
        Assert.Equal("0000000F" + "00000000" + "0000000000000130" + "000000000000A000", Hex(b, 0, 24));
        AdminCommands.GetPtypeMap(ref AdminqCommand.AsRef(b), 0xB000);
        Assert.Equal("0000000E" + "00000000" + "0000000000000800" + "000000000000B000", Hex(b, 0, 24));
        AdminCommands.SetDriverParameter(ref AdminqCommand.AsRef(b), SetDriverParamTypes.Mtu, 1500);
        Assert.Equal("0000000B" + "00000000" + "00000001" + "00000000" + "00000000000005DC", Hex(b, 0, 24));
    }

    [Fact]
    public void DriverInfoHasCapabilitiesAndStrings()
    {
        var bytes = new byte[DriverInfo.Size];
        AdminCommands.FillDriverInfo(ref DriverInfo.AsRef(bytes), 1, 2, 3, "Linux 6.12", "gvnic 1.2.3");
        Assert.Equal("01010203", Hex(bytes, 0, 4));
        Assert.Equal("000000000000007B", Hex(bytes, 16, 8));
        Assert.Equal("Linux 6.12", System.Text.Encoding.ASCII.GetString(bytes, 48, 10));
        Assert.Equal(0, bytes[58]);
        Assert.Equal("gvnic 1.2.3", System.Text.Encoding.ASCII.GetString(bytes, 176, 11));
    }

    [Fact]
    public void QueueIdIsFoundForQueueCommands()
    {
        var b = new byte[AdminqCommand.Size];
        AdminCommands.DestroyRxQueue(ref AdminqCommand.AsRef(b), 9);
        Assert.True(AdminCommands.TryGetQueueId(in AdminqCommand.AsReadOnly(b), out uint q));
        Assert.Equal(9u, q);
        AdminCommands.DeconfigureDeviceResources(ref AdminqCommand.AsRef(b));
        Assert.False(AdminCommands.TryGetQueueId(in AdminqCommand.AsReadOnly(b), out _));
    }

    [Fact]
    public void NamesFollowUpstream()
    {
        Assert.Equal("CREATE_RX_QUEUE (0x6)", AdminNames.Describe(AdminqOpcodes.CreateRxQueue));
        Assert.Equal("INVALID_ARGUMENT (0xFFFFFFF7)", AdminNames.Describe(AdminqStatuses.CommandErrorInvalidArgument));
        Assert.Equal("UNIMPLEMENTED", AdminNames.Of(AdminqStatuses.CommandErrorUnimplemented));
        Assert.Equal("PASSED", AdminNames.Of(AdminqStatuses.CommandPassed));
        Assert.Equal("OPCODE_0x77", AdminNames.Of((AdminqOpcodes)0x77));
        Assert.Equal("STATUS_0x2", AdminNames.Of((AdminqStatuses)2));
        Assert.Equal("UNSET", AdminNames.Of(AdminqStatuses.CommandUnset));
        Assert.Equal("DATALOSS (0xFFFFFFF3)", AdminNames.Describe(AdminqStatuses.CommandErrorDataloss));
        Assert.Equal("REPORT_NIC_TIMESTAMP (0x11)", AdminNames.Describe(AdminqOpcodes.ReportNicTimestamp));
        Assert.Equal("EXTENDED_COMMAND", AdminNames.Of(AdminqOpcodes.ExtendedCommand));
    }

    /// <summary>Every name is the schema's (the generated catalog), upper-cased; statuses without their command_ prefixes.</summary>
    [Fact]
    public void NamesComeFromTheSchemaCatalog()
    {
        WireEnum opcodes = GvnicCatalog.FindEnum("adminq_opcodes")!;
        Assert.Equal(19, opcodes.Values.Count);
        foreach (WireEnumValue v in opcodes.Values)
            Assert.Equal(v.Name.ToUpperInvariant() + " (0x" + v.Value.ToString("X") + ")", AdminNames.Describe((AdminqOpcodes)v.Value));
        WireEnum statuses = GvnicCatalog.FindEnum("adminq_statuses")!;
        Assert.Equal(18, statuses.Values.Count);
        foreach (WireEnumValue v in statuses.Values)
        {
            string expected = v.Name.StartsWith("command_error_", StringComparison.Ordinal) ? v.Name["command_error_".Length..] : v.Name["command_".Length..];
            Assert.Equal(expected.ToUpperInvariant(), AdminNames.Of((AdminqStatuses)v.Value));
        }
    }
}
