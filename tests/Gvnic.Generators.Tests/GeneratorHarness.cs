using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Gvnic.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Gvnic.Generators.Tests;

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>The result of running the generator over a schema and compiling what it produced.</summary>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    GeneratorDriverRunResult Result,
    Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompileDiagnostics)
{
    public string Source(string hintSuffix)
        => Result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(hintSuffix)).SourceText.ToString();
}

/// <summary>Runs <see cref="SchemaGenerator"/> the way the compiler does, with step tracking on.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Diagnose);

    /// <summary>
    /// Gvnic.Sdk.dll: the run-time types generated code uses (<c>IMmioRegion</c>, <c>WireStruct</c>, <c>WireType</c>, …).
    /// Every project that runs the generator references it (the generator ships in its package).
    /// </summary>
    public static readonly MetadataReference Sdk = MetadataReference.CreateFromFile(typeof(Gvnic.Wire.IMmioRegion).Assembly.Location);

    /// <summary>The .NET reference assemblies and Gvnic.Sdk.dll.</summary>
    public static readonly MetadataReference[] References = [.. Basic.Reference.Assemblies.Net100.References.All, Sdk];

    public static CSharpCompilation Compilation(params string[] csharp)
        => CSharpCompilation.Create(
            "GeneratorTest",
            csharp.Select(c => CSharpSyntaxTree.ParseText(c, ParseOptions)),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(string yaml, string path = "/schema/test.yaml")
        => Driver(new InMemoryAdditionalText(path, yaml));

    public static GeneratorDriver Driver(AdditionalText schema)
        => CSharpGeneratorDriver.Create(
            [new SchemaGenerator().AsSourceGenerator()],
            [schema],
            ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public const string UserCode = """
        namespace User
        {
            /// <summary>User code.</summary>
            public class Placeholder { }
        }
        """;

    public static GeneratorRun Run(string yaml, string path = "/schema/test.yaml")
    {
        var compilation = Compilation(UserCode);
        var driver = Driver(yaml, path).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var compileDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new GeneratorRun(driver, driver.GetRunResult(), output, generatorDiagnostics, compileDiagnostics);
    }
}
