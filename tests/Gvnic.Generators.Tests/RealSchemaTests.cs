using System.Linq;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>The project's own schema compiles into codecs with no diagnostic and no compiler warning, together with the SDK that uses them.</summary>
public class RealSchemaTests
{
    [Fact]
    public void GvnicSchemaGeneratesWarningFreeCode()
    {
        var sdk = SdkCompilation.Build(SdkCompilation.RealSchema);
        Assert.Empty(sdk.Schema);
        Assert.Empty(sdk.CSharp);
        var sources = sdk.Output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs")).ToList();
        Assert.Contains(sources, s => s.FilePath.EndsWith("gvnic.AdminqCommand.g.cs"));
        Assert.Contains(sources, s => s.FilePath.EndsWith("gvnic.Bar0Registers.g.cs"));
        Assert.All(sources, s => Assert.Contains("#nullable enable", s.ToString()));
    }
}
