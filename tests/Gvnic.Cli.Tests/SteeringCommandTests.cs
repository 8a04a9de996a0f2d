using System;
using System.Linq;
using System.Net;
using Gvnic.Cli.Scenario;
using Gvnic.Driver;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary><c>gvnic demo --rss</c>, <c>--flow</c> and <c>--mtu</c>: RX steering and jumbo frames from the command line.</summary>
public class SteeringCommandTests
{
    /// <summary>The RX frames column of the statistics table, queue by queue.</summary>
    private static long[] RxFrames(string output, int queues)
    {
        string[] lines = output.Split('\n');
        int header = Array.FindIndex(lines, l => l.Contains("Queue", StringComparison.Ordinal) && l.Contains("RX frames", StringComparison.Ordinal));
        Assert.True(header >= 0, "no statistics table");
        // the header, a rule line, then one row a queue: queue, TX frames, TX bytes, TX done, RX frames, …
        return lines.Skip(header + 1).Where(l => l.Trim().Length > 0 && char.IsDigit(l.Trim()[0])).Take(queues)
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4].Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    [Theory]
    [InlineData("gqi-qpl")]
    [InlineData("gqi-rda")]
    [InlineData("dqo-rda")]
    [InlineData("dqo-qpl")]
    public void Rss_spreads_the_echo_flows_over_four_queues(string format)
    {
        var run = Cli.Run("demo", "--format", format, "--queues", "4", "--rss", "--frames", "400").Ok();
        Assert.Contains("✓ RSS: 40-byte key, 128-entry table spreading the buckets over 4 RX queues round robin, hash types Tcpv4, Tcpv6, Udpv4, Udpv6; read back the same", run.Out);
        long[] rx = RxFrames(run.Out, 4);
        Assert.Equal(403, rx.Sum()); // DHCP offer, ARP reply, ping reply and the 400 echoes
        Assert.All(rx, n => Assert.True(n >= 60, "a queue got " + n + " of 403 frames: " + string.Join(", ", rx)));
    }

    [Fact]
    public void A_flow_rule_takes_the_echoes_to_its_queue_before_rss()
    {
        var run = Cli.Run("demo", "--queues", "4", "--rss", "--flow", "udp,src-ip=10.128.0.1,src-port=7,queue=2", "--frames", "200").Ok();
        Assert.Contains("✓ flow rule 0: udp,src-ip=10.128.0.1,src-port=7,queue=2 (Udpv4 to RX queue 2)", run.Out);
        long[] rx = RxFrames(run.Out, 4);
        Assert.Equal(203, rx.Sum());
        // Every echo (from 10.128.0.1 port 7) on queue 2; the ARP and ping replies are not hashed (RSS bucket 0: queue 0);
        // only the DHCP offer (port 67) goes where RSS sends it.
        Assert.True(rx[2] is 200 or 201, "queue 2 got " + rx[2] + " frames: " + string.Join(", ", rx));
        Assert.True(rx[0] >= 2 && rx[1] + rx[3] <= 1, string.Join(", ", rx));
    }

    [Theory]
    [InlineData("gqi-qpl")]
    [InlineData("gqi-rda")]
    [InlineData("dqo-rda")]
    [InlineData("dqo-qpl")]
    public void Mtu_8896_runs_jumbo_echoes_end_to_end(string format)
    {
        var run = Cli.Run("demo", "--format", format, "--mtu", "8896", "--frames", "50").Ok();
        Assert.Contains("Device: MAC 42:01:0a:80:00:02, MTU 8896, ", run.Out);
        Assert.Contains("✓ traffic: 50 UDP echo frames out, 50 in (8910 bytes each, 1 TX queue)", run.Out);
        Assert.Contains("the responder sent 1 DHCP offer, 1 ARP reply, 1 echo reply, 50 UDP echoes", run.Out);
    }

    [Fact]
    public void Bad_values_are_refused_with_their_reason()
    {
        Cli.Run("demo", "--flow", "udp,dst-prt=53,queue=1").BadInput("--flow 'udp,dst-prt=53,queue=1': unknown field 'dst-prt'", "did you mean dst-port?");
        Cli.Run("demo", "--flow", "udp,dst-port=53").BadInput("--flow 'udp,dst-port=53': no queue=N: say which RX queue the flow goes to");
        Cli.Run("demo", "--flow", "icmp,queue=0").BadInput("--flow 'icmp,queue=0': 'icmp' is not a protocol (tcp, udp, sctp, ah, esp (append 6 for IPv6: udp6))");
        Cli.Run("demo", "--flow", "udp,dst-port=70000,queue=0").BadInput("--flow 'udp,dst-port=70000,queue=0': dst-port '70000' is not a port (0..65535)");
        Cli.Run("demo", "--flow", "udp,src-ip=::1,queue=0").BadInput("--flow 'udp,src-ip=::1,queue=0': src-ip '::1' is not an IPv4 address (for IPv6 write the protocol with 6: udp6)");
        Cli.Run("demo", "--flow", "esp,dst-port=1,queue=0").BadInput("--flow 'esp,dst-port=1,queue=0': esp matches spi, not ports");
        Cli.Run("demo", "--flow", "udp,53,queue=0").BadInput("--flow 'udp,53,queue=0': '53' is not FIELD=VALUE");
        // Refused by the driver once the NIC is up: the rule names a queue the NIC does not have.
        Cli.Run("demo", "--queues", "2", "--frames", "0", "--flow", "udp,dst-port=53,queue=3").BadInput("--flow 'udp,dst-port=53,queue=3': the rule steers to RX queue 3; the NIC has 2 RX queues (0 … 1)");
        Cli.Run("demo", "--mtu", "9000", "--frames", "0").BadInput("--mtu 9000: MTU 9000 is outside 68 … 8896 for DqoRda");
        Cli.Run("demo", "--mtu", "big").BadInput("--mtu 'big' is not a whole number (68..65517)");
    }

    [Fact]
    public void The_flow_syntax_reads_every_field()
    {
        FlowRule rule = FlowRuleSyntax.Parse("tcp6, src-ip=2001:db8::/32, dst-ip=2001:db8::2, src-port=0x50, dst-port=443, tos=184, queue=1, loc=7");
        Assert.Equal(new FlowRule
        {
            Type = FlowType.Tcpv6, Queue = 1, Location = 7,
            SourceAddress = IPAddress.Parse("2001:db8::"), SourceAddressMask = IPAddress.Parse("ffff:ffff::"),
            DestinationAddress = IPAddress.Parse("2001:db8::2"), SourcePort = 0x50, DestinationPort = 443, TrafficClass = 184,
        }, rule);
        Assert.Equal(new FlowRule { Type = FlowType.Espv4, Queue = 0, Spi = 0x1234 }, FlowRuleSyntax.Parse("ESP4,spi=0x1234,queue=0"));
        Assert.Equal(FlowType.Sctpv4, FlowRuleSyntax.Parse("sctp,queue=0").Type);
        Assert.Equal(FlowType.Ahv6, FlowRuleSyntax.Parse("ah6,queue=0").Type);
        Assert.Equal(IPAddress.Parse("255.255.255.0"), FlowRuleSyntax.Parse("udp,dst-ip=10.0.0.0/24,queue=0").DestinationAddressMask);
    }
}
