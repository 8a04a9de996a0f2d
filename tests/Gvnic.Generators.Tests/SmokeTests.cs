using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace Gvnic.Generators.Tests;

public class SmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void SmallSchemaCompiles()
    {
        var run = GeneratorHarness.Run(File.ReadAllText("/tmp/small.yaml"));
        foreach (var d in run.GeneratorDiagnostics) output.WriteLine(d.ToString());
        foreach (var d in run.CompileDiagnostics) output.WriteLine(d.ToString());
        foreach (var t in run.Result.Results[0].GeneratedSources) File.WriteAllText("/tmp/gen_" + t.HintName, t.SourceText.ToString());
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
    }
}
