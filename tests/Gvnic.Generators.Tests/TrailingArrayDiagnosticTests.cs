using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>
/// The diagnostics of trailing arrays (<c>counted_by:</c>) and <c>max_size:</c> (GVNIC019, GVNIC020, GVNIC021, and the
/// older ids they share), each located at the YAML line and column that is wrong; a schema with any of these mistakes
/// still generates code that compiles, so the schema's diagnostic is the build's only error.
/// </summary>
public class TrailingArrayDiagnosticTests
{
    private const string Schema = """
        schema: t
        namespace: T.Wire
        doc: Test schema.
        constants:
          - { name: buf_size, type: u32, value: 64, doc: Buffer bytes. }
        enums:
          - name: kinds
            type: u16
            doc: Kinds.
            values:
              - { name: one, value: 1, doc: One. }
        structs:
          - name: item
            size: 4
            order: little
            doc: Item.
            fields:
              - { name: v, at: 0, type: u32, doc: V. }
          - name: msg
            size: 4
            max_size: buf_size
            order: little
            doc: Message.
            fields:
              - { name: n, at: 0, type: u16, doc: N. }
              - { name: kind, at: 2, type: kinds, doc: K. }
              - { name: items, at: 4, type: item, counted_by: n, doc: Items. }

        """;

    private static GeneratorRun Run(string yaml) => GeneratorHarness.Run(yaml, "/schema/broken.yaml");

    /// <summary>The 1-based line and column of the first <paramref name="needle"/> in <paramref name="yaml"/> (after <paramref name="after"/>).</summary>
    private static (int Line, int Column) Where(string yaml, string needle, string after = "")
    {
        int index = yaml.IndexOf(needle, after.Length == 0 ? 0 : yaml.IndexOf(after, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(index >= 0, "no '" + needle + "' in the schema");
        int line = 1 + yaml.Take(index).Count(c => c == '\n');
        int column = index - yaml.LastIndexOf('\n', index - 1);
        return (line, column);
    }

    private static Diagnostic Single(GeneratorRun run, string id)
    {
        var matching = run.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, "expected one " + id + ", got: " + string.Join("; ", run.GeneratorDiagnostics));
        Assert.Equal(DiagnosticSeverity.Error, matching[0].Severity);
        Assert.Equal("/schema/broken.yaml", matching[0].Location.GetLineSpan().Path);
        // The rest of the schema still generates, and what it generates compiles.
        Assert.DoesNotContain(run.CompileDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        return matching[0];
    }

    private static void AssertAt(Diagnostic d, (int Line, int Column) at)
    {
        var start = d.Location.GetLineSpan().StartLinePosition;
        Assert.Equal(at, (start.Line + 1, start.Character + 1));
    }

    [Fact]
    public void TheBaseSchemaIsClean()
    {
        var run = Run(Schema);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        Assert.Contains("public const int MaxSize = 64;", run.Source("t.Msg.g.cs"));
        Assert.Contains("public const int ItemsMaxCount = 15;", run.Source("t.Msg.g.cs"));
    }

    /// <summary>
    /// A field named like a member of whole messages keeps its name where the struct has no such member, and takes
    /// <c>Field</c> where it has (<c>MaxSize</c> with max_size:, <c>MessageSize</c> and <c>ValidateMessage</c> with a trailing array).
    /// </summary>
    [Fact]
    public void MessageMemberNamesRenameOnlyWhereTheStructHasThem()
    {
        var yaml = Schema + """
              - name: plain
                size: 4
                order: little
                doc: No message members.
                fields:
                  - { name: max_size, at: 0, type: u16, doc: M. }
                  - { name: message_size, at: 2, type: u16, doc: S. }
              - name: bounded
                size: 4
                max_size: 8
                order: little
                doc: A bound, no trailing array.
                fields:
                  - { name: max_size, at: 0, type: u16, doc: M. }
                  - { name: message_size, at: 2, type: u16, doc: S. }

            """;
        var run = Run(yaml);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var plain = run.Source("t.Plain.g.cs");
        Assert.Contains("public ushort MaxSize", plain);
        Assert.Contains("public ushort MessageSize", plain);
        var bounded = run.Source("t.Bounded.g.cs");
        Assert.Contains("public const int MaxSize = 8;", bounded);
        Assert.Contains("public ushort MaxSizeField", bounded);
        Assert.Contains("public ushort MessageSize", bounded);
    }

    [Theory]
    [InlineData("counted_by: n", "counted_by: nobody", "counted_by: 'nobody' of trailing array 'items' of 'msg' names no integer field of 'msg'")]
    [InlineData("counted_by: n", "counted_by: kind", "counted_by: 'kind' of trailing array 'items' of 'msg' names no integer field")]
    [InlineData("counted_by: n", "counted_by: items", "counted_by: 'items' of trailing array 'items' of 'msg' names no integer field")]
    public void GVNIC019_CountedByNamesNoIntegerField(string from, string to, string words)
    {
        var yaml = Schema.Replace(from, to);
        var d = Single(Run(yaml), "GVNIC019");
        Assert.Contains(words, d.GetMessage());
        var at = Where(yaml, to);
        AssertAt(d, (at.Line, at.Column + "counted_by: ".Length));
    }

    [Theory]
    [InlineData("at: 4, type: item, counted_by", "at: 6, type: item, counted_by", "is at byte 6, but a trailing array starts where the fixed part ends, at the struct's size (4); write at: 4")]
    [InlineData("type: item, counted_by: n,", "type: item, count: 2, counted_by: n,", "has both count: and counted_by:")]
    [InlineData("type: item, counted_by: n,", "type: item, counted_by: n, reserved: zero,", "trailing array 'items' of 'msg' is reserved:")]
    public void GVNIC020_TrailingArrayMisplaced(string from, string to, string words)
    {
        var yaml = Schema.Replace(from, to);
        var d = Single(Run(yaml), "GVNIC020");
        Assert.Contains(words, d.GetMessage());
        AssertAt(d, Where(yaml, "{ name: items"));
    }

    [Fact]
    public void GVNIC020_SecondTrailingArray()
    {
        var yaml = Schema + "      - { name: more, at: 4, type: u8, counted_by: n, doc: More. }\n";
        var d = Single(Run(yaml), "GVNIC020");
        Assert.Contains("trailing array 'more' of 'msg' follows trailing array 'items'", d.GetMessage());
        AssertAt(d, Where(yaml, "{ name: more"));
    }

    [Theory]
    [InlineData("      - { name: inner, at: 4, type: msg, doc: Nested. }", "field 'inner' of 'outer' has type 'msg'")]
    [InlineData("      - { name: inner, at: 4, type: msg, count: 2, doc: Nested. }", "field 'inner' of 'outer' has type 'msg'")]
    [InlineData("      - { name: inner, at: 4, type: msg, counted_by: n, doc: Nested. }", "trailing array 'inner' of 'outer' has type 'msg'")]
    public void GVNIC020_AMessageIsNotPartOfAnotherLayout(string field, string words)
    {
        var yaml = Schema + """
              - name: outer
                size: 4
                order: little
                doc: Outer.
                fields:
                  - { name: n, at: 0, type: u32, doc: N. }

            """ + field + "\n";
        if (field.Contains("count: 2")) yaml = yaml.Replace("    size: 4\n    order: little\n    doc: Outer.", "    size: 12\n    order: little\n    doc: Outer.");
        else if (!field.Contains("counted_by")) yaml = yaml.Replace("    size: 4\n    order: little\n    doc: Outer.", "    size: 8\n    order: little\n    doc: Outer.");
        var d = Single(Run(yaml), "GVNIC020");
        Assert.Contains(words, d.GetMessage());
        Assert.Contains("whose trailing array 'items' makes it a whole message", d.GetMessage());
        var at = Where(yaml, "type: msg", "name: outer");
        AssertAt(d, (at.Line, at.Column + "type: ".Length));
    }

    [Theory]
    [InlineData("max_size: 'buf_size' of 'msg' is 2 bytes, less than the struct's fixed part (size 4)", "value: 64", "value: 2")]
    [InlineData("max_size: '7' of 'msg' is 7 bytes: after the 4-byte fixed part it leaves no room for one 4-byte element of trailing array 'items'", "max_size: buf_size", "max_size: 7")]
    [InlineData("max_size: 'nothing' of 'msg' is neither a number nor a constant of the schema", "max_size: buf_size", "max_size: nothing")]
    public void GVNIC021_MaxSize(string words, string from, string to)
    {
        var yaml = Schema.Replace(from, to);
        var d = Single(Run(yaml), "GVNIC021");
        Assert.Contains(words, d.GetMessage());
        var at = Where(yaml, "max_size: ");
        AssertAt(d, (at.Line, at.Column + "max_size: ".Length));
    }

    [Fact]
    public void CountedByOnAUnionMemberIsAnUnknownKey()
    {
        var yaml = Schema + """
              - name: u
                size: 4
                order: little
                doc: U.
                fields:
                  - name: body
                    at: 0
                    size: 4
                    doc: Body.
                    union:
                      - { name: a, type: u32, counted_by: a, doc: A. }

            """;
        var run = Run(yaml);
        var d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == "GVNIC013");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("unknown key 'counted_by' in a union member", d.GetMessage());
    }
}
