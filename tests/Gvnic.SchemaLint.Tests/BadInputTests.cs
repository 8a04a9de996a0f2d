using Xunit;

namespace Gvnic.SchemaLint.Tests;

public sealed class BadInputTests
{
    [Fact]
    public void MissingFileExitsTwoNamingTheArgument()
    {
        using var ws = new Workspace();
        var result = ws.Run("check", "nope.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("schema-lint: FILE: file 'nope.yaml' does not exist (and is not a REV:path git reference)\n", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void UnknownOptionExitsTwoNamingTheOption()
    {
        using var ws = new Workspace();
        ws.Write("s.yaml", Schemas.Base);
        var result = ws.Run("check", "s.yaml", "--frobnicate");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'--frobnicate'", result.Stderr);
        Assert.DoesNotContain(" at ", result.Stderr);
    }

    [Fact]
    public void MissingOutputOptionExitsTwo()
    {
        using var ws = new Workspace();
        ws.Write("s.yaml", Schemas.Base);
        var result = ws.Run("docs", "s.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--output", result.Stderr);
    }

    [Fact]
    public void UnreadableGitRevisionExitsTwoNamingTheArgument()
    {
        using var ws = new Workspace();
        ws.Write("s.yaml", Schemas.Base);
        var result = ws.Run("diff", "no-such-rev:s.yaml", "s.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("schema-lint: OLD: cannot read git revision 'no-such-rev:s.yaml': ", result.Stderr);
    }

    [Fact]
    public void SchemaWithErrorsIsBadInputForLayoutDocsAndDiff()
    {
        using var ws = new Workspace();
        ws.Write("s.yaml", Schemas.Base);
        ws.Write("broken.yaml", Schemas.With("    size: 8\n    order: big\n", "    size: 8\n"));
        var layout = ws.Run("layout", "broken.yaml", "--json");
        Assert.Equal(2, layout.ExitCode);
        Assert.Equal("", layout.Stdout);
        Assert.Contains("broken.yaml(", layout.Stderr);
        Assert.Contains("error GVNIC008", layout.Stderr);
        Assert.Contains("schema-lint: FILE: schema 'broken.yaml' has errors; run 'schema-lint check broken.yaml'", layout.Stderr);
        Assert.Equal(2, ws.Run("docs", "broken.yaml", "-o", "out").ExitCode);
        Assert.False(ws.Exists("out/README.md"));
        var diff = ws.Run("diff", "s.yaml", "broken.yaml");
        Assert.Equal(2, diff.ExitCode);
        Assert.Contains("schema-lint: NEW: schema 'broken.yaml' has errors", diff.Stderr);
    }

    [Fact]
    public void LayoutWithoutJsonExitsTwo()
    {
        using var ws = new Workspace();
        ws.Write("s.yaml", Schemas.Base);
        var result = ws.Run("layout", "s.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("schema-lint: --json: layout writes JSON only; pass --json\n", result.Stderr);
    }

    [Fact]
    public void NoCommandExitsTwo()
    {
        using var ws = new Workspace();
        var result = ws.Run();
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("run 'schema-lint --help' for usage", result.Stderr);
    }
}
