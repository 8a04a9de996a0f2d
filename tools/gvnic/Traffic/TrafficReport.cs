using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Gvnic.Cli.Scenario;
using Spectre.Console;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// The text output of gen, sink and fwd: the plan, the live per-queue table (a live view in a terminal, rows every
/// interval otherwise) and the summary. <see cref="TrafficJson"/> writes the same as JSON.
/// </summary>
internal sealed class TrafficReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly IAnsiConsole _console;
    private readonly TrafficOptions _options;

    /// <summary>Writes to <paramref name="console"/>.</summary>
    public TrafficReport(IAnsiConsole console, TrafficOptions options)
    {
        _console = console;
        _options = options;
    }

    /// <summary>Whether the console is a terminal that can redraw (then the table is a live view).</summary>
    public bool Interactive => _console.Profile.Capabilities.Interactive && _console.Profile.Capabilities.Ansi;

    /// <summary>The first line: what runs where.</summary>
    public void Topology(string text) => _console.WriteLine(text);

    /// <summary>A NIC brought up.</summary>
    public void NicUp(TrafficNic nic) => _console.MarkupLine("  [green]✓[/] " + Markup.Escape(nic.Name + " (" + nic.Role + ") up in "
        + nic.UpIn.TotalMilliseconds.ToString("0.0", Invariant) + " ms: " + ScenarioRunner.FormatName(nic.Nic.QueueFormat) + ", "
        + Plural(nic.Nic.TxQueueCount, "queue pair") + ", rings " + nic.Nic.TxRingSize + "/" + nic.Nic.RxRingSize + ", MTU " + nic.Nic.Mtu
        + ", MAC " + nic.Nic.MacAddress + (nic.Ip is null ? "" : ", " + nic.Ip)));

    /// <summary>A line of its own (addresses found, a recovery).</summary>
    public void Note(bool ok, string text) => _console.MarkupLine((ok ? "  [green]✓[/] " : "[yellow]![/] ") + Markup.Escape(text));

    /// <summary>The frames and threads lines.</summary>
    public void Plan(string frames, string threads)
    {
        _console.WriteLine("Frames: " + frames);
        _console.WriteLine("Threads: " + threads);
    }

    /// <summary>A table for one interval's rows (the live view redraws it; plain output prints its rows).</summary>
    public Table IntervalTable()
    {
        var table = new Table().Border(TableBorder.None);
        foreach (string column in IntervalColumns) table.AddColumn(new TableColumn(column).RightAligned());
        return table;
    }

    /// <summary>The live table's columns.</summary>
    public static readonly string[] IntervalColumns = ["time", "queue", "RX Mpps", "RX Gbit/s", "TX Mpps", "TX Gbit/s", "drops", "TX ring"];

    /// <summary>Fills <paramref name="table"/> with one interval's rows (replacing what it held).</summary>
    public void FillInterval(Table table, double time, IReadOnlyList<QueueRow> rows, QueueRow? total, bool hasTx)
    {
        table.Rows.Clear();
        foreach (var row in rows) table.AddRow(IntervalCells(time, row, hasTx));
        if (total is not null) table.AddRow(IntervalCells(time, total, hasTx));
    }

    /// <summary>Writes one interval as plain rows, the header before the first.</summary>
    public void WriteInterval(double time, IReadOnlyList<QueueRow> rows, QueueRow? total, bool hasTx, bool first)
    {
        var lines = new List<string[]>();
        if (first) lines.Add(IntervalColumns);
        foreach (var row in rows) lines.Add(IntervalCells(time, row, hasTx));
        if (total is not null) lines.Add(IntervalCells(time, total, hasTx));
        foreach (var cells in lines) _console.WriteLine(Columns(cells, IntervalWidths));
    }

    private static readonly int[] IntervalWidths = [8, 6, 9, 10, 9, 10, 8, 10];

    private static string Columns(string[] cells, int[] widths)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < cells.Length; i++) text.Append(cells[i].PadLeft(widths[i] + (i == 0 ? 0 : 2)));
        return text.ToString();
    }

    private static string[] IntervalCells(double time, QueueRow row, bool hasTx) =>
    [
        time.ToString("0.0", Invariant) + " s",
        row.Queue < 0 ? "all" : row.Queue.ToString(Invariant),
        Rate(row.RxMpps), Rate(row.RxGbps), Rate(row.TxMpps), Rate(row.TxGbps),
        row.Drops.ToString("N0", Invariant),
        hasTx ? row.Counts.TxInFlight + "/" + row.TxRing : "-",
    ];

    /// <summary>The summary.</summary>
    public void Summary(TrafficSummary s, TrafficSetup setup)
    {
        _console.WriteLine("Stopped after " + s.Seconds.ToString("0.000", Invariant) + " s: " + StopText(s));
        var table = new Table().Border(TableBorder.Simple).Title("Summary (" + string.Join(", ", setup.Nics.Where(n => n.Own).Select(n => n.Name)) + ", "
            + s.Seconds.ToString("0.000", Invariant) + " s)");
        string[] columns = SummaryColumns(_options.Command);
        foreach (string column in columns) table.AddColumn(column is "queue" or "CPU" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        foreach (var row in s.Queues) table.AddRow(SummaryCells(row).Select(c => new Text(c)));
        if (s.Queues.Count > 1 && s.Total is not null) table.AddRow(SummaryCells(s.Total).Select(c => new Text(c)));
        _console.Write(table);
        foreach (var peer in s.Peers) _console.WriteLine(PeerText(peer, s.Seconds));
        if (s.ModelNoBufferDrops.Count > 0)
            _console.WriteLine("RX drops in the device model for want of posted buffers: " + string.Join(", ", s.ModelNoBufferDrops.Select(d => d.Nic + " " + d.Drops.ToString("N0", Invariant))));
        _console.WriteLine(LatencyText(s));
        _console.WriteLine(GcText(s));
        foreach (string recovery in s.Recoveries) _console.MarkupLine("[yellow]![/] " + Markup.Escape(recovery));
    }

    /// <summary>The summary table's columns for <paramref name="command"/>.</summary>
    public static string[] SummaryColumns(TrafficCommand command) => command switch
    {
        TrafficCommand.Gen => ["queue", "CPU", "TX frames", "TX Mpps", "TX Gbit/s", "TX full", "RX frames", "lost", "bad"],
        TrafficCommand.Sink => ["queue", "CPU", "RX frames", "RX Mpps", "RX Gbit/s", "lost", "late", "bad", "foreign"],
        _ => ["queue", "CPU", "RX frames", "TX frames", "TX Mpps", "TX Gbit/s", "TX full", "dropped"],
    };

    private string[] SummaryCells(QueueRow row)
    {
        string queue = row.Queue < 0 ? "all" : row.Queue.ToString(Invariant);
        string cpu = row.Queue < 0 ? "" : row.Cpu?.ToString(Invariant) ?? "-";
        var c = row.Counts;
        return _options.Command switch
        {
            TrafficCommand.Gen => [queue, cpu, Count(c.TxFrames), Rate(row.TxMpps), Rate(row.TxGbps), Count(c.TxFull), Count(c.RxFrames), Count(c.Lost), Count(c.RxBad)],
            TrafficCommand.Sink => [queue, cpu, Count(c.RxFrames), Rate(row.RxMpps), Rate(row.RxGbps), Count(c.Lost), Count(c.RxLate), Count(c.RxBad), Count(c.RxForeign)],
            _ => [queue, cpu, Count(c.RxFrames), Count(c.TxFrames), Rate(row.TxMpps), Rate(row.TxGbps), Count(c.TxFull), Count(c.TxDropped)],
        };
    }

    private static string StopText(TrafficSummary s) => s.StopReason switch
    {
        "frames" => "--frames done",
        "duration" => "--duration over",
        "error" => "a failure (below)",
        _ => s.StopReason,
    };

    private static string PeerText(PeerResult peer, double seconds)
    {
        var c = peer.Counts;
        string head = peer.Nic.Name + " (" + peer.Nic.Role + "): ";
        string sent = c.TxFrames > 0 ? Count(c.TxFrames) + " frames sent (" + Rate(c.TxFrames / seconds / 1e6) + " Mpps)" : "";
        string received = c.RxFrames > 0 || c.TxFrames == 0
            ? Count(c.RxFrames) + " frames received (" + Rate(c.RxFrames / seconds / 1e6) + " Mpps), " + Count(c.Lost) + " lost, " + Count(c.RxLate) + " late, "
              + Count(c.RxBad) + " bad, " + Count(c.RxForeign) + " foreign"
            : "";
        return head + string.Join("; ", new[] { sent, received }.Where(t => t.Length > 0));
    }

    /// <summary>The latency line.</summary>
    public static string LatencyText(TrafficSummary s)
    {
        if (s.LatencyKind is null || s.Latency is null) return "Latency: not measured (nothing comes back to this command: 'gvnic fwd --reflect' on the model, or a reflector on the network, times round trips)";
        var h = s.Latency;
        if (h.Count == 0) return "Latency (" + s.LatencyKind + "): no timed frame arrived";
        return "Latency (" + s.LatencyKind + ", " + Count(h.Count) + " frames): min " + Duration(h.Min) + ", p50 " + Duration(h.Percentile(50)) + ", p99 "
            + Duration(h.Percentile(99)) + ", p99.9 " + Duration(h.Percentile(99.9)) + ", max " + Duration(h.Max);
    }

    private string GcText(TrafficSummary s)
    {
        int total = s.Collections.Sum();
        string head = "GC during the run: " + Plural(total, "collection") + " (gen0 " + s.Collections[0] + ", gen1 " + s.Collections[1] + ", gen2 " + s.Collections[2] + "), "
            + s.GcPause.TotalMilliseconds.ToString("0.0", Invariant) + " ms paused; the traffic threads allocated " + Count(s.ThreadAllocatedBytes) + " bytes";
        return head + (_options.OnModel
            ? " (the device model runs on them and allocates for every frame; the traffic engine and the driver allocate nothing per frame)"
            : " (the traffic engine and the driver allocate nothing per frame)");
    }

    /// <summary>The last lines: teardown.</summary>
    public void TornDown(IReadOnlyList<(TrafficNic Nic, int Kept, string? Error)> results, int violations)
    {
        var kept = results.Where(r => r.Kept > 0 || r.Error is not null).ToList();
        string names = string.Join(", ", results.Select(r => r.Nic.Name));
        if (kept.Count == 0)
        {
            _console.MarkupLine("[green]✓[/] " + Markup.Escape("torn down " + names + ": every DMA allocation returned"
                + (_options.OnModel ? violations == 0 ? "; the device model saw no protocol violations" : "" : "")));
        }
        else
        {
            foreach (var r in kept)
                _console.MarkupLine("[red]✗[/] " + Markup.Escape(r.Nic.Name + ": " + (r.Error ?? r.Kept + " DMA regions are still allocated after teardown")));
        }
    }

    /// <summary>Protocol violations the model saw.</summary>
    public void Violations(string nic, IReadOnlyList<string> violations)
    {
        _console.MarkupLine("[red]✗[/] " + Markup.Escape("the device model saw " + Plural(violations.Count, "protocol violation") + " on " + nic + ":"));
        foreach (string v in violations.Take(10)) _console.WriteLine("    " + v);
    }

    /// <summary><c>12,345</c>.</summary>
    public static string Count(long n) => n.ToString("N0", Invariant);

    /// <summary><c>0.215</c>.</summary>
    public static string Rate(double value) => value.ToString("0.000", Invariant);

    /// <summary><c>850 ns</c>, <c>12.3 µs</c>, <c>1.20 ms</c>, <c>1.50 s</c>.</summary>
    public static string Duration(long nanoseconds) => nanoseconds switch
    {
        < 1_000 => nanoseconds.ToString(Invariant) + " ns",
        < 1_000_000 => (nanoseconds / 1e3).ToString("0.0", Invariant) + " µs",
        < 1_000_000_000 => (nanoseconds / 1e6).ToString("0.00", Invariant) + " ms",
        _ => (nanoseconds / 1e9).ToString("0.00", Invariant) + " s",
    };

    /// <summary><c>1 queue pair</c>, <c>2 queue pairs</c>.</summary>
    public static string Plural(long n, string noun) => n + " " + noun + (n == 1 ? "" : "s");
}
