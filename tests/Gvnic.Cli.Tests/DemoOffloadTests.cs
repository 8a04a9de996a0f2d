using System;
using System.IO;
using System.Linq;
using Gvnic.Cli;
using Gvnic.Cli.Commands;
using Gvnic.Cli.Pcap;
using Gvnic.Cli.Scenario;
using Gvnic.Simulator;
using Gvnic.Wire;
using PacketDotNet;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary><c>gvnic demo --csum --tso</c>: offloaded frames in the demo, in its statistics, and a pcap that is still what crossed the wire.</summary>
public class DemoOffloadTests
{
    [Theory]
    [InlineData("gqi-qpl")]
    [InlineData("gqi-rda")]
    [InlineData("dqo-rda")]
    [InlineData("dqo-qpl")]
    public void Csum_and_tso_show_in_the_statistics_and_the_pcap_is_the_wire(string format)
    {
        string path = Path.Combine(Cli.TempDirectory(), "offload.pcap");
        var output = new StringWriter();
        var context = new CliContext(output, new StringWriter(), CliContext.PlainConsole(output, 200));
        WireFrame[] wire = [];
        Responder? seen = null;
        var options = new ScenarioOptions(ScenarioOptionSet.ParseFormat(format), 1, 10, path, TimeSpan.FromSeconds(2)) { ChecksumOffload = true, Tso = true };
        int code = DemoCommand.Run(context, options, (device, w, responder) => (wire, seen) = (w.Frames.ToArray(), responder), null);
        string o = output.ToString();
        Assert.True(code == 0, o);
        Assert.Contains("✓ traffic: 10 UDP echo frames out, 10 in (142 bytes each, 1 TX queue, UDP checksums computed by the device)", o);
        Assert.Contains("✓ TSO: 4 TCP frames of 16,054 bytes out as 48 segments of at most 1420 payload bytes (MSS) to 10.128.0.1:9", o);
        Assert.Contains("and took 48 TCP segments (64,000 bytes) on its discard port", o);
        Assert.Equal(0, seen!.BadChecksums);
        Assert.Equal(10, seen.UdpEchoes);

        // Statistics: DISCOVER, ARP, ping, 10 echoes, 4 TSO frames; 10 checksums, 4 TSO frames made 48 segments.
        string[] header = o.Split('\n').Single(l => l.Contains("TX frames", StringComparison.Ordinal)).Split("  ", StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()).ToArray();
        Assert.Equal(["Queue", "TX frames", "TX bytes", "TX done", "RX frames", "RX bytes", "RX dropped", "TX csum", "TSO frames", "TSO segs"], header);
        string[] row = o.Split('\n').Single(l => l.TrimStart().StartsWith("0 ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("17", row[1]);
        Assert.Equal(["10", "4", "48"], row[^3..]);
        Assert.Contains("  Frames out: 61", o); // 13 + 48 segments: what crossed the wire

        var records = PcapReader.ReadFile(path, out _);
        Assert.Equal(wire.Length, records.Count);
        for (int i = 0; i < wire.Length; i++) Assert.True(wire[i].Data.AsSpan().SequenceEqual(records[i].Data), "pcap record " + i + " is not the frame that crossed the wire");
        var segments = records.Select(r => Packet.ParsePacket(LinkLayers.Ethernet, r.Data).Extract<TcpPacket>()).Where(t => t is not null).ToArray();
        Assert.Equal(48, segments.Length);
        Assert.All(segments, t => Assert.True(t.ValidTcpChecksum && t.PayloadData.Length <= 1420));
    }

    [Fact]
    public void Without_the_switches_the_statistics_keep_their_columns()
    {
        var run = Cli.Run("demo", "--frames", "3").Ok();
        Assert.DoesNotContain("TSO", run.Out);
        Assert.DoesNotContain("TX csum", run.Out);
    }

    [Fact]
    public void The_switches_are_in_the_help()
    {
        var run = Cli.Run("demo", "--help").Ok();
        Assert.Contains("--csum", run.Out);
        Assert.Contains("--tso", run.Out);
    }

    [TsharkFact]
    public void Tshark_finds_the_offloaded_checksums_good()
    {
        string path = Path.Combine(Cli.TempDirectory(), "offload.pcap");
        Cli.Run("demo", "--frames", "5", "--csum", "--tso", "--pcap", path).Ok();
        var (code, text, error) = Tshark.Run("-r", path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-Y", "tcp || udp.port == 7", "-T", "fields", "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status");
        Assert.True(code == 0, error);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split('\t')).ToList();
        Assert.All(lines, l => Assert.Equal(3, l.Length));
        Assert.Equal(48 + 10, lines.Count); // the segments, 5 echo requests and their 5 replies
        Assert.All(lines, l => Assert.Equal("1", l[0])); // 1: good
        Assert.Equal(48, lines.Count(l => l[1] == "1"));
        Assert.Equal(10, lines.Count(l => l[2] == "1"));
    }
}
