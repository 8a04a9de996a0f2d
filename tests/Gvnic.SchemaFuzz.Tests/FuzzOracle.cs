extern alias generator;
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Gvnic.Schema;
using Gvnic.SchemaLint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SchemaGenerator = generator::Gvnic.Generators.SchemaGenerator;

namespace Gvnic.SchemaFuzz.Tests;

/// <summary>An AdditionalFile held in memory, as the compiler hands the schema to the generator.</summary>
internal sealed class InMemoryAdditionalText(string path, SourceText text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => text;
}

/// <summary>
/// What must hold for any schema text, however broken: the loader, <c>schema-lint check</c> and the
/// generator never throw; every diagnostic has a known id (never GVNIC099, an internal error), a
/// one-line message, and a location inside the text whose line and column agree with its character
/// index; schema-lint prints exactly the loader's diagnostics; the generator reports exactly them at the
/// same places; a schema without errors generates sources that compile warning-free, and a schema with errors
/// still generates what it can, which compiles without errors (both checked by <see cref="CompileGenerated"/>, with
/// the SDK's run-time types). Each method returns the violations found, empty when all hold.
/// </summary>
internal sealed class FuzzOracle : IDisposable
{
    private static readonly HashSet<string> KnownIds = typeof(DiagnosticIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetValue(null)!)
        .Where(id => id != DiagnosticIds.InternalError)
        .ToHashSet();

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Diagnose);

    private readonly string _directory;

    public FuzzOracle()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gvnic-schema-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    /// <summary>The text as schema-lint and the compiler read the file: UTF-8, a BOM stripped, bad bytes replaced.</summary>
    public static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Loads <paramref name="text"/> and checks every diagnostic; the loaded schema is null when loading threw.</summary>
    public LoadedSchema? Load(string text, List<string> violations)
    {
        LoadedSchema loaded;
        try
        {
            loaded = SchemaLoader.Load(text);
        }
        catch (Exception e)
        {
            violations.Add("SchemaLoader.Load threw " + e.GetType().Name + ": " + e.Message);
            return null;
        }
        var lines = SourceText.From(text).Lines;
        foreach (var d in loaded.Diagnostics) CheckDiagnostic(d, text, lines, violations);
        return loaded;
    }

    private static void CheckDiagnostic(SchemaDiagnostic d, string text, TextLineCollection lines, List<string> violations)
    {
        string what = d.Id + " at " + d.At.Line + "," + d.At.Column + " (index " + d.At.Index + "+" + d.At.Length + ") '" + Excerpt.Of(d.Message, 200) + "'";
        if (d.Id == DiagnosticIds.InternalError) violations.Add("internal error (a crash): " + what);
        else if (!KnownIds.Contains(d.Id)) violations.Add("unknown diagnostic id: " + what);
        if (d.Message.Length == 0 || d.Message.IndexOfAny(['\r', '\n', '\u0085', '\u2028', '\u2029']) >= 0)
            violations.Add("message is empty or not one line (breaks FILE(LINE,COL): output): " + what);
        var at = d.At;
        if (at.Line < 1 || at.Column < 1 || at.Index < 0 || at.Length < 0 || at.Index + at.Length > text.Length)
        {
            violations.Add("location outside the text (" + text.Length + " chars): " + what);
            return;
        }
        if (at.Line > lines.Count)
        {
            violations.Add("line beyond the text's " + lines.Count + " lines: " + what);
            return;
        }
        var line = lines[at.Line - 1];
        if (at.Column > line.End - line.Start + 1)
        {
            violations.Add("column beyond the end of line " + at.Line + " (" + (line.End - line.Start) + " chars): " + what);
            return;
        }
        // A file-level diagnostic sits at 1,1 index 0; any other place must be where its index is.
        var expected = lines.GetLinePosition(at.Index);
        if (expected.Line + 1 != at.Line || expected.Character + 1 != at.Column)
            violations.Add("line,column disagree with the index (index " + at.Index + " is " + (expected.Line + 1) + "," + (expected.Character + 1) + "): " + what);
    }

    /// <summary>Runs <c>schema-lint check</c> in-process on the bytes and compares its output with <paramref name="loaded"/>.</summary>
    public void Check(FuzzCase c, LoadedSchema loaded, List<string> violations)
    {
        string name = c.Kind + "-" + c.Index + ".yaml";
        var file = Path.Combine(_directory, name);
        File.WriteAllBytes(file, c.Data);
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code;
        try
        {
            code = SchemaLintApp.Run(["check", name], stdout, stderr, _directory);
        }
        catch (Exception e)
        {
            violations.Add("schema-lint check threw " + e.GetType().Name + ": " + e.Message);
            return;
        }
        finally
        {
            File.Delete(file);
        }
        int expectedCode = loaded.HasErrors ? ExitCodes.Findings : ExitCodes.Success;
        if (code != expectedCode) violations.Add("schema-lint check exited " + code + ", expected " + expectedCode + "; stderr: " + Excerpt.Of(stderr.ToString(), 300));
        if (stderr.ToString().Length > 0) violations.Add("schema-lint check wrote to stderr: " + Excerpt.Of(stderr.ToString(), 300));
        var expected = loaded.Diagnostics.Select(d => d.Format(name)).ToList();
        var actual = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (actual.Count != expected.Count + 1 || !actual.Take(expected.Count).SequenceEqual(expected))
        {
            violations.Add("schema-lint check printed other diagnostics than the loader found: " + Excerpt.Of(stdout.ToString(), 400));
        }
        else if (!actual[^1].StartsWith(name + ": ", StringComparison.Ordinal))
        {
            violations.Add("schema-lint check's last line is not the summary: " + actual[^1]);
        }
    }

    /// <summary>
    /// Runs the generator the way the compiler does on the bytes; checks its diagnostics against the loader's
    /// and returns the generated sources (for a schema with errors, what could still be generated).
    /// </summary>
    public ImmutableArray<GeneratedSourceResult> Generate(byte[] bytes, List<string> violations) => Generate(bytes, violations, out _);

    /// <inheritdoc cref="Generate(byte[], List{string})"/>
    /// <param name="bytes">The schema file.</param>
    /// <param name="violations">Receives what went wrong.</param>
    /// <param name="hasErrors">Whether the loader found an error in the schema.</param>
    public ImmutableArray<GeneratedSourceResult> Generate(byte[] bytes, List<string> violations, out bool hasErrors)
    {
        hasErrors = true;
        const string path = "/schema/mutated.yaml";
        var source = SourceText.From(bytes, bytes.Length);
        var compilation = CSharpCompilation.Create("Fuzz", [], [], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SchemaGenerator().AsSourceGenerator()], [new InMemoryAdditionalText(path, source)], ParseOptions);
        GeneratorDriverRunResult run;
        try
        {
            run = driver.RunGenerators(compilation).GetRunResult();
        }
        catch (Exception e)
        {
            violations.Add("the generator driver threw " + e.GetType().Name + ": " + e.Message);
            return [];
        }
        var result = run.Results.Single();
        if (result.Exception != null)
        {
            violations.Add("the generator threw " + result.Exception.GetType().Name + ": " + result.Exception.Message);
            return [];
        }
        var text = source.ToString();
        var loaded = Load(text, new List<string>());
        if (loaded is null) return [];
        hasErrors = loaded.HasErrors;
        var expected = loaded.Diagnostics.Select(d => d.Id + " " + d.Severity.ToString().ToLowerInvariant() + " " + d.At.Line + "," + d.At.Column + " " + d.Message).ToList();
        var actual = result.Diagnostics.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return d.Id + " " + d.Severity.ToString().ToLowerInvariant() + " " + (span.StartLinePosition.Line + 1) + "," + (span.StartLinePosition.Character + 1) + " " + d.GetMessage();
        }).ToList();
        if (!actual.SequenceEqual(expected))
        {
            var missing = expected.Except(actual).Take(3);
            var extra = actual.Except(expected).Take(3);
            violations.Add("the generator's diagnostics differ from the loader's: missing [" + Excerpt.Of(string.Join(" | ", missing), 400) + "], extra [" + Excerpt.Of(string.Join(" | ", extra), 400) + "]");
        }
        foreach (var d in result.Diagnostics)
        {
            if (d.Location.GetLineSpan().Path != path) violations.Add(d.Id + " is not located in the schema file: " + d.Location);
            if (d.Id == DiagnosticIds.InternalError) violations.Add("the generator reported an internal error (a crash): " + d.GetMessage());
        }
        if (!loaded.HasErrors && result.GeneratedSources.IsEmpty) violations.Add("a schema without errors generated no sources");
        return result.GeneratedSources;
    }

    private static readonly Lazy<SyntaxTree[]> WireSources = new(() => Directory
        .GetFiles(Path.Combine(AppContext.BaseDirectory, "WireSources"), "*.cs")
        .OrderBy(f => f, StringComparer.Ordinal)
        .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), ParseOptions, f))
        .ToArray());

    /// <summary>
    /// Compiles generated sources with the SDK's run-time types (Gvnic.Sdk's <c>Wire</c> folder, as the SDK itself
    /// compiles them) and user code. Every error is a violation; so is every warning of a schema without errors.
    /// </summary>
    public static void CompileGenerated(ImmutableArray<GeneratedSourceResult> sources, List<string> violations, bool schemaHasErrors = false)
    {
        const string user = "namespace User\n{\n    /// <summary>User code.</summary>\n    public class Placeholder { }\n}\n";
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.SourceText, ParseOptions, s.HintName)).Concat(WireSources.Value).Append(CSharpSyntaxTree.ParseText(user, ParseOptions));
        var compilation = CSharpCompilation.Create("FuzzGenerated", trees, Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var least = schemaHasErrors ? Microsoft.CodeAnalysis.DiagnosticSeverity.Error : Microsoft.CodeAnalysis.DiagnosticSeverity.Warning;
        foreach (var d in compilation.GetDiagnostics().Where(d => d.Severity >= least).Take(5))
        {
            violations.Add((schemaHasErrors ? "what a schema with errors still generates does not compile: " : "generated code does not compile cleanly: ") + d);
        }
    }

    /// <summary>A digest of generated sources, to compile each distinct output once.</summary>
    public static string Digest(ImmutableArray<GeneratedSourceResult> sources)
    {
        using var sha = SHA256.Create();
        foreach (var s in sources)
        {
            var bytes = Encoding.UTF8.GetBytes(s.HintName + "\0" + s.SourceText + "\0");
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
