using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gvnic.Cli.Commands;
using Gvnic.Cli.Scenario;
using Gvnic.Platform.Tracing;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>
/// <c>demo --trace</c>, <c>up --trace</c>, <c>trace diff</c> and <c>trace show</c>: equal runs diff as equivalent (exit 0), a
/// different format or an injected admin status diverges where expected with both sides decoded (exit 1), and bad input
/// exits 2 with one message.
/// </summary>
public sealed class TraceCommandTests
{
    private readonly string _dir = Cli.TempDirectory();

    private string PathOf(string name) => Path.Combine(_dir, name);

    private string Demo(string name, params string[] extra)
    {
        string path = PathOf(name);
        string[] frames = extra.Contains("--frames") ? [] : ["--frames", "20"];
        var run = Cli.Run(["demo", .. frames, "--trace", path, .. extra]).Ok();
        Assert.Matches(@"Trace: \d+ events \(data path: (off|doorbells|all)\) written to " + System.Text.RegularExpressions.Regex.Escape(path), run.Out);
        return path;
    }

    private static string[] Lines(string path) => File.ReadAllLines(path);

    [Fact]
    public void Two_demo_runs_of_the_same_scenario_diff_as_equivalent()
    {
        string a = Demo("a.trace");
        string b = Demo("b.trace");
        var run = Cli.Run("trace", "diff", a, b).Ok();
        int events = Lines(a).Length - 2;
        Assert.Contains("✓ the traces are equivalent: " + events + " events compared, in the same order with the same values", run.Out);
        Assert.StartsWith("A: " + a + ": gvnic ", run.Out);
        Assert.Contains("\nB: " + b + ": gvnic ", run.Out);
        Assert.Contains(", sim:0 1ae0:0042 rev 1, BAR2 16384 bytes, 9 MSI-X vectors, data path doorbells, started ", run.Out);
        // the traffic is in the trace: 20 echoes plus DHCP, ARP and ping went out on TX queue 0
        Assert.Equal(23, Lines(a).Count(l => l.Contains("\"queue\":\"tx 0\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_run_with_another_format_diverges_at_configure_device_resources()
    {
        string a = Demo("dqo.trace");
        string b = Demo("gqi.trace", "--format", "gqi-qpl");
        var run = Cli.Run("trace", "diff", a, b);
        Assert.Equal(ExitCodes.DeviceError, run.ExitCode);
        Assert.Equal("", run.Error);
        string o = run.Out;
        Assert.Contains("✗ the traces agree on 34 events, then diverge at A #35 (line 36) and B #35 (line 36):", o);
        Assert.Contains("  A line 36: #35 ", o);
        Assert.Contains("command 2 CONFIGURE_DEVICE_RESOURCES counter_array=dma#3+0x0 irq_db_addr=dma#4+0x0 num_counters=16 num_irq_dbs=2 irq_db_stride=64 ntfy_blk_msix_base_idx=0 queue_format=dqo_rda", o);
        Assert.Contains("  B line 36: #35 ", o);
        Assert.Contains("queue_format=gqi_qpl", o);
        Assert.Contains("  differences (A → B):\n    cmd.configure_device_resources.queue_format: \"dqo_rda\" → \"gqi_qpl\"\n", o);
        Assert.Contains("  equal before:\n", o);
        Assert.Contains("write  bar0 adminq_doorbell = 0x00000003", o);
        Assert.Contains("  then: 1 event differs (A #35, B #35), then the traces agree again", o);
    }

    [Fact]
    public void A_model_with_an_injected_admin_status_diverges_at_that_answer_with_both_sides_decoded()
    {
        string a = Demo("good.trace");
        string b = PathOf("failing.trace");
        var output = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, new StringWriter(), CliContext.PlainConsole(output, 200));
        int code = GvnicApp.Guard(context, () => DemoCommand.Run(context, new ScenarioOptions(null, 1, 20, null, TimeSpan.FromSeconds(2)) { TracePath = b },
            null, device => device.FailNextCommand(AdminqOpcodes.DescribeDevice, AdminqStatuses.CommandErrorInternalError)));
        Assert.Equal(ExitCodes.DeviceError, code);
        Assert.Contains("Trace: ", output.ToString()); // written and closed although bring-up failed
        Assert.Contains("\"ev\":\"end\"", Lines(b)[^1]);

        var run = Cli.Run("trace", "diff", a, b, "--context", "2");
        Assert.Equal(ExitCodes.DeviceError, run.ExitCode);
        string o = run.Out;
        Assert.Contains("✗ the traces agree on 29 events, then diverge at A #30 (line 31) and B #30 (line 31):", o);
        Assert.Contains("answer  1 DESCRIBE_DEVICE: PASSED\n", o);
        Assert.Contains("        device_descriptor.mtu = 1460\n", o);
        Assert.Contains("        device_descriptor.mac = 42:01:0a:80:00:02\n", o);
        Assert.Contains("        device_options[4].option_id = jumbo_frames\n", o);
        Assert.Contains("answer  1 DESCRIBE_DEVICE: INTERNAL_ERROR\n", o);
        Assert.Contains("    status: \"command_passed\" → \"command_error_internal_error\"\n", o);
        Assert.Contains("    device_descriptor: {\"max_registered_pages\":4096,", o);
        Assert.Contains("→ (absent)\n", o);
        // two events of context, the doorbell and the completing read
        var before = o.Split('\n').SkipWhile(l => l != "  equal before:").Skip(1).TakeWhile(l => l.StartsWith("    #", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, before.Length);
        Assert.Contains("command 1 DESCRIBE_DEVICE", before[0]);
        Assert.Contains("read   bar0 adminq_event_counter = 0x00000002", before[1]);
        Assert.Contains("B goes on:", o);
    }

    [Fact]
    public void Ignore_leaves_a_name_out_of_the_comparison()
    {
        string a = Demo("a.trace");
        string b = PathOf("b.trace");
        File.WriteAllLines(b, Lines(a).Select(l => l.Replace("\"link_speed\":100000", "\"link_speed\":32000")));
        Assert.Equal(ExitCodes.DeviceError, Cli.Run("trace", "diff", a, b).ExitCode);
        var run = Cli.Run("trace", "diff", a, b, "--ignore", "link_speed").Ok();
        Assert.Contains("ignored: link_speed\n", run.Out);
    }

    [Fact]
    public void Trace_data_off_leaves_out_queue_doorbells_and_still_compares_with_a_full_trace()
    {
        string off = Demo("off.trace", "--trace-data", "off");
        string full = Demo("full.trace");
        Assert.DoesNotContain(Lines(off), l => l.Contains("\"queue\":", StringComparison.Ordinal));
        using (var end = JsonDocument.Parse(Lines(off)[^1]))
            Assert.True(end.RootElement.GetProperty("skipped").GetProperty("queue_doorbells").GetInt32() > 40);
        var run = Cli.Run("trace", "diff", off, full).Ok();
        Assert.Contains("note: data modes differ (A off, B doorbells): compared as off, without queue doorbells", run.Out);
    }

    [Fact]
    public void Show_prints_one_line_an_event_and_the_decoded_answers()
    {
        string a = Demo("a.trace", "--frames", "0");
        var run = Cli.Run("trace", "show", a).Ok();
        var lines = run.Out.Split('\n');
        Assert.StartsWith(a + ": gvnic ", lines[0]);
        Assert.Matches(@"^#1 +\+\d+\.\d{3} ms  bus mastering on$", lines[1]);
        Assert.Contains(lines, l => l.EndsWith("write  bar0 driver_version = 0x47 'G'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("write  bar0 adminq_base_address_lo = 0x00000000 → dma#0+0x0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("command 1 DESCRIBE_DEVICE device_descriptor_addr=dma#2+0x0 device_descriptor_version=1 available_length=4096", StringComparison.Ordinal));
        Assert.Contains("          device_descriptor.total_length = 184", lines);
        Assert.Contains(lines, l => l.EndsWith("write  bar2 doorbell_dqo rx 0 = 0x000000ff", StringComparison.Ordinal));
        // the demo polls: turn-up enables each DQO block with throttling off (interval 0), and re-arms keep the interval (no_update=3)
        Assert.Contains(lines, l => l.EndsWith("write  bar2 irq_doorbell_dqo block 0 = 0x00000001 (enable=true clear_pba=false no_update=0 interval=0)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("write  bar2 irq_doorbell_dqo block 1 = 0x00000019 (enable=true clear_pba=false no_update=3 interval=0)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("read   bar0 device_status = 0x00000014 (link_status|device_is_reset)", StringComparison.Ordinal));
        Assert.Matches(@"end: \d+ events; not recorded: queue_doorbells=0 status_reads=\d+ irq_waits=0$", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public void Up_trace_records_the_scenario_on_the_function_it_opened()
    {
        string path = PathOf("up.trace");
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, CliContext.PlainConsole(output, 200));
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = 0 });
        device.AttachWire(VirtualWire.Responder(new Responder().Respond));
        using var signals = new TeardownOnSignal(error, register: false);
        var options = new ScenarioOptions(null, 1, 0, null, TimeSpan.FromSeconds(2)) { TracePath = path, TraceData = TraceDataMode.Off };

        Assert.Equal(ExitCodes.Ok, UpCommand.RunScenario(context, new ScenarioTarget(device, "sim:0"), options, signals));

        Assert.Contains("Trace: ", output.ToString());
        using var header = JsonDocument.Parse(Lines(path)[0]);
        Assert.Equal("off", header.RootElement.GetProperty("data").GetString());
        Assert.Equal(0, header.RootElement.GetProperty("device").GetProperty("revision").GetInt32());
        Assert.StartsWith("gvnic ", header.RootElement.GetProperty("tool").GetString());
        Assert.Contains(Lines(path), l => l.Contains("\"reg\":\"adminq_pfn\",\"width\":32,\"@value\":\"0x01000000\",\"dma\":\"dma#0+0x0\"", StringComparison.Ordinal));
        Assert.Equal(0, device.Dma.OutstandingRegions);
    }

    [Fact]
    public void A_missing_trace_file() =>
        Cli.Run("trace", "diff", PathOf("nope.trace"), PathOf("nope2.trace")).BadInput("gvnic: " + PathOf("nope.trace") + ": no such file");

    [Fact]
    public void A_file_that_is_not_a_trace()
    {
        string a = Demo("a.trace", "--frames", "0");
        string pcap = PathOf("x.pcap");
        File.WriteAllBytes(pcap, [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]);
        Cli.Run("trace", "diff", a, pcap).BadInput(pcap + " line 1 is not JSON", "not a gvnic trace", "gvnic demo --trace FILE");
        string json = PathOf("x.json");
        File.WriteAllText(json, "{\"type\":\"adminq_command\"}\n");
        Cli.Run("trace", "show", json).BadInput(json + ": line 1 has no \"format\": \"gvnic-pci-trace\": not a gvnic trace");
        string empty = PathOf("empty.trace");
        File.WriteAllText(empty, "");
        Cli.Run("trace", "diff", empty, a).BadInput(empty + " is empty: not a gvnic trace");
    }

    [Fact]
    public void A_trace_of_another_format_version()
    {
        string a = Demo("a.trace", "--frames", "0");
        string b = PathOf("v2.trace");
        File.WriteAllLines(b, Lines(a).Select((l, i) => i == 0 ? l.Replace("\"version\":1", "\"version\":2") : l));
        Cli.Run("trace", "diff", a, b).BadInput(b + " is trace format version 2; this gvnic reads version 1");
    }

    [Fact]
    public void A_broken_line_names_file_and_line()
    {
        string a = Demo("a.trace", "--frames", "0");
        string b = PathOf("broken.trace");
        File.WriteAllLines(b, Lines(a).Select((l, i) => i == 5 ? "{\"seq\":5," : l));
        Cli.Run("trace", "diff", a, b).BadInput(b + " line 6 is not JSON");
    }

    [Fact]
    public void Bad_diff_arguments()
    {
        Cli.Run("trace", "diff", "a").BadInput("'trace diff' needs B (usage: gvnic trace diff A B)", "run 'gvnic trace diff --help' for usage");
        Cli.Run("trace", "diff", "a", "b", "--context", "many").BadInput("--context 'many' is not a whole number");
        Cli.Run("trace").BadInput("'trace' needs a subcommand: 'gvnic trace diff A B' compares two traces, 'gvnic trace show FILE' prints one");
    }

    [Fact]
    public void Bad_trace_options_of_demo()
    {
        Cli.Run("demo", "--trace", PathOf("x.trace"), "--trace-data", "some").BadInput("--trace-data 'some' is not a mode; use off (control path only), doorbells");
        Cli.Run("demo", "--trace-data", "all").BadInput("--trace-data all needs --trace FILE");
        Cli.Run("demo", "--trace", Path.Combine(_dir, "no", "such", "dir", "x.trace")).BadInput("--trace '" + Path.Combine(_dir, "no", "such", "dir", "x.trace") + "': cannot create the file");
        Cli.Run("demo", "--trace", " ").BadInput("--trace: empty file name");
    }
}
