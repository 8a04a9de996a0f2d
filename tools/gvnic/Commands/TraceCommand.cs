using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Gvnic.Cli.Trace;
using Gvnic.Platform.Tracing;

namespace Gvnic.Cli.Commands;

/// <summary>
/// <c>gvnic trace diff A B</c> and <c>gvnic trace show FILE</c>: traces written by <c>demo --trace</c> and <c>up --trace</c>
/// (docs/trace.md). <c>diff</c> exits 0 when the traces are equivalent, 1 when they diverge, 2 for bad input.
/// </summary>
internal static class TraceCommand
{
    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("trace", "Read and compare traces written by 'gvnic demo --trace FILE' and 'gvnic up --trace FILE' (docs/trace.md).");
        command.Subcommands.Add(CreateDiff(context));
        command.Subcommands.Add(CreateShow(context));
        command.SetAction(_ => GvnicApp.Guard(context, () => throw new UsageException("'trace' needs a subcommand: 'gvnic trace diff A B' compares two traces, 'gvnic trace show FILE' prints one")));
        return command;
    }

    private static Command CreateDiff(CliContext context)
    {
        var a = new Argument<string>("A") { Description = "The first trace (e.g. the model's run)." };
        var b = new Argument<string>("B") { Description = "The second trace (e.g. the same scenario on a GCE VM)." };
        var ignore = new Option<string[]>("--ignore") { Description = "Leave NAME out of the comparison: a decoded field of that name anywhere (mac, link_speed), or a register's value (max_tx_queues). Repeatable.", HelpName = "NAME" };
        var contextLines = new Option<string>("--context") { Description = "Equal events to show before the divergence.", DefaultValueFactory = _ => "3", HelpName = "N" };
        var command = new Command("diff", "Line two traces up and report the first divergence with both sides decoded; exit 0 when equivalent, 1 when they diverge.") { a, b, ignore, contextLines };
        command.SetAction(p => GvnicApp.Guard(context, () => Diff(context, p.GetValue(a)!, p.GetValue(b)!, p.GetValue(ignore) ?? [], p.GetValue(contextLines)!)));
        return command;
    }

    private static Command CreateShow(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "A trace." };
        var command = new Command("show", "Print a trace one event a line, with every decoded value of admin commands and answers.") { file };
        command.SetAction(p => GvnicApp.Guard(context, () => Show(context, p.GetValue(file)!)));
        return command;
    }

    /// <summary>Compares and reports; returns the exit code.</summary>
    public static int Diff(CliContext context, string pathA, string pathB, IReadOnlyCollection<string> ignore, string contextText)
    {
        if (!int.TryParse(contextText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int before) || before > 1000)
            throw new UsageException("--context '" + contextText + "' is not a whole number (0..1000)");
        TraceComparison result;
        try
        {
            result = TraceComparer.Compare(pathA, pathB, new TraceCompareOptions { Ignore = ignore, Context = before });
        }
        catch (TraceFormatException e)
        {
            throw new UsageException(e.Message);
        }
        var o = context.Out;
        o.WriteLine("A: " + TraceText.Header(result.A, pathA));
        o.WriteLine("B: " + TraceText.Header(result.B, pathB));
        if (ignore.Count > 0) o.WriteLine("ignored: " + string.Join(", ", ignore));
        foreach (string note in result.Notes) o.WriteLine("note: " + note);
        if (result.Divergence is not TraceDivergence d)
        {
            o.WriteLine("✓ the traces are equivalent: " + Events(result.Compared) + " compared, in the same order with the same values");
            return ExitCodes.Ok;
        }
        string where = d.A is null ? "A ends after " + Events(d.IndexA) + " where B continues"
            : d.B is null ? "B ends after " + Events(d.IndexB) + " where A continues"
            : "the traces agree on " + Events(d.IndexA) + ", then diverge at A #" + d.A.Sequence + " (line " + d.A.Line + ") and B #" + d.B.Sequence + " (line " + d.B.Line + ")";
        o.WriteLine("✗ " + where + ":");
        if (d.Before.Count > 0)
        {
            o.WriteLine("  equal before:");
            foreach (var e in d.Before) o.WriteLine("    " + TraceText.Line(e));
        }
        Side(o, "A", d.A);
        Side(o, "B", d.B);
        if (d.Differences.Count > 0)
        {
            o.WriteLine("  differences (A → B):");
            foreach (var f in d.Differences)
                o.WriteLine("    " + f.Path + ": " + (f.A ?? "(absent)") + " → " + (f.B ?? "(absent)"));
        }
        if (d.A is not null && d.B is not null)
            o.WriteLine("  then: " + (d.Resync ?? "the traces do not agree again within the next 64 events"));
        Following(o, "A", d.AfterA);
        Following(o, "B", d.AfterB);
        return ExitCodes.DeviceError;
    }

    private static void Side(System.IO.TextWriter o, string side, TraceEvent? e)
    {
        if (e is null)
        {
            o.WriteLine("  " + side + ": (ended)");
            return;
        }
        o.WriteLine("  " + side + " line " + e.Line + ": " + TraceText.Line(e));
        foreach (string line in TraceText.Details(e)) o.WriteLine("        " + line);
    }

    private static void Following(System.IO.TextWriter o, string side, IReadOnlyList<TraceEvent> events)
    {
        if (events.Count == 0) return;
        o.WriteLine("  " + side + " goes on:");
        foreach (var e in events) o.WriteLine("    " + TraceText.Line(e));
    }

    /// <summary>Prints a trace; returns the exit code.</summary>
    public static int Show(CliContext context, string path)
    {
        try
        {
            using var reader = TraceReader.Open(path);
            var o = context.Out;
            o.WriteLine(TraceText.Header(reader.Header, path));
            long count = 0;
            while (reader.TryRead(out var e))
            {
                count++;
                o.WriteLine(TraceText.Line(e));
                foreach (string line in TraceText.Details(e)) o.WriteLine("          " + line);
            }
            if (reader.End is TraceEvent end) o.WriteLine(TraceText.Line(end));
            else if (reader.Truncated) o.WriteLine("(the last line is incomplete: the run stopped while writing it)");
            else o.WriteLine("(no end record: the run stopped before the trace was closed)");
            return ExitCodes.Ok;
        }
        catch (TraceFormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static string Events(long n) => n.ToString("N0", CultureInfo.InvariantCulture) + (n == 1 ? " event" : " events");
}
