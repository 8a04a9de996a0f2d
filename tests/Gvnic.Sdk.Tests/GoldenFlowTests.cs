using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Golden images of the flow-steering structs, from layouts-admin-queue.md (flow_spec: src_ip[4] at 0,
/// dst_ip[4] at 16, src_port at 32, dst_port at 34 or spi at 32, tos/tclass at 36, padded to 40; all big-endian).
/// </summary>
public class GoldenFlowTests
{
    internal const string KeyHex =
        "C0A80001" + "20010DB8" + "01020304" + "05060708" + // src_ip[4] (be32 each) at 0
        "0A000001" + "0A000002" + "0A000003" + "0A000004" + // dst_ip[4] (be32 each) at 16
        "1F90" +                                             // src_port (be16) at 32: 8080
        "01BB" +                                             // dst_port (be16) at 34: 443
        "B8" +                                               // tos at 36
        "000000";                                            // padding[3] at 37

    internal static void FillKey(ref FlowSpec s)
    {
        s.SetSrcIp(0, 0xC0A80001);
        s.SetSrcIp(1, 0x20010DB8);
        s.SetSrcIp(2, 0x01020304);
        s.SetSrcIp(3, 0x05060708);
        for (int i = 0; i < 4; i++) s.SetDstIp(i, 0x0A000001u + (uint)i);
        s.SrcPort = 8080;
        s.DstPort = 443;
        s.Tos = 0xB8;
    }

    internal const string MaskHex =
        "FFFFFFFF" + "FFFFFFFF" + "FFFFFFFF" + "FFFFFFFF" + // src_ip[4] at 0
        "FFFFFFFF" + "FFFFFFFF" + "00000000" + "00000000" + // dst_ip[4] at 16
        "FFFF" +                                             // src_port at 32
        "0000" +                                             // dst_port at 34
        "FC" +                                               // tclass at 36
        "000000";                                            // padding[3] at 37

    internal static void FillMask(ref FlowSpec s)
    {
        for (int i = 0; i < 4; i++) s.SetSrcIp(i, 0xFFFFFFFF);
        s.SetDstIp(0, 0xFFFFFFFF);
        s.SetDstIp(1, 0xFFFFFFFF);
        s.Ports = 0xFFFF0000; // src_port in the high half: bytes 32..33
        s.Tclass = 0xFC;
    }

    [Fact]
    public void FlowSpec_Golden()
    {
        var v = new FlowSpec();
        FillKey(ref v);
        Hex.Equal(KeyHex, Codec.Encode(FlowSpec.Size, v.Write));

        var r = FlowSpec.Read(Hex.Parse(KeyHex));
        Assert.Equal(4, FlowSpec.SrcIpLength);
        Assert.Equal(4, FlowSpec.DstIpLength);
        Assert.Equal(0xC0A80001u, r.GetSrcIp(0));
        Assert.Equal(0x20010DB8u, r.GetSrcIp(1));
        Assert.Equal(0x01020304u, r.GetSrcIp(2));
        Assert.Equal(0x05060708u, r.GetSrcIp(3));
        for (int i = 0; i < 4; i++) Assert.Equal(0x0A000001u + (uint)i, r.GetDstIp(i));
        Assert.Equal((ushort)8080, r.SrcPort);
        Assert.Equal((ushort)443, r.DstPort);
        Assert.Equal(0x1F9001BBu, r.Ports);
        Assert.Equal(0x1F9001BBu, r.Spi);      // union member over the same 4 bytes
        Assert.Equal((byte)0xB8, r.Tos);
        Assert.Equal((byte)0xB8, r.Tclass);    // union member over the same byte
        Assert.Equal(new byte[3], r.Padding.ToArray());
        Valid.Clean(r.Validate);

        var img = Hex.Parse(KeyHex);
        ref var view = ref FlowSpec.AsRef(img);
        view.DstPort = 0xABCD;
        Hex.ChangedOnly(KeyHex, img, 34, "ABCD");
        view.Spi = 0xDEADBEEF;
        Hex.ChangedOnly(KeyHex, img, 32, "DEADBEEF");
        Assert.Equal((ushort)0xDEAD, view.SrcPort);
        Assert.Equal((ushort)0xBEEF, view.DstPort);
        view.SetDstIp(3, 0x7F000001);
        Hex.ChangedOnly(KeyHex, img, (28, "7F000001"), (32, "DEADBEEF"));
    }

    internal const string FlowRuleHex =
        "0005" +   // flow_type (be16) at 0: tcpv6
        "0003" +   // action (be16) at 2: RX queue 3
        KeyHex +   // key (flow_spec) at 4: src_ip 4, dst_ip 20, src_port 36, dst_port 38, tos 40
        MaskHex;   // mask (flow_spec) at 44: src_ip 44, dst_ip 60, src_port 76, dst_port 78, tclass 80

    [Fact]
    public void AdminqFlowRule_Golden()
    {
        var v = new AdminqFlowRule { FlowType = FlowType.Tcpv6, Action = 3 };
        FillKey(ref v.Key);
        FillMask(ref v.Mask);
        Hex.Equal(FlowRuleHex, Codec.Encode(AdminqFlowRule.Size, v.Write));

        var r = AdminqFlowRule.Read(Hex.Parse(FlowRuleHex));
        Assert.Equal(FlowType.Tcpv6, r.FlowType);
        Assert.Equal((ushort)3, r.Action);
        AssertKey(r.Key);
        AssertMask(r.Mask);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(FlowRuleHex);
        ref var view = ref AdminqFlowRule.AsRef(img);
        view.Mask.DstPort = 0x00FF;       // mask dst_port at 44 + 34 = 78
        view.Key.SetSrcIp(0, 0x0A0B0C0D); // key src_ip[0] at 4
        Hex.ChangedOnly(FlowRuleHex, img, (4, "0A0B0C0D"), (78, "00FF"));
    }

    internal static void AssertKey(in FlowSpec k)
    {
        Assert.Equal(0xC0A80001u, k.GetSrcIp(0));
        Assert.Equal(0x05060708u, k.GetSrcIp(3));
        Assert.Equal(0x0A000004u, k.GetDstIp(3));
        Assert.Equal((ushort)8080, k.SrcPort);
        Assert.Equal((ushort)443, k.DstPort);
        Assert.Equal((byte)0xB8, k.Tos);
    }

    internal static void AssertMask(in FlowSpec m)
    {
        for (int i = 0; i < 4; i++) Assert.Equal(0xFFFFFFFFu, m.GetSrcIp(i));
        Assert.Equal(0xFFFFFFFFu, m.GetDstIp(1));
        Assert.Equal(0u, m.GetDstIp(2));
        Assert.Equal((ushort)0xFFFF, m.SrcPort);
        Assert.Equal((ushort)0, m.DstPort);
        Assert.Equal((byte)0xFC, m.Tclass);
    }

    internal const string ConfigureFlowRuleHex =
        "0001" +                                               // opcode (be16) at 0: del
        "0000" +                                               // padding[2] at 2
        "0004" +                                               // rule.flow_type (be16) at 4: espv4
        "0011" +                                               // rule.action (be16) at 6
        "0A0B0C0D" + "00000000" + "00000000" + "00000000" +    // rule.key.src_ip[4] at 8
        "0E0F1011" + "00000000" + "00000000" + "00000000" +    // rule.key.dst_ip[4] at 24
        "DEADBEEF" +                                           // rule.key.spi (be32) at 40
        "10" + "000000" +                                      // rule.key.tos at 44, padding at 45
        "FFFFFFFF" + "00000000" + "00000000" + "00000000" +    // rule.mask.src_ip[4] at 48
        "FFFFFFFF" + "00000000" + "00000000" + "00000000" +    // rule.mask.dst_ip[4] at 64
        "FFFFFFFF" +                                           // rule.mask.spi at 80
        "00" + "000000" +                                      // rule.mask.tos at 84, padding at 85
        "0000002A";                                            // location (be32) at 88

    [Fact]
    public void AdminqConfigureFlowRule_Golden()
    {
        var v = new AdminqConfigureFlowRule { Opcode = FlowRuleCfgOpcode.Del, Location = 42 };
        v.Rule.FlowType = FlowType.Espv4;
        v.Rule.Action = 0x11;
        v.Rule.Key.SetSrcIp(0, 0x0A0B0C0D);
        v.Rule.Key.SetDstIp(0, 0x0E0F1011);
        v.Rule.Key.Spi = 0xDEADBEEF;
        v.Rule.Key.Tos = 0x10;
        v.Rule.Mask.SetSrcIp(0, 0xFFFFFFFF);
        v.Rule.Mask.SetDstIp(0, 0xFFFFFFFF);
        v.Rule.Mask.Spi = 0xFFFFFFFF;
        Hex.Equal(ConfigureFlowRuleHex, Codec.Encode(AdminqConfigureFlowRule.Size, v.Write));

        var r = AdminqConfigureFlowRule.Read(Hex.Parse(ConfigureFlowRuleHex));
        Assert.Equal(FlowRuleCfgOpcode.Del, r.Opcode);
        Assert.Equal(new byte[2], r.Padding.ToArray());
        Assert.Equal(FlowType.Espv4, r.Rule.FlowType);
        Assert.Equal((ushort)0x11, r.Rule.Action);
        Assert.Equal(0x0A0B0C0Du, r.Rule.Key.GetSrcIp(0));
        Assert.Equal(0x0E0F1011u, r.Rule.Key.GetDstIp(0));
        Assert.Equal(0xDEADBEEFu, r.Rule.Key.Spi);
        Assert.Equal((byte)0x10, r.Rule.Key.Tos);
        Assert.Equal(0xFFFFFFFFu, r.Rule.Mask.GetSrcIp(0));
        Assert.Equal(0u, r.Rule.Mask.GetSrcIp(1));
        Assert.Equal(0xFFFFFFFFu, r.Rule.Mask.Spi);
        Assert.Equal(42u, r.Location);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(ConfigureFlowRuleHex);
        ref var view = ref AdminqConfigureFlowRule.AsRef(img);
        view.Location = 0x01020304;
        view.Rule.Mask.Tos = 0xE0;
        Hex.ChangedOnly(ConfigureFlowRuleHex, img, (84, "E0"), (88, "01020304"));
    }

    [Fact]
    public void AdminqQueriedFlowRule_Golden()
    {
        const string golden =
            "00000007" +   // location (be32) at 0
            FlowRuleHex;   // flow_rule (adminq_flow_rule) at 4
        var v = new AdminqQueriedFlowRule { Location = 7 };
        v.FlowRule.FlowType = FlowType.Tcpv6;
        v.FlowRule.Action = 3;
        FillKey(ref v.FlowRule.Key);
        FillMask(ref v.FlowRule.Mask);
        Hex.Equal(golden, Codec.Encode(AdminqQueriedFlowRule.Size, v.Write));

        var r = AdminqQueriedFlowRule.Read(Hex.Parse(golden));
        Assert.Equal(7u, r.Location);
        Assert.Equal(FlowType.Tcpv6, r.FlowRule.FlowType);
        Assert.Equal((ushort)3, r.FlowRule.Action);
        AssertKey(r.FlowRule.Key);
        AssertMask(r.FlowRule.Mask);
        Valid.Clean(r.Validate);

        var img = Hex.Parse(golden);
        AdminqQueriedFlowRule.AsRef(img).FlowRule.Action = 0xBEEF; // action at 4 + 2
        Hex.ChangedOnly(golden, img, 6, "BEEF");
    }
}
