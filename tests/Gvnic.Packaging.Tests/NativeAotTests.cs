using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Gvnic.Packaging.Tests;

/// <summary>
/// <c>gvnic</c> published with NativeAOT (docs/cli.md), once per test run: the sources are copied to a temporary
/// folder and published there with the command the documentation gives, so nothing is written into the
/// repository's bin/ and obj/ folders, which other test projects use at the same time.
/// </summary>
public sealed class NativeAotBuild : IDisposable
{
    /// <summary>The temporary folder holding the source copy and the published binary.</summary>
    public string Root { get; }

    /// <summary>The native executable.</summary>
    public string Binary { get; }

    /// <summary>The publish command's result.</summary>
    public ProcessRun Publish { get; }

    /// <summary>How long copying and publishing took.</summary>
    public TimeSpan PublishTime { get; }

    /// <summary>The JIT build of the same tool, built with this test project.</summary>
    public static string JitDll => Path.Combine(Dotnet.RepositoryRoot, "tools", "gvnic", "bin", Dotnet.Configuration, "net10.0", "gvnic.dll");

    public NativeAotBuild()
    {
        var clock = Stopwatch.StartNew();
        Root = Path.Combine(Path.GetTempPath(), "gvnic-aot-" + Guid.NewGuid().ToString("N")[..12]);
        string source = Path.Combine(Root, "source");
        string output = Path.Combine(Root, "publish");
        string repo = Dotnet.RepositoryRoot;
        PackageFeed.CopyTree(Path.Combine(repo, "src"), Path.Combine(source, "src"));
        PackageFeed.CopyTree(Path.Combine(repo, "schema"), Path.Combine(source, "schema"));
        PackageFeed.CopyTree(Path.Combine(repo, "tools", "gvnic"), Path.Combine(source, "tools", "gvnic"));
        foreach (var file in new[] { "Directory.Build.props", "LICENSE", "README.md" })
            File.Copy(Path.Combine(repo, file), Path.Combine(source, file));

        // The command of docs/cli.md; the restore, build and native compilation of a clean tree on a loaded
        // two-core machine take minutes, so it gets more time than the other child processes.
        Publish = Dotnet.Start(TimeSpan.FromMinutes(12), Dotnet.Host, source, null,
            "publish", "tools/gvnic/gvnic.csproj", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "--disable-build-servers", "-nologo");
        Binary = Path.Combine(output, "gvnic");
        PublishTime = clock.Elapsed;
    }

    /// <summary>Runs the native binary with <paramref name="args"/> in the temporary folder.</summary>
    public ProcessRun Run(params string[] args)
    {
        Publish.Ok();
        return Dotnet.Start(Binary, Root, null, args);
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("GVNIC_KEEP_PACKAGING_TEMP") == "1") return;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open leaves the folder behind in the temp directory; the run's results stand.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>
/// The NativeAOT binary publishes with no trim or AOT warning and behaves as the JIT build does: the same
/// output for the schema commands, the whole demo scenario in every queue format, a register-level trace
/// equivalent to the JIT build's, the traffic engine's threads, and VFIO discovery's errors.
/// </summary>
public class NativeAotTests(NativeAotBuild aot, ITestOutputHelper log) : IClassFixture<NativeAotBuild>
{
    private static ProcessRun Jit(params string[] args) => Dotnet.Run(Dotnet.RepositoryRoot, null, [NativeAotBuild.JitDll, .. args]).Ok();

    private static string Line(string output, string label) =>
        output.Split('\n').Single(l => l.StartsWith("  " + label + ":", StringComparison.Ordinal));

    [Fact]
    public void Publishes_a_native_executable_with_no_trim_or_aot_warning()
    {
        log.WriteLine("publish took " + aot.PublishTime.TotalSeconds.ToString("0") + " s");
        aot.Publish.Ok();
        var warnings = aot.Publish.Output.Split('\n').Where(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(warnings.Count == 0, "the NativeAOT publish warned:\n" + string.Join("\n", warnings));
        Assert.Contains("Generating native code", aot.Publish.Out);

        // An ELF executable, with no managed gvnic.dll next to it to fall back on.
        byte[] head = new byte[4];
        using (var file = File.OpenRead(aot.Binary)) Assert.Equal(4, file.Read(head, 0, 4));
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, head);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(aot.Binary)!, "gvnic.dll")), "the publish folder holds gvnic.dll");
    }

    [Fact]
    public void Types_prints_what_the_jit_build_prints()
    {
        var native = aot.Run("types").Ok();
        Assert.Equal("", native.Error);
        Assert.Contains("  adminq_command ", native.Out);
        Assert.Contains("  tx_pkt_desc_dqo ", native.Out);
        Assert.Equal(Jit("types").Out, native.Out);

        var json = aot.Run("types", "--json").Ok();
        using var doc = JsonDocument.Parse(json.Out);
        var admin = doc.RootElement.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "adminq_command");
        Assert.Equal(64, admin.GetProperty("size").GetInt32());
        Assert.Equal(Jit("types", "--json").Out, json.Out);
    }

    [Fact]
    public void Encode_and_decode_print_what_the_jit_build_prints()
    {
        var encoded = aot.Run("encode", "adminq_command", "opcode=DESCRIBE_DEVICE").Ok();
        Assert.Equal("00000001" + new string('0', 120) + "\n", encoded.Out);
        Assert.Equal(Jit("encode", "adminq_command", "opcode=DESCRIBE_DEVICE", "--json").Out, aot.Run("encode", "adminq_command", "opcode=DESCRIBE_DEVICE", "--json").Ok().Out);

        string hex = encoded.Out.TrimEnd('\n');
        var decoded = aot.Run("decode", "adminq_command", hex, "--json").Ok();
        using var doc = JsonDocument.Parse(decoded.Out);
        var opcode = doc.RootElement.GetProperty("fields").EnumerateArray().First(f => f.GetProperty("path").GetString() == "opcode");
        Assert.Equal(0, opcode.GetProperty("offset").GetInt32());
        Assert.Equal(Jit("decode", "adminq_command", hex, "--json").Out, decoded.Out);
        Assert.Equal(Jit("decode", "adminq_command", hex).Out, aot.Run("decode", "adminq_command", hex).Ok().Out);

        var bad = aot.Run("decode", "no_such_type", "00");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("gvnic: TYPE 'no_such_type' is not a schema type (see 'gvnic types')\n", bad.Error);
    }

    [Theory]
    [InlineData("gqi-qpl", "GQI QPL (gqi-qpl)")]
    [InlineData("gqi-rda", "GQI RDA (gqi-rda)")]
    [InlineData("dqo-rda", "DQO RDA (dqo-rda)")]
    [InlineData("dqo-qpl", "DQO QPL (dqo-qpl)")]
    public void Demo_runs_the_whole_scenario_in_every_queue_format(string format, string shown)
    {
        var run = aot.Run("demo", "--format", format, "--queues", "2", "--frames", "40").Ok();
        Assert.Equal("", run.Error);
        string o = run.Out;
        Assert.Contains("✓ DHCP DISCOVER → OFFER 10.128.0.2/20 from 10.128.0.1, router 10.128.0.1, lease 3600 s", o);
        Assert.Contains("✓ ARP who-has 10.128.0.1 → 10.128.0.1 is-at 42:01:0a:80:00:01", o);
        Assert.Contains("✓ ping 10.128.0.1: 64 bytes from 10.128.0.1: icmp_seq=1", o);
        Assert.Contains("✓ traffic: 40 UDP echo frames out, 40 in (142 bytes each, 2 TX queues) in ", o);
        Assert.Equal("  Format:     " + shown, Line(o, "Format"));
        Assert.Equal("  Queues:     2 TX, 2 RX (rings 256/256)", Line(o, "Queues"));
        Assert.Equal("  Frames out: 43", Line(o, "Frames out"));
        Assert.Equal("  Frames in:  43", Line(o, "Frames in"));
        Assert.Contains("every DMA allocation returned (", o);
        Assert.Contains("✓ the device model saw no protocol violations; the responder sent 1 DHCP offer, 1 ARP reply, 1 echo reply, 40 UDP echoes", o);
    }

    [Fact]
    public void The_demos_trace_is_equivalent_to_the_jit_builds()
    {
        string native = Path.Combine(aot.Root, "native.trace.jsonl");
        string jit = Path.Combine(aot.Root, "jit.trace.jsonl");
        aot.Run("demo", "--format", "gqi-qpl", "--frames", "20", "--trace", native).Ok();
        Jit("demo", "--format", "gqi-qpl", "--frames", "20", "--trace", jit);

        var diff = aot.Run("trace", "diff", jit, native).Ok();
        Assert.Contains("✓ the traces are equivalent: ", diff.Out);
        Assert.Contains(" events compared, in the same order with the same values", diff.Out);
    }

    [Fact]
    public void Fwd_reflects_on_the_model_and_reports_json()
    {
        var run = aot.Run("fwd", "--reflect", "--frames", "2000", "--json").Ok();
        using var doc = JsonDocument.Parse(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        var summary = doc.RootElement;
        Assert.Equal(0, summary.GetProperty("exit_code").GetInt32());
        Assert.True(summary.GetProperty("dma_returned").GetBoolean());
        Assert.Equal(0, summary.GetProperty("model_violations").GetInt32());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("failure").ValueKind);
        Assert.True(summary.GetProperty("latency_ns").GetProperty("count").GetInt64() > 0, run.Out);
    }

    [Fact]
    public void Up_reads_sysfs_and_names_the_missing_device()
    {
        var run = aot.Run("up", "--pci", "0000:00:1f.7");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("gvnic: --pci 0000:00:1f.7: PCI function 0000:00:1f.7 cannot be opened with VFIO:\n  - No PCI device 0000:00:1f.7 (/sys/bus/pci/devices/0000:00:1f.7 does not exist).", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }
}
