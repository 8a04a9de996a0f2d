using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>
/// A project that references Gvnic.Sdk.dll (the standard types and the public support types in Gvnic.Wire) and
/// brings a schema of its own: its generated code uses the referenced support types instead of declaring a
/// second copy, and only files marked as schemas by the build integration are read.
/// </summary>
public class ConsumerSchemaTests
{
    private const string VendorSchema = """
        schema: acme
        namespace: Acme.Wire
        doc: A vendor extension.
        enums:
          - name: acme_mode
            type: u8
            doc: Mode.
            values:
              - { name: off, value: 0, doc: Off. }
              - { name: fast, value: 2, doc: Fast. }
        structs:
          - name: acme_option
            size: 4
            order: big
            doc: A vendor device option.
            fields:
              - { name: max_rules, at: 0, type: u16, doc: Rules. }
              - name: control
                at: 2
                type: u16
                doc: Control word.
                bits:
                  - { name: mode, at: 0, width: 2, type: acme_mode, doc: Mode. }
                  - { name: enabled, at: 15, width: 1, type: bool, doc: Enabled. }
        """;

    /// <summary>The small snapshot schema compiled into namespace Gvnic.Wire, as Gvnic.Sdk.dll would be.</summary>
    private static MetadataReference StandardAssembly()
    {
        var yaml = File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "Snapshots", "small.yaml")).Replace("namespace: Test.Wire", "namespace: Gvnic.Wire");
        var run = GeneratorHarness.Run(yaml);
        Assert.Empty(run.CompileDiagnostics);
        var output = run.Output.WithAssemblyName("Standard");
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }

    private static (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Compile) RunConsumer(
        IEnumerable<MetadataReference> extra, AdditionalText[] files, AnalyzerConfigOptionsProvider? options = null)
    {
        var compilation = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText(GeneratorHarness.UserCode, GeneratorHarness.ParseOptions)],
            Basic.Reference.Assemblies.Net100.References.All.Concat(extra),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SchemaGenerator().AsSourceGenerator()], files, GeneratorHarness.ParseOptions, options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var compile = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return (driver.GetRunResult(), output, compile);
    }

    [Fact]
    public void ConsumerSchemaUsesTheReferencedSupportTypes()
    {
        var standard = StandardAssembly();
        var (result, output, compile) = RunConsumer([standard], [new InMemoryAdditionalText("/consumer/acme.gvnic.yaml", VendorSchema)]);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(compile);

        var sources = result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        string support = sources["acme.Support.g.cs"];
        Assert.DoesNotContain("interface IMmioRegion", support);
        Assert.DoesNotContain("record struct WireIssue", support);
        Assert.Contains("internal static class Endian", support);
        Assert.Contains("internal static class WireThrow", support);
        string reflection = sources["acme.Reflection.g.cs"];
        Assert.DoesNotContain("record WireType", reflection);
        Assert.Contains("internal static class WirePath", reflection);
        Assert.All(sources.Values, text => Assert.Contains("\nusing Gvnic.Wire;\n", text));

        // Validate takes the referenced assembly's WireIssue and the catalog lists the referenced WireType.
        var option = output.GetTypeByMetadataName("Acme.Wire.AcmeOption")!;
        var validate = option.GetMembers("Validate").OfType<IMethodSymbol>().Single();
        var issues = (INamedTypeSymbol)validate.Parameters[0].Type;
        Assert.Equal("Gvnic.Wire.WireIssue", issues.TypeArguments[0].ToDisplayString());
        Assert.Equal("Standard", issues.TypeArguments[0].ContainingAssembly.Name);
        var catalogTypes = (IPropertySymbol)output.GetTypeByMetadataName("Acme.Wire.AcmeCatalog")!.GetMembers("Types").Single();
        Assert.Equal("Standard", ((INamedTypeSymbol)catalogTypes.Type).TypeArguments[0].ContainingAssembly.Name);
        Assert.Null(output.GetTypeByMetadataName("Acme.Wire.WireIssue"));
    }

    [Fact]
    public void WithoutTheStandardAssemblyTheSchemaDeclaresItsOwnSupportTypes()
    {
        var (result, output, compile) = RunConsumer([], [new InMemoryAdditionalText("/consumer/acme.gvnic.yaml", VendorSchema)]);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(compile);
        var sources = result.Results.Single().GeneratedSources;
        Assert.Contains("public interface IMmioRegion", sources.Single(s => s.HintName == "acme.Support.g.cs").SourceText.ToString());
        Assert.All(sources, s => Assert.DoesNotContain("using Gvnic.Wire;", s.SourceText.ToString()));
        Assert.NotNull(output.GetTypeByMetadataName("Acme.Wire.WireIssue"));
    }

    [Fact]
    public void WithTheBuildIntegrationOnlyMarkedFilesAreSchemas()
    {
        var schema = new InMemoryAdditionalText("/consumer/acme.gvnic.yaml", VendorSchema);
        var other = new InMemoryAdditionalText("/consumer/config.yaml", "not: [a schema");
        var unlisted = new InMemoryAdditionalText("/consumer/unlisted.yaml", "not: [a schema either");
        var options = new OptionsProvider(
            new Dictionary<string, string> { ["build_property.GvnicSchemaItems"] = "true" },
            new Dictionary<string, Dictionary<string, string>>
            {
                [schema.Path] = new() { ["build_metadata.AdditionalFiles.GvnicSchema"] = "true" },
                [other.Path] = new() { ["build_metadata.AdditionalFiles.GvnicSchema"] = "" },
            });
        // unlisted.yaml has no GvnicSchema metadata at all: not a schema either.
        var (result, _, compile) = RunConsumer([], [schema, other, unlisted], options);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(compile);
        Assert.Contains(result.Results.Single().GeneratedSources, s => s.HintName == "acme.AcmeOption.g.cs");
    }

    [Fact]
    public void WithoutTheBuildIntegrationEveryYamlFileIsASchema()
    {
        var other = new InMemoryAdditionalText("/consumer/config.yaml", "not: [a schema");
        var notYaml = new InMemoryAdditionalText("/consumer/readme.txt", "not: [a schema");
        var (result, _, _) = RunConsumer([], [other, notYaml]);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("/consumer/config.yaml", diagnostic.Location.GetLineSpan().Path);
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }

    private sealed class OptionsProvider(Dictionary<string, string> global, Dictionary<string, Dictionary<string, string>> files) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => new Options(files.TryGetValue(textFile.Path, out var values) ? values : []);
    }
}
