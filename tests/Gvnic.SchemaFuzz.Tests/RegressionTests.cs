using System.Collections.Generic;
using System.Linq;
using System.Text;
using Gvnic.Schema;
using Xunit;

namespace Gvnic.SchemaFuzz.Tests;

/// <summary>
/// The smallest inputs behind each bug the schema fuzzer found (docs/reliability.md, "Schema fuzzing"), each checked for
/// the exact diagnostic and place it must give now.
/// </summary>
public sealed class RegressionTests
{
    private const string Header = "schema: t\nnamespace: T.Wire\ndoc: Test schema.\n";

    private static SchemaDiagnostic Only(string text, string id)
    {
        var violations = new List<string>();
        using var oracle = new FuzzOracle();
        var loaded = oracle.Load(text, violations);
        Assert.NotNull(loaded);
        Assert.Empty(violations);
        var matching = loaded!.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, "expected one " + id + ", got: " + string.Join("; ", loaded.Diagnostics.Select(d => d.Format("t.yaml"))));
        return matching[0];
    }

    [Fact]
    public void DeepNestingIsASyntaxErrorNotAStackOverflow()
    {
        // Was: YamlTree read nested collections recursively and 100,000 '[' overflowed the stack, killing the
        // compiler (no handler can catch that).
        var text = "x: " + new string('[', 100_000);
        var d = Only(text, DiagnosticIds.YamlSyntax);
        Assert.Contains("nesting deeper than 64 levels", d.Message);
        // The root mapping is level 1, so the 64th '[' (level 65) is the one refused.
        Assert.Equal((1, 3 + 64, 2 + 64), (d.At.Line, d.At.Column, d.At.Index));
    }

    [Fact]
    public void YamlDotNetInvalidOperationIsASyntaxErrorNotAnInternalError()
    {
        // Was: YamlDotNet's scanner throws InvalidOperationException on a plain scalar at column 0 inside a
        // flow mapping of a block sequence; the loader reported GVNIC099 (an internal error) at 1,1.
        var d = Only("- {\nm", DiagnosticIds.YamlSyntax);
        Assert.Contains("the YAML reader cannot go on from here", d.Message);
        Assert.Equal(2, d.At.Line);
    }

    [Fact]
    public void ErrorAtTheEndOfAFileWithoutNewlineIsOnItsLastLine()
    {
        // Was: YamlDotNet marks the end of input one line past the last one, so the diagnostic named line 2 of a
        // one-line file (and the compiler's location was outside the file).
        var d = Only("x: { a: 1", DiagnosticIds.YamlSyntax);
        Assert.Equal((1, 10, 9), (d.At.Line, d.At.Column, d.At.Index));
    }

    [Fact]
    public void LineAndColumnFollowTheIndexWithCrLfAndUnicodeLineBreaks()
    {
        // Line and column are counted from the character index the way Roslyn counts them (\r\n, \r, \n, U+0085,
        // U+2028, U+2029 end a line), so the compiler's location and schema-lint's agree.
        var text = "schema: t\r\nnamespace: T\rdoc: d\u2028structs: 3\n";
        var d = Only(text, DiagnosticIds.InvalidValue);
        Assert.Equal("structs: must be a list (each entry starts with '- ')", d.Message);
        Assert.Equal((4, 10, text.IndexOf('3')), (d.At.Line, d.At.Column, d.At.Index));
    }

    [Fact]
    public void AliasInsideTheNodeItNamesIsRefused()
    {
        // Was: an alias inside its own anchor made a cyclic tree; as a union member that names itself the
        // parser recursed for ever (stack overflow).
        var text = Header + "structs:\n  - name: a\n    size: 1\n    order: big\n    doc: A.\n    fields:\n      - &u { name: u, at: 0, size: 1, doc: U., union: [*u] }\n";
        var d = Only(text, DiagnosticIds.YamlSyntax);
        Assert.Contains("alias *u is inside the node it names", d.Message);
        Assert.Equal((10, 56), (d.At.Line, d.At.Column));
    }

    [Fact]
    public void AliasBombIsRefusedBeforeTheChecksRun()
    {
        // Ten levels of ten aliases stand for 10^10 nodes: refused once the expanded count passes the limit.
        var sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 10; i++)
        {
            sb.Append('a').Append(i).Append(": &a").Append(i).Append(" [");
            sb.Append(string.Join(", ", Enumerable.Repeat("*a" + (i - 1), 10)));
            sb.Append("]\n");
        }
        var d = Only(sb.ToString(), DiagnosticIds.YamlSyntax);
        Assert.Contains("more than 250000 YAML nodes once its aliases are expanded", d.Message);
        Assert.Equal(6, d.At.Line);
    }

    [Fact]
    public void NonScalarKeyIsLocatedAtTheKey()
    {
        // Was: reported at 1,1 (Mark.Empty) whatever the key's place.
        var d = Only("a: 1\n? [b]\n: 2\n", DiagnosticIds.YamlSyntax);
        Assert.Equal("YAML syntax: a mapping key must be a name, not a list or a mapping", d.Message);
        Assert.Equal((2, 3), (d.At.Line, d.At.Column));
    }

    [Fact]
    public void MessagesQuotingSchemaTextStayOneLine()
    {
        // Was: a quoted type name with a line break went into the message as is, splitting FILE(LINE,COL): lines.
        var text = Header + "structs:\n  - name: a\n    size: 1\n    order: big\n    doc: A.\n    fields:\n      - { name: x, at: 0, type: \"u\\n8\", doc: X. }\n";
        var d = Only(text, DiagnosticIds.UnknownType);
        Assert.Equal("unknown type 'u\\n8' for field 'x' of 'a'; expected u8, u16, u32, u64, or an enum or struct of the schema", d.Message);
    }

    private const string SharedValueSchema = Header + """
        enums:
          - name: op
            type: u8
            doc: Op.
            values:
              - { name: one, value: 1, doc: One. }
              - { name: uno, value: 1, doc: One again. }
              - { name: two, value: 2, doc: Two. }
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

        """;

    [Fact]
    public void TwoMembersSelectedByOneValueIsABadSelector()
    {
        // Was: accepted, and the generated switch had two 'case' labels of value 1 (CS0152).
        var d = Only(SharedValueSchema + "          - { name: x, type: u8, when: one, doc: X. }\n          - { name: y, type: u8, when: uno, doc: Y. }\n", DiagnosticIds.BadSelector);
        Assert.Equal("when: 'uno' (op value 0x1, as 'one') selects both 'x' and 'y'", d.Message);
        Assert.Equal(26, d.At.Line);
    }

    [Fact]
    public void OneMemberSelectedByTwoNamesOfOneValueCompiles()
    {
        // Was: the generated switch had 'case Op.One:' and 'case Op.Uno:', the same value twice (CS0152).
        var text = SharedValueSchema + "          - { name: x, type: u8, when: [one, uno], doc: X. }\n          - { name: y, type: u8, when: two, doc: Y. }\n";
        using var oracle = new FuzzOracle();
        var violations = new List<string>();
        var sources = oracle.Generate(Encoding.UTF8.GetBytes(text), violations);
        Assert.Empty(violations);
        var a = sources.Single(s => s.HintName == "t.A.g.cs").SourceText.ToString();
        Assert.Contains("case Op.One:", a);
        Assert.DoesNotContain("case Op.Uno:", a);
        FuzzOracle.CompileGenerated(sources, violations);
        Assert.Empty(violations);
    }

    [Fact]
    public void NameThatIsNoIdentifierIsAnInvalidValueNotAGeneratorCrash()
    {
        // Found by the soak (seed 101, bytes:311): a bit flip made a struct name irq_d" and the generator threw
        // ArgumentException on the hint name 'gvnic.IrqD".g.cs' (the compiler only warns that a generator failed).
        var text = Header + "structs:\n  - name: irq_d\"\n    size: 1\n    order: big\n    doc: A.\n    fields:\n      - { name: x, at: 0, type: u8, doc: X. }\n";
        var d = Only(text, DiagnosticIds.InvalidValue);
        Assert.Equal("a struct: name: 'irq_d\"' is not a valid name; use letters, digits and '_' (e.g. tx_queue_id)", d.Message);
        Assert.Equal((5, 11), (d.At.Line, d.At.Column));
        // The schema has an error, so what it still generates leaves the struct out (its name cannot name a type or file)
        // and compiles.
        using var oracle = new FuzzOracle();
        var violations = new List<string>();
        var sources = oracle.Generate(Encoding.UTF8.GetBytes(text), violations);
        Assert.Empty(violations);
        Assert.DoesNotContain(sources, s => s.HintName.Contains('"') || s.HintName.StartsWith("t.IrqD", System.StringComparison.Ordinal));
        FuzzOracle.CompileGenerated(sources, violations, schemaHasErrors: true);
        Assert.Empty(violations);
    }

    [Fact]
    public void NamespaceThatIsNoCSharpNamespaceIsAnInvalidValue()
    {
        var d = Only("schema: t\nnamespace: class.Wire\ndoc: D.\n", DiagnosticIds.InvalidValue);
        Assert.Equal("namespace: 'class.Wire' is not a C# namespace; write identifiers separated by '.', e.g. Gvnic.Wire", d.Message);
        Assert.Equal((2, 12), (d.At.Line, d.At.Column));
    }

    [Fact]
    public void DocsWithLineBreaksControlCharactersAndMarkupCompileWarningFree()
    {
        // Docs go into /// comments and string literals: CR, U+0085, U+2028 and U+2029 end a C# line, control
        // characters are not XML, and markup must stay text.
        const string hostile = "\"a\\rb\\Nc\\Ld\\Pe\\0f\\x01g */ </summary> & \\\" \\\\ h\"";
        var text = Header + "enums:\n  - name: op\n    type: u8\n    doc: " + hostile + "\n    values:\n      - { name: one, value: 1, doc: " + hostile + " }\n"
            + "structs:\n  - name: a\n    size: 1\n    order: big\n    doc: " + hostile + "\n    fields:\n      - { name: x, at: 0, type: op, doc: " + hostile + " }\n";
        using var oracle = new FuzzOracle();
        var violations = new List<string>();
        var sources = oracle.Generate(Encoding.UTF8.GetBytes(text), violations);
        Assert.Empty(violations);
        Assert.NotEmpty(sources);
        FuzzOracle.CompileGenerated(sources, violations);
        Assert.Empty(violations);
    }

    [Fact]
    public void HugeUnionSizeIsReportedNotAnOutOfMemoryCrash()
    {
        // Found by the soak (seed 208, tree:2839): a union size of 2147483647 made the gap check allocate a
        // byte map of that size; OutOfMemoryException became GVNIC099.
        var text = Header + "structs:\n  - name: a\n    size: 4\n    order: big\n    doc: A.\n    fields:\n      - name: u\n        at: 2\n        size: 2147483647\n        doc: U.\n        union:\n          - { name: m, type: u8, doc: M. }\n";
        var d = Only(text, DiagnosticIds.FieldBeyondStruct);
        Assert.Equal(10, d.At.Line);
        var gap = Only(text, DiagnosticIds.UnmarkedGap);
        Assert.Equal("bytes 0..1 of 'a' belong to no field; mark them with a reserved field (reserved: zero or ignore)", gap.Message);
    }
}
