using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Gvnic.Benchmarks.DataPath;
using Gvnic.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Gvnic.Benchmarks.Generator
{
    /// <summary>An AdditionalFile held in memory (what the IDE hands the generator after an edit).</summary>
    internal sealed class SchemaText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>
    /// Times the schema generator on schema/gvnic.yaml through Roslyn's <see cref="CSharpGeneratorDriver"/>, as the
    /// compiler and the IDE run it: the first run in the process (JIT included), a run of a fresh driver once warm, a
    /// rerun with nothing changed, and the incremental run after a one-line edit of the YAML (a doc string; a constant's
    /// value). Each timed figure is the median of N runs; each run includes updating the compilation with the output.
    /// </summary>
    /// <remarks>Command line (after <c>generator</c>): <c>--runs N</c> (default 21).</remarks>
    internal static class GeneratorTiming
    {
        private static readonly CSharpParseOptions Parse = new(LanguageVersion.Preview, DocumentationMode.Diagnose);

        public static int Run(string[] args)
        {
            int runs = 21;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--runs" && i + 1 < args.Length) runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                else throw new ArgumentException("unknown option '" + args[i] + "'; known: --runs N");
            }
            string path = Path.Combine(DataPathSweep.RepositoryRoot(), "schema", "gvnic.yaml");
            string yaml = File.ReadAllText(path);
            Func<int, string> docEdit = OneLineEdit(yaml, "at: 15, type: u8, doc: \"Flex byte 9.\"", n => "at: 15, type: u8, doc: \"Flex byte 9 (edit " + n + ").\"");
            Func<int, string> constantEdit = OneLineEdit(yaml, "raw_addressing_qpl_id, type: u32, value: 0xffffffff", n => "raw_addressing_qpl_id, type: u32, value: 0x" + (0xfffffff0 + (uint)(n % 15)).ToString("x", CultureInfo.InvariantCulture));
            CSharpCompilation compilation = CSharpCompilation.Create(
                "Gvnic.Sdk.Timing",
                [CSharpSyntaxTree.ParseText("namespace User { /// <summary>User code.</summary>\npublic class C { } }", Parse)],
                Basic.Reference.Assemblies.Net100.References.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

            Console.WriteLine("# Generator timing (schema/gvnic.yaml, " + yaml.Split('\n').Length + " lines)");
            Console.WriteLine();
            Console.WriteLine("- date: " + DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC; load: " + DataPathSweep.LoadAverage() + "; .NET " + Environment.Version + "; median of " + runs + " runs");

            var first = Stopwatch.StartNew();
            GeneratorDriver driver = NewDriver(path, yaml);
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var diagnostics);
            first.Stop();
            int sources = driver.GetRunResult().GeneratedTrees.Length;
            if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) throw new InvalidOperationException("the generator reported errors on " + path + ": " + diagnostics.First(d => d.Severity == DiagnosticSeverity.Error));
            Console.WriteLine("- output: " + sources + " generated files, " + output.SyntaxTrees.Sum(t => t.Length) / 1024 + " KiB of C#");
            Console.WriteLine();
            Console.WriteLine("| Run | Median (ms) | Min (ms) | Max (ms) |");
            Console.WriteLine("|-----|------------:|---------:|---------:|");
            Console.WriteLine("| first run in the process (JIT included) | " + Ms(first.Elapsed.TotalMilliseconds) + " | | |");

            Report("fresh driver, warm (cold generator cache)", Time(runs, run => NewDriver(path, yaml).RunGeneratorsAndUpdateCompilation(compilation, out _, out _)));

            GeneratorDriver warm = NewDriver(path, yaml).RunGeneratorsAndUpdateCompilation(compilation, out _, out _);
            Report("rerun, nothing changed", Time(runs, run => warm = warm.RunGeneratorsAndUpdateCompilation(compilation, out _, out _)));

            Report("one-line edit: a doc string", Incremental(runs, path, yaml, docEdit, compilation));
            Report("one-line edit: a constant's value", Incremental(runs, path, yaml, constantEdit, compilation));
            return 0;
        }

        /// <summary>
        /// The incremental run after a one-line edit: a driver that has run on the original text gets the edited text
        /// (ReplaceAdditionalText, as the IDE does on a keystroke) and runs again; only that second run is timed.
        /// </summary>
        private static double[] Incremental(int runs, string path, string yaml, Func<int, string> edit, CSharpCompilation compilation)
        {
            var times = new double[runs];
            for (int r = 0; r < runs; r++)
            {
                var original = new SchemaText(path, yaml);
                GeneratorDriver d = CSharpGeneratorDriver.Create([new SchemaGenerator().AsSourceGenerator()], [original], Parse)
                    .RunGeneratorsAndUpdateCompilation(compilation, out _, out _);
                var edited = new SchemaText(path, edit(r + 1));
                long start = Stopwatch.GetTimestamp();
                d = d.ReplaceAdditionalText(original, edited).RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (diagnostics.Any(x => x.Severity == DiagnosticSeverity.Error)) throw new InvalidOperationException("the edited schema does not generate: " + diagnostics.First(x => x.Severity == DiagnosticSeverity.Error));
            }
            return times;
        }

        private static GeneratorDriver NewDriver(string path, string yaml)
            => CSharpGeneratorDriver.Create([new SchemaGenerator().AsSourceGenerator()], [new SchemaText(path, yaml)], Parse);

        /// <summary>A function of n giving <paramref name="yaml"/> with the one line holding <paramref name="anchor"/> changed (edit n differs from edit n-1).</summary>
        private static Func<int, string> OneLineEdit(string yaml, string anchor, Func<int, string> replacement)
        {
            int at = yaml.IndexOf(anchor, StringComparison.Ordinal);
            if (at < 0 || yaml.IndexOf(anchor, at + 1, StringComparison.Ordinal) >= 0) throw new InvalidOperationException("the schema must hold '" + anchor + "' exactly once for the one-line edit");
            return n => string.Concat(yaml.AsSpan(0, at), replacement(n), yaml.AsSpan(at + anchor.Length));
        }

        private static double[] Time(int runs, Action<int> run)
        {
            var times = new double[runs];
            for (int r = 0; r < runs; r++)
            {
                long start = Stopwatch.GetTimestamp();
                run(r);
                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            return times;
        }

        private static void Report(string what, double[] times)
        {
            Array.Sort(times);
            Console.WriteLine("| " + what + " | " + Ms(times[times.Length / 2]) + " | " + Ms(times[0]) + " | " + Ms(times[^1]) + " |");
        }

        private static string Ms(double ms) => ms.ToString("F2", CultureInfo.InvariantCulture);
    }
}
