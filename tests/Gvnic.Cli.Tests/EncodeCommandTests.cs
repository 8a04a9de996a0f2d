using System.Linq;
using System.Text.Json;
using Xunit;

namespace Gvnic.Cli.Tests;

public class EncodeCommandTests
{
    [Fact]
    public void Encodes_fields_bit_ranges_and_enum_names_through_the_schema()
    {
        var run = Cli.Run("encode", "tx_pkt_desc_dqo", "buf_addr=0x1000", "dtype=packet", "end_of_packet=true", "compl_tag=7", "buf_size=1514").Ok();
        Assert.Equal("00100000000000002c0000000700ea05\n", run.Out);
    }

    [Fact]
    public void Big_endian_types_nested_structs_arrays_flags_and_binary()
    {
        string command = Cli.Run("encode", "adminq_command", "opcode=create_tx_queue", "create_tx_queue.queue_id=3", "create_tx_queue.tx_ring_size=256").Ok().Out;
        Assert.Equal(64 * 2 + 1, command.Length);
        Assert.Equal("0100", command.Substring(48 * 2, 4)); // tx_ring_size at byte 8 + 40, big-endian
        Assert.StartsWith("00000005000000000000000300000000", Cli.Run("encode", "adminq_command", "opcode=create_tx_queue", "create_tx_queue.queue_id=3").Ok().Out);
        Assert.Equal("0003" + new string('0', 44) + "\n", Cli.Run("encode", "adminq_configure_rss", "hash_types=ipv4|tcpv4").Ok().Out);
        string mac = Cli.Run("encode", "device_descriptor", "mac=42:01:0a:80:00:02").Ok().Out;
        Assert.Equal("42010a800002", mac.Substring(48, 12));
        Assert.Equal(mac, Cli.Run("encode", "device_descriptor", "mac[0]=0x42", "mac[1]=1", "mac[2]=0b1010", "mac[3]=128", "mac[4]=0", "mac[5]=2").Ok().Out);
        Assert.StartsWith("0000000200000003" + "00000000", Cli.Run("encode", "flow_spec", "src_ip=2,3").Ok().Out);
    }

    [Fact]
    public void Json_lists_every_value_stored_and_warns_about_reserved_bits()
    {
        var run = Cli.Run("encode", "tx_pkt_desc_dqo", "dtype=packet", "reserved0=1", "--json").Ok();
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal("tx_pkt_desc_dqo", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal(16, doc.RootElement.GetProperty("size").GetInt32());
        Assert.Equal("00000000000000000c01000000000000", doc.RootElement.GetProperty("hex").GetString());
        var set = doc.RootElement.GetProperty("set").EnumerateArray().Select(s => s.GetProperty("path").GetString() + "=" + s.GetProperty("value").GetUInt64()).ToArray();
        Assert.Equal(["dtype=12", "reserved0=1"], set);
        Assert.Equal(["tx_pkt_desc_dqo.reserved0 = 0x1: reserved bits set (must be zero)"],
            doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).OfType<string>().ToArray());

        var plain = Cli.Run("encode", "tx_pkt_desc_dqo", "dtype=packet", "reserved0=1");
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal("00000000000000000c01000000000000\n", plain.Out);
        Assert.Equal("gvnic: warning: tx_pkt_desc_dqo.reserved0 = 0x1: reserved bits set (must be zero)\n", plain.Error);
    }

    [Fact]
    public void No_assignments_gives_zero_bytes()
    {
        Assert.Equal(new string('0', 80) + "\n", Cli.Run("encode", "flow_spec").Ok().Out);
    }
}
