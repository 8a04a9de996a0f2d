using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Gvnic.Driver;
using Gvnic.Platform.Tracing;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests.Tracing;

/// <summary>
/// docs/trace.md describes the trace format; this keeps it from going stale: every event kind and name of
/// <see cref="TraceFormat"/>, every data mode, and every member the recorder writes into a header or an event (taken
/// from traces it records here: a bring-up in data mode <c>all</c> with MSI-X waits and polls, a GQI QPL bring-up, a
/// stalled admin queue, accesses no register describes) must appear in the page as <c>`name`</c>.
/// </summary>
public sealed class TraceDocTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "trace.md"));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Gvnic.sln"))) return dir.FullName;
        throw new InvalidOperationException("no Gvnic.sln above " + AppContext.BaseDirectory + ": run the tests from a clone of the repository");
    }

    private static string[] Undocumented(IEnumerable<string> names)
        => names.Distinct(StringComparer.Ordinal).Where(n => !Doc.Contains("`" + n + "`", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    [Fact]
    public void Every_name_of_TraceFormat_is_in_the_doc()
    {
        var constants = typeof(TraceFormat).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Concat(typeof(TraceFormat.Events).GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
        Assert.Contains(TraceFormat.Events.IrqPoll, constants);
        Assert.Contains(TraceFormat.Sequence, constants);
        var modes = Enum.GetValues<TraceDataMode>().Select(TraceFormat.DataModeName);
        string[] missing = Undocumented(constants.Where(c => c != TraceFormat.DmaPrefix).Concat(modes));
        Assert.True(missing.Length == 0, "docs/trace.md does not name these: " + string.Join(", ", missing));
        Assert.Contains(TraceFormat.DmaPrefix + "REGION+0xOFFSET", Doc);
        Assert.Contains("\"version\":" + TraceFormat.Version + ",", Doc);
    }

    [Fact]
    public void Every_member_the_recorder_writes_is_in_the_doc()
    {
        var lines = new List<string>();

        using (var device = new SimulatedGvnic())
        {
            lines.AddRange(Traces.Record(device, pci =>
            {
                using var nic = Nic.Open(pci, new NicOptions { TxQueues = 1, RxQueues = 1, WaitMode = NicWaitMode.Interrupts });
                nic.WaitForReceive(TimeSpan.FromMilliseconds(5), 0);
                pci.Interrupts.TryConsume(1);
            }, new PciTraceOptions { Data = TraceDataMode.All }));
        }
        using (var device = new SimulatedGvnic())
        {
            lines.AddRange(Traces.Record(device, pci =>
            {
                using var nic = Nic.Open(pci, new NicOptions { TxQueues = 1, RxQueues = 1, QueueFormat = QueueFormat.GqiQpl });
            }));
        }
        using (var device = new SimulatedGvnic())
        {
            lines.AddRange(Traces.Record(device, pci =>
            {
                device.StallAdminQueue();
                Assert.Throws<DeviceTimeoutException>(() => Nic.Open(pci, new NicOptions { TxQueues = 1, RxQueues = 1, AdminTimeout = TimeSpan.FromMilliseconds(20) }));
            }));
        }
        using (var device = new ScriptedFunction())
        {
            lines.AddRange(Traces.Record(device, pci =>
            {
                pci.Bar2.Write32(0x3FF0, 1);
                pci.Bar2.Write16(0x3FF2, 1);
                pci.Bar0.Read16(Bar0Registers.Offsets.DeviceStatus);
            }));
        }

        var names = new List<string>();
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var json in lines.Select(Traces.Json))
        {
            if (json.TryGetProperty("format", out _))
            {
                Members(json, "", names);
                continue;
            }
            kinds.Add(json.GetProperty(TraceFormat.Kind).GetString()!);
            foreach (var member in json.EnumerateObject())
            {
                names.Add(member.Name);
                if (member.Name is "skipped") Members(member.Value, member.Name + ".", names);
                if (member.Name is "pages" or "device_options")
                    foreach (var item in member.Value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)) names.AddRange(item.EnumerateObject().Select(m => m.Name));
                RunSpecific(member.Value, names);
            }
        }
        // the traces hold what the doc must cover: every kind, the members of the rarer paths
        var expectedKinds = typeof(TraceFormat.Events).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(expectedKinds.Order(StringComparer.Ordinal), kinds.Order(StringComparer.Ordinal));
        Assert.Superset(new HashSet<string> { "device.msix_vectors", "@polls", "last", "pages", "from", "index", "offset", "raw", "repeat", "timeout_us", "@db_index", "skipped.queue_doorbells", "payload" }, names.ToHashSet());

        string[] missing = Undocumented(names);
        Assert.True(missing.Length == 0, "docs/trace.md does not name these members the recorder writes: " + string.Join(", ", missing));
    }

    /// <summary>Every member of <paramref name="json"/> at any depth, by path (<c>device.address</c>), as the doc's tables name them.</summary>
    private static void Members(JsonElement json, string prefix, List<string> names)
    {
        if (json.ValueKind != JsonValueKind.Object) return;
        foreach (var member in json.EnumerateObject())
        {
            names.Add(prefix + member.Name);
            Members(member.Value, prefix + member.Name + ".", names);
        }
    }

    /// <summary>Run-specific (<c>@</c>) member names at any depth, catalog fields included.</summary>
    private static void RunSpecific(JsonElement json, List<string> names)
    {
        if (json.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in json.EnumerateObject())
            {
                if (member.Name[0] == TraceFormat.RunSpecificPrefix) names.Add(member.Name);
                RunSpecific(member.Value, names);
            }
        }
        else if (json.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in json.EnumerateArray()) RunSpecific(item, names);
        }
    }
}
