using Xunit;

namespace Gvnic.SchemaLint.Tests;

public sealed class CheckCommandTests
{
    [Fact]
    public void CleanSchemaPrintsOnlyTheCountAndExitsZero()
    {
        using var ws = new Workspace();
        ws.Write("clean.yaml", Schemas.Base);
        var result = ws.Run("check", "clean.yaml");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new[] { "clean.yaml: 0 errors, 0 warnings" }, result.Lines);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void BrokenSchemaPrintsEveryProblemInCompilerFormatAndExitsOne()
    {
        using var ws = new Workspace();
        ws.Write("broken.yaml", """
schema: t
namespace: T.Wire
doc: Broken.
structs:
  - name: s
    size: 8
    doc: No order.
    fields:
      - { name: a, at: 0, type: u32, doc: A. }
      - { name: b, at: 2, type: u16, doc: B. }
      - { name: c, at: 4, type: u99 }
""");
        var result = ws.Run("check", "broken.yaml");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(new[]
        {
            "broken.yaml(5,5): error GVNIC008: struct 's' has no order: (big or little); every struct and register block states its byte order",
            "broken.yaml(6,11): error GVNIC009: struct 's' declares size 8 but its fields end at byte 4; add the missing fields or a reserved span, or correct the size",
            "broken.yaml(10,9): error GVNIC005: field 'b' (bytes 2..3) overlaps 'a' (bytes 0..3) in 's'; fields may share bytes only as members of one union",
            "broken.yaml(11,9): warning GVNIC015: field 's.c' has no doc: string",
            "broken.yaml(11,33): error GVNIC002: unknown type 'u99' for field 'c' of 's'; expected u8, u16, u32, u64, or an enum or struct of the schema",
            "broken.yaml: 4 errors, 1 warning",
        }, result.Lines);
    }

    [Fact]
    public void WarningsAloneExitZero()
    {
        using var ws = new Workspace();
        ws.Write("warn.yaml", Schemas.With("      - { name: value, at: 0, type: u32, doc: Value. }", "      - { name: value, at: 0, type: u32, colour: red, doc: Value. }"));
        var result = ws.Run("check", "warn.yaml");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Lines.Length);
        Assert.StartsWith("warn.yaml(35,42): warning GVNIC013: unknown key 'colour' in a field;", result.Lines[0]);
        Assert.Equal("warn.yaml: 0 errors, 1 warning", result.Lines[1]);
    }

    [Fact]
    public void YamlSyntaxErrorIsReportedWithItsLocation()
    {
        using var ws = new Workspace();
        ws.Write("bad.yaml", "schema: t\nstructs: [\n");
        var result = ws.Run("check", "bad.yaml");
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^bad\.yaml\(\d+,\d+\): error GVNIC001: ", result.Lines[0]);
    }
}
