using System;
using System.IO;
using System.Linq;
using System.Net;
using Gvnic.Cli.Commands;
using Gvnic.Cli.Pcap;
using Gvnic.Cli.Scenario;
using Gvnic.Simulator;
using PacketDotNet;
using Xunit;

namespace Gvnic.Cli.Tests;

public class DemoCommandTests
{
    private static string EvidenceLine(string output, string label) =>
        output.Split('\n').Single(l => l.StartsWith("  " + label + ":", StringComparison.Ordinal));

    [Fact]
    public void Brings_the_device_up_talks_to_the_responder_and_prints_the_evidence()
    {
        var run = Cli.Run("demo", "--frames", "25").Ok();
        string o = run.Out;
        Assert.StartsWith("Bringing up sim:0: the built-in device model (gVNIC 1ae0:0042 rev 1", o);
        // each admin command of the bring-up, as the device ran it
        foreach (var command in new[] { "DESCRIBE_DEVICE", "CONFIGURE_DEVICE_RESOURCES", "CREATE_TX_QUEUE", "CREATE_RX_QUEUE" })
            Assert.Contains("✓ " + command, o.Replace("  ", " ").Replace("  ", " "));
        Assert.Contains("✓ DHCP DISCOVER → OFFER 10.128.0.2/20 from 10.128.0.1, router 10.128.0.1, lease 3600 s", o);
        Assert.Contains("✓ ARP who-has 10.128.0.1 → 10.128.0.1 is-at 42:01:0a:80:00:01", o);
        Assert.Contains("✓ ping 10.128.0.1: 64 bytes from 10.128.0.1: icmp_seq=1", o);
        Assert.Contains("✓ traffic: 25 UDP echo frames out, 25 in (142 bytes each, 1 TX queue) in ", o);
        Assert.Contains(" frames/s", o);
        Assert.Contains("Statistics", o);
        Assert.Contains("TX frames", o);
        // the statistics row of queue 0: 28 frames each way (DISCOVER, ARP, ping, 25 echoes)
        var row = o.Split('\n').Single(l => l.TrimStart().StartsWith("0 ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("28", row[1]);
        Assert.Equal("28", row[4]);
        Assert.Equal("  MAC:        42:01:0a:80:00:02", EvidenceLine(o, "MAC"));
        Assert.Equal("  Link:       up, 100 Gbps", EvidenceLine(o, "Link"));
        Assert.StartsWith("  Format:     ", EvidenceLine(o, "Format"));
        Assert.Equal("  Queues:     1 TX, 1 RX (rings 256/256)", EvidenceLine(o, "Queues"));
        Assert.Equal("  Frames out: 28", EvidenceLine(o, "Frames out"));
        Assert.Equal("  Frames in:  28", EvidenceLine(o, "Frames in"));
        Assert.Contains("every DMA allocation returned (", o);
        Assert.Contains("✓ the device model saw no protocol violations; the responder sent 1 DHCP offer, 1 ARP reply, 1 echo reply, 25 UDP echoes", o);
        Assert.True(o.IndexOf("Evidence:", StringComparison.Ordinal) < o.IndexOf("torn down", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gqi-qpl", "GQI QPL (gqi-qpl)")]
    [InlineData("gqi-rda", "GQI RDA (gqi-rda)")]
    [InlineData("dqo-rda", "DQO RDA (dqo-rda)")]
    [InlineData("dqo-qpl", "DQO QPL (dqo-qpl)")]
    public void Every_queue_format_with_several_queues(string format, string shown)
    {
        var run = Cli.Run("demo", "--format", format, "--queues", "2", "--frames", "40").Ok();
        Assert.Equal("  Format:     " + shown, EvidenceLine(run.Out, "Format"));
        Assert.Equal("  Queues:     2 TX, 2 RX (rings 256/256)", EvidenceLine(run.Out, "Queues"));
        Assert.Equal("  Frames out: 43", EvidenceLine(run.Out, "Frames out"));
        Assert.Equal("  Frames in:  43", EvidenceLine(run.Out, "Frames in"));
        Assert.Equal(2, run.Out.Split('\n').Count(l => l.Contains("CREATE_TX_QUEUE", StringComparison.Ordinal)));
        Assert.Contains("traffic: 40 UDP echo frames out, 40 in (142 bytes each, 2 TX queues)", run.Out);
        Assert.Contains("every DMA allocation returned", run.Out);
    }

    [Fact]
    public void Wait_interrupts_runs_the_scenario_on_msix_vectors()
    {
        var output = new StringWriter();
        var context = new CliContext(output, new StringWriter(), CliContext.PlainConsole(output, 200));
        long raised = 0;
        int code = DemoCommand.Run(context, new ScenarioOptions(null, 1, 20, null, TimeSpan.FromSeconds(2)) { WaitMode = Gvnic.Driver.NicWaitMode.Interrupts },
            (device, wire, responder) => raised = device.InterruptController.RaisedCount(0), null);
        Assert.Equal(0, code);
        Assert.Contains("interrupts", output.ToString());
        Assert.True(raised > 0, "the RX queue's vector never fired");
    }

    [Fact]
    public void Wait_takes_polling_or_interrupts()
    {
        Assert.Equal(Gvnic.Driver.NicWaitMode.Polling, ScenarioOptionSet.ParseWait("polling"));
        Assert.Equal(Gvnic.Driver.NicWaitMode.Interrupts, ScenarioOptionSet.ParseWait(" Interrupts "));
        Cli.Run("demo", "--wait", "interupts").BadInput("--wait 'interupts': use polling", "did you mean interrupts?");
        Cli.Run("up", "--wait", "sometimes").BadInput("--wait 'sometimes'");
    }

    [Fact]
    public void The_pcap_holds_exactly_the_frames_that_crossed_the_wire()
    {
        string path = Path.Combine(Cli.TempDirectory(), "demo.pcap");
        var output = new StringWriter();
        var context = new CliContext(output, new StringWriter(), CliContext.PlainConsole(output, 200));
        WireFrame[] wire = [];
        int code = DemoCommand.Run(context, new ScenarioOptions(null, 1, 10, path, TimeSpan.FromSeconds(2)),
            (device, w, responder) => wire = w.Frames.ToArray(), null);
        Assert.Equal(0, code);
        Assert.Contains("Capture: 26 frames (13 sent, 13 received) written to " + path, output.ToString());

        var records = PcapReader.ReadFile(path, out uint linkType);
        Assert.Equal(1u, linkType);
        Assert.Equal(wire.Length, records.Count);
        Assert.Equal(26, records.Count);
        for (int i = 0; i < wire.Length; i++)
        {
            Assert.Equal(wire[i].Data, records[i].Data);
            Assert.Equal(wire[i].Data.Length, records[i].OriginalLength);
        }
        Assert.Equal(13, wire.Count(f => f.Direction == FrameDirection.Transmit));
        Assert.All(wire.Where(f => f.Direction == FrameDirection.Receive), f => Assert.Equal(RxOutcome.Delivered, f.Outcome));
        Assert.True(records.Zip(records.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp));

        // and the frames are what the scenario says they are
        var first = Packet.ParsePacket(LinkLayers.Ethernet, records[0].Data).Extract<DhcpV4Packet>();
        Assert.Equal(DhcpV4MessageType.Discover, first.MessageType);
        var offer = Packets.ReadOffer(records[1].Data, first.Xid);
        Assert.NotNull(offer);
        Assert.Equal(IPAddress.Parse("10.128.0.2"), offer!.YourAddress);
        Assert.Equal(ArpOperation.Request, Packet.ParsePacket(LinkLayers.Ethernet, records[2].Data).Extract<ArpPacket>().Operation);
        Assert.Equal(ArpOperation.Response, Packet.ParsePacket(LinkLayers.Ethernet, records[3].Data).Extract<ArpPacket>().Operation);
        Assert.Equal(IcmpV4TypeCode.EchoRequest, Packet.ParsePacket(LinkLayers.Ethernet, records[4].Data).Extract<IcmpV4Packet>().TypeCode);
        Assert.Equal(IcmpV4TypeCode.EchoReply, Packet.ParsePacket(LinkLayers.Ethernet, records[5].Data).Extract<IcmpV4Packet>().TypeCode);
        Assert.All(records.Skip(6), r => Assert.Equal(142, r.Data.Length));
    }

    [Fact]
    public void A_failing_admin_command_exits_1_with_its_message()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, CliContext.PlainConsole(output, 200));
        int code = GvnicApp.Guard(context, () => DemoCommand.Run(context, new ScenarioOptions(null, 1, 0, null, TimeSpan.FromSeconds(2)),
            (device, wire, responder) => { },
            device => device.FailNextCommand(Gvnic.Wire.AdminqOpcodes.CreateRxQueue, Gvnic.Wire.AdminqStatuses.CommandErrorInternalError)));
        Assert.Equal(ExitCodes.DeviceError, code);
        Assert.StartsWith("gvnic: CREATE_RX_QUEUE", error.ToString());
        Assert.Contains("failed", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
        Assert.Contains("✓ CREATE_TX_QUEUE 0", output.ToString().Replace("  ", " ").Replace("  ", " "));
        var failed = output.ToString().Split('\n').Single(l => l.Contains("CREATE_RX_QUEUE", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["✗", "CREATE_RX_QUEUE", "0"], failed[..3]);
        Assert.Equal(["failed:", "INTERNAL_ERROR", "(0xFFFFFFF6)"], failed[^3..]);
        // the driver's undo follows: the TX queue it created is destroyed, the RX queue that failed is not
        var rows = StepRows(output.ToString());
        Assert.Equal(["DESTROY_TX_QUEUE 0", "DECONFIGURE_DEVICE_RESOURCES", "reset", "bus mastering", "DMA memory"], rows.SkipWhile(r => r.Name != "CREATE_RX_QUEUE 0").Skip(1).Select(r => r.Name).ToArray());
        Assert.All(rows.SkipWhile(r => r.Name != "CREATE_RX_QUEUE 0").Skip(1), r => Assert.Equal("✓", r.Mark));
    }

    /// <summary>The step rows of the output: mark, step name (the words before the time).</summary>
    private static (string Mark, string Name, string Time, string Detail)[] StepRows(string output) =>
        output.Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^  ([✓✗]) (.+?) +(\d+\.\d\d ms) (.*?)\s*$"))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value))
            .ToArray();

    [Fact]
    public void Bring_up_and_teardown_show_every_step_the_driver_reports()
    {
        var run = Cli.Run("demo", "--format", "dqo-qpl", "--frames", "0").Ok();
        var rows = StepRows(run.Out);
        Assert.Equal(
        [
            "options", "PCI function", "driver version", "queue limits", "admin queue",
            "VERIFY_DRIVER_COMPATIBILITY", "DESCRIBE_DEVICE", "plan", "CONFIGURE_DEVICE_RESOURCES", "GET_PTYPE_MAP", "REPORT_LINK_SPEED", "REPORT_STATS",
            "queue memory", "REGISTER_PAGE_LIST 0", "REGISTER_PAGE_LIST 4", "CREATE_TX_QUEUE 0", "CREATE_RX_QUEUE 0", "RX buffers", "interrupts", "notification blocks",
            "interrupts", "DESTROY_RX_QUEUE 0", "DESTROY_TX_QUEUE 0", "UNREGISTER_PAGE_LIST 0", "UNREGISTER_PAGE_LIST 4", "DECONFIGURE_DEVICE_RESOURCES",
            "reset", "bus mastering", "DMA memory",
        ], rows.Select(r => r.Name).ToArray());
        Assert.All(rows, r => Assert.Equal("✓", r.Mark));
        Assert.Equal("DqoQpl requested, 1 TX + 1 RX queues, polling, admin timeout 2000 ms", rows[0].Detail);
        Assert.Equal("100000 Mbit/s", rows.Single(r => r.Name == "REPORT_LINK_SPEED").Detail);
        Assert.StartsWith("MAC 42:01:0a:80:00:02, MTU 1460, ", rows.Single(r => r.Name == "DESCRIBE_DEVICE").Detail);
        // bring-up rows come before the "up in" line, teardown rows after the evidence
        string o = run.Out;
        Assert.True(o.IndexOf("notification blocks", StringComparison.Ordinal) < o.IndexOf("✓ up in ", StringComparison.Ordinal));
        Assert.True(o.IndexOf("Evidence:", StringComparison.Ordinal) < o.IndexOf("DESTROY_RX_QUEUE 0", StringComparison.Ordinal));
        Assert.True(o.IndexOf("DMA memory", StringComparison.Ordinal) < o.IndexOf("✓ torn down in ", StringComparison.Ordinal));
    }

    [Fact]
    public void Configuration_errors_name_the_option_the_driver_names()
    {
        var options = new ScenarioOptions(Gvnic.Wire.QueueFormat.GqiRda, 3, 0, null, TimeSpan.FromSeconds(1));
        Assert.Equal("--format gqi-rda: ", DemoCommand.OptionFor(new Gvnic.Driver.NicConfigurationException("anything", "QueueFormat"), options));
        Assert.Equal("--queues 3: ", DemoCommand.OptionFor(new Gvnic.Driver.NicConfigurationException("anything", "TxQueues"), options));
        Assert.Equal("--queues 3: ", DemoCommand.OptionFor(new Gvnic.Driver.NicConfigurationException("anything", "RxQueues"), options));
        // the words of the message do not matter, only the option the driver names
        Assert.Equal("", DemoCommand.OptionFor(new Gvnic.Driver.NicConfigurationException("queue format and queues", "Mtu"), options));
        Assert.Equal("", DemoCommand.OptionFor(new Gvnic.Driver.NicConfigurationException("queue format and queues"), options));
        Assert.Equal("", DemoCommand.OptionFor(new Gvnic.Driver.NicConfigurationException("x", "QueueFormat"), options with { Format = null }));
    }

    [Fact]
    public void Format_spellings_come_from_the_driver_and_the_schema()
    {
        Assert.Equal(["dqo-rda", "dqo-qpl", "gqi-rda", "gqi-qpl"], ScenarioOptionSet.FormatNames);
        foreach (var format in Gvnic.Driver.Nic.ImplementedFormats)
            Assert.Equal(format, ScenarioOptionSet.ParseFormat(ScenarioOptionSet.CliName(format).ToUpperInvariant().Replace('-', '_')));
        Assert.Equal("DQO QPL (dqo-qpl)", ScenarioRunner.FormatName(Gvnic.Wire.QueueFormat.DqoQpl));
    }

    [TsharkFact]
    public void Tshark_reads_the_pcap_with_valid_checksums()
    {
        string path = Path.Combine(Cli.TempDirectory(), "demo.pcap");
        Cli.Run("demo", "--frames", "5", "--pcap", path).Ok();
        var (code, text, error) = Tshark.Run("-r", path, "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Protocol", "-e", "frame.len");
        Assert.True(code == 0, error);
        var lines = text.Trim().Split('\n').Select(l => l.Split('\t')).ToList();
        Assert.Equal(16, lines.Count);
        Assert.Equal(["DHCP", "DHCP", "ARP", "ARP", "ICMP", "ICMP"], lines.Take(6).Select(l => l[1]).ToArray());
        Assert.All(lines.Skip(6), l => Assert.Equal("142", l[2]));
        var bad = Tshark.Run("-r", path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-Y", "ip.checksum.status == \"Bad\" || udp.checksum.status == \"Bad\" || icmp.checksum.status == \"Bad\" || _ws.malformed || _ws.expert.severity >= \"Warning\"");
        Assert.Equal(0, bad.ExitCode);
        Assert.Equal("", bad.Out.Trim());
    }
}
