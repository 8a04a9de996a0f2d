using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>The project's own schema compiles into codecs with no diagnostic and no compiler warning.</summary>
public class RealSchemaTests
{
    [Fact]
    public void GvnicSchemaGeneratesWarningFreeCode()
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "gvnic.yaml"));
        var run = GeneratorHarness.Run(yaml, "/repo/schema/gvnic.yaml");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var sources = run.Result.Results.Single().GeneratedSources;
        Assert.Contains(sources, s => s.HintName == "gvnic.AdminqCommand.g.cs");
        Assert.Contains(sources, s => s.HintName == "gvnic.Bar0Registers.g.cs");
        Assert.All(sources, s => Assert.Contains("#nullable enable", s.SourceText.ToString()));
    }
}
