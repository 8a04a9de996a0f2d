using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>An edit to an unrelated C# file must not re-run parsing or emission.</summary>
public class IncrementalTests
{
    private const string Schema = """
        schema: t
        namespace: T.Wire
        doc: A schema.
        structs:
          - name: a
            size: 4
            order: big
            doc: A.
            fields:
              - { name: x, at: 0, type: u32, doc: X. }
        """;

    [Fact]
    public void EditingUnrelatedCSharpReusesCachedSteps()
    {
        var compilation = GeneratorHarness.Compilation(GeneratorHarness.UserCode);
        var driver = GeneratorHarness.Driver(Schema).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.NotEmpty(first.GeneratedSources);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace User { internal static class Other { } }", GeneratorHarness.ParseOptions));
        driver = driver.RunGenerators(edited);
        var second = driver.GetRunResult().Results.Single();

        foreach (var step in new[] { SchemaGenerator.Steps.Text, SchemaGenerator.Steps.Model, SchemaGenerator.Steps.Emit })
        {
            var runs = second.TrackedSteps[step];
            Assert.NotEmpty(runs);
            foreach (var run in runs)
            {
                foreach (var (_, reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + " ran again: " + reason);
                }
            }
        }
        Assert.Equal(first.GeneratedSources.Select(s => s.SourceText.ToString()), second.GeneratedSources.Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void EditingTheSchemaRerunsTheModel()
    {
        var compilation = GeneratorHarness.Compilation(GeneratorHarness.UserCode);
        var original = new InMemoryAdditionalText("/schema/test.yaml", Schema);
        var driver = GeneratorHarness.Driver(original).RunGenerators(compilation);
        var oldText = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "t.A.g.cs").SourceText.ToString();

        var changed = new InMemoryAdditionalText("/schema/test.yaml", Schema.Replace("doc: X.", "doc: X (changed)."));
        driver = driver.ReplaceAdditionalText(original, changed).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[SchemaGenerator.Steps.Model].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        var newText = result.GeneratedSources.Single(s => s.HintName == "t.A.g.cs").SourceText.ToString();
        Assert.NotEqual(oldText, newText);
        Assert.Contains("X (changed).", newText);
    }
}
