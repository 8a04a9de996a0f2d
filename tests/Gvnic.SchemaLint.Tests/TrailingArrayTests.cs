using System.Text.Json;
using Xunit;

namespace Gvnic.SchemaLint.Tests;

/// <summary>
/// Messages that end in a trailing array (<c>counted_by:</c>) with a <c>max_size:</c>: <c>check</c> reports their mistakes
/// at the YAML line and column, <c>layout --json</c> describes the array and the bound, <c>docs</c> puts <c>mbx_*</c>
/// structs on the mailbox page with a row for the array.
/// </summary>
public sealed class TrailingArrayTests
{
    private const string Schema = """
schema: t
namespace: T.Wire
doc: Messages.
constants:
  - { name: buf_size, type: u32, value: 4096, doc: Buffer bytes. }
structs:
  - name: mbx_q_info
    size: 8
    order: little
    doc: One queue.
    fields:
      - { name: queue_id, at: 0, type: u32, doc: Queue. }
      - { name: tail_db_offset, at: 4, type: u32, doc: Doorbell. }
  - name: mbx_qs_resp
    size: 8
    max_size: buf_size
    order: little
    doc: Queues.
    fields:
      - { name: num_queues, at: 0, type: u16, doc: Count. }
      - { name: pad, at: 2, type: u8, count: 6, reserved: ignore, doc: Padding. }
      - { name: queues, at: 8, type: mbx_q_info, counted_by: num_queues, doc: The queues. }
""";

    [Fact]
    public void CleanMessageSchemaChecksClean()
    {
        using var ws = new Workspace();
        ws.Write("m.yaml", Schema);
        var result = ws.Run("check", "m.yaml");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new[] { "m.yaml: 0 errors, 0 warnings" }, result.Lines);
    }

    [Fact]
    public void MistakesAreReportedAtTheirPlace()
    {
        using var ws = new Workspace();
        ws.Write("m.yaml", Schema.Replace("counted_by: num_queues", "counted_by: num_queue").Replace("at: 8, type: mbx_q_info", "at: 12, type: mbx_q_info").Replace("max_size: buf_size", "max_size: 12"));
        var result = ws.Run("check", "m.yaml");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(new[]
        {
            "m.yaml(16,15): error GVNIC021: max_size: '12' of 'mbx_qs_resp' is 12 bytes: after the 8-byte fixed part it leaves no room for one 8-byte element of trailing array 'queues'",
            "m.yaml(22,9): error GVNIC020: trailing array 'queues' of 'mbx_qs_resp' is at byte 12, but a trailing array starts where the fixed part ends, at the struct's size (8); write at: 8",
            "m.yaml(22,63): error GVNIC019: counted_by: 'num_queue' of trailing array 'queues' of 'mbx_qs_resp' names no integer field of 'mbx_qs_resp'; it must name a single u8, u16, u32 or u64 field (not an enum, array, bit container or union) that holds the element count",
            "m.yaml: 3 errors, 0 warnings",
        }, result.Lines);
    }

    [Fact]
    public void LayoutJsonDescribesTheTrailingArrayAndTheBound()
    {
        using var ws = new Workspace();
        ws.Write("m.yaml", Schema);
        var result = ws.Run("layout", "m.yaml", "--json");
        Assert.Equal(0, result.ExitCode);
        var resp = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("structs")[1];
        Assert.Equal("mbx_qs_resp", resp.GetProperty("name").GetString());
        Assert.Equal("mailbox", resp.GetProperty("area").GetString());
        Assert.Equal(2, resp.GetProperty("fields").GetArrayLength()); // the fixed part only
        Assert.Equal(4096, resp.GetProperty("max_size").GetInt32());
        var t = resp.GetProperty("trailing");
        Assert.Equal("queues", t.GetProperty("name").GetString());
        Assert.Equal(8, t.GetProperty("offset").GetInt32());
        Assert.Equal("mbx_q_info", t.GetProperty("type").GetString());
        Assert.Equal(8, t.GetProperty("element_size").GetInt32());
        Assert.Equal("num_queues", t.GetProperty("counted_by").GetString());
        Assert.Equal(511, t.GetProperty("max_count").GetInt32());
        var info = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("structs")[0];
        Assert.Equal(JsonValueKind.Null, info.GetProperty("trailing").ValueKind);
        Assert.Equal(JsonValueKind.Null, info.GetProperty("max_size").ValueKind);
    }

    private static Workspace.Result Diff(string oldSchema, string newSchema)
    {
        using var ws = new Workspace();
        ws.Write("old.yaml", oldSchema);
        ws.Write("new.yaml", newSchema);
        return ws.Run("diff", "old.yaml", "new.yaml");
    }

    [Fact]
    public void DiffBreaksOnAChangedTrailingArrayOrALowerBound()
    {
        var result = Diff(Schema, Schema.Replace("type: mbx_q_info, counted_by: num_queues", "type: u32, counted_by: num_queues").Replace("max_size: buf_size", "max_size: 1024"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("breaking: struct mbx_qs_resp: trailing array queues changed from mbx_q_info (8 bytes) to u32 (4 bytes)", result.Lines);
        Assert.Contains("breaking: struct mbx_qs_resp: max_size lowered from 4096 to 1024 bytes", result.Lines);

        var removed = Diff(Schema, Schema.Replace("\n      - { name: queues, at: 8, type: mbx_q_info, counted_by: num_queues, doc: The queues. }", ""));
        Assert.Contains("breaking: struct mbx_qs_resp: trailing array queues removed", removed.Lines);
    }

    [Fact]
    public void DiffAcceptsAnAddedTrailingArrayAndARaisedBound()
    {
        var without = Schema.Replace("\n      - { name: queues, at: 8, type: mbx_q_info, counted_by: num_queues, doc: The queues. }", "");
        var result = Diff(without, Schema.Replace("max_size: buf_size", "max_size: 8192"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("compatible: struct mbx_qs_resp: trailing array queues added (mbx_q_info × num_queues)", result.Lines);
        Assert.Contains("compatible: struct mbx_qs_resp: max_size 4096 → 8192", result.Lines);
    }

    [Fact]
    public void DocsPutTheMessagesOnTheMailboxPage()
    {
        using var ws = new Workspace();
        ws.Write("m.yaml", Schema);
        var result = ws.Run("docs", "m.yaml", "-o", "out");
        Assert.Equal(0, result.ExitCode);
        var page = ws.Read("out/mailbox.md");
        Assert.StartsWith("<!--", page);
        Assert.Contains("# Mailbox (PCI 1ae0:0043)", page);
        Assert.Contains("8 bytes, little-endian, then the trailing array `queues`: `num_queues` elements of [`mbx_q_info`](#mbx_q_info) (8 bytes each); a whole message takes at most 4096 bytes (`max_size: buf_size`, so at most 511 elements).", page);
        Assert.Contains("| 8… | 8 × n |  | `queues[n]` | [`mbx_q_info`](#mbx_q_info) × `num_queues` | — | The queues. |", page);
        Assert.Contains("[Mailbox (PCI 1ae0:0043)](mailbox.md)", ws.Read("out/README.md"));
    }
}
