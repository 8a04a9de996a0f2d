using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Gvnic.Generators.Tests;

/// <summary>
/// One test per schema diagnostic: each broken schema produces exactly the expected compiler diagnostic,
/// located at the YAML line and column, and no generated code (the generator never crashes).
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

    [Fact]
    public void BrokenSchemaEmitsNoCode()
    {
        var run = GeneratorHarness.Run(Header + "structs:\n  - name: a\n    size: 4\n    doc: No order.\n    fields:\n      - { name: x, at: 0, type: u32, doc: X. }\n");
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "GVNIC008");
        Assert.Empty(run.Result.Results.Single().GeneratedSources);
        Assert.Null(run.Result.Results.Single().Exception);
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
    }
}
