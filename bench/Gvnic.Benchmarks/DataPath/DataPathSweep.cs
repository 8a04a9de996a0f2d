using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using Gvnic.Wire;

namespace Gvnic.Benchmarks.DataPath;

/// <summary>
/// The data-path sweep: every format × frame length × batch × queue-pair count, each point measured on a fresh
/// <see cref="DataPathRig"/>; prints a Markdown table and writes a CSV.
/// </summary>
/// <remarks>
/// Command line (after <c>datapath</c>): <c>--quick</c> (fewer packets a point), <c>--packets N</c>,
/// <c>--formats GqiQpl,DqoRda</c>, <c>--frames 64,512</c>, <c>--batches 1,32</c>, <c>--queues 1,16</c>,
/// <c>--out path.csv</c> (default bench/results/datapath.csv under the repository root), <c>--no-warmup</c> (skip the
/// timed JIT warm-up: with <c>DOTNET_TieredCompilation=0</c> a run is then the same instructions every time, for
/// counting them under callgrind; docs/benchmarks.md).
/// </remarks>
internal static class DataPathSweep
{
    private static readonly QueueFormat[] AllFormats = [QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl];

    public static int Run(string[] args)
    {
        var formats = new List<QueueFormat>(AllFormats);
        var frames = new List<int> { 64, 512, 1500 };
        var batches = new List<int> { 1, 8, 32, 64 };
        var queues = new List<int> { 1, 2, 4, 8, 16 };
        long packets = 131_072;
        string? output = null;
        bool warmUp = true;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("option " + a + " needs a value");
            switch (a)
            {
                case "--quick": packets = 8_192; break;
                case "--packets": packets = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--formats": formats = ParseList(Next(), s => Enum.Parse<QueueFormat>(s, ignoreCase: true)); break;
                case "--frames": frames = ParseList(Next(), int.Parse); break;
                case "--batches": batches = ParseList(Next(), int.Parse); break;
                case "--queues": queues = ParseList(Next(), int.Parse); break;
                case "--out": output = Next(); break;
                case "--no-warmup": warmUp = false; break;
                default: throw new ArgumentException("unknown option '" + a + "'; known: --quick, --packets N, --formats, --frames, --batches, --queues (comma lists), --out file.csv, --no-warmup");
            }
        }
        output ??= Path.Combine(RepositoryRoot(), "bench", "results", "datapath.csv");

        double overheadTicks = TimestampOverhead();
        Console.WriteLine("# Data-path sweep");
        Console.WriteLine();
        Console.WriteLine("- date: " + DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC; load at start: " + LoadAverage());
        Console.WriteLine("- runtime: .NET " + Environment.Version + ", " + Environment.ProcessorCount + " logical processors, server GC " + System.Runtime.GCSettings.IsServerGC);
        Console.WriteLine("- packets a point: " + packets + "; timestamp read: " + (overheadTicks * 1e9 / Stopwatch.Frequency).ToString("F1", CultureInfo.InvariantCulture) + " ns (not subtracted: the clock column is the most it can add to the driver's time per packet)");
        Console.WriteLine("- times per packet are medians over rounds; the driver's mean over all rounds is the last but one column");
        Console.WriteLine();

        var wall = Stopwatch.StartNew();
        // Warm every format's code once (JIT tiers, the model's paths) before the first measured point.
        if (warmUp) foreach (QueueFormat f in formats) WarmUp(new SweepPoint(f, 512, 8, 2));

        var csv = new StringBuilder();
        csv.AppendLine("format,frame_bytes,batch,queues,packets,driver_ns_per_pkt,driver_tx_ns_per_pkt,driver_rx_ns_per_pkt,driver_reclaim_ns_per_pkt,driver_mpps,model_ns_per_pkt,e2e_mpps,driver_alloc_bytes_per_pkt,driver_mean_ns_per_pkt,clock_ns_per_pkt,load1");
        Console.WriteLine("| Format | Frame | Batch | Queues | driver ns/pkt | TX | RX | reclaim | driver Mpps | model ns/pkt | end-to-end Mpps | driver B/pkt | driver mean ns/pkt | clock ns/pkt | load |");
        Console.WriteLine("|--------|------:|------:|-------:|--------------:|---:|---:|--------:|------------:|-------------:|----------------:|-------------:|-------------------:|-------------:|-----:|");
        foreach (QueueFormat f in formats)
        foreach (int frame in frames)
        foreach (int batch in batches)
        foreach (int q in queues)
        {
            var point = new SweepPoint(f, frame, batch, q);
            Measured m = Measure(point, packets, overheadTicks);
            string load = LoadAverage();
            csv.Append(f).Append(',').Append(frame).Append(',').Append(batch).Append(',').Append(q).Append(',').Append(m.Packets).Append(',')
               .Append(F(m.DriverNs)).Append(',').Append(F(m.TxNs)).Append(',').Append(F(m.RxNs)).Append(',').Append(F(m.ReclaimNs)).Append(',')
               .Append(F(m.DriverMpps)).Append(',').Append(F(m.ModelNs)).Append(',').Append(F(m.EndToEndMpps)).Append(',').Append(F(m.AllocPerPacket)).Append(',').Append(F(m.DriverMeanNs)).Append(',').Append(F(m.ClockNs)).Append(',').Append(load).AppendLine();
            Console.WriteLine("| " + f + " | " + frame + " | " + batch + " | " + q + " | " + F(m.DriverNs) + " | " + F(m.TxNs) + " | " + F(m.RxNs) + " | " + F(m.ReclaimNs) + " | " +
                F(m.DriverMpps) + " | " + F(m.ModelNs) + " | " + F(m.EndToEndMpps) + " | " + F(m.AllocPerPacket) + " | " + F(m.DriverMeanNs) + " | " + F(m.ClockNs) + " | " + load + " |");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, csv.ToString());
        Console.WriteLine();
        Console.WriteLine("wrote " + output + " in " + wall.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture) + " s; load at end: " + LoadAverage());
        return 0;
    }

    private readonly record struct Measured(long Packets, double DriverNs, double TxNs, double RxNs, double ReclaimNs, double DriverMpps, double ModelNs, double EndToEndMpps, double AllocPerPacket, double DriverMeanNs, double ClockNs);

    /// <summary>
    /// Opens a rig, warms it (every ring wrapped three times, at least an eighth of the measured packets), measures,
    /// closes it. Per-packet times are medians over rounds (each round's phase time over the round's packets), robust to
    /// the preemptions of a shared machine; the mean over all rounds is kept too (driver_mean_ns_per_pkt).
    /// </summary>
    private static Measured Measure(SweepPoint point, long packets, double overheadTicks)
    {
        using var rig = new DataPathRig(point);
        var warm = new PhaseTotals();
        while (warm.Packets < packets / 8 || !rig.EveryRingWrapped(3)) rig.Round(ref warm);

        int perRound = point.Batch * point.Queues;
        int rounds = (int)Math.Max(64, (packets + perRound - 1) / perRound);
        long[] roundTx = new long[rounds], roundRx = new long[rounds], roundReclaim = new long[rounds], roundModel = new long[rounds];
        var t = new PhaseTotals { RoundTx = roundTx, RoundRx = roundRx, RoundReclaim = roundReclaim, RoundModel = roundModel };
        long start = Stopwatch.GetTimestamp();
        for (int r = 0; r < rounds; r++) rig.Round(ref t);
        long wallTicks = Stopwatch.GetTimestamp() - start;
        GC.KeepAlive(rig.Sink);

        // Each driver interval is measured between two timestamp reads and includes up to one read's cost (less when the
        // read overlaps the work around it): nothing is subtracted, so driver times are upper bounds, high by at most
        // 3 reads a round (the clock column).
        double nsPerTick = 1e9 / Stopwatch.Frequency;
        double PerPacket(long[] ticks) => Median(ticks) * nsPerTick / perRound;
        double tx = PerPacket(roundTx), rx = PerPacket(roundRx), reclaim = PerPacket(roundReclaim);
        var driverTicks = new long[rounds];
        for (int r = 0; r < rounds; r++) driverTicks[r] = roundTx[r] + roundRx[r] + roundReclaim[r];
        double driver = Median(driverTicks) * nsPerTick / perRound;
        double driverMean = (t.TxTicks + t.RxTicks + t.ReclaimTicks) * nsPerTick / t.Packets;
        double clock = 3 * overheadTicks * nsPerTick / perRound;
        double model = Median(roundModel) * nsPerTick / perRound;
        return new Measured(t.Packets, driver, tx, rx, reclaim, 1e3 / driver, model, t.Packets / (wallTicks * nsPerTick) * 1e3, (double)t.DriverAllocated / t.Packets, driverMean, clock);
    }

    private static double Median(long[] values)
    {
        var sorted = (long[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /// <summary>Runs a rig for about a second, then gives tiered compilation time to install optimised code, three times.</summary>
    private static void WarmUp(SweepPoint point)
    {
        using var rig = new DataPathRig(point);
        var t = new PhaseTotals();
        for (int pass = 0; pass < 3; pass++)
        {
            long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 3;
            while (Stopwatch.GetTimestamp() < until) rig.Round(ref t);
            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// The cost of one timestamp read, in ticks: the fastest of 400 runs of 10,000 back-to-back reads (short runs, and
    /// the fastest, so that preemption on a shared machine does not inflate it).
    /// </summary>
    private static double TimestampOverhead()
    {
        double best = double.MaxValue;
        for (int r = 0; r < 400; r++)
        {
            const int n = 10_000;
            long sum = 0;
            for (int i = 0; i < n; i++)
            {
                long a = Stopwatch.GetTimestamp();
                long b = Stopwatch.GetTimestamp();
                sum += b - a;
            }
            best = Math.Min(best, (double)sum / n);
        }
        return best;
    }

    private static string F(double v) => v.ToString(v >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);

    private static List<T> ParseList<T>(string text, Func<string, T> parse)
    {
        var list = new List<T>();
        foreach (string s in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) list.Add(parse(s));
        if (list.Count == 0) throw new ArgumentException("empty list '" + text + "'");
        return list;
    }

    /// <summary>The 1-minute load average (Linux /proc/loadavg), or "?" elsewhere.</summary>
    internal static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }

    /// <summary>The directory holding Gvnic.sln, searched upwards from the working directory.</summary>
    internal static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Gvnic.sln"))) return d.FullName;
        throw new InvalidOperationException("Gvnic.sln not found above " + Environment.CurrentDirectory + "; run from the repository or pass --out");
    }
}
