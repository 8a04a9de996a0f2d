using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gvnic.Cli.Commands;
using Gvnic.Cli.Traffic;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>gen, sink and fwd on the device model: what they print, their JSON, their exit codes, recoveries.</summary>
public class TrafficCommandTests
{
    /// <summary>Runs a traffic command without taking signals (other tests send real ones).</summary>
    internal static CliRun Run(params string[] args) => Cli.Run(c => new CliContext(c.Out, c.Error, c.Console) { HandleSignals = false }, args);

    /// <summary>The JSON lines of a --json run: intervals, then the summary.</summary>
    internal static List<JsonElement> Lines(CliRun run) =>
        run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static long Long(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    private static string Line(string output, string start) => output.Split('\n').Single(l => l.StartsWith(start, StringComparison.Ordinal));

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static long Number(string text) => long.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [Fact]
    public void Gen_sends_its_frames_and_the_models_sink_gets_each_or_counts_it_dropped()
    {
        var run = Run("gen", "--frames", "3000").Ok();
        string[] lines = run.Out.Split('\n');
        Assert.Equal("gvnic gen on the device model: sim:0 sends to sim:1 (the model's sink, which counts and checks) over a simulated cable", lines[0]);
        Assert.Matches(@"^  ✓ sim:0 \(gen\) up in \d+\.\d ms: DQO RDA \(dqo-rda\), 1 queue pair, rings 256/256, MTU 1460, MAC 42:01:0a:00:00:02, 10\.0\.0\.2$", lines[1]);
        Assert.Matches(@"^  ✓ sim:1 \(the model's sink\) up in \d+\.\d ms: DQO RDA \(dqo-rda\), 1 queue pair, rings 256/256, MTU 1460, MAC 42:01:0a:00:01:02, 10\.0\.1\.2$", lines[2]);
        Assert.Equal("Frames: 60 bytes, UDP from 10.0.0.2 ports 10000-10063 (64 flows) to 10.0.1.2 port 9, as fast as possible, until 3,000 frames sent", lines[3]);
        Assert.StartsWith("Threads: queue pair 0 ", lines[4]);
        Assert.EndsWith("; the model's peer threads are not pinned", lines[4]);
        Assert.Matches(@"^Stopped after \d+\.\d{3} s: --frames done$", Line(run.Out, "Stopped after"));

        Assert.Equal(["queue", "CPU", "TX frames", "TX Mpps", "TX Gbit/s", "TX full", "RX frames", "lost", "bad"],
            Line(run.Out, "  queue").Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        string[] row = Cells(Line(run.Out, "  0 "));
        Assert.Equal("3,000", row[2]);
        Assert.Equal(["0", "0", "0"], row[^3..]);

        // Every frame reached the model's sink or was dropped by the model for want of RX buffers, none damaged.
        var peer = Line(run.Out, "sim:1 (the model's sink): ");
        long received = Number(Cells(peer)[4]);
        long dropped = Number(Line(run.Out, "RX drops in the device model for want of posted buffers: ").Split(", sim:1 ")[1]);
        Assert.Equal(3000, received + dropped);
        Assert.EndsWith(" 0 bad, 0 foreign", peer);
        Assert.StartsWith("Latency (one way, sim:0 to sim:1, on one clock, " + TrafficReport.Count(received) + " frames): min ", Line(run.Out, "Latency"));
        Assert.Matches(@"^GC during the run: \d+ collections? \(gen0 \d+, gen1 \d+, gen2 \d+\), \d+\.\d ms paused; the traffic threads allocated [\d,]+ bytes \(the device model runs on them", Line(run.Out, "GC during the run"));
        Assert.Equal("✓ torn down sim:0, sim:1: every DMA allocation returned; the device model saw no protocol violations", lines[^2]);
    }

    [Theory]
    [InlineData("dqo-rda")]
    [InlineData("dqo-qpl")]
    [InlineData("gqi-rda")]
    [InlineData("gqi-qpl")]
    public void Gen_in_every_format_over_two_queue_pairs_as_json(string format)
    {
        var run = Run("gen", "--format", format, "--queues", "2", "--size", "imix", "--flows", "8", "--frames", "2001", "--json").Ok();
        var summary = Lines(run).Last();
        Assert.Equal("summary", summary.GetProperty("type").GetString());
        Assert.Equal("gen", summary.GetProperty("command").GetString());
        Assert.Equal("model", summary.GetProperty("target").GetString());
        Assert.Equal("frames", summary.GetProperty("stop").GetString());
        Assert.Equal(0, summary.GetProperty("exit_code").GetInt32());
        Assert.True(summary.GetProperty("dma_returned").GetBoolean());
        Assert.Equal(0, summary.GetProperty("model_violations").GetInt32());
        var nics = summary.GetProperty("nics").EnumerateArray().ToList();
        Assert.Equal(["sim:0", "sim:1"], nics.Select(n => n.GetProperty("name").GetString()));
        Assert.All(nics, n => Assert.Equal(format, n.GetProperty("format").GetString()));
        Assert.All(nics, n => Assert.Equal(2, n.GetProperty("queues").GetInt32()));
        Assert.Equal([true, false], nics.Select(n => n.GetProperty("own").GetBoolean()));
        var frames = summary.GetProperty("frames");
        Assert.Equal("imix", frames.GetProperty("size").GetString());
        Assert.Equal(60, frames.GetProperty("min").GetInt32());
        Assert.Equal(1474, frames.GetProperty("max").GetInt32());

        var queues = summary.GetProperty("queues").EnumerateArray().ToList();
        Assert.Equal([1001L, 1000L], queues.Select(q => Long(q, "tx_frames"))); // --frames split over the queue pairs
        Assert.Equal(2001, Long(summary.GetProperty("total"), "tx_frames"));
        var peer = summary.GetProperty("peers").EnumerateArray().Single();
        Assert.Equal("sim:1", peer.GetProperty("nic").GetString());
        long drops = summary.GetProperty("model_rx_no_buffer_drops").GetProperty("sim:1").GetInt64();
        Assert.Equal(2001, Long(peer, "rx_frames") + drops);
        Assert.Equal(0, Long(peer, "rx_bad"));
        Assert.Equal(0, Long(peer, "rx_foreign"));
        Assert.True(Long(peer, "rx_bytes") > 60 * Long(peer, "rx_frames"), "imix frames are larger than 60 bytes on average");
        Assert.Equal(Long(peer, "rx_frames"), summary.GetProperty("latency_ns").GetProperty("count").GetInt64());
    }

    [Fact]
    public void Sink_receives_exactly_its_frames_from_the_models_generator()
    {
        var run = Run("sink", "--queues", "2", "--frames", "2500", "--json").Ok();
        var summary = Lines(run).Last();
        var total = summary.GetProperty("total");
        Assert.Equal(2500, Long(total, "rx_frames"));
        Assert.Equal(0, Long(total, "rx_bad"));
        Assert.Equal(0, Long(total, "rx_foreign"));
        Assert.Equal(0, Long(total, "tx_frames"));
        Assert.Equal(2, summary.GetProperty("queues").GetArrayLength());
        Assert.True(summary.GetProperty("queues").EnumerateArray().All(q => Long(q, "rx_frames") > 0), "RSS spreads the 64 flows over both RX queues");
        var peer = summary.GetProperty("peers").EnumerateArray().Single();
        Assert.Equal("the model's generator", peer.GetProperty("role").GetString());
        Assert.True(Long(peer, "tx_frames") >= 2500);
        var latency = summary.GetProperty("latency_ns");
        Assert.Equal(2500, latency.GetProperty("count").GetInt64());
        Assert.StartsWith("one way, sim:0 to sim:1", latency.GetProperty("kind").GetString());
        long p50 = Long(latency, "p50"), p99 = Long(latency, "p99"), p999 = Long(latency, "p99_9"), max = Long(latency, "max");
        Assert.True(Long(latency, "min") <= p50 && p50 <= p99 && p99 <= p999 && p999 <= max);

        var text = Run("sink", "--frames", "500").Ok();
        Assert.Equal("gvnic sink on the device model: sim:1 receives from sim:0 (the model's generator) over a simulated cable", text.Out.Split('\n')[0]);
        Assert.Equal(["queue", "CPU", "RX frames", "RX Mpps", "RX Gbit/s", "lost", "late", "bad", "foreign"],
            Line(text.Out, "  queue").Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("500", Cells(Line(text.Out, "  0 "))[2]);
        Assert.Equal(["0", "0"], Cells(Line(text.Out, "  0 "))[^2..]);
        Assert.StartsWith("sim:0 (the model's generator): ", Line(text.Out, "sim:0 ("));
    }

    [Theory]
    [InlineData("io")]
    [InlineData("macswap")]
    [InlineData("5tswap")]
    public void Fwd_reflect_sends_every_frame_back_and_the_tester_times_round_trips(string mode)
    {
        var run = Run("fwd", "--reflect", "--mode", mode, "--frames", "2000", "--json").Ok();
        var summary = Lines(run).Last();
        var total = summary.GetProperty("total");
        Assert.Equal(2000, Long(total, "rx_frames"));
        Assert.Equal(2000, Long(total, "tx_frames") + Long(total, "tx_dropped"));
        var tester = summary.GetProperty("peers").EnumerateArray().Single();
        Assert.Equal("sim:0", tester.GetProperty("nic").GetString());
        long back = Long(tester, "rx_frames");
        long dropped = summary.GetProperty("model_rx_no_buffer_drops").GetProperty("sim:0").GetInt64();
        Assert.Equal(Long(total, "tx_frames"), back + dropped);
        Assert.Equal(0, Long(tester, "rx_bad"));
        Assert.Equal(0, Long(tester, "rx_foreign"));
        var latency = summary.GetProperty("latency_ns");
        Assert.Equal("round trip, tester sim:0 to sim:1 and back", latency.GetProperty("kind").GetString());
        Assert.Equal(back, latency.GetProperty("count").GetInt64());
        Assert.True(Long(latency, "min") > 0);
    }

    [Fact]
    public void Fwd_between_two_nics_carries_the_testers_frames_through()
    {
        var run = Run("fwd", "--queues", "2", "--frames", "3000", "--mode", "5tswap").Ok();
        Assert.Equal("gvnic fwd on the device model: tester sim:0 → sim:1 ⇄ fwd ⇄ sim:2 → tester sim:3 (two simulated cables)", run.Out.Split('\n')[0]);
        Assert.Contains("; forwarded 5tswap", Line(run.Out, "Frames: "));
        Assert.Contains("Summary (sim:1, sim:2, ", run.Out);
        string[] all = Cells(Line(run.Out, "  all "));
        Assert.Equal("3,000", all[1]); // RX frames
        long sent = Number(all[2]), dropped = Number(all[^1]);
        Assert.Equal(3000, sent + dropped);
        string sink = Line(run.Out, "sim:3 (the model's tester: sink): ");
        long received = Number(Cells(sink)[5]);
        long modelDrops = Number(Line(run.Out, "RX drops in the device model").Split(", sim:3 ")[1]);
        Assert.Equal(sent, received + modelDrops);
        Assert.Contains(", 0 bad, 0 foreign", sink);
        Assert.StartsWith("Latency (tester sim:0 through the forwarder to tester sim:3, on one clock, ", Line(run.Out, "Latency"));
        Assert.StartsWith("sim:0 (the model's tester: generator): ", Line(run.Out, "sim:0 ("));
        Assert.Equal("✓ torn down sim:0, sim:1, sim:2, sim:3: every DMA allocation returned; the device model saw no protocol violations", run.Out.Split('\n')[^2]);
    }

    [Fact]
    public void Json_writes_an_object_every_interval_and_a_summary()
    {
        var run = Run("gen", "--duration", "0.35", "--interval", "0.1", "--queues", "2", "--rate", "20000", "--json").Ok();
        var lines = Lines(run);
        var intervals = lines.Where(l => l.GetProperty("type").GetString() == "interval").ToList();
        Assert.InRange(intervals.Count, 2, 4);
        double last = 0;
        foreach (var i in intervals)
        {
            Assert.Equal("gen", i.GetProperty("command").GetString());
            double time = i.GetProperty("time_s").GetDouble();
            Assert.True(time > last);
            last = time;
            var queues = i.GetProperty("queues").EnumerateArray().ToList();
            Assert.Equal([0, 1], queues.Select(q => q.GetProperty("queue").GetInt32()));
            Assert.All(queues, q => Assert.Equal(256, q.GetProperty("tx_ring").GetInt32()));
            Assert.Equal(queues.Sum(q => Long(q, "tx_frames")), Long(i.GetProperty("total"), "tx_frames"));
        }
        Assert.True(intervals.Sum(i => Long(i.GetProperty("total"), "tx_frames")) <= Long(lines.Last().GetProperty("total"), "tx_frames"));
        var summary = lines.Last();
        Assert.Equal("summary", summary.GetProperty("type").GetString());
        Assert.Equal("duration", summary.GetProperty("stop").GetString());
        Assert.Equal(20000, summary.GetProperty("frames").GetProperty("rate_pps").GetDouble());
        // 20,000 frames/s for 0.35 s: at most about 7,000 (the pacing allows a burst at the start, and the run ends a poll
        // late). No lower bound beyond 1: how many a loaded machine lets the thread send is a timing, not a behaviour.
        Assert.InRange(Long(summary.GetProperty("total"), "tx_frames"), 1, 9000);
        Assert.Equal(lines.Count - 1, intervals.Count);
    }

    [Fact]
    public void Plain_output_prints_a_row_per_queue_each_interval()
    {
        var run = Run("sink", "--duration", "0.25", "--interval", "0.1", "--queues", "2").Ok();
        var lines = run.Out.Split('\n');
        int header = Array.FindIndex(lines, l => l.TrimStart().StartsWith("time  ", StringComparison.Ordinal));
        Assert.Equal(["time", "queue", "RX Mpps", "RX Gbit/s", "TX Mpps", "TX Gbit/s", "drops", "TX ring"],
            lines[header].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Single(lines, l => l.TrimStart().StartsWith("time  ", StringComparison.Ordinal));
        var first = lines[(header + 1)..(header + 4)].Select(Cells).ToList();
        Assert.Equal(["0", "1", "all"], first.Select(r => r[2]));
        Assert.All(first, r => Assert.Equal("-", r[^1])); // a sink has no TX ring
        Assert.All(first, r => Assert.Equal(9, r.Length)); // "0.1 s" is two cells
        Assert.Equal("Stopped after", lines.First(l => l.StartsWith("Stopped", StringComparison.Ordinal))[..13]);
        Assert.Contains(": --duration over", Line(run.Out, "Stopped after"));
    }

    [Fact]
    public void A_reset_the_device_asks_for_is_recovered_with_the_threads_paused()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, CliContext.PlainConsole(output, 200));
        IReadOnlyList<SimulatedGvnic> devices = [];
        var options = Options(TrafficCommand.Gen) with { Duration = TimeSpan.FromSeconds(0.6), Interval = TimeSpan.FromSeconds(0.1) };
        int code = TrafficRun.OnModel(context, options, null, d => devices = d, () => devices[0].RequestReset());
        Assert.True(code == ExitCodes.Ok, output + "\n" + error);
        string recovery = output.ToString().Split('\n').First(l => l.StartsWith("! sim:0: ", StringComparison.Ordinal));
        Assert.Matches(@"^! sim:0: the device asked for a reset \(device_status RESET\); the NIC was reset and brought up again in \d+\.\d ms \(\d+ TX frames in flight dropped\)$", recovery);
        Assert.Equal(2, output.ToString().Split('\n').Count(l => l.StartsWith("! sim:0: ", StringComparison.Ordinal))); // as it happens, and in the summary
        Assert.Contains("torn down sim:0, sim:1: every DMA allocation returned", output.ToString());
    }

    [Fact]
    public void A_device_fault_a_worker_meets_is_recovered_and_the_run_goes_on()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, CliContext.PlainConsole(output, 200));
        var options = Options(TrafficCommand.Gen) with { Format = Gvnic.Wire.QueueFormat.GqiQpl, Frames = 20_000, Json = true };
        int code = TrafficRun.OnModel(context, options, null,
            d => d[1].InjectFault(new DeviceFault(DeviceFaultKind.GqiRxPacketContOnLast, Queue: 0, Skip: 300)));
        Assert.True(code == ExitCodes.Ok, output + "\n" + error);
        var summary = JsonDocument.Parse(output.ToString().Trim().Split('\n').Last()).RootElement;
        Assert.True(summary.GetProperty("recoveries").GetArrayLength() == 1, output.ToString());
        string recovery = summary.GetProperty("recoveries")[0].GetString()!;
        // The model's sink met a chain longer than any frame needs: the driver cannot trust the ring, the monitor resets the NIC.
        Assert.StartsWith("sim:1: device fault: RX queue 0: packet_cont", recovery);
        Assert.Contains("; the NIC was reset and brought up again in ", recovery);
        Assert.Equal(1, summary.GetProperty("nics")[1].GetProperty("recoveries").GetInt32());
        Assert.True(summary.GetProperty("peers")[0].GetProperty("rx_frames").GetInt64() > 300, "the sink received again after the recovery");
        Assert.Equal(20_000, summary.GetProperty("total").GetProperty("tx_frames").GetInt64());
        Assert.Equal(0, summary.GetProperty("model_violations").GetInt32());
    }

    [Fact]
    public void A_failing_bring_up_of_the_second_nic_tears_the_first_down()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, CliContext.PlainConsole(output, 200));
        int code = GvnicApp.Guard(context, () => TrafficRun.OnModel(context, Options(TrafficCommand.Gen), null,
            d => d[1].FailNextCommand(Gvnic.Wire.AdminqOpcodes.CreateTxQueue, Gvnic.Wire.AdminqStatuses.CommandErrorInternalError)));
        Assert.Equal(ExitCodes.DeviceError, code);
        Assert.Equal("gvnic: CREATE_TX_QUEUE (0x5) for queue 0 failed: INTERNAL_ERROR (0xFFFFFFF6)\n", error.ToString());
        var lines = output.ToString().Split('\n');
        Assert.StartsWith("  ✓ sim:0 (gen) up in ", lines[1]);
        Assert.Equal("✓ torn down sim:0: every DMA allocation returned; the device model saw no protocol violations", lines[2]);
        Assert.Equal(3, lines.Length - 1);
    }

    /// <summary>Options as the command line gives them by default, for runs that call <see cref="TrafficRun"/> directly.</summary>
    internal static TrafficOptions Options(TrafficCommand command) => new(command, null, 1, FrameSizes.Parse("60"), 0, 64, null, null,
        TimeSpan.FromSeconds(1), false, ForwardMode.Io, false, [], false, null);
}
