using System;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>
/// <c>decode</c>, <c>encode</c> and <c>types</c> on the mailbox messages of the 0x0043 gVNIC, whose trailing arrays are as
/// long as their counters say: decode shows the stated elements and warns when the input holds fewer; encode sizes the
/// message from the counter's value and refuses more than the 4096-byte buffer holds.
/// </summary>
public class MailboxMessageTests
{
    // mbx_config_tx_qs_resp: 2 queues, doorbells at 0x4000 and 0x4004.
    private const string TxQueuesResponse = "0200" + "000000000000" + "00000000" + "00400000" + "01000000" + "04400000";

    private static string Line(string output, string path) =>
        output.Split('\n').Single(l => l.TrimStart().StartsWith(path + " ", StringComparison.Ordinal));

    private static string[] Cells(string line) => line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Decode_shows_the_elements_the_counter_states()
    {
        var run = Cli.Run("decode", "mbx_config_tx_qs_resp", TxQueuesResponse).Ok();
        Assert.StartsWith("mbx_config_tx_qs_resp: 8 + 2 × 8 (queues) bytes, little-endian.", run.Out);
        Assert.Equal(["num_queues", "0..1", "2", "0x0002"], Cells(Line(run.Out, "num_queues")));
        Assert.Equal(["queues[1].tail_db_offset", "20..23", "16388", "0x00004004"], Cells(Line(run.Out, "queues[1].tail_db_offset")));
        Assert.Contains("No warnings", run.Out);
    }

    [Fact]
    public void Decode_warns_when_the_counter_states_more_than_the_input_holds()
    {
        var run = Cli.Run("decode", "mbx_config_tx_qs_resp", "03" + TxQueuesResponse[2..], "--json").Ok();
        using var doc = JsonDocument.Parse(run.Out);
        var warnings = doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("message").GetString()).ToArray();
        Assert.Contains("mbx_config_tx_qs_resp.num_queues = 3 elements of queues, but the bytes hold 2", warnings);
        var paths = doc.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToArray();
        Assert.Contains("queues[1].queue_id", paths);
        Assert.DoesNotContain("queues[2].queue_id", paths);
    }

    [Fact]
    public void Decode_reports_a_bad_element_with_its_type()
    {
        // mbx_config_tx_q_req with one queue whose pad1 is not zero.
        string hex = "0100" + "000000000000" + "00000000" + "0100" + "0100" + "FFFFFFFF" + "00000000" + new string('0', 48);
        var run = Cli.Run("decode", "mbx_config_tx_q_req", hex).Ok();
        Assert.Contains("! mbx_tx_q_info.pad1 = 0x1: reserved bits set (must be zero)", run.Out);
    }

    [Fact]
    public void Encode_sizes_the_message_from_its_counter()
    {
        var run = Cli.Run("encode", "mbx_enable_qs_req", "num_queues=3", "queue_id=4,5,6").Ok();
        Assert.Equal("0300040005000600", run.Out.Trim());
        var tx = Cli.Run("encode", "mbx_config_tx_q_req", "num_queues=2", "tx_queues[1].msix_index=2", "--json").Ok();
        using var doc = JsonDocument.Parse(tx.Out);
        Assert.Equal(8 + 2 * 40, doc.RootElement.GetProperty("size").GetInt32());
        // The header, queue 0 all zero, queue 1 with msix_index 2 (little-endian at its byte 4).
        Assert.Equal("0200" + "000000000000" + new string('0', 80) + "00000000" + "0200" + new string('0', 68), doc.RootElement.GetProperty("hex").GetString());
    }

    [Fact]
    public void Encode_refuses_elements_the_counter_does_not_state_and_more_than_a_buffer_holds()
    {
        Cli.Run("encode", "mbx_enable_qs_req", "num_queues=1", "queue_id[1]=4").BadInput("queue_id[1]");
        Cli.Run("encode", "mbx_enable_qs_req", "num_queues=3000").BadInput("3000 elements of queue_id (2 bytes each) do not fit the 4096 bytes of a mbx_enable_qs_req; at most 2047");
    }

    [Fact]
    public void Types_lists_the_mailbox()
    {
        var run = Cli.Run("types").Ok();
        Assert.Contains("mbx_desc", run.Out);
        Assert.Contains("mbx_caps_resp", run.Out);
    }
}
