using System;
using System.Linq;
using System.Reflection;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

public class ToStringTests
{
    [Fact]
    public void TxComplDesc_ShowsFieldsAndTheSelectedMember()
    {
        string text = TxComplDesc.Read(Hex.Parse(GoldenDqoTests.ComplDescHex)).ToString();
        Assert.StartsWith("TxComplDesc { ", text);
        Assert.Contains("Id = 1443", text);          // 0x5A3
        Assert.Contains("Type = Desc", text);
        Assert.Contains("Reserved0 = 1", text);
        Assert.Contains("Generation = True", text);
        Assert.Contains("TxHead = 291", text);       // 0x123
        Assert.Contains("Reserved1 = 287454020", text); // 0x11223344
        Assert.DoesNotContain("CompletionTag", text);
    }

    [Fact]
    public void AdminqCommand_ShowsOpcodeStatusAndBody()
    {
        string hex = "00000005" + "00000001" + GoldenAdminqBodyTests.CreateTxQueueHex + Hex.Zeros(8);
        string text = AdminqCommand.Read(Hex.Parse(hex)).ToString();
        Assert.Contains("Opcode = CreateTxQueue", text);
        Assert.Contains("Status = CommandPassed", text);
        Assert.Contains("CreateTxQueue = ", text);
        Assert.Contains("QueueId = 3", text);
        Assert.Contains("NtfyId = 7", text);
        Assert.Contains("TxRingSize = 512", text);
        Assert.Contains("TxCompRingSize = 1024", text);
        Assert.DoesNotContain("DescribeDevice", text);
    }

    [Fact]
    public void DeviceDescriptor_ShowsEveryField()
    {
        string text = DeviceDescriptor.Read(Hex.Parse(GoldenPayloadTests.DeviceDescriptorHex)).ToString();
        Assert.Contains("Mtu = 1460", text);
        Assert.Contains("Mac = 42010A800002", text);
        Assert.Contains("NumDeviceOptions = 3", text);
        Assert.Contains("TotalLength = 88", text);
        Assert.Contains("Reserved2 = A1A2A3A4A5A6", text);
    }

    [Fact]
    public void RxComplDescDqo_ShowsBitfields()
    {
        string text = RxComplDescDqo.Read(Hex.Parse(GoldenDqoTests.RxComplHex)).ToString();
        Assert.Contains("PacketLen = 9710", text);   // 0x25EE
        Assert.Contains("PacketType = 709", text);   // 0x2C5
        Assert.Contains("Generation = True", text);
        Assert.Contains("CsumL4Err = True", text);
        Assert.Contains("CsumIpErr = False", text);
        Assert.Contains("BufId = 4660", text);       // 0x1234
        Assert.Contains("RawCs = 43981", text);      // 0xABCD
    }

    [Fact]
    public void TxDescDqo_ShowsTheSelectedDescriptor()
    {
        string text = TxDescDqo.Read(Hex.Parse(GoldenDqoTests.PktHex)).ToString();
        Assert.Contains("Pkt = ", text);
        Assert.Contains("Dtype = Packet", text);
        Assert.Contains("EndOfPacket = True", text);
        Assert.Contains("ComplTag = 4660", text);
        Assert.Contains("BufSize = 10940", text);    // 0x2ABC
        Assert.DoesNotContain("TsoCtx", text);
    }

    [Fact]
    public void FlowSpec_ShowsArraysAndUnionMembers()
    {
        string text = FlowSpec.Read(Hex.Parse(GoldenFlowTests.KeyHex)).ToString();
        Assert.Contains("SrcPort = 8080", text);
        Assert.Contains("DstPort = 443", text);
        Assert.Contains("Tos = 184", text);
        Assert.Contains("SrcIp = [3232235521, ", text); // 0xC0A80001
    }

    // Structs whose unions are chosen by a selector show only the member in force; the others show all.
    private static readonly string[] Selected = { "adminq_command", "tx_desc", "tx_desc_dqo", "tx_compl_desc" };

    [Theory]
    [MemberData(nameof(WireCatalog.Cases), MemberType = typeof(WireCatalog))]
    public void EveryField_IsNamed(WireCase c)
    {
        if (Array.IndexOf(Selected, c.SchemaName) >= 0) return;
        string text = c.Describe(new byte[c.GeneratedSize]);
        Assert.StartsWith(c.Type.Name + " { ", text);
        var names = c.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => !p.Name.StartsWith("Is", StringComparison.Ordinal))
            .Select(p => p.Name);
        foreach (var name in names)
            Assert.True(text.Contains(name + " = ", StringComparison.Ordinal), c.SchemaName + ".ToString() does not name " + name + ": " + text);
    }
}
