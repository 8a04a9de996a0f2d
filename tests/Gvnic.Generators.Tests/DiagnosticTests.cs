using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>
/// One test per schema diagnostic: each broken schema produces exactly the expected compiler diagnostic,
/// located at the YAML line and column (the generator never crashes, and still emits what it can).
/// </summary>
public class DiagnosticTests
{
    private const string Header = "schema: t\nnamespace: T.Wire\ndoc: Test schema.\n";

    private static Diagnostic Single(string yaml, string id)
    {
        var run = GeneratorHarness.Run(yaml, "/schema/broken.yaml");
        var matching = run.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, "expected one " + id + ", got: " + string.Join("; ", run.GeneratorDiagnostics));
        Assert.Equal("/schema/broken.yaml", matching[0].Location.GetLineSpan().Path);
        return matching[0];
    }

    private static void AssertAt(Diagnostic d, int line, int column)
    {
        var start = d.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((line, column), (start.Line + 1, start.Character + 1));
    }

    [Fact]
    public void GVNIC001_YamlSyntax()
    {
        var d = Single(Header + "structs:\n  - name: a\n    size: [1, 2\n", "GVNIC001");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("YAML syntax", d.GetMessage());
        Assert.Equal(7, d.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void GVNIC001_EmptyFile()
    {
        var d = Single("", "GVNIC001");
        Assert.Contains("empty", d.GetMessage());
    }

    [Fact]
    public void GVNIC002_UnknownType()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                order: big
                doc: A.
                fields:
                  - { name: x, at: 0, type: u33, doc: X. }
            """, "GVNIC002");
        AssertAt(d, 10, 33);
        Assert.Contains("unknown type 'u33'", d.GetMessage());
    }

    [Fact]
    public void GVNIC003_DuplicateName()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                order: big
                doc: A.
                fields:
                  - { name: x, at: 0, type: u16, doc: X. }
                  - { name: x, at: 2, type: u16, doc: X again. }
            """, "GVNIC003");
        AssertAt(d, 11, 9);
        Assert.Contains("'x'", d.GetMessage());
        Assert.Contains("line 10", d.GetMessage());
    }

    [Fact]
    public void GVNIC003_DuplicateKey()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                size: 8
                order: big
                doc: A.
                fields:
                  - { name: x, at: 0, type: u32, doc: X. }
            """, "GVNIC003");
        AssertAt(d, 7, 5);
        Assert.Contains("key 'size' appears twice", d.GetMessage());
    }

    [Fact]
    public void GVNIC004_FieldBeyondStruct()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                order: big
                doc: A.
                fields:
                  - { name: x, at: 0, type: u32, doc: X. }
                  - { name: y, at: 4, type: u16, doc: Y. }
            """, "GVNIC004");
        AssertAt(d, 11, 9);
        Assert.Contains("bytes 4..5", d.GetMessage());
    }

    [Fact]
    public void GVNIC005_Overlap()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                order: big
                doc: A.
                fields:
                  - { name: x, at: 0, type: u32, doc: X. }
                  - { name: y, at: 2, type: u16, doc: Y. }
            """, "GVNIC005");
        AssertAt(d, 11, 9);
        Assert.Equal("field 'y' (bytes 2..3) overlaps 'x' (bytes 0..3) in 'a'; fields may share bytes only as members of one union", d.GetMessage());
    }

    [Fact]
    public void GVNIC005_OverlappingBits()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 1
                order: little
                doc: A.
                fields:
                  - name: flags
                    at: 0
                    type: u8
                    doc: Flags.
                    bits:
                      - { name: lo, at: 0, width: 4, doc: Low. }
                      - { name: mid, at: 3, width: 2, doc: Middle. }
                      - { name: hi, at: 5, width: 3, doc: High. }
            """, "GVNIC005");
        AssertAt(d, 16, 13);
        Assert.Contains("overlaps bit range 'lo'", d.GetMessage());
    }

    [Fact]
    public void GVNIC006_BitfieldBeyondContainer()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 2
                order: little
                doc: A.
                fields:
                  - name: word
                    at: 0
                    type: u16
                    doc: Word.
                    bits:
                      - { name: size, at: 4, width: 14, doc: Size. }
            """, "GVNIC006");
        AssertAt(d, 15, 13);
        Assert.Contains("16-bit container 'word'", d.GetMessage());
    }

    [Fact]
    public void GVNIC007_EnumValueTooLarge()
    {
        var d = Single(Header + """
            enums:
              - name: e
                type: u8
                doc: E.
                values:
                  - { name: big, value: 0x100, doc: Too big. }
            """, "GVNIC007");
        AssertAt(d, 9, 29);
        Assert.Contains("0x100 does not fit the enum's type u8", d.GetMessage());
    }

    [Fact]
    public void GVNIC007_EnumTooLargeForBits()
    {
        var d = Single(Header + """
            enums:
              - name: e
                type: u8
                doc: E.
                values:
                  - { name: twenty, value: 20, doc: Needs five bits. }
            structs:
              - name: a
                size: 1
                order: little
                doc: A.
                fields:
                  - name: flags
                    at: 0
                    type: u8
                    doc: Flags.
                    bits:
                      - { name: kind, at: 0, width: 4, type: e, doc: Kind. }
                      - { name: rest, at: 4, width: 4, reserved: zero, doc: Rest. }
            """, "GVNIC007");
        AssertAt(d, 21, 13);
        Assert.Contains("does not fit the 4-bit range 'kind'", d.GetMessage());
    }

    [Fact]
    public void GVNIC008_MissingByteOrder()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                doc: A.
                fields:
                  - { name: x, at: 0, type: u32, doc: X. }
            """, "GVNIC008");
        AssertAt(d, 5, 5);
        Assert.Contains("has no order:", d.GetMessage());
    }

    [Fact]
    public void GVNIC009_SizeMismatch()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 8
                order: big
                doc: A.
                fields:
                  - { name: x, at: 0, type: u32, doc: X. }
            """, "GVNIC009");
        AssertAt(d, 6, 11);
        Assert.Contains("declares size 8 but its fields end at byte 4", d.GetMessage());
    }

    [Fact]
    public void GVNIC010_UnmarkedGap()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 8
                order: big
                doc: A.
                fields:
                  - { name: x, at: 0, type: u16, doc: X. }
                  - { name: y, at: 4, type: u32, doc: Y. }
            """, "GVNIC010");
        AssertAt(d, 5, 5);
        Assert.Contains("bytes 2..3 of 'a' belong to no field", d.GetMessage());
    }

    [Fact]
    public void GVNIC011_UnionMemberTooLarge()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                order: big
                doc: A.
                fields:
                  - name: u
                    at: 0
                    size: 4
                    doc: U.
                    union:
                      - { name: small, type: u32, doc: Fits. }
                      - { name: large, type: u64, doc: Does not fit. }
            """, "GVNIC011");
        AssertAt(d, 16, 13);
        Assert.Equal("union member 'large' is 8 bytes but union 'u' of 'a' is 4", d.GetMessage());
    }

    [Fact]
    public void GVNIC012_InvalidValue()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: four
                order: big
                doc: A.
                fields:
                  - { name: x, at: 0, type: u32, doc: X. }
            """, "GVNIC012");
        AssertAt(d, 6, 11);
        Assert.Contains("not 'four'", d.GetMessage());
    }

    [Fact]
    public void GVNIC013_UnknownKeyIsAWarning()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                order: big
                doc: A.
                colour: blue
                fields:
                  - { name: x, at: 0, type: u32, doc: X. }
            """, "GVNIC013");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        AssertAt(d, 9, 5);
    }

    [Fact]
    public void GVNIC014_BadSelector()
    {
        var d = Single(Header + """
            enums:
              - name: op
                type: u8
                doc: Op.
                values:
                  - { name: one, value: 1, doc: One. }
            structs:
              - name: a
                size: 2
                order: big
                doc: A.
                fields:
                  - { name: op, at: 0, type: op, doc: Op. }
                  - name: body
                    at: 1
                    size: 1
                    select: op
                    doc: Body.
                    union:
                      - { name: x, type: u8, when: two, doc: X. }
            """, "GVNIC014");
        AssertAt(d, 23, 13);
        Assert.Contains("'two' of member 'x' is not a value of enum 'op'", d.GetMessage());
    }

    [Fact]
    public void GVNIC015_MissingDocIsAWarning()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                order: big
                doc: A.
                fields:
                  - { name: x, at: 0, type: u32 }
            """, "GVNIC015");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        AssertAt(d, 10, 9);
    }

    [Fact]
    public void GVNIC016_RecursiveStruct()
    {
        var d = Single(Header + """
            structs:
              - name: a
                size: 4
                order: big
                doc: A.
                fields:
                  - { name: inner, at: 0, type: a, doc: Itself. }
            """, "GVNIC016");
        Assert.Contains("contains itself", d.GetMessage());
    }

    [Fact]
    public void GVNIC017_RegisterTypeWidth()
    {
        var d = Single(Header + """
            enums:
              - name: small
                type: u8
                doc: Small.
                values:
                  - { name: one, value: 1, doc: One. }
            register_blocks:
              - name: bar0
                bar: 0
                order: big
                doc: Registers.
                registers:
                  - { name: status, offset: 0, width: 32, access: read, type: small, doc: Status. }
            """, "GVNIC017");
        AssertAt(d, 16, 9);
        Assert.Contains("32 bits wide but its type 'small' is 8", d.GetMessage());
    }

    [Theory]
    [InlineData("structs:\n  - name: wire_type\n    size: 1\n    order: big\n    doc: A.\n    fields:\n      - { name: x, at: 0, type: u8, doc: X. }\n",
        "struct 'wire_type' becomes the C# type WireType, which is already a type generated code uses")]
    [InlineData("enums:\n  - name: x\n    type: u8\n    doc: X.\n    values:\n      - { name: a, value: 1, doc: A. }\nstructs:\n  - name: x_info\n    size: 1\n    order: big\n    doc: A.\n    fields:\n      - { name: y, at: 0, type: u8, doc: Y. }\n",
        "struct 'x_info' becomes the C# type XInfo, which is already enum 'x'")]
    [InlineData("structs:\n  - name: t_catalog\n    size: 1\n    order: big\n    doc: A.\n    fields:\n      - { name: x, at: 0, type: u8, doc: X. }\n",
        "struct 't_catalog' becomes the C# type TCatalog, which is already the catalog of schema 't'")]
    public void GVNIC003_CSharpTypeNamesMeet(string yaml, string words)
    {
        var d = Single(Header + yaml, "GVNIC003");
        Assert.Contains(words, d.GetMessage());
    }

    [Fact]
    public void BrokenSchemaStillEmitsItsTypes()
    {
        // A struct without order: (GVNIC008) is still generated (big-endian), so code using it finds it; the schema's
        // error is the build's only one.
        var run = GeneratorHarness.Run(Header + "structs:\n  - name: a\n    size: 4\n    doc: No order.\n    fields:\n      - { name: x, at: 0, type: u32, doc: X. }\n");
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "GVNIC008");
        Assert.Null(run.Result.Results.Single().Exception);
        Assert.Contains(run.Result.Results.Single().GeneratedSources, s => s.HintName == "t.A.g.cs");
        Assert.NotNull(run.Output.GetTypeByMetadataName("T.Wire.A")?.GetMembers("X").SingleOrDefault());
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void GVNIC018_OptionListDoesNotResolve()
    {
        var d = Single(Header + """
            enums:
              - name: ids
                type: u8
                doc: Ids.
                values:
                  - { name: one, value: 1, doc: One. }
            structs:
              - name: head
                size: 2
                order: big
                doc: Header.
                fields:
                  - { name: id, at: 0, type: ids, doc: Id. }
                  - { name: len, at: 1, type: u8, doc: Length. }
            option_lists:
              - name: opts
                header: head
                id: id
                length: len
                doc: Options.
                options:
                  - { id: one, doc: One. }
                  - { id: two, doc: Not an id. }
            """, "GVNIC018");
        AssertAt(d, 26, 9);
        Assert.Contains("option 'two' of option list 'opts' is not a value of enum 'ids'", d.GetMessage());
    }

    private const string OptionSchema = """
        enums:
          - name: ids
            type: u8
            doc: Ids.
            values:
              - { name: one, value: 1, doc: One. }
              - { name: two, value: 2, doc: Two. }
              - { name: also_two, value: 2, doc: Two again. }
          - name: masks
            type: u16
            doc: Masks.
            values:
              - { name: one, value: 0x10, doc: Mask one. }
        structs:
          - name: head
            size: 4
            order: big
            doc: Header.
            fields:
              - { name: id, at: 0, type: ids, doc: Id. }
              - { name: len, at: 1, type: u8, doc: Length. }
              - { name: mask, at: 2, type: u16, doc: Mask. }
          - name: body
            size: 4
            order: big
            doc: Payload.
            fields:
              - { name: x, at: 0, type: u32, doc: X. }
        option_lists:
          - name: opts
            header: head
            id: id
            length: len
            doc: Options.
            options:
        """;

    /// <summary>Every way an option list can be wrong, each with its diagnostic and the words that say what.</summary>
    [Theory]
    [InlineData("  header: nothing", "GVNIC002", "header: 'nothing' of option list 'opts' is not a struct")]
    [InlineData("  id: len", "GVNIC018", "id: 'len' of option list 'opts' names no field of enum type in 'head'")]
    [InlineData("  length: mask2", "GVNIC018", "length: 'mask2' of option list 'opts' names no integer field in 'head'")]
    [InlineData("      - { id: two, doc: D. }\n      - { id: also_two, doc: D. }", "GVNIC003", "option 'also_two' of option list 'opts' has id 0x2, which option 'two' already has")]
    [InlineData("      - { id: one, payload: nobody, doc: D. }", "GVNIC002", "payload: 'nobody' of option 'one' of option list 'opts' is not a struct")]
    [InlineData("      - { id: one, payload: body, min_length: 5, doc: D. }", "GVNIC012", "min_length: 5 of option 'one' of option list 'opts' is more than its 4-byte payload 'body'")]
    [InlineData("      - { id: one, min_length: 0, doc: D. }", "GVNIC012", "has min_length: but no payload:")]
    [InlineData("      - { id: one, requires: { nothing: 0 }, doc: D. }", "GVNIC018", "names 'nothing', which is no integer or enum field of 'head' other than its id and length")]
    [InlineData("      - { id: one, requires: { len: 0 }, doc: D. }", "GVNIC018", "names 'len', which is no integer or enum field of 'head' other than its id and length")]
    [InlineData("      - { id: one, requires: { mask: masks.two }, doc: D. }", "GVNIC018", "'masks.two' of option 'one' of option list 'opts' is neither a number nor a value of an enum")]
    [InlineData("      - { id: one, requires: { mask: 0x10000 }, doc: D. }", "GVNIC007", "requires: mask = 0x10000 of option 'one' of option list 'opts' does not fit the field's type u16")]
    [InlineData("      - { id: one, requires: [mask], doc: D. }", "GVNIC012", "requires: of option 'opts.one' must be a mapping")]
    public void OptionListMistakes(string change, string id, string words)
    {
        string yaml = OptionSchema + "\n";
        if (change.StartsWith("  ", System.StringComparison.Ordinal) && !change.StartsWith("      ", System.StringComparison.Ordinal))
        {
            var key = change.Trim().Split(':')[0];
            yaml = string.Join("\n", yaml.Split('\n').Select(line => line.StartsWith("    " + key + ":", System.StringComparison.Ordinal) ? "  " + change : line));
            yaml += "      - { id: one, doc: D. }\n";
        }
        else
        {
            yaml += change + "\n";
        }
        var d = Single(Header + yaml, id);
        Assert.Contains(words, d.GetMessage());
    }

    [Theory]
    [InlineData("- just a list")]
    [InlineData("schema: [unterminated")]
    [InlineData("structs: 7")]
    [InlineData("structs:\n  - 5\n  - name: x")]
    [InlineData("schema: t\nnamespace: T\ndoc: d\nstructs:\n  - name: a\n    size: 99999999999999999999\n")]
    [InlineData("schema: t\nnamespace: T\ndoc: d\nenums:\n  - name: e\n    type: u8\n    values: {}\n")]
    [InlineData("schema: t\nnamespace: T\ndoc: d\nstructs:\n  - name: a\n    size: 2\n    order: big\n    doc: d\n    fields:\n      - name: u\n        at: 0\n        size: 2\n        select: nothing.here\n        union:\n          - { name: m, type: a, doc: d }\n")]
    [InlineData("a: &x [*x]")]
    public void MalformedSchemasNeverCrashTheGenerator(string yaml)
    {
        var run = GeneratorHarness.Run(yaml);
        Assert.Null(run.Result.Results.Single().Exception);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "GVNIC099");
        // What the generator still emits compiles: the schema's errors are the only ones.
        Assert.DoesNotContain(run.CompileDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
