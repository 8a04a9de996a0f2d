using System;
using System.Collections.Generic;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// Lines two traces up event by event and finds the first divergence (docs/trace.md, "Comparing"). Events whose outcome is
/// timing are skipped; within events, times, sequence numbers and this run's own values (<c>@</c> members: DMA addresses,
/// device-assigned indexes, poll counts) are not compared. At a divergence it shows context, the members that differ,
/// and looks ahead for where the traces agree again (extra events on one side, or a run of changed ones).
/// </summary>
public static class TraceComparer
{
    /// <summary>Compares the traces in two files.</summary>
    /// <exception cref="TraceFormatException">A file is missing, not a trace, or of another format version.</exception>
    public static TraceComparison Compare(string pathA, string pathB, TraceCompareOptions? options = null)
    {
        options ??= new TraceCompareOptions();
        using var a = TraceReader.Open(pathA);
        using var b = TraceReader.Open(pathB);
        var common = (TraceDataMode)Math.Min((int)a.Header.Data, (int)b.Header.Data);
        var normalizer = new TraceNormalizer(common, options.Ignore);
        var notes = HeaderNotes(a.Header, b.Header);
        var sa = new Source(a, normalizer);
        var sb = new Source(b, normalizer);
        var before = new Queue<TraceEvent>();
        long compared = 0;
        TraceDivergence? divergence = null;
        while (true)
        {
            bool hasA = sa.TryPeek(0, out var ea, out string ca);
            bool hasB = sb.TryPeek(0, out var eb, out string cb);
            if (!hasA && !hasB) break;
            if (hasA && hasB && ca == cb)
            {
                before.Enqueue(ea);
                if (before.Count > options.Context) before.Dequeue();
                sa.Advance();
                sb.Advance();
                compared++;
                continue;
            }
            divergence = new TraceDivergence(compared, compared, hasA ? ea : null, hasB ? eb : null, before.ToArray(),
                sa.Following(options.After), sb.Following(options.After),
                hasA && hasB ? normalizer.Differences(ea, eb) : Array.Empty<TraceFieldDifference>(),
                hasA && hasB ? Resync(sa, sb, options.Lookahead) : null);
            break;
        }
        if (divergence is null)
        {
            EndNotes(a, "A", notes);
            EndNotes(b, "B", notes);
        }
        return new TraceComparison(a.Header, b.Header, compared, divergence, notes);
    }

    private static List<string> HeaderNotes(TraceHeader a, TraceHeader b)
    {
        var notes = new List<string>();
        if (a.Tool != b.Tool) notes.Add("recorded by different tools: A " + a.Tool + ", B " + b.Tool);
        if (a.DeviceText != b.DeviceText) notes.Add("different devices: A " + a.DeviceText + ", B " + b.DeviceText);
        if (a.Bar2Length != b.Bar2Length) notes.Add("BAR2 sizes differ: A " + a.Bar2Length + " bytes, B " + b.Bar2Length);
        if (a.MsixVectors != b.MsixVectors) notes.Add("MSI-X vectors differ: A " + a.MsixVectors + ", B " + b.MsixVectors);
        if (a.Data != b.Data)
        {
            var common = (TraceDataMode)Math.Min((int)a.Data, (int)b.Data);
            notes.Add("data modes differ (A " + TraceFormat.DataModeName(a.Data) + ", B " + TraceFormat.DataModeName(b.Data) + "): compared as "
                + TraceFormat.DataModeName(common) + (common == TraceDataMode.Off ? ", without queue doorbells" : ""));
        }
        return notes;
    }

    private static void EndNotes(TraceReader reader, string side, List<string> notes)
    {
        if (reader.Truncated) notes.Add(side + "'s last line is incomplete: the run stopped while writing it");
        else if (reader.End is null) notes.Add(side + " has no end record: the run stopped before the trace was closed");
    }

    /// <summary>The nearest point after the divergence where two consecutive compared events agree again.</summary>
    private static string? Resync(Source a, Source b, int lookahead)
    {
        for (int d = 1; d <= lookahead; d++)
        {
            if (Agree(a, d, b, 0)) return "A has " + Events(d) + " B lacks (A " + Range(a, 0, d) + "), then the traces agree again";
            if (Agree(a, 0, b, d)) return "B has " + Events(d) + " A lacks (B " + Range(b, 0, d) + "), then the traces agree again";
            if (Agree(a, d, b, d)) return Events(d) + (d == 1 ? " differs" : " differ") + " (A " + Range(a, 0, d) + ", B " + Range(b, 0, d) + "), then the traces agree again";
        }
        return null;
    }

    private static bool Agree(Source a, int ia, Source b, int ib)
    {
        for (int k = 0; k < 2; k++)
        {
            bool hasA = a.TryPeek(ia + k, out _, out string ca);
            bool hasB = b.TryPeek(ib + k, out _, out string cb);
            if (hasA != hasB) return false;
            if (!hasA) return k > 0; // both ended right after an agreeing event
            if (ca != cb) return false;
        }
        return true;
    }

    private static string Events(int n) => n == 1 ? "1 event" : n + " events";

    private static string Range(Source s, int from, int count)
    {
        s.TryPeek(from, out var first, out _);
        s.TryPeek(from + count - 1, out var last, out _);
        return count == 1 ? "#" + first.Sequence : "#" + first.Sequence + "…#" + last.Sequence;
    }

    /// <summary>One trace's compared events, with a window of those read ahead.</summary>
    private sealed class Source(TraceReader reader, TraceNormalizer normalizer)
    {
        private readonly List<(TraceEvent Event, string Canonical)> _ahead = [];
        private bool _ended;

        public bool TryPeek(int index, out TraceEvent trace, out string canonical)
        {
            while (_ahead.Count <= index && !_ended)
            {
                if (!reader.TryRead(out var next))
                {
                    _ended = true;
                    break;
                }
                if (normalizer.IsCompared(next)) _ahead.Add((next, normalizer.Canonical(next)));
            }
            if (index < _ahead.Count)
            {
                (trace, canonical) = _ahead[index];
                return true;
            }
            trace = null!;
            canonical = "";
            return false;
        }

        public void Advance() => _ahead.RemoveAt(0);

        public TraceEvent[] Following(int count)
        {
            var result = new List<TraceEvent>();
            for (int i = 1; i <= count && TryPeek(i, out var e, out _); i++) result.Add(e);
            return result.ToArray();
        }
    }
}
