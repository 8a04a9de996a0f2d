using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>
/// The SDK built with a broken schema fails with the schema's own diagnostics and nothing else: the generator still
/// emits every type it can, so none of the SDK's code that uses the generated types adds a C# error to the list the
/// person editing the schema has to read.
/// </summary>
public class SdkWithBrokenSchemaTests
{
    private static string Break(string find, string replace)
    {
        var schema = SdkCompilation.RealSchema;
        Assert.Contains(find, schema);
        return schema.Replace(find, replace);
    }

    private static string Describe(Diagnostic d) => d.Id + " " + d.Location.GetLineSpan() + ": " + d.GetMessage();

    [Fact]
    public void AFieldMovedByOneByteGivesOnlyTheSchemasErrors()
    {
        var sdk = SdkCompilation.Build(Break("{ name: compl_tag, at: 12,", "{ name: compl_tag, at: 13,"));

        // The two located schema errors: compl_tag (13..14) overlaps buf_size_word (14..15), and byte 12 belongs to nothing.
        Assert.Equal(["GVNIC005", "GVNIC010"], sdk.Schema.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.All(sdk.Schema, d => Assert.Equal("/repo/schema/gvnic.yaml", d.Location.GetLineSpan().Path));
        Assert.Contains(sdk.Schema, d => d.Id == "GVNIC005" && d.GetMessage().Contains("'buf_size_word' (bytes 14..15) overlaps 'compl_tag' (bytes 13..14)"));
        Assert.Contains(sdk.Schema, d => d.Id == "GVNIC010" && d.GetMessage().Contains("bytes 12..12 of 'tx_pkt_desc_dqo'"));
        Assert.True(sdk.CSharp.IsEmpty, "C# diagnostics besides the schema's: " + string.Join("\n", sdk.CSharp.Take(10).Select(Describe)));

        // The broken struct is still there with every member, at the offsets the schema gives.
        var pkt = sdk.Output.GetTypeByMetadataName("Gvnic.Wire.TxPktDescDqo")!;
        Assert.NotNull(pkt.GetMembers("ComplTag").SingleOrDefault());
        Assert.NotNull(pkt.GetMembers("BufSize").SingleOrDefault());
        Assert.Contains("public const int ComplTag = 13;", sdk.Output.SyntaxTrees.Single(t => t.FilePath.EndsWith("gvnic.TxPktDescDqo.g.cs")).ToString());
    }

    /// <summary>Other kinds of schema mistakes, each somewhere the SDK's code depends on.</summary>
    public static TheoryData<string, string, string, string> Mistakes() => new()
    {
        { "unknown field type", "{ name: mtu, at: 16, type: u16,", "{ name: mtu, at: 16, type: u61,", "GVNIC002" },
        { "duplicate field", "{ name: reserved2, at: 34, type: u8, count: 6,", "{ name: reserved1, at: 34, type: u8, count: 6,", "GVNIC003" },
        { "duplicate enum member name", "{ name: query_stats, value: 2,", "{ name: query_ids, value: 2,", "GVNIC003" },
        { "field past the end", "{ name: hash_lut_size, at: 6, type: u16,", "{ name: hash_lut_size, at: 7, type: u16,", "GVNIC004" },
        { "bit range past its container", "{ name: buf_size, at: 0, width: 14,", "{ name: buf_size, at: 0, width: 18,", "GVNIC006" },
        { "enum value too large", "{ name: extended_command, value: 0xff,", "{ name: extended_command, value: 0x1ffffffff,", "GVNIC007" },
        { "constant too large", "{ name: page_size, type: u32, value: 4096,", "{ name: page_size, type: u8, value: 4096,", "GVNIC007" },
        { "missing byte order", "  - name: device_descriptor\n    size: 40\n    order: big\n", "  - name: device_descriptor\n    size: 40\n", "GVNIC008" },
        { "missing size", "  - name: device_option\n    size: 8\n", "  - name: device_option\n", "GVNIC012" },
        { "bad selector", "select: opcode", "select: opcodes", "GVNIC014" },
        { "struct contains itself", "{ name: cmd_dtype, at: 8, type: tx_context_cmd_dtype,", "{ name: cmd_dtype, at: 8, type: tx_tso_context_desc_dqo,", "GVNIC016" },
        { "register type of another width", "{ name: adminq_length, offset: 0x28, width: 16, access: write,", "{ name: adminq_length, offset: 0x28, width: 16, access: write, type: device_status_flags,", "GVNIC017" },
        { "option id not in the enum", "{ id: nic_timestamp, payload:", "{ id: nic_timestamps, payload:", "GVNIC018" },
        { "yaml value of the wrong form", "  - name: rx_desc_dqo\n    size: 32\n", "  - name: rx_desc_dqo\n    size: [32]\n", "GVNIC012" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void EveryMistakeGivesOnlyTheSchemasErrors(string what, string find, string replace, string id)
    {
        var sdk = SdkCompilation.Build(Break(find, replace));
        Assert.True(sdk.Schema.Any(d => d.Id == id && d.Severity == DiagnosticSeverity.Error), what + ": expected " + id + ", got: " + string.Join("; ", sdk.Schema.Select(Describe)));
        Assert.True(sdk.CSharp.IsEmpty, what + ": C# diagnostics besides the schema's: " + string.Join("\n", sdk.CSharp.Take(10).Select(Describe)));
    }
}
