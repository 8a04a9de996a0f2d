using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Gvnic.Schema;
using Xunit;
using Xunit.Abstractions;

namespace Gvnic.SchemaFuzz.Tests;

/// <summary>
/// Seeded random mutations of schema/gvnic.yaml (docs/reliability.md, "Schema fuzzing"): the loader and
/// <c>schema-lint check</c> on every case, the Roslyn generator on a subset, and Roslyn compiling the
/// output of distinct mutants, error-free (no warning) and with errors (no error: what they still generate compiles). A failure lists each bad case with its mutations, a replay
/// command and the saved mutated text.
/// </summary>
public sealed class SchemaFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly FuzzOracle _oracle = new();

    /// <summary>Tallies of one run, printed and checked at the end.</summary>
    private sealed class Tally
    {
        public int Cases;
        public int WithErrors;
        public int WithoutErrors;
        public int Diagnostics;
        public readonly HashSet<string> Ids = new();
        public readonly List<string> Failures = new();
        public int FailedCases;
        public long SlowestTicks;
        public string Slowest = "";
    }

    [Fact]
    public void ByteMutationsAlwaysGiveLocatedDiagnostics()
    {
        var tally = Run(FuzzCase.Bytes, FuzzSettings.Cases - FuzzSettings.Cases / 2);
        // The mutator must reach the YAML reader, the parser and the validator.
        AssertReached(tally, DiagnosticIds.YamlSyntax, DiagnosticIds.InvalidValue, DiagnosticIds.UnknownType, DiagnosticIds.Overlap, DiagnosticIds.DuplicateName);
    }

    [Fact]
    public void TreeMutationsAlwaysGiveLocatedDiagnostics()
    {
        var tally = Run(FuzzCase.Tree, FuzzSettings.Cases / 2);
        AssertReached(tally, DiagnosticIds.UnknownType, DiagnosticIds.DuplicateName, DiagnosticIds.FieldBeyondStruct, DiagnosticIds.Overlap,
            DiagnosticIds.ValueTooLarge, DiagnosticIds.MissingByteOrder, DiagnosticIds.SizeMismatch, DiagnosticIds.UnmarkedGap,
            DiagnosticIds.InvalidValue, DiagnosticIds.UnknownKey, DiagnosticIds.BadSelector, DiagnosticIds.MissingDoc, DiagnosticIds.RecursiveStruct, DiagnosticIds.YamlSyntax);
    }

    [Fact]
    public void GeneratorAgreesWithTheLoaderAndMutantsCompile()
    {
        int perKind = FuzzSettings.GeneratorCases / 2;
        var tally = new Tally();
        var compiled = new HashSet<string>();
        var original = new List<string>();
        compiled.Add(FuzzOracle.Digest(_oracle.Generate(FuzzCase.Original, original)));
        Assert.Empty(original);
        int compiles = 0, brokenCompiles = 0;
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long compileTicks = 0;
        foreach (var (kind, index) in Indices(perKind, perKind))
        {
            var c = FuzzCase.Make(kind, index, FuzzSettings.Seed);
            var violations = new List<string>();
            var sources = _oracle.Generate(c.Data, violations, out bool hasErrors);
            tally.Cases++;
            if (hasErrors)
            {
                tally.WithErrors++;
                // What a schema with errors still generates compiles, so its own diagnostics are the build's only errors.
                if (!sources.IsEmpty && brokenCompiles < FuzzSettings.BrokenCompiles && compiled.Add(FuzzOracle.Digest(sources)))
                {
                    brokenCompiles++;
                    long t = Stopwatch.GetTimestamp();
                    FuzzOracle.CompileGenerated(sources, violations, schemaHasErrors: true);
                    compileTicks += Stopwatch.GetTimestamp() - t;
                }
            }
            else
            {
                tally.WithoutErrors++;
                if (compiles < FuzzSettings.Compiles && compiled.Add(FuzzOracle.Digest(sources)))
                {
                    compiles++;
                    long t = Stopwatch.GetTimestamp();
                    FuzzOracle.CompileGenerated(sources, violations);
                    compileTicks += Stopwatch.GetTimestamp() - t;
                }
            }
            Record(tally, c, FuzzOracle.Decode(c.Data), violations);
        }
        output.WriteLine("generator: " + tally.Cases + " cases (" + tally.WithErrors + " with errors, " + tally.WithoutErrors + " without), "
            + compiles + " distinct error-free and " + brokenCompiles + " distinct broken outputs compiled (" + Seconds(compileTicks) + " s), " + tally.FailedCases + " failed, " + clock.Elapsed.TotalSeconds.ToString("F1") + " s, "
            + (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds.ToString("F1") + " s CPU");
        Assert.True(tally.FailedCases == 0, Report(tally));
        if (FuzzSettings.Only is null && FuzzSettings.GeneratorCases >= 100)
        {
            Assert.True(tally.WithoutErrors > 0, "no mutant in the generator subset was error-free: nothing was emitted");
            Assert.True(compiles > 0 || FuzzSettings.Compiles == 0, "no error-free mutant generated code different from the original schema's");
            Assert.True(brokenCompiles > 0 || FuzzSettings.BrokenCompiles == 0, "no mutant with errors generated code to compile");
        }
    }

    private Tally Run(string kind, int count)
    {
        var tally = new Tally();
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var cases = Indices(kind == FuzzCase.Bytes ? count : 0, kind == FuzzCase.Tree ? count : 0).ToList();
        var results = new CaseResult[cases.Count];
        // Cases are independent (each has its own seed), so they run on every core; results are tallied in case order.
        Parallel.For(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (k, index) = cases[i];
            long t0 = Stopwatch.GetTimestamp();
            var c = FuzzCase.Make(k, index, FuzzSettings.Seed);
            long t1 = Stopwatch.GetTimestamp();
            var violations = new List<string>();
            var text = FuzzOracle.Decode(c.Data);
            var loaded = _oracle.Load(text, violations);
            long t2 = Stopwatch.GetTimestamp();
            // schema-lint check prints the loader's diagnostics: every tenth case shows it does, for the same text.
            if (loaded != null && index % FuzzSettings.LintEvery == 0) _oracle.Check(c, loaded, violations);
            long t3 = Stopwatch.GetTimestamp();
            results[i] = new CaseResult(c, text, loaded, violations, t1 - t0, t2 - t1, t3 - t2);
        });
        long make = 0, load = 0, lint = 0;
        foreach (var r in results)
        {
            make += r.MakeTicks;
            load += r.LoadTicks;
            lint += r.LintTicks;
            if (r.Loaded != null)
            {
                if (r.Loaded.HasErrors) tally.WithErrors++;
                else tally.WithoutErrors++;
                tally.Diagnostics += r.Loaded.Diagnostics.Count;
                foreach (var d in r.Loaded.Diagnostics) tally.Ids.Add(d.Id);
            }
            if (r.LoadTicks + r.LintTicks > tally.SlowestTicks)
            {
                tally.SlowestTicks = r.LoadTicks + r.LintTicks;
                tally.Slowest = r.Case.Kind + ":" + r.Case.Index;
            }
            tally.Cases++;
            Record(tally, r.Case, r.Text, r.Violations, r.Loaded);
        }
        output.WriteLine(kind + ": " + tally.Cases + " cases (seed " + FuzzSettings.Seed + "): " + tally.WithErrors + " with errors, " + tally.WithoutErrors
            + " without, " + tally.Diagnostics + " diagnostics, ids " + string.Join(",", tally.Ids.Order()) + "; " + tally.FailedCases + " failed; "
            + clock.Elapsed.TotalSeconds.ToString("F1") + " s on " + Environment.ProcessorCount + " cores, " + (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds.ToString("F1")
            + " s CPU (thread time: mutate " + Seconds(make) + " s, load " + Seconds(load) + " s, schema-lint " + Seconds(lint) + " s), slowest case " + tally.Slowest + " " + (tally.SlowestTicks * 1000.0 / Stopwatch.Frequency).ToString("F0") + " ms");
        Assert.True(tally.FailedCases == 0, Report(tally));
        return tally;
    }

    private sealed record CaseResult(FuzzCase Case, string Text, LoadedSchema? Loaded, List<string> Violations, long MakeTicks, long LoadTicks, long LintTicks);

    private static string Seconds(long ticks) => ((double)ticks / Stopwatch.Frequency).ToString("F1");

    /// <summary>The cases to run: the first <paramref name="bytes"/> and <paramref name="tree"/> of each kind, or the one to replay.</summary>
    private static IEnumerable<(string Kind, int Index)> Indices(int bytes, int tree)
    {
        if (FuzzSettings.Only is { } only)
        {
            if ((only.Kind == FuzzCase.Bytes && bytes > 0) || (only.Kind == FuzzCase.Tree && tree > 0)) yield return only;
            yield break;
        }
        for (int i = 0; i < Math.Max(bytes, tree); i++)
        {
            if (i < bytes) yield return (FuzzCase.Bytes, i);
            if (i < tree) yield return (FuzzCase.Tree, i);
        }
    }

    private static void Record(Tally tally, FuzzCase c, string text, List<string> violations, LoadedSchema? loaded = null)
    {
        if (violations.Count == 0) return;
        tally.FailedCases++;
        if (tally.Failures.Count >= 8) return;
        var saved = Path.Combine(Path.GetTempPath(), "gvnic-schema-fuzz-" + c.MasterSeed + "-" + c.Kind + "-" + c.Index + ".yaml");
        File.WriteAllBytes(saved, c.Data);
        var sb = new StringBuilder(c.Describe(saved));
        foreach (var v in violations.Take(5)) sb.Append("\n    - ").Append(v);
        var first = loaded?.Diagnostics.FirstOrDefault();
        if (first != null) sb.Append("\n    text around line ").Append(first.At.Line).Append(':').Append(Excerpt.Around(text, first.At.Line));
        else sb.Append("\n    text starts: ").Append(Excerpt.Of(text, 300));
        tally.Failures.Add(sb.ToString());
    }

    private static string Report(Tally tally)
        => tally.FailedCases + " of " + tally.Cases + " mutated schemas broke a rule (first " + tally.Failures.Count + " below):\n" + string.Join("\n", tally.Failures);

    private static void AssertReached(Tally tally, params string[] ids)
    {
        if (FuzzSettings.Only is not null || tally.Cases < 2_000) return;
        var missing = ids.Where(id => !tally.Ids.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "the mutations never produced " + string.Join(", ", missing) + ": the fuzzer does not reach that check");
        Assert.True(tally.WithoutErrors > 0, "no mutant was error-free: the mutations never leave a usable schema");
    }

    public void Dispose() => _oracle.Dispose();
}
