using System;
using Xunit;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gvnic.Generators.Tests;

/// <summary>
/// Gvnic.Sdk built the way its project builds it: its hand-written sources (copied next to the tests) and the generator
/// run over a schema text, compiled together into one assembly, with unsafe code allowed and nullable on.
/// </summary>
internal static class SdkCompilation
{
    private static readonly string SourceDir = Path.Combine(AppContext.BaseDirectory, "SdkSources");

    /// <summary>The schema the SDK is built from.</summary>
    public static string RealSchema => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "gvnic.yaml"));

    /// <summary>The generator's diagnostics and the compilation's own (C#) warnings and errors.</summary>
    public sealed record Result(ImmutableArray<Diagnostic> Schema, ImmutableArray<Diagnostic> CSharp, Compilation Output);

    public static Result Build(string schema)
    {
        var files = Directory.GetFiles(SourceDir, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.True(files.Length > 10, "the SDK sources were not copied to " + SourceDir);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), GeneratorHarness.ParseOptions, f));
        var compilation = CSharpCompilation.Create(
            "Gvnic.Sdk",
            trees,
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var driver = GeneratorHarness.Driver(schema, "/repo/schema/gvnic.yaml").RunGeneratorsAndUpdateCompilation(compilation, out var output, out var schemaDiagnostics);
        Assert.Null(driver.GetRunResult().Results.Single().Exception);
        var csharp = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new Result(schemaDiagnostics, csharp, output);
    }
}
