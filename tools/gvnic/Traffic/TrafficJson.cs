using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Gvnic.Cli.Commands;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// <c>--json</c>: one compact JSON object a line: <c>{"type":"interval",…}</c> every interval and
/// <c>{"type":"summary",…}</c> at the end (docs/cli.md has the schema).
/// </summary>
internal static class TrafficJson
{
    /// <summary>One interval's line.</summary>
    public static string Interval(TrafficOptions options, double time, double seconds, IReadOnlyList<QueueRow> rows, QueueRow total) => Write(w =>
    {
        w.WriteString("type", "interval");
        w.WriteString("command", options.Name);
        w.WriteNumber("time_s", System.Math.Round(time, 3));
        w.WriteNumber("interval_s", System.Math.Round(seconds, 3));
        w.WriteStartArray("queues");
        foreach (var row in rows) Rates(w, row, true);
        w.WriteEndArray();
        w.WritePropertyName("total");
        Rates(w, total, false);
    });

    private static void Rates(Utf8JsonWriter w, QueueRow row, bool withQueue)
    {
        w.WriteStartObject();
        if (withQueue) w.WriteNumber("queue", row.Queue);
        w.WriteNumber("rx_frames", row.Counts.RxFrames);
        w.WriteNumber("rx_pps", System.Math.Round(row.Counts.RxFrames / row.Seconds, 1));
        w.WriteNumber("rx_bps", System.Math.Round(row.Counts.RxBytes * 8 / row.Seconds, 1));
        w.WriteNumber("tx_frames", row.Counts.TxFrames);
        w.WriteNumber("tx_pps", System.Math.Round(row.Counts.TxFrames / row.Seconds, 1));
        w.WriteNumber("tx_bps", System.Math.Round(row.Counts.TxBytes * 8 / row.Seconds, 1));
        w.WriteNumber("drops", row.Drops);
        w.WriteNumber("tx_in_flight", row.Counts.TxInFlight);
        w.WriteNumber("tx_ring", row.TxRing);
        w.WriteEndObject();
    }

    /// <summary>The summary's line.</summary>
    public static string Summary(TrafficOptions options, TrafficSetup setup, TrafficSummary s, int exitCode, IReadOnlyList<(TrafficNic Nic, int Kept, string? Error)> teardown, int violations) => Write(w =>
    {
        w.WriteString("type", "summary");
        w.WriteString("command", options.Name);
        w.WriteString("target", options.OnModel ? "model" : "pci");
        w.WriteString("topology", setup.Topology);
        w.WriteStartArray("nics");
        foreach (var nic in setup.Nics)
        {
            w.WriteStartObject();
            w.WriteString("name", nic.Name);
            w.WriteString("role", nic.Role);
            w.WriteBoolean("own", nic.Own);
            w.WriteString("format", ScenarioOptionSet.CliName(nic.Format));
            w.WriteNumber("queues", nic.Queues);
            w.WriteNumber("tx_ring", nic.TxRing);
            w.WriteNumber("rx_ring", nic.RxRing);
            w.WriteNumber("mtu", nic.Mtu);
            w.WriteString("mac", nic.MacText);
            if (nic.Ip is null) w.WriteNull("ip");
            else w.WriteString("ip", nic.Ip.ToString());
            w.WriteNumber("recoveries", nic.Recoveries);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (setup.Template is FrameTemplate t)
        {
            w.WriteStartObject("frames");
            w.WriteString("size", options.Sizes.Text);
            w.WriteNumber("min", Min(setup.SizeTable));
            w.WriteNumber("max", Max(setup.SizeTable));
            w.WriteNumber("flows", options.Flows);
            w.WriteNumber("rate_pps", options.Rate);
            w.WriteString("source_ip", t.SourceIp.ToString());
            w.WriteString("destination_ip", t.DestinationIp.ToString());
            w.WriteNumber("run", t.Run);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("frames");
        }
        w.WriteString("stop", s.StopReason);
        w.WriteNumber("seconds", System.Math.Round(s.Seconds, 6));
        w.WriteStartArray("queues");
        foreach (var row in s.Queues) Totals(w, row, true);
        w.WriteEndArray();
        w.WritePropertyName("total");
        Totals(w, s.Total!, false);
        w.WriteStartArray("peers");
        foreach (var peer in s.Peers)
        {
            w.WriteStartObject();
            w.WriteString("nic", peer.Nic.Name);
            w.WriteString("role", peer.Nic.Role);
            Counts(w, peer.Counts);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("model_rx_no_buffer_drops");
        foreach (var (nic, drops) in s.ModelNoBufferDrops) w.WriteNumber(nic, drops);
        w.WriteEndObject();
        if (s.LatencyKind is null || s.Latency is null || s.Latency.Count == 0)
        {
            w.WriteNull("latency_ns");
        }
        else
        {
            var h = s.Latency;
            w.WriteStartObject("latency_ns");
            w.WriteString("kind", s.LatencyKind);
            w.WriteNumber("count", h.Count);
            w.WriteNumber("min", h.Min);
            w.WriteNumber("p50", h.Percentile(50));
            w.WriteNumber("p99", h.Percentile(99));
            w.WriteNumber("p99_9", h.Percentile(99.9));
            w.WriteNumber("max", h.Max);
            w.WriteEndObject();
        }
        w.WriteStartObject("gc");
        w.WriteNumber("gen0", s.Collections[0]);
        w.WriteNumber("gen1", s.Collections[1]);
        w.WriteNumber("gen2", s.Collections[2]);
        w.WriteNumber("pause_ms", System.Math.Round(s.GcPause.TotalMilliseconds, 3));
        w.WriteNumber("thread_allocated_bytes", s.ThreadAllocatedBytes);
        w.WriteEndObject();
        w.WriteString("pinning", s.Pinning);
        w.WriteStartArray("recoveries");
        foreach (string r in s.Recoveries) w.WriteStringValue(r);
        w.WriteEndArray();
        bool returned = true;
        foreach (var r in teardown) returned &= r.Kept == 0 && r.Error is null;
        w.WriteBoolean("dma_returned", returned);
        w.WriteNumber("model_violations", violations);
        if (s.Failure is null) w.WriteNull("failure");
        else w.WriteString("failure", s.Failure);
        w.WriteNumber("exit_code", exitCode);
    });

    private static void Totals(Utf8JsonWriter w, QueueRow row, bool withQueue)
    {
        w.WriteStartObject();
        if (withQueue)
        {
            w.WriteNumber("queue", row.Queue);
            if (row.Cpu is int cpu) w.WriteNumber("cpu", cpu);
            else w.WriteNull("cpu");
        }
        Counts(w, row.Counts);
        w.WriteNumber("rx_pps", System.Math.Round(row.Counts.RxFrames / row.Seconds, 1));
        w.WriteNumber("tx_pps", System.Math.Round(row.Counts.TxFrames / row.Seconds, 1));
        w.WriteNumber("rx_bps", System.Math.Round(row.Counts.RxBytes * 8 / row.Seconds, 1));
        w.WriteNumber("tx_bps", System.Math.Round(row.Counts.TxBytes * 8 / row.Seconds, 1));
        w.WriteEndObject();
    }

    private static void Counts(Utf8JsonWriter w, CounterSnapshot c)
    {
        w.WriteNumber("tx_frames", c.TxFrames);
        w.WriteNumber("tx_bytes", c.TxBytes);
        w.WriteNumber("tx_full", c.TxFull);
        w.WriteNumber("tx_dropped", c.TxDropped);
        w.WriteNumber("rx_frames", c.RxFrames);
        w.WriteNumber("rx_bytes", c.RxBytes);
        w.WriteNumber("rx_foreign", c.RxForeign);
        w.WriteNumber("rx_bad", c.RxBad);
        w.WriteNumber("lost", c.Lost);
        w.WriteNumber("late", c.RxLate);
    }

    private static int Min(int[] values)
    {
        int min = int.MaxValue;
        foreach (int v in values) if (v < min) min = v;
        return min;
    }

    private static int Max(int[] values)
    {
        int max = 0;
        foreach (int v in values) if (v > max) max = v;
        return max;
    }

    private static string Write(System.Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
