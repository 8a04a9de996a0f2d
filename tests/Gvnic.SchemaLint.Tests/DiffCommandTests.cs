using System.Diagnostics;
using Xunit;

namespace Gvnic.SchemaLint.Tests;

public sealed class DiffCommandTests
{
    /// <summary>Diffs <see cref="Schemas.Base"/> against <paramref name="newSchema"/>; returns the result.</summary>
    private static Workspace.Result Diff(string newSchema, params string[] extra)
    {
        using var ws = new Workspace();
        ws.Write("old.yaml", Schemas.Base);
        ws.Write("new.yaml", newSchema);
        var args = new System.Collections.Generic.List<string> { "diff", "old.yaml", "new.yaml" };
        args.AddRange(extra);
        return ws.Run(args.ToArray());
    }

    private static void AssertBreaking(Workspace.Result result, params string[] lines)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(lines, result.Lines[..^1]);
        Assert.Contains("breaking changes from old.yaml to new.yaml; pass --allow-breaking if they are intended", result.Stderr);
    }

    private static void AssertCompatible(Workspace.Result result, params string[] lines)
    {
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(lines, result.Lines[..^1]);
        Assert.Equal("0 breaking, " + lines.Length + " compatible", result.Lines[^1]);
    }

    private static Workspace.Result DiffOptions(string newSchema)
    {
        using var ws = new Workspace();
        ws.Write("old.yaml", Schemas.WithOptionList);
        ws.Write("new.yaml", newSchema);
        return ws.Run("diff", "old.yaml", "new.yaml");
    }

    [Fact]
    public void OptionListChangesThatBreakDecodersOrEncodersAreBreaking() => AssertBreaking(
        DiffOptions(Schemas.WithOptionList.Replace("{ id: read, payload: extra, requires: { tag: 7 }, doc: Read. }", "{ id: read, payload: extra, requires: { tag: 8 }, doc: Read. }")),
        "breaking: option list ops: option read requires tag = 8 instead of 7");

    [Fact]
    public void RemovedOptionAndListAreBreaking()
    {
        AssertBreaking(DiffOptions(Schemas.WithOptionList.Replace("      - { id: read, payload: extra, requires: { tag: 7 }, doc: Read. }", "      - { id: write, doc: Write. }")),
            "breaking: option list ops: option read removed",
            "compatible: option list ops: new option write");
        AssertBreaking(DiffOptions(Schemas.Base), "breaking: option list ops: removed");
    }

    [Fact]
    public void NewOptionListAndShorterMinimumAreCompatible()
    {
        AssertCompatible(Diff(Schemas.WithOptionList), "compatible: option list ops: new option list (1 options)");
        AssertCompatible(DiffOptions(Schemas.WithOptionList.Replace("payload: extra,", "payload: extra, min_length: 2,")),
            "compatible: option list ops: option read minimum length changed from 4 to 2");
    }

    [Fact]
    public void IdenticalSchemasHaveNoChanges()
    {
        var result = Diff(Schemas.Base);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new[] { "0 breaking, 0 compatible" }, result.Lines);
    }

    [Fact]
    public void MovedFieldIsBreaking() => AssertBreaking(
        Diff(Schemas.With("{ name: tag, at: 4,", "{ name: tag, at: 6,").Replace("{ name: reserved, at: 6,", "{ name: reserved, at: 4,")),
        "breaking: struct desc: field tag moved from offset 4 to 6",
        "compatible: struct desc: reserved field reserved changed from bytes 6..7 to 4..5");

    [Fact]
    public void ResizedFieldIsBreaking() => AssertBreaking(
        Diff(Schemas.With("      - { name: tag, at: 4, type: u16, doc: Tag. }\n      - { name: reserved, at: 6, type: u16, reserved: zero, doc: Reserved. }\n",
                          "      - { name: tag, at: 4, type: u32, doc: Tag. }\n")),
        "breaking: struct desc: field tag size changed from 2 to 4 bytes",
        "breaking: struct desc: field tag type changed from u16 to u32",
        "compatible: struct desc: reserved field reserved removed (bytes 6..7)");

    [Fact]
    public void ByteOrderChangeIsBreaking() => AssertBreaking(
        Diff(Schemas.With("{ name: len, at: 2, type: u16, doc: Length. }", "{ name: len, at: 2, type: u16, order: little, doc: Length. }")),
        "breaking: struct desc: field len byte order changed from big to little");

    [Fact]
    public void StructByteOrderChangeIsBreaking() => AssertBreaking(
        Diff(Schemas.With("    size: 4\n    order: little\n", "    size: 4\n    order: big\n")),
        "breaking: struct extra: byte order changed from little to big",
        "breaking: struct extra: field value byte order changed from little to big");

    [Fact]
    public void BitRangeChangeIsBreaking() => AssertBreaking(
        Diff(Schemas.With("{ name: kind, at: 1, width: 3,", "{ name: kind, at: 2, width: 3,")),
        "breaking: struct desc: bit range kind moved from bits 1..3 to bits 2..4");

    [Fact]
    public void BitRangeWidthChangeIsBreaking() => AssertBreaking(
        Diff(Schemas.With("{ name: kind, at: 1, width: 3,", "{ name: kind, at: 1, width: 4,")),
        "breaking: struct desc: bit range kind changed from bits 1..3 to bits 1..4");

    [Fact]
    public void OpcodeChangeIsBreaking() => AssertBreaking(
        Diff(Schemas.With("{ name: write, value: 2,", "{ name: write, value: 3,")),
        "breaking: enum ops_opcodes: opcode write changed from 0x2 to 0x3");

    [Fact]
    public void RemovedFieldIsBreaking() => AssertBreaking(
        Diff(Schemas.With("{ name: tag, at: 4, type: u16, doc: Tag. }", "{ name: reserved_tag, at: 4, type: u16, reserved: zero, doc: Was tag. }")),
        "breaking: struct desc: field tag removed",
        "compatible: struct desc: new reserved field reserved_tag at offset 4");

    [Fact]
    public void RemovedTypesAreBreaking() => AssertBreaking(
        Diff(Schemas.With("""
  - name: extra
    size: 4
    order: little
    doc: A little-endian word.
    fields:
      - { name: value, at: 0, type: u32, doc: Value. }

""", "")),
        "breaking: struct extra: removed");

    [Fact]
    public void RemovedEnumValueIsBreaking() => AssertBreaking(
        Diff(Schemas.With("      - { name: write, value: 2, doc: Write. }\n", "")),
        "breaking: enum ops_opcodes: opcode write (0x2) removed");

    [Fact]
    public void ChangedRegisterIsBreaking() => AssertBreaking(
        Diff(Schemas.With("{ name: doorbell, offset: 0x4,", "{ name: doorbell, offset: 0x8,")),
        "breaking: register block bar0: register doorbell moved from offset 0x4 to 0x8");

    [Fact]
    public void ChangedConstantIsBreaking() => AssertBreaking(
        Diff(Schemas.With("value: 256,", "value: 512,")),
        "breaking: constant ring_size: value changed from 0x100 to 0x200");

    [Fact]
    public void FieldBecomingReservedIsBreaking() => AssertBreaking(
        Diff(Schemas.With("{ name: tag, at: 4, type: u16, doc: Tag. }", "{ name: tag, at: 4, type: u16, reserved: ignore, doc: Tag. }")),
        "breaking: struct desc: field tag is now reserved");

    [Fact]
    public void NewTypesAreCompatible() => AssertCompatible(
        Diff(Schemas.With("register_blocks:", """
  - name: more
    size: 2
    order: big
    doc: New.
    fields:
      - { name: x, at: 0, type: u16, doc: X. }
register_blocks:
""").Replace("structs:", """
  - name: colours
    type: u8
    doc: New enum.
    values:
      - { name: red, value: 1, doc: Red. }
structs:
""")),
        "compatible: enum colours: new enum (u8)",
        "compatible: struct more: new struct (2 bytes)");

    [Fact]
    public void NewFieldInReservedSpaceIsCompatible() => AssertCompatible(
        Diff(Schemas.With("      - { name: reserved, at: 6, type: u16, reserved: zero, doc: Reserved. }",
                          "      - { name: prio, at: 6, type: u8, doc: Priority. }\n      - { name: reserved, at: 7, type: u8, reserved: zero, doc: Reserved. }")),
        "compatible: struct desc: reserved field reserved changed from bytes 6..7 to 7",
        "compatible: struct desc: new field prio at offset 6 in reserved space (was reserved)");

    [Fact]
    public void NewFieldOverAnOldFieldIsBreaking() => AssertBreaking(
        Diff(Schemas.With("{ name: tag, at: 4, type: u16, doc: Tag. }", "{ name: label, at: 4, type: u16, doc: Label. }")),
        "breaking: struct desc: field tag removed",
        "breaking: struct desc: new field label at offset 4 takes bytes of old field tag");

    [Fact]
    public void NewEnumValueIsCompatible() => AssertCompatible(
        Diff(Schemas.With("      - { name: write, value: 2, doc: Write. }\n", "      - { name: write, value: 2, doc: Write. }\n      - { name: erase, value: 3, doc: Erase. }\n")),
        "compatible: enum ops_opcodes: new opcode erase = 0x3");

    [Fact]
    public void NewBitRangeInReservedBitsIsCompatible() => AssertCompatible(
        Diff(Schemas.With("          - { name: kind, at: 1, width: 3, doc: Kind. }\n", "          - { name: kind, at: 1, width: 3, doc: Kind. }\n          - { name: urgent, at: 7, width: 1, type: bool, doc: Urgent. }\n")),
        "compatible: struct desc: new bit range urgent at bit 7 of field flags (reserved bits)");

    [Fact]
    public void NewRegisterAndConstantAreCompatible() => AssertCompatible(
        Diff(Schemas.With("      - { name: doorbell, offset: 0x4, width: 32, access: write, doc: Doorbell. }",
                          "      - { name: doorbell, offset: 0x4, width: 32, access: write, doc: Doorbell. }\n      - { name: irq, offset: 0x8, width: 32, access: write, doc: IRQ. }")
            .Replace("constants:\n", "constants:\n  - { name: mtu, type: u16, value: 1500, doc: MTU. }\n")),
        "compatible: constant mtu: new constant = 0x5dc",
        "compatible: register block bar0: new register irq at offset 0x8");

    [Fact]
    public void DocChangesAreNotChanges()
    {
        var result = Diff(Schemas.With("doc: Tag. }", "doc: The tag, reworded. }"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new[] { "0 breaking, 0 compatible" }, result.Lines);
    }

    [Fact]
    public void AllowBreakingExitsZeroButStillReports()
    {
        var result = Diff(Schemas.With("{ name: write, value: 2,", "{ name: write, value: 3,"), "--allow-breaking");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new[] { "breaking: enum ops_opcodes: opcode write changed from 0x2 to 0x3", "1 breaking, 0 compatible" }, result.Lines);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void ReadsRevisionsThroughGit()
    {
        using var ws = new Workspace();
        ws.Write("schema.yaml", Schemas.Base);
        Git(ws, "init", "-q");
        Git(ws, "add", "schema.yaml");
        Git(ws, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base");
        ws.Write("schema.yaml", Schemas.With("{ name: tag, at: 4,", "{ name: tag, at: 6,").Replace("{ name: reserved, at: 6,", "{ name: reserved, at: 4,"));
        var result = ws.Run("diff", "HEAD:schema.yaml", "schema.yaml");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("breaking: struct desc: field tag moved from offset 4 to 6", result.Lines[0]);
        var same = ws.Run("diff", "HEAD:schema.yaml", "HEAD:schema.yaml");
        Assert.Equal(new[] { "0 breaking, 0 compatible" }, same.Lines);
    }

    private static void Git(Workspace ws, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = ws.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
