using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>
/// The generated source for a small schema, compared line for line with checked-in snapshots. Set
/// GVNIC_UPDATE_SNAPSHOTS=1 to rewrite them after an intended change, then review the diff.
/// </summary>
public class SnapshotTests
{
    private static readonly string SnapshotDir = Path.Combine(AppContext.BaseDirectory, "Snapshots");

    private static string SourceDir([System.Runtime.CompilerServices.CallerFilePath] string path = "")
        => Path.Combine(Path.GetDirectoryName(path)!, "Snapshots");

    private static readonly string[] Names =
    [
        "t.TConstants.g.cs",
        "t.Opcodes.g.cs",
        "t.StatusFlags.g.cs",
        "t.Describe.g.cs",
        "t.Command.g.cs",
        "t.PktDqo.g.cs",
        "t.AnyDesc.g.cs",
        "t.Bar0Registers.g.cs",
        "t.Dtype.g.cs",
        "t.TCatalog.g.cs",
        "t.Describe.Fields.g.cs",
        "t.Command.Fields.g.cs",
        "t.PktDqo.Fields.g.cs",
        "t.AnyDesc.Fields.g.cs",
        "t.OptId.g.cs",
        "t.OptMasks.g.cs",
        "t.OptHeader.g.cs",
        "t.OptHeader.Fields.g.cs",
        "t.OptWide.g.cs",
        "t.OptWide.Fields.g.cs",
        "t.Opts.g.cs",
        "t.Msg.g.cs",
        "t.Msg.Fields.g.cs",
        "t.IdsMsg.g.cs",
        "t.IdsMsg.Fields.g.cs",
    ];

    public static TheoryData<string> HintNames() => new(Names);

    [Theory]
    [MemberData(nameof(HintNames))]
    public void GeneratedSourceMatchesSnapshot(string hintName)
    {
        var yaml = File.ReadAllText(Path.Combine(SnapshotDir, "small.yaml"));
        var run = GeneratorHarness.Run(yaml);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var generated = run.Result.Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
        var snapshotPath = Path.Combine(SnapshotDir, hintName + ".txt");
        if (Environment.GetEnvironmentVariable("GVNIC_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDir(), hintName + ".txt"), generated);
            return;
        }
        Assert.True(File.Exists(snapshotPath), "no snapshot " + hintName + ".txt; run with GVNIC_UPDATE_SNAPSHOTS=1 and review it");
        Assert.Equal(File.ReadAllText(snapshotPath).ReplaceLineEndings("\n"), generated.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void EveryGeneratedFileHasASnapshot()
    {
        var run = GeneratorHarness.Run(File.ReadAllText(Path.Combine(SnapshotDir, "small.yaml")));
        var names = run.Result.Results.Single().GeneratedSources.Select(s => s.HintName).OrderBy(n => n).ToArray();
        var expected = Names.OrderBy(n => n).ToArray();
        Assert.Equal(expected, names);
    }
}
