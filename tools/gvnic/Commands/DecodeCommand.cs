using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using Gvnic.Cli.Schema;
using Gvnic.Wire;
using Spectre.Console;

namespace Gvnic.Cli.Commands;

/// <summary>
/// <c>gvnic decode TYPE HEX|@FILE [--json]</c>: every field of a wire struct by its schema name, with enum names,
/// bit ranges under their container, the union member in force, and warnings from the generated Validate.
/// </summary>
/// <remarks>
/// The input must hold at least the type's size in bytes. Longer input is accepted: the first SIZE bytes are
/// decoded and a warning counts the trailing bytes, so a descriptor can be decoded from the start of a ring dump.
/// A message type with a trailing array (a mailbox message) is decoded with the elements its counter states, as far
/// as the input holds them; a count beyond the input, a message beyond the type's max_size and problems of the
/// elements are warnings.
/// </remarks>
internal static class DecodeCommand
{
    /// <summary>Byte arrays longer than this are shown as one row (text or hex) in the table; JSON lists every element.</summary>
    private const int CompactByteArray = 16;

    /// <summary>Runs of all-zero elements longer than this in an array of structs are folded into one row in the table.</summary>
    private const int FoldZeroElements = 2;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var type = new Argument<string>("TYPE") { Description = "A schema type name (see 'gvnic types'), e.g. tx_pkt_desc_dqo." };
        var hex = new Argument<string>("HEX") { Description = "The bytes: hex digits (spaces, colons and 0x allowed) or @FILE for a file of raw bytes." };
        var json = new Option<bool>("--json") { Description = "Write JSON: {type, size, hex, fields: [{path, offset, size, bit_offset, bit_width, kind, value, hex, name}], unions, warnings}." };
        var command = new Command("decode", "Decode wire bytes as a schema type: every field by name, enum names, bit ranges, union members and warnings.") { type, hex, json };
        command.SetAction(p => GvnicApp.Guard(context, () => Run(context, p.GetValue(type)!, p.GetValue(hex)!, p.GetValue(json))));
        return command;
    }

    /// <summary>A decoded value.</summary>
    internal sealed record Decoded(SchemaRow Row, ulong Value, string Hex, string Meaning, bool Problem);

    /// <summary>Decodes and writes; returns the exit code.</summary>
    public static int Run(CliContext context, string typeName, string hexText, bool json)
    {
        var type = Catalog.RequireType(typeName);
        var input = HexInput.Parse(hexText, "HEX");
        if (input.Length < type.Size)
            throw new UsageException("HEX has " + input.Length + " byte" + (input.Length == 1 ? "" : "s") + " but " + type.Name + " is " + type.Size + " bytes");
        var bytes = type.Trailing is null ? input.AsSpan(0, type.Size).ToArray() : input.AsSpan(0, TrailingArray.Length(type, input)).ToArray();
        var warnings = new List<string>();
        var issues = new List<WireIssue>();
        type.Validate(bytes, issues);
        var trailingWarnings = TrailingArray.Check(type, input, issues);
        var rows = SchemaWalker.Rows(type, bytes);
        var values = new Dictionary<SchemaRow, Decoded>();
        foreach (var row in rows)
        {
            if (row.Kind != RowKind.Value) continue;
            if (!type.Get(bytes, row.Path, out ulong value))
                throw new InvalidOperationException(type.Name + " has no value at '" + row.Path + "'");
            string meaning = ValueText.Meaning(row, value, out bool problem);
            values[row] = new Decoded(row, value, ValueText.Hex(row, value), meaning, problem);
        }
        foreach (var issue in issues) warnings.Add(Describe(issue));
        warnings.AddRange(trailingWarnings);
        foreach (var row in rows.Where(r => r.Kind == RowKind.Union && r.Note is not null && r.Note.StartsWith("no member", StringComparison.Ordinal)))
        {
            string text = row.Path + ": " + row.Note;
            if (!issues.Any(i => i.Kind == WireIssueKind.UnknownVariant)) warnings.Add(text);
        }
        if (input.Length > bytes.Length)
            warnings.Add((input.Length - bytes.Length) + " trailing byte" + (input.Length - bytes.Length == 1 ? "" : "s") + " after the " + bytes.Length + " of " + type.Name + " not decoded");

        if (json) WriteJson(context, type, bytes, rows, values, issues, warnings);
        else WriteTable(context, type, bytes, rows, values, warnings);
        return ExitCodes.Ok;
    }

    /// <summary>One line for a validation issue, e.g. <c>tx_pkt_desc_dqo.reserved0 = 0x1: reserved bits set (must be zero)</c>.</summary>
    internal static string Describe(WireIssue issue)
    {
        string what = issue.Kind switch
        {
            WireIssueKind.ReservedNotZero => "reserved bits set (must be zero)",
            WireIssueKind.UnknownEnumValue => "unknown enum value",
            WireIssueKind.UnknownFlags => "unknown flag bits",
            WireIssueKind.UnknownVariant => "the selector has no union member for this value",
            _ => issue.Kind.ToString(),
        };
        return issue.Type + "." + issue.Field + " = 0x" + issue.Value.ToString("x", CultureInfo.InvariantCulture) + ": " + what;
    }

    private static string Bytes(SchemaRow row) => row.Size == 1
        ? row.Offset.ToString(CultureInfo.InvariantCulture)
        : row.Offset + ".." + (row.Offset + row.Size - 1);

    private static void WriteTable(CliContext context, WireType type, byte[] bytes, List<SchemaRow> rows, Dictionary<SchemaRow, Decoded> values, List<string> warnings)
    {
        var console = context.Console;
        string trailing = type.Trailing is null ? "" : " + " + TrailingArray.Elements(type, bytes) + " × " + type.Trailing.Size + " (" + type.Trailing.Name + ")";
        console.WriteLine(type.Name + ": " + type.Size + trailing + " bytes, " + type.Order + "-endian. " + type.Doc);
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("Field");
        table.AddColumn(new TableColumn("Bytes").RightAligned());
        table.AddColumn(new TableColumn("Bits").RightAligned());
        table.AddColumn(new TableColumn("Value").RightAligned());
        table.AddColumn(new TableColumn("Hex").RightAligned());
        table.AddColumn("Meaning");
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            string indent = new string(' ', 2 * row.Depth);
            if (row.Kind == RowKind.Union)
            {
                table.AddRow(Cell(indent + row.Path), Cell(Bytes(row)), Cell(""), Cell(""), Cell(""), Cell("union: " + row.Note));
                continue;
            }
            if (row.Kind == RowKind.Raw)
            {
                table.AddRow(Cell(indent + "raw bytes"), Cell(Bytes(row)), Cell(""), Cell(""), Cell(""), Cell(HexLines(bytes.AsSpan(row.Offset, row.Size))));
                continue;
            }
            if (row.Kind == RowKind.Struct)
            {
                // Fold runs of all-zero elements of a struct array (ptype_map has 1024).
                if (row.Field.Count > 1 && IsZero(bytes, row))
                {
                    int end = i;
                    int count = 0;
                    int j = i;
                    while (j < rows.Count && rows[j].Kind == RowKind.Struct && rows[j].Field == row.Field && rows[j].Depth == row.Depth && IsZero(bytes, rows[j]))
                    {
                        count++;
                        end = j;
                        j++;
                        while (j < rows.Count && rows[j].Depth > row.Depth) j++;
                    }
                    if (count > FoldZeroElements)
                    {
                        var last = rows[end];
                        table.AddRow(Cell(indent + row.Path[..^1] + ".." + last.Path[(last.Path.LastIndexOf('[') + 1)..]),
                            Cell(row.Offset + ".." + (last.Offset + last.Size - 1)), Cell(""), Cell(""), Cell(""),
                            Cell(count + " × " + row.Field.TypeName + ", all zero"));
                        i = j - 1;
                        continue;
                    }
                }
                table.AddRow(Cell(indent + row.Path), Cell(Bytes(row)), Cell(""), Cell(""), Cell(""), Cell(row.Field.TypeName ?? ""));
                continue;
            }
            var field = row.Field;
            if (field.Count > CompactByteArray && field.Size == 1 && field.Kind == WireFieldKind.Integer)
            {
                // A long byte array (a version string, padding): one row.
                int n = field.Count;
                var elements = new byte[n];
                for (int k = 0; k < n; k++) elements[k] = (byte)values[rows[i + k]].Value;
                string path = row.Path[..row.Path.LastIndexOf('[')] + "[0.." + (n - 1) + "]";
                table.AddRow(Cell(indent + path), Cell(row.Offset + ".." + (row.Offset + n - 1)), Cell(""), Cell(""), Cell(""),
                    Cell(ByteArrayText(elements, field, out _)));
                i += n - 1;
                continue;
            }
            var d = values[row];
            string bits = row.IsBits ? field.BitOffset + (field.BitWidth > 1 ? ".." + (field.BitOffset + field.BitWidth - 1) : "") : "";
            table.AddRow(Cell(indent + row.Path), Cell(row.IsBits ? "" : Bytes(row)), Cell(bits),
                Cell(d.Value.ToString(CultureInfo.InvariantCulture)), Cell(d.Hex), Cell(d.Problem ? "! " + d.Meaning : d.Meaning));
        }
        console.Write(table);
        if (warnings.Count == 0)
        {
            console.WriteLine("No warnings: reserved bits are zero and every enum value is known.");
            return;
        }
        console.WriteLine(warnings.Count + " warning" + (warnings.Count == 1 ? "" : "s") + ":");
        foreach (var w in warnings) console.WriteLine("  ! " + w);
    }

    private static Text Cell(string text) => new(text);

    private static bool IsZero(byte[] bytes, SchemaRow row) => bytes.AsSpan(row.Offset, row.Size).IndexOfAnyExcept((byte)0) < 0;

    /// <summary>A byte array as text when it is printable ASCII padded with zeros, else as hex.</summary>
    private static string ByteArrayText(byte[] elements, WireField field, out bool isText)
    {
        int end = elements.Length;
        while (end > 0 && elements[end - 1] == 0) end--;
        isText = end > 0 && elements.AsSpan(0, end).IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) < 0;
        if (end == 0) return "all zero" + (field.Reserved == "zero" ? " (reserved)" : "");
        if (isText)
        {
            var text = Encoding.ASCII.GetString(elements, 0, end).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
            return "\"" + text + "\"" + (end < elements.Length ? " + " + (elements.Length - end) + " zero bytes" : "");
        }
        return HexLines(elements) + (field.Reserved == "zero" ? " ! reserved, must be zero" : "");
    }

    /// <summary>
    /// Bytes as hex, 16 to a line, with trailing zero bytes counted instead of shown (<c>00 00 00 03 … + 40 zero bytes</c>);
    /// <c>all zero</c> when every byte is zero.
    /// </summary>
    private static string HexLines(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.LastIndexOfAnyExcept((byte)0) + 1;
        if (end == 0) return "all zero";
        var hex = new StringBuilder();
        for (int k = 0; k < end; k++)
        {
            if (k > 0) hex.Append(k % 16 == 0 ? "\n" : " ");
            hex.Append(bytes[k].ToString("x2", CultureInfo.InvariantCulture));
        }
        if (end < bytes.Length) hex.Append(" + " + (bytes.Length - end) + " zero bytes");
        return hex.ToString();
    }

    private static void WriteJson(CliContext context, WireType type, byte[] bytes, List<SchemaRow> rows, Dictionary<SchemaRow, Decoded> values, List<WireIssue> issues, List<string> warnings)
    {
        using var stream = new System.IO.MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("type", type.Name);
            w.WriteNumber("size", bytes.Length);
            w.WriteString("order", type.Order);
            w.WriteString("hex", HexInput.Format(bytes));
            w.WriteStartArray("fields");
            foreach (var row in rows)
            {
                if (row.Kind != RowKind.Value) continue;
                var d = values[row];
                var field = row.Field;
                w.WriteStartObject();
                w.WriteString("path", row.Path);
                w.WriteNumber("offset", row.Offset);
                w.WriteNumber("size", row.Size);
                if (row.IsBits)
                {
                    w.WriteString("container", PathOf(row.Path, field.Container!));
                    w.WriteNumber("bit_offset", field.BitOffset);
                    w.WriteNumber("bit_width", field.BitWidth);
                }
                w.WriteString("kind", field.Kind.ToString().ToLowerInvariant());
                if (field.Reserved.Length > 0) w.WriteString("reserved", field.Reserved);
                w.WriteNumber("value", d.Value);
                w.WriteString("hex", d.Hex);
                switch (field.Kind)
                {
                    case WireFieldKind.Enum:
                        w.WriteString("enum", field.TypeName);
                        var names = SchemaWalker.EnumNames(field.TypeName, d.Value);
                        if (names.Count > 0) w.WriteString("name", names[0]);
                        else w.WriteNull("name");
                        break;
                    case WireFieldKind.Flags:
                        w.WriteString("enum", field.TypeName);
                        w.WriteStartArray("flags");
                        var flagNames = ValueText.FlagNames(field.TypeName, d.Value, out ulong unknown);
                        foreach (var name in flagNames) w.WriteStringValue(name);
                        w.WriteEndArray();
                        if (unknown != 0) w.WriteNumber("unknown_bits", unknown);
                        break;
                    case WireFieldKind.Bool:
                        w.WriteBoolean("bool", d.Value != 0);
                        break;
                }
                if (d.Problem) w.WriteString("problem", d.Meaning);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("unions");
            foreach (var row in rows.Where(r => r.Kind == RowKind.Union))
            {
                w.WriteStartObject();
                w.WriteString("path", row.Path);
                if (row.Field.Select is null) w.WriteNull("selector");
                else w.WriteString("selector", PathOf(row.Path, row.Field.Select));
                w.WriteStartArray("members");
                foreach (var member in rows.Where(m => m.Depth == row.Depth + 1 && m.Field.Union == row.Field.Name && m.Field.Container is null && m.Path.StartsWith(PathOf(row.Path, ""), StringComparison.Ordinal)))
                {
                    string name = member.Field.Count > 1 ? member.Path[..member.Path.LastIndexOf('[')] : member.Path;
                    w.WriteStringValue(name);
                }
                w.WriteEndArray();
                w.WriteString("note", row.Note);
                if (rows.Any(r => r.Kind == RowKind.Raw && r.Path == row.Path)) w.WriteString("raw", HexInput.Format(bytes.AsSpan(row.Offset, row.Size)));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("warnings");
            foreach (var issue in issues)
            {
                w.WriteStartObject();
                w.WriteString("type", issue.Type);
                w.WriteString("field", issue.Field);
                w.WriteString("kind", issue.Kind switch
                {
                    WireIssueKind.ReservedNotZero => "reserved_not_zero",
                    WireIssueKind.UnknownEnumValue => "unknown_enum_value",
                    WireIssueKind.UnknownFlags => "unknown_flags",
                    WireIssueKind.UnknownVariant => "unknown_variant",
                    _ => issue.Kind.ToString(),
                });
                w.WriteNumber("value", issue.Value);
                w.WriteString("message", Describe(issue));
                w.WriteEndObject();
            }
            foreach (var extra in warnings.Skip(issues.Count))
            {
                w.WriteStartObject();
                w.WriteString("kind", "input");
                w.WriteString("message", extra);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        context.Out.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The full path of <paramref name="name"/>, a sibling of the field at <paramref name="path"/>.</summary>
    private static string PathOf(string path, string name)
    {
        int dot = path.LastIndexOf('.');
        return dot < 0 ? name : path[..(dot + 1)] + name;
    }
}
