using System;
using System.Linq;
using System.Net;
using Gvnic.Admin;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Flow steering through the driver: rules added, matched by the model before RSS, queried, deleted, reset; every bad input refused.</summary>
public class FlowRuleTests
{
    private static SimulatedGvnic Device(bool flows = true, uint maxRules = 256)
        => new(new SimulatedDeviceConfig { Formats = JumboFrameTests.AllFormats, FlowSteering = flows, MaxFlowRules = maxRules, MsixVectors = 16 });

    /// <summary>A NIC with two RX queues whose RSS table sends everything to queue 0, so that only a rule reaches queue 1.</summary>
    private static Nic Open(SimulatedGvnic device, QueueFormat format)
    {
        Nic nic = Nic.Open(device, TestDevices.Options(format, queues: 2));
        nic.ConfigureRss(new RssConfiguration { IndirectionTable = new int[nic.RssIndirectionTableSize] });
        return nic;
    }

    private static int QueueOf(SimulatedGvnic device, Nic nic, byte[] frame)
    {
        device.InjectFrame(frame);
        var got = RssTests.Drain(nic);
        Assert.Equal(frame, Assert.Single(got).Frame);
        return got[0].Queue;
    }

    public static TheoryData<QueueFormat, FlowType> EveryFormatAndType()
    {
        var data = new TheoryData<QueueFormat, FlowType>();
        foreach (QueueFormat f in RssTests.Formats)
            foreach (FlowType t in Enum.GetValues<FlowType>()) data.Add(f, t);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryFormatAndType))]
    public void ARuleSteersItsFlowTypeBeforeRss(QueueFormat format, FlowType type)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Open(device, format);
        bool v6 = FlowRule.IsIpv6(type);
        string peer = v6 ? "2001:db8::9" : "10.0.0.9", other = v6 ? "2001:db8::8" : "10.0.0.8", me = v6 ? "2001:db8::2" : "10.128.0.2";
        FlowRule rule = FlowRule.IsIpsec(type)
            ? new FlowRule { Type = type, Queue = 1, SourceAddress = IPAddress.Parse(peer), Spi = 0x1234 }
            : new FlowRule { Type = type, Queue = 1, SourceAddress = IPAddress.Parse(peer), DestinationPort = 53 };
        Assert.Equal(0, nic.AddFlowRule(rule));
        byte[] Frame(string from, ushort port, uint spi) => type switch
        {
            FlowType.Tcpv4 or FlowType.Tcpv6 => SteeringFrames.Tcp(from, 4000, me, port),
            FlowType.Udpv4 or FlowType.Udpv6 => SteeringFrames.Udp(from, 4000, me, port),
            FlowType.Sctpv4 or FlowType.Sctpv6 => SteeringFrames.Sctp(from, 4000, me, port),
            FlowType.Espv4 or FlowType.Espv6 => SteeringFrames.Esp(from, me, spi),
            _ => SteeringFrames.Ah(from, me, spi),
        };
        Assert.Equal(1, QueueOf(device, nic, Frame(peer, 53, 0x1234)));  // matches
        Assert.Equal(0, QueueOf(device, nic, Frame(other, 53, 0x1234))); // another source
        Assert.Equal(0, QueueOf(device, nic, Frame(peer, 54, 0x1235)));  // another port or SPI
        // Another protocol with the same addresses and port is another flow type: not matched.
        byte[] otherType = type is FlowType.Udpv4 or FlowType.Udpv6 ? SteeringFrames.Tcp(peer, 4000, me, 53) : SteeringFrames.Udp(peer, 4000, me, 53);
        Assert.Equal(0, QueueOf(device, nic, otherType));
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void MasksMatchPrefixesAndPortRangesAndTheLowestLocationWins(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Open(device, format);
        // Location 5: 10.0.0.0/24 to ports 0x1000 … 0x10FF → queue 1; location 9: any UDP from 10.0.0.7 → queue 0.
        nic.AddFlowRule(new FlowRule
        {
            Type = FlowType.Udpv4, Queue = 1, Location = 5,
            SourceAddress = IPAddress.Parse("10.0.0.0"), SourceAddressMask = IPAddress.Parse("255.255.255.0"),
            DestinationPort = 0x1000, DestinationPortMask = 0xFF00,
        });
        nic.AddFlowRule(new FlowRule { Type = FlowType.Udpv4, Queue = 0, Location = 9, SourceAddress = IPAddress.Parse("10.0.0.7") });
        nic.ConfigureRss(new RssConfiguration { IndirectionTable = Enumerable.Repeat(1, nic.RssIndirectionTableSize).ToArray() }); // RSS now says 1
        Assert.Equal(1, QueueOf(device, nic, SteeringFrames.Udp("10.0.0.7", 1, "10.128.0.2", 0x10AB))); // both match: 5 wins
        Assert.Equal(0, QueueOf(device, nic, SteeringFrames.Udp("10.0.0.7", 1, "10.128.0.2", 0x11AB))); // only 9
        Assert.Equal(1, QueueOf(device, nic, SteeringFrames.Udp("10.0.0.200", 1, "10.128.0.2", 0x1001))); // only 5
        Assert.Equal(1, QueueOf(device, nic, SteeringFrames.Udp("10.0.1.200", 1, "10.128.0.2", 0x1001))); // neither: RSS
        nic.DeleteFlowRule(5);
        Assert.Equal(0, QueueOf(device, nic, SteeringFrames.Udp("10.0.0.7", 1, "10.128.0.2", 0x10AB)));
        nic.ResetFlowRules();
        Assert.Equal(1, QueueOf(device, nic, SteeringFrames.Udp("10.0.0.7", 1, "10.128.0.2", 0x10AB)));
        Assert.Empty(nic.QueryFlowRules());
    }

    [Fact]
    public void TrafficClassAndIpv6PrefixesMatch()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Open(device, QueueFormat.DqoRda);
        nic.AddFlowRule(new FlowRule
        {
            Type = FlowType.Tcpv6, Queue = 1, DestinationAddress = IPAddress.Parse("2001:db8:1::"), DestinationAddressMask = IPAddress.Parse("ffff:ffff:ffff::"),
            TrafficClass = 0xB8,
        });
        Assert.Equal(1, QueueOf(device, nic, SteeringFrames.Tcp("2001:db8::9", 1, "2001:db8:1::77", 80, tos: 0xB8)));
        Assert.Equal(0, QueueOf(device, nic, SteeringFrames.Tcp("2001:db8::9", 1, "2001:db8:1::77", 80, tos: 0x00)));
        Assert.Equal(0, QueueOf(device, nic, SteeringFrames.Tcp("2001:db8::9", 1, "2001:db8:2::77", 80, tos: 0xB8)));
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.DqoQpl)]
    public void QueriesReturnTheRulesTheirLocationsAndCounts(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Open(device, format);
        var rules = new FlowRule[60]; // more than one 4096-byte answer holds (46 rules of 88 bytes): the driver asks page by page
        for (int i = 0; i < rules.Length; i++)
        {
            rules[i] = i % 2 == 0
                ? new FlowRule { Type = FlowType.Tcpv4, Queue = i % 2, SourceAddress = IPAddress.Parse("10.1.0." + i), SourcePort = (ushort)(1000 + i), DestinationPortMask = null }
                : new FlowRule { Type = FlowType.Espv6, Queue = 1, DestinationAddress = IPAddress.Parse("2001:db8::" + i.ToString("x")), Spi = (uint)i, SpiMask = 0xFFFF };
            Assert.Equal(i, nic.AddFlowRule(rules[i]));
        }
        var queried = nic.QueryFlowRules();
        Assert.Equal(rules.Select((r, i) => r with { Location = i }).ToArray(), queried.ToArray());
        Assert.Equal(Enumerable.Range(0, 60).ToArray(), nic.QueryFlowRuleLocations().ToArray());
        Assert.Equal(new FlowRuleStatistics(60, 256), nic.QueryFlowRuleStatistics());
        Assert.Equal(256, nic.MaxFlowRules);
        nic.DeleteFlowRule(3);
        Assert.Equal(3, nic.AddFlowRule(rules[0] with { Location = null })); // the first free slot
        Assert.Equal(new FlowRuleStatistics(60, 256), nic.QueryFlowRuleStatistics());
    }

    [Fact]
    public void RulesSurviveARecovery()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Open(device, QueueFormat.GqiRda);
        nic.AddFlowRule(new FlowRule { Type = FlowType.Udpv4, Queue = 1, DestinationPort = 53, Location = 7 });
        nic.Recover();
        Assert.Equal([7], nic.QueryFlowRuleLocations().ToArray());
        Assert.Equal(1, QueueOf(device, nic, SteeringFrames.Udp("10.0.0.9", 1, "10.128.0.2", 53)));
    }

    [Fact]
    public void BadRulesAreRefusedWithTheirReason()
    {
        using SimulatedGvnic device = Device(maxRules: 8);
        using Nic nic = Open(device, QueueFormat.DqoRda);
        void Refused(FlowRule rule, string message)
        {
            var e = Assert.Throws<ArgumentException>(() => nic.AddFlowRule(rule));
            Assert.Equal("rule", e.ParamName);
            Assert.StartsWith(message, e.Message);
        }
        Assert.Throws<ArgumentNullException>(() => nic.AddFlowRule(null!));
        Refused(new FlowRule { Type = (FlowType)10 }, "flow type 10 is not one the device knows (Tcpv4 … Espv6)");
        Refused(new FlowRule { Type = FlowType.Udpv4, Queue = 2 }, "the rule steers to RX queue 2; the NIC has 2 RX queues (0 … 1)");
        Refused(new FlowRule { Type = FlowType.Udpv4, Queue = -1 }, "the rule steers to RX queue -1; the NIC has 2 RX queues (0 … 1)");
        Refused(new FlowRule { Type = FlowType.Udpv4, Location = 8 }, "flow rule location 8 is outside the device's 0 … 7 (max_flow_rules 8)");
        Refused(new FlowRule { Type = FlowType.Udpv4, SourceAddress = IPAddress.Parse("::1") }, "SourceAddress ::1 is IPv6 but the rule's flow type is IPv4");
        Refused(new FlowRule { Type = FlowType.Tcpv6, DestinationAddress = IPAddress.Parse("10.0.0.1") }, "DestinationAddress 10.0.0.1 is IPv4 but the rule's flow type is IPv6");
        Refused(new FlowRule { Type = FlowType.Espv4, DestinationPort = 53 }, "Espv4 rules match the security parameter index (Spi), not ports");
        Refused(new FlowRule { Type = FlowType.Tcpv4, Spi = 1 }, "Tcpv4 rules match ports, not a security parameter index (Spi is for AH and ESP)");
        Refused(new FlowRule { Type = FlowType.Tcpv4, SourcePortMask = 0xFF00 }, "SourcePortMask is given without the value it masks");
        Refused(new FlowRule { Type = FlowType.Tcpv4, DestinationAddressMask = IPAddress.Parse("255.0.0.0") }, "DestinationAddressMask is given without the value it masks");
        nic.AddFlowRule(new FlowRule { Type = FlowType.Udpv4, Location = 4 });
        Refused(new FlowRule { Type = FlowType.Udpv4, Location = 4 }, "flow rule location 4 already holds a rule; delete it first (DeleteFlowRule)");
        for (int i = 0; i < 7; i++) nic.AddFlowRule(new FlowRule { Type = FlowType.Udpv4, DestinationPort = (ushort)i });
        Refused(new FlowRule { Type = FlowType.Udpv4 }, "every flow rule location is taken (max_flow_rules 8); delete one first");
        var d = Assert.Throws<ArgumentException>(() => nic.DeleteFlowRule(9));
        Assert.StartsWith("no flow rule at location 9 (rules are at 0, 1, 2, 3, 4, 5, 6, 7)", d.Message);
        Assert.Equal(8, device.AdminCommands.Count(c => c.Opcode == AdminqOpcodes.ExtendedCommand));
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void WithoutTheOptionFlowSteeringIsRefused(QueueFormat format)
    {
        using SimulatedGvnic device = Device(flows: false);
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        Assert.False(nic.FlowSteeringSupported);
        var e = Assert.Throws<NicConfigurationException>(() => nic.AddFlowRule(new FlowRule { Type = FlowType.Udpv4 }));
        Assert.Equal("the device offers no flow steering with " + format + ": it sent no FLOW_STEERING option", e.Message);
        Assert.Throws<NicConfigurationException>(() => nic.QueryFlowRules());
        Assert.Throws<NicConfigurationException>(() => nic.ResetFlowRules());
        Assert.Throws<NicConfigurationException>(() => nic.MaxFlowRules);
    }

    [Fact]
    public void AHostileRuleLimitIsRefused()
    {
        // max_flow_rules 0 means no flow steering (upstream enables it only for a non-zero limit).
        using (SimulatedGvnic device = Device())
        {
            device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.MaxFlowRules, Value: 0));
            using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda));
            var e = Assert.Throws<NicConfigurationException>(() => nic.AddFlowRule(new FlowRule { Type = FlowType.Udpv4 }));
            Assert.EndsWith("its FLOW_STEERING option allows 0 rules (max_flow_rules)", e.Message);
        }
        // A limit the device does not keep to: its answers say otherwise, and the driver says which field lied.
        using (SimulatedGvnic device = Device())
        {
            device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.MaxFlowRules, Value: uint.MaxValue));
            using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda));
            Assert.Equal(int.MaxValue, nic.MaxFlowRules);
            var e = Assert.Throws<DeviceFaultException>(() => nic.QueryFlowRuleStatistics());
            Assert.Equal(("QUERY_FLOW_RULES answer", "max_flow_rules", 256UL), (e.Queue, e.Field, e.Value));
            var add = Assert.Throws<AdminCommandException>(() => nic.AddFlowRule(new FlowRule { Type = FlowType.Udpv4, Location = 300 }));
            Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, add.Status);
        }
    }

    [Fact]
    public void TheCommandsAreTheBytesUpstreamSends()
    {
        // The inner CONFIGURE_FLOW_RULE command, as the driver writes it into DMA memory for EXTENDED_COMMAND.
        var rule = new FlowRule
        {
            Type = FlowType.Udpv4, Queue = 1, SourceAddress = IPAddress.Parse("10.0.0.9"), SourceAddressMask = IPAddress.Parse("255.255.255.0"),
            DestinationPort = 53, TrafficClass = 0x10,
        };
        var inner = new byte[AdminqConfigureFlowRule.Size];
        ref AdminqConfigureFlowRule command = ref AdminqConfigureFlowRule.AsRef(inner);
        AdminCommands.ConfigureFlowRule(ref command, FlowRuleCfgOpcode.Add, 3);
        rule.WriteTo(ref command.Rule);
        Assert.Equal(
            "0000" + "0000"                                                   // opcode add, padding
            + "0001" + "0001"                                                 // flow_type udpv4, action: queue 1
            + "0A000009" + "000000000000000000000000"                         // key.src_ip (IPv4 in word 0)
            + "00000000000000000000000000000000"                              // key.dst_ip
            + "0000" + "0035" + "10" + "000000"                               // key.src_port, dst_port 53, tos, padding
            + "FFFFFF00" + "000000000000000000000000"                         // mask.src_ip /24
            + "00000000000000000000000000000000"                              // mask.dst_ip
            + "0000" + "FFFF" + "FF" + "000000"                               // mask ports, tos, padding
            + "00000003",                                                     // location 3
            Convert.ToHexString(inner));
        Assert.Equal(rule with { Location = 3 }, FlowRule.From(command.Rule, 3));

        using SimulatedGvnic device = Device();
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(QueueFormat.GqiQpl, queues: 2));
        int before = pci.Allocations.Count;
        nic.AddFlowRule(rule with { Location = 3 });
        Assert.Equal("000000FF" + "00000001" + "00000101" + "0000005C" + pci.Allocations[before].DeviceAddress.ToString("X16") + new string('0', 80),
            Convert.ToHexString(RssTests.LastSlot(pci, device)));
        before = pci.Allocations.Count;
        nic.QueryFlowRuleLocations();
        Assert.Equal("00000010" + "00000001" + "0001" + "0000" + "00000000" + "0000000000001000" + pci.Allocations[before].DeviceAddress.ToString("X16") + new string('0', 64),
            Convert.ToHexString(RssTests.LastSlot(pci, device)));
    }
}
