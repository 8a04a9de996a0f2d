using System;
using System.Linq;
using Gvnic.Driver;
using Gvnic.Platform.Tracing;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests.Tracing;

/// <summary>
/// <see cref="TraceComparer"/>: equal runs, the first divergence with what differs and where the traces agree again,
/// run-specific values and ignored names left out, one trace ending early, and different data modes.
/// </summary>
public sealed class TraceComparerTests
{
    private static string Run(Action<SimulatedGvnic>? prepare = null, NicOptions? options = null, PciTraceOptions? trace = null, SimulatedDeviceConfig? config = null)
    {
        using var device = new SimulatedGvnic(config);
        prepare?.Invoke(device);
        var lines = Traces.Record(device, pci =>
        {
            try
            {
                Nic.Open(pci, options ?? new NicOptions { TxQueues = 1, RxQueues = 1 }).Dispose();
            }
            catch (GvnicException)
            {
            }
        }, trace);
        return Traces.Save(lines);
    }

    private static string Edit(string path, Func<string[], string[]> edit) => Traces.Save(edit(System.IO.File.ReadAllLines(path)));

    [Fact]
    public void Two_runs_of_one_scenario_are_equivalent()
    {
        string a = Run();
        var result = TraceComparer.Compare(a, Run());
        Assert.True(result.Equivalent, result.Divergence?.ToString());
        Assert.Empty(result.Notes);
        Assert.Equal(System.IO.File.ReadAllLines(a).Length - 2, result.Compared); // all but the header and the end record
    }

    [Fact]
    public void An_injected_admin_status_diverges_at_that_answer_with_both_sides()
    {
        string a = Run();
        string b = Run(d => d.FailNextCommand(AdminqOpcodes.DescribeDevice, AdminqStatuses.CommandErrorInternalError));
        var d = TraceComparer.Compare(a, b).Divergence!;
        Assert.Equal(("answer", "answer"), (d.A!.Kind, d.B!.Kind));
        Assert.Equal(30, d.A.Sequence);
        Assert.Equal(31, d.A.Line);
        Assert.Equal(29, d.IndexA);
        Assert.Equal("describe_device", d.B.Json.GetProperty("opcode").GetString());
        Assert.Equal(new TraceFieldDifference("status", "\"command_passed\"", "\"command_error_internal_error\""), d.Differences[0]);
        Assert.Equal(new TraceFieldDifference("device_descriptor", d.Differences[1].A, null), d.Differences[1]);
        Assert.StartsWith("{\"max_registered_pages\":4096,", d.Differences[1].A);
        Assert.Equal(3, d.Before.Count);
        Assert.Equal([27L, 28L, 29L], d.Before.Select(e => e.Sequence));
        Assert.Equal("read", d.Before[^1].Kind);
        Assert.Equal(2, d.AfterA.Count);
        Assert.Equal("dma_free", d.AfterA[0].Kind);
    }

    [Fact]
    public void Run_specific_values_never_make_a_divergence()
    {
        string a = Run();
        // other device addresses, other doorbell indexes, other poll counts, another OS, other times
        string b = Edit(a, lines => lines.Select(l => l
            .Replace("\"@addr\":\"0x00000010", "\"@addr\":\"0x00000020")
            .Replace("\"@db_index\":512", "\"@db_index\":3")
            .Replace("\"@index\":512", "\"@index\":3")
            .Replace("\"@polls\":0", "\"@polls\":17")
            .Replace("\"@os_version_str1\":\"", "\"@os_version_str1\":\"Linux ")
            .Replace("\"t\":", "\"t\":1")).ToArray());
        Assert.NotEqual(System.IO.File.ReadAllText(a), System.IO.File.ReadAllText(b));
        Assert.True(TraceComparer.Compare(a, b).Equivalent);
    }

    [Fact]
    public void An_extra_event_is_found_and_the_traces_agree_again_after_it()
    {
        string a = Run();
        string b = Edit(a, lines => lines.Take(13).Append("""{"seq":0,"t":0,"ev":"read","bar":0,"reg":"device_status","width":32,"value":"0x00000000","flags":[]}""").Concat(lines.Skip(13)).ToArray());
        var d = TraceComparer.Compare(a, b).Divergence!;
        Assert.Equal(12, d.IndexA);
        Assert.Equal("max_rx_queues", d.A!.Json.GetProperty("reg").GetString());
        Assert.Equal("device_status", d.B!.Json.GetProperty("reg").GetString());
        Assert.Equal("B has 1 event A lacks (B #0), then the traces agree again", d.Resync);

        var reverse = TraceComparer.Compare(b, a).Divergence!;
        Assert.Equal("A has 1 event B lacks (A #0), then the traces agree again", reverse.Resync);
    }

    [Fact]
    public void A_changed_value_then_agreement()
    {
        string a = Run();
        string b = Run(config: new SimulatedDeviceConfig { LinkSpeed = 50000 });
        var d = TraceComparer.Compare(a, b).Divergence!;
        Assert.Equal(new TraceFieldDifference("link_speed_report.link_speed", "100000", "50000"), Assert.Single(d.Differences));
        Assert.Equal("1 event differs (A #48, B #48), then the traces agree again", d.Resync);
        // a name the caller ignores
        Assert.True(TraceComparer.Compare(a, b, new TraceCompareOptions { Ignore = ["link_speed"] }).Equivalent);
    }

    [Fact]
    public void Ignoring_a_register_leaves_out_its_value()
    {
        string a = Run();
        string b = Run(config: new SimulatedDeviceConfig { MaxTxQueues = 8, MaxRxQueues = 8 });
        var d = TraceComparer.Compare(a, b).Divergence!;
        Assert.Equal("max_tx_queues", d.A!.Json.GetProperty("reg").GetString());
        Assert.Equal(new TraceFieldDifference("value", "\"0x00000004\"", "\"0x00000008\""), Assert.Single(d.Differences));
        Assert.True(TraceComparer.Compare(a, b, new TraceCompareOptions { Ignore = ["max_tx_queues", "max_rx_queues"] }).Equivalent);
    }

    [Fact]
    public void A_trace_that_ends_early()
    {
        string a = Run();
        string b = Edit(a, lines => lines.Take(20).ToArray());
        var result = TraceComparer.Compare(a, b);
        var d = result.Divergence!;
        Assert.Null(d.B);
        Assert.Equal(19, d.IndexA);
        Assert.Equal(20, d.A!.Sequence);
        var reverse = TraceComparer.Compare(b, a).Divergence!;
        Assert.Null(reverse.A);
    }

    [Fact]
    public void A_trace_without_its_end_record_is_noted()
    {
        string a = Run();
        string b = Edit(a, lines => lines[..^1]);
        var result = TraceComparer.Compare(a, b);
        Assert.True(result.Equivalent);
        Assert.Equal(["B has no end record: the run stopped before the trace was closed"], result.Notes);
    }

    [Fact]
    public void Different_data_modes_compare_what_both_recorded()
    {
        string off = Run(trace: new PciTraceOptions { Data = TraceDataMode.Off });
        string doorbells = Run();
        var result = TraceComparer.Compare(off, doorbells);
        Assert.True(result.Equivalent, result.Divergence?.ToString());
        Assert.Equal(["data modes differ (A off, B doorbells): compared as off, without queue doorbells"], result.Notes);
    }

    [Fact]
    public void Another_device_revision_is_noted_and_diverges_at_the_admin_queue()
    {
        string a = Run();
        string b = Run(config: new SimulatedDeviceConfig { Revision = 0 });
        var result = TraceComparer.Compare(a, b);
        Assert.Contains("different devices: A sim:0 1ae0:0042 rev 1, B sim:0 1ae0:0042 rev 0", result.Notes);
        Assert.Equal(("adminq_length", "adminq_pfn"), (result.Divergence!.A!.Json.GetProperty("reg").GetString(), result.Divergence.B!.Json.GetProperty("reg").GetString()));
    }
}
