using System.Text.Json;
using Xunit;

namespace Gvnic.SchemaLint.Tests;

public sealed class LayoutCommandTests
{
    private static JsonElement Layout(string schema)
    {
        using var ws = new Workspace();
        ws.Write("s.yaml", schema);
        var result = ws.Run("layout", "s.yaml", "--json");
        Assert.Equal(0, result.ExitCode);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    [Fact]
    public void StructsFieldsAndBitRangesHaveOffsetsSizesAndOrders()
    {
        var root = Layout(Schemas.Base);
        Assert.Equal(1, root.GetProperty("format_version").GetInt32());
        Assert.Equal("t", root.GetProperty("schema").GetString());
        var desc = root.GetProperty("structs")[0];
        Assert.Equal("desc", desc.GetProperty("name").GetString());
        Assert.Equal(8, desc.GetProperty("size").GetInt32());
        Assert.Equal("big", desc.GetProperty("order").GetString());
        Assert.Equal("other", desc.GetProperty("area").GetString());
        Assert.Equal("Desc", desc.GetProperty("csharp_name").GetString());
        var fields = desc.GetProperty("fields");
        Assert.Equal(5, fields.GetArrayLength());

        var op = fields[0];
        Assert.Equal("op", op.GetProperty("name").GetString());
        Assert.Equal("enum", op.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, op.GetProperty("order").ValueKind); // a single byte has no order

        var flags = fields[1];
        Assert.Equal(1, flags.GetProperty("offset").GetInt32());
        var kind = flags.GetProperty("bits")[1];
        Assert.Equal("kind", kind.GetProperty("name").GetString());
        Assert.Equal(1, kind.GetProperty("lsb").GetInt32());
        Assert.Equal(3, kind.GetProperty("msb").GetInt32());
        Assert.Equal(3, kind.GetProperty("width").GetInt32());
        Assert.Equal(JsonValueKind.Null, kind.GetProperty("type").ValueKind);
        Assert.Equal(1, kind.GetProperty("first_byte").GetInt32());
        Assert.Equal(1, kind.GetProperty("last_byte").GetInt32());

        var len = fields[2];
        Assert.Equal(2, len.GetProperty("offset").GetInt32());
        Assert.Equal(2, len.GetProperty("size").GetInt32());
        Assert.Equal("big", len.GetProperty("order").GetString());
        Assert.Equal("none", len.GetProperty("reserved").GetString());
        Assert.Equal("zero", fields[4].GetProperty("reserved").GetString());

        var extra = root.GetProperty("structs")[1];
        Assert.Equal("little", extra.GetProperty("fields")[0].GetProperty("order").GetString());

        var doorbell = root.GetProperty("register_blocks")[0].GetProperty("registers")[1];
        Assert.Equal("doorbell", doorbell.GetProperty("name").GetString());
        Assert.Equal(4, doorbell.GetProperty("offset").GetInt32());
        Assert.Equal(32, doorbell.GetProperty("width").GetInt32());
        Assert.Equal("write", doorbell.GetProperty("access").GetString());
        Assert.Equal("u32", doorbell.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, doorbell.GetProperty("stride").ValueKind);

        var write = root.GetProperty("enums")[0].GetProperty("values")[1];
        Assert.Equal("write", write.GetProperty("name").GetString());
        Assert.Equal(2, write.GetProperty("value").GetInt32());
    }

    [Fact]
    public void BigEndianBitRangesMapToTheirWireBytesAndUnionsListMembers()
    {
        var root = Layout(Schemas.With("      - { name: len, at: 2, type: u16, doc: Length. }", """
      - name: len
        at: 2
        type: u16
        doc: Length and flag.
        bits:
          - { name: length, at: 0, width: 12, doc: Length. }
          - { name: last, at: 15, width: 1, type: bool, doc: Last. }
""").Replace("      - { name: tag, at: 4, type: u16, doc: Tag. }", """
      - name: tag
        at: 4
        size: 2
        doc: Tag or index.
        union:
          - { name: tag16, type: u16, doc: Tag. }
          - { name: index, type: u16, order: little, doc: Index. }
"""));
        var fields = root.GetProperty("structs")[0].GetProperty("fields");
        var length = fields[2].GetProperty("bits")[0];
        Assert.Equal(2, length.GetProperty("first_byte").GetInt32()); // bits 8..11 of a big-endian u16 live in its first byte
        Assert.Equal(3, length.GetProperty("last_byte").GetInt32());
        var last = fields[2].GetProperty("bits")[1];
        Assert.Equal(2, last.GetProperty("first_byte").GetInt32());
        Assert.Equal(2, last.GetProperty("last_byte").GetInt32());
        var tag = fields[3];
        Assert.Equal("union", tag.GetProperty("kind").GetString());
        Assert.Equal(2, tag.GetProperty("size").GetInt32());
        var index = tag.GetProperty("members")[1];
        Assert.Equal("index", index.GetProperty("name").GetString());
        Assert.Equal(4, index.GetProperty("offset").GetInt32());
        Assert.Equal("little", index.GetProperty("order").GetString());
    }
}
