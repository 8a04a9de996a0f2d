using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Gvnic.Cli.Tests;

public class DecodeCommandTests
{
    // tx_pkt_desc_dqo: buf_addr 0x1000, dtype packet (0xc), end_of_packet, compl_tag 7, buf_size 1514.
    private const string PacketDescriptor = "00100000000000002c0000000700ea05";

    private static string Line(string output, string path) =>
        output.Split('\n').Single(l => l.TrimStart().StartsWith(path + " ", StringComparison.Ordinal));

    private static string[] Cells(string line) => line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Shows_every_field_with_bytes_value_hex_and_enum_name()
    {
        var run = Cli.Run("decode", "tx_pkt_desc_dqo", PacketDescriptor).Ok();
        Assert.StartsWith("tx_pkt_desc_dqo: 16 bytes, little-endian.", run.Out);
        Assert.Equal(["buf_addr", "0..7", "4096", "0x0000000000001000"], Cells(Line(run.Out, "buf_addr")));
        Assert.Equal(["dtype_flags", "8", "44", "0x2c"], Cells(Line(run.Out, "dtype_flags")));
        Assert.Equal(["dtype", "0..4", "12", "0x0c", "packet"], Cells(Line(run.Out, "dtype")));
        Assert.Equal(["end_of_packet", "5", "1", "0x1", "true"], Cells(Line(run.Out, "end_of_packet")));
        Assert.Equal(["compl_tag", "12..13", "7", "0x0007"], Cells(Line(run.Out, "compl_tag")));
        Assert.Equal(["buf_size", "0..13", "1514", "0x05ea"], Cells(Line(run.Out, "buf_size")));
        Assert.Equal(["reserved0", "9", "0", "0x00", "reserved"], Cells(Line(run.Out, "reserved0")));
        // bit ranges sit under their container, indented
        Assert.StartsWith("    dtype ", Line(run.Out, "dtype"));
        Assert.StartsWith("  dtype_flags ", Line(run.Out, "dtype_flags"));
        Assert.Contains("No warnings: reserved bits are zero and every enum value is known.", run.Out);
    }

    [Theory]
    [InlineData("00 10 00 00 00 00 00 00 2c 00 00 00 07 00 ea 05")]
    [InlineData("00:10:00:00:00:00:00:00:2c:00:00:00:07:00:ea:05")]
    [InlineData("0x00100000000000002c0000000700ea05")]
    [InlineData("0x00 0x10 0x00 0x00 0x00 0x00 0x00 0x00 0x2C 0x00 0x00 0x00 0x07 0x00 0xEA 0x05")]
    public void Accepts_hex_with_spaces_colons_and_0x(string hex)
    {
        var run = Cli.Run("decode", "tx_pkt_desc_dqo", hex, "--json").Ok();
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal(PacketDescriptor, doc.RootElement.GetProperty("hex").GetString());
    }

    [Fact]
    public void Reads_raw_bytes_from_a_file_and_warns_about_trailing_bytes()
    {
        string path = Path.Combine(Cli.TempDirectory(), "desc.bin");
        File.WriteAllBytes(path, Convert.FromHexString(PacketDescriptor + "ffff"));
        var run = Cli.Run("decode", "tx_pkt_desc_dqo", "@" + path).Ok();
        Assert.Equal(["buf_size", "0..13", "1514", "0x05ea"], Cells(Line(run.Out, "buf_size")));
        Assert.Contains("1 warning:", run.Out);
        Assert.Contains("! 2 trailing bytes after the 16 of tx_pkt_desc_dqo not decoded", run.Out);
    }

    [Fact]
    public void Warns_about_reserved_bits_and_unknown_enum_values()
    {
        // dtype 0x1f is no tx_desc_dtype_dqo; reserved0 (byte 9) = 1; reserved2 (bits 14..15 of buf_size_word) set.
        var run = Cli.Run("decode", "tx_pkt_desc_dqo", "00100000000000003f0100000700eac5").Ok();
        Assert.Equal(["dtype", "0..4", "31", "0x1f", "! unknown enum value (tx_desc_dtype_dqo)"], Cells(Line(run.Out, "dtype")));
        Assert.Equal(["reserved0", "9", "1", "0x01", "! reserved, must be zero"], Cells(Line(run.Out, "reserved0")));
        Assert.Contains("3 warnings:", run.Out);
        Assert.Contains("! tx_pkt_desc_dqo.dtype = 0x1f: unknown enum value", run.Out);
        Assert.Contains("! tx_pkt_desc_dqo.reserved0 = 0x1: reserved bits set (must be zero)", run.Out);
        Assert.Contains("! tx_pkt_desc_dqo.reserved2 = 0x3: reserved bits set (must be zero)", run.Out);

        var json = Cli.Run("decode", "tx_pkt_desc_dqo", "00100000000000003f0100000700eac5", "--json").Ok();
        using var doc = JsonDocument.Parse(json.Out);
        var kinds = doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("field").GetString() + ":" + w.GetProperty("kind").GetString()).OfType<string>().ToList();
        Assert.Equal(["dtype:unknown_enum_value", "reserved0:reserved_not_zero", "reserved2:reserved_not_zero"], kinds.Order().ToList());
        var dtype = doc.RootElement.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "dtype");
        Assert.Equal(JsonValueKind.Null, dtype.GetProperty("name").ValueKind);
        Assert.Equal("dtype_flags", dtype.GetProperty("container").GetString());
        Assert.Equal(0, dtype.GetProperty("bit_offset").GetInt32());
        Assert.Equal(5, dtype.GetProperty("bit_width").GetInt32());
    }

    [Fact]
    public void A_union_shows_the_member_its_selector_picks()
    {
        string hex = Cli.Run("encode", "adminq_command", "opcode=create_tx_queue", "create_tx_queue.queue_id=3", "create_tx_queue.tx_ring_size=256").Ok().Out.Trim();
        var run = Cli.Run("decode", "adminq_command", hex).Ok();
        Assert.Equal(["opcode", "0..3", "5", "0x00000005", "create_tx_queue"], Cells(Line(run.Out, "opcode")));
        Assert.Contains("union: selected by opcode = create_tx_queue (0x5)", Line(run.Out, "body"));
        Assert.Equal(["create_tx_queue.queue_id", "8..11", "3", "0x00000003"], Cells(Line(run.Out, "create_tx_queue.queue_id")));
        Assert.Equal(["create_tx_queue.tx_ring_size", "48..49", "256", "0x0100"], Cells(Line(run.Out, "create_tx_queue.tx_ring_size")));
        Assert.DoesNotContain("describe_device", run.Out);

        var json = Cli.Run("decode", "adminq_command", hex, "--json").Ok();
        using var doc = JsonDocument.Parse(json.Out);
        var union = doc.RootElement.GetProperty("unions").EnumerateArray().Single();
        Assert.Equal("body", union.GetProperty("path").GetString());
        Assert.Equal("opcode", union.GetProperty("selector").GetString());
        Assert.Equal(["create_tx_queue"], union.GetProperty("members").EnumerateArray().Select(m => m.GetString()).OfType<string>().ToArray());
    }

    [Fact]
    public void A_union_without_selector_shows_every_member_and_an_unknown_selector_warns()
    {
        var overlay = Cli.Run("decode", "rx_data_slot", "0000000000001000").Ok();
        Assert.Contains("union: overlay: every member", overlay.Out);
        Assert.Equal(["qpl_offset", "0..7", "4096", "0x0000000000001000"], Cells(Line(overlay.Out, "qpl_offset")));
        Assert.Equal(["addr", "0..7", "4096", "0x0000000000001000"], Cells(Line(overlay.Out, "addr")));

        var unknown = Cli.Run("decode", "adminq_command", "000000fe" + new string('0', 120)).Ok();
        Assert.Contains("union: no member for opcode = 0xfe", unknown.Out);
        Assert.Equal(["opcode", "0..3", "254", "0x000000fe", "! unknown enum value (adminq_opcodes)"], Cells(Line(unknown.Out, "opcode")));
        Assert.Contains("! adminq_command.opcode = 0xfe: unknown enum value", unknown.Out);
    }

    [Fact]
    public void A_union_whose_selector_names_no_member_shows_its_raw_bytes()
    {
        // opcode 0x77 names no member of body; the body holds 00 00 00 03 at its start, 01 at its byte 40 and ab cd at its end.
        string hex = "00000077" + "00000000" + "00000003" + new string('0', 72) + "01" + new string('0', 26) + "abcd";
        var run = Cli.Run("decode", "adminq_command", hex).Ok();
        string[] lines = run.Out.Split('\n').Select(l => l.TrimEnd()).ToArray();
        int body = Array.FindIndex(lines, l => l.StartsWith("  body ", StringComparison.Ordinal));
        Assert.Equal(
        [
            "  body          8..63                               union: no member for opcode = 0x77",
            "    raw bytes   8..63                               00 00 00 03 00 00 00 00 00 00 00 00 00 00 00 00",
            "                                                    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
            "                                                    00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00",
            "                                                    00 00 00 00 00 00 ab cd",
            "",
            "2 warnings:",
            "  ! adminq_command.opcode = 0x77: unknown enum value",
            "  ! adminq_command.body = 0x77: the selector has no union member for this value",
            "",
        ], lines[body..]);

        // Trailing zeros are counted, and a body of zeros says so.
        var tail = Cli.Run("decode", "adminq_command", "000000fe" + "00000000" + "0102" + new string('0', 108)).Ok();
        Assert.Equal(["raw bytes", "8..63", "01 02 + 54 zero bytes"], Cells(Line(tail.Out, "raw bytes")));
        var zero = Cli.Run("decode", "adminq_command", "000000fe" + new string('0', 120)).Ok();
        Assert.Equal(["raw bytes", "8..63", "all zero"], Cells(Line(zero.Out, "raw bytes")));

        // JSON: the union's bytes as "raw", no members; a union whose member is shown has no "raw".
        using var doc = JsonDocument.Parse(Cli.Run("decode", "adminq_command", hex, "--json").Ok().Out);
        var union = doc.RootElement.GetProperty("unions").EnumerateArray().Single();
        Assert.Empty(union.GetProperty("members").EnumerateArray());
        Assert.Equal("no member for opcode = 0x77", union.GetProperty("note").GetString());
        Assert.Equal(hex[16..], union.GetProperty("raw").GetString());
        string known = Cli.Run("encode", "adminq_command", "opcode=create_tx_queue").Ok().Out.Trim();
        using var selected = JsonDocument.Parse(Cli.Run("decode", "adminq_command", known, "--json").Ok().Out);
        Assert.False(selected.RootElement.GetProperty("unions")[0].TryGetProperty("raw", out _));
        Assert.DoesNotContain("raw bytes", Cli.Run("decode", "adminq_command", known).Ok().Out);
    }

    [Fact]
    public void Long_byte_arrays_are_one_row_and_zero_struct_elements_fold()
    {
        string hex = Cli.Run("encode", "driver_info", "os_type=1", "os_version_str1[0]=0x4c", "os_version_str1[1]=0x69", "os_version_str1[2]=0x6e").Ok().Out.Trim();
        var run = Cli.Run("decode", "driver_info", hex).Ok();
        Assert.Contains("\"Lin\" + 125 zero bytes", Line(run.Out, "os_version_str1[0..127]"));
        Assert.Contains("all zero", Line(run.Out, "os_version_str2[0..127]"));

        string map = Cli.Run("encode", "ptype_map", "ptypes[1].l3_type=ipv4", "ptypes[1].l4_type=udp").Ok().Out.Trim();
        var folded = Cli.Run("decode", "ptype_map", map).Ok();
        Assert.Equal(["ptypes[1].l3_type", "2", "2", "0x02", "ipv4"], Cells(Line(folded.Out, "ptypes[1].l3_type")));
        Assert.Equal(["ptypes[0]", "0..1", "ptype_entry"], Cells(Line(folded.Out, "ptypes[0]")));
        Assert.Equal(["ptypes[2..1023]", "4..2047", "1022 × ptype_entry, all zero"], Cells(Line(folded.Out, "ptypes[2..1023]")));
    }
}
