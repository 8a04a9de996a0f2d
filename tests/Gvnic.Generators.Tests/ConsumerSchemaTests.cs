using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>
/// A project with a schema of its own: its generated code uses the run-time types of Gvnic.Sdk.dll (one
/// <c>WireIssue</c>, one <c>WireType</c> for every schema) and declares none of them, so nothing has to detect
/// whether they are there; and only files marked as schemas by the build integration are read.
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

    /// <summary>A second schema in the same namespace: with no helpers emitted per schema, two schemas may share one.</summary>
    private const string SecondSchema = """
        schema: acme_limits
        namespace: Acme.Wire
        doc: Limits.
        structs:
          - name: acme_limits
            size: 2
            order: little
            doc: Limits.
            fields:
              - { name: max_flows, at: 0, type: u16, doc: Flows. }
        """;

    private static (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Compile) RunConsumer(
        AdditionalText[] files, AnalyzerConfigOptionsProvider? options = null)
    {
        var compilation = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText(GeneratorHarness.UserCode, GeneratorHarness.ParseOptions)],
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SchemaGenerator().AsSourceGenerator()], files, GeneratorHarness.ParseOptions, options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var compile = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return (driver.GetRunResult(), output, compile);
    }

    [Fact]
    public void ConsumerSchemaUsesTheSdkRuntimeTypes()
    {
        var (result, output, compile) = RunConsumer([new InMemoryAdditionalText("/consumer/acme.gvnic.yaml", VendorSchema)]);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(compile);

        var sources = result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.All(sources.Values, text => Assert.Contains("\nusing Gvnic.Wire;\n", text));
        Assert.DoesNotContain(sources.Values, text => text.Contains("interface IMmioRegion") || text.Contains("record struct WireIssue") || text.Contains("class WireThrow"));

        // Validate takes Gvnic.Sdk's WireIssue, the struct is an IWireStruct, and the catalog lists Gvnic.Sdk's WireType.
        var option = output.GetTypeByMetadataName("Acme.Wire.AcmeOption")!;
        var validate = option.GetMembers("Validate").OfType<IMethodSymbol>().Single();
        var issues = (INamedTypeSymbol)validate.Parameters[0].Type;
        Assert.Equal("Gvnic.Wire.WireIssue", issues.TypeArguments[0].ToDisplayString());
        Assert.Equal("Gvnic.Sdk", issues.TypeArguments[0].ContainingAssembly.Name);
        Assert.Contains(option.AllInterfaces, i => i.ToDisplayString() == "Gvnic.Wire.IWireStruct<Acme.Wire.AcmeOption>");
        var catalogTypes = (IPropertySymbol)output.GetTypeByMetadataName("Acme.Wire.AcmeCatalog")!.GetMembers("Types").Single();
        Assert.Equal("Gvnic.Sdk", ((INamedTypeSymbol)catalogTypes.Type).TypeArguments[0].ContainingAssembly.Name);
        Assert.Null(output.GetTypeByMetadataName("Acme.Wire.WireIssue"));
        Assert.Null(output.GetTypeByMetadataName("Acme.Wire.WireThrow"));
    }

    [Fact]
    public void TwoSchemasShareANamespace()
    {
        var (result, output, compile) = RunConsumer(
        [
            new InMemoryAdditionalText("/consumer/acme.gvnic.yaml", VendorSchema),
            new InMemoryAdditionalText("/consumer/limits.gvnic.yaml", SecondSchema),
        ]);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(compile);
        Assert.NotNull(output.GetTypeByMetadataName("Acme.Wire.AcmeOption"));
        Assert.NotNull(output.GetTypeByMetadataName("Acme.Wire.AcmeLimits"));
        Assert.NotNull(output.GetTypeByMetadataName("Acme.Wire.AcmeLimitsCatalog"));
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
        var (result, _, compile) = RunConsumer([schema, other, unlisted], options);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(compile);
        Assert.Contains(result.Results.Single().GeneratedSources, s => s.HintName == "acme.AcmeOption.g.cs");
    }

    [Fact]
    public void WithoutTheBuildIntegrationEveryYamlFileIsASchema()
    {
        var other = new InMemoryAdditionalText("/consumer/config.yaml", "not: [a schema");
        var notYaml = new InMemoryAdditionalText("/consumer/readme.txt", "not: [a schema");
        var (result, _, _) = RunConsumer([other, notYaml]);
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
