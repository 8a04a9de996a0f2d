using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Wire;

namespace Gvnic.Cli.Schema;

/// <summary>
/// Lays out a schema struct as rows by walking <see cref="WireType.Fields"/> (nested structs through
/// <see cref="GvnicCatalog.FindType"/>). Values are never read here: callers read and write them by path
/// through the generated <see cref="WireType.Get"/>/<see cref="WireType.Set"/>, which own byte order and bit packing.
/// </summary>
internal static class SchemaWalker
{
    /// <summary>
    /// The rows of <paramref name="type"/>. With <paramref name="bytes"/>, a union with a selector shows the member the
    /// selector picks (reading the selector by path), or, when the selector names no member, one <see cref="RowKind.Raw"/>
    /// row for the union's bytes; without bytes, or for a union without selector, every member.
    /// </summary>
    public static List<SchemaRow> Rows(WireType type, byte[]? bytes)
    {
        var rows = new List<SchemaRow>();
        Walk(type, type, bytes, "", 0, 0, rows);
        return rows;
    }

    /// <summary><c>ptypes[7].l3_type</c> → <c>ptypes[].l3_type</c>.</summary>
    public static string Template(string path)
    {
        var chars = new System.Text.StringBuilder(path.Length);
        bool inIndex = false;
        foreach (char c in path)
        {
            if (c == '[') { inIndex = true; chars.Append('['); continue; }
            if (c == ']') { inIndex = false; chars.Append(']'); continue; }
            if (!inIndex) chars.Append(c);
        }
        return chars.ToString();
    }

    private static void Walk(WireType root, WireType type, byte[]? bytes, string prefix, int baseOffset, int depth, List<SchemaRow> rows)
    {
        var fields = type.Fields;
        foreach (var field in fields)
        {
            if (field.Union is not null || field.Container is not null) continue; // emitted with their union or container
            if (field.Kind == WireFieldKind.Union)
            {
                EmitUnion(root, type, field, bytes, prefix, baseOffset, depth, rows);
                continue;
            }
            EmitField(root, type, field, bytes, prefix, baseOffset, depth, rows);
        }
    }

    private static void EmitUnion(WireType root, WireType type, WireField union, byte[]? bytes, string prefix, int baseOffset, int depth, List<SchemaRow> rows)
    {
        var members = type.Fields.Where(m => m.Union == union.Name && m.Container is null).ToList();
        List<WireField> shown = members;
        string note;
        if (union.Select is null)
        {
            note = "overlay: every member";
        }
        else if (bytes is null)
        {
            note = "selected by " + prefix + union.Select;
        }
        else
        {
            string selectorPath = prefix + union.Select;
            if (!root.Get(bytes, selectorPath, out ulong selector))
                throw new InvalidOperationException("selector path '" + selectorPath + "' of " + root.Name + " names no value");
            var names = EnumNames(union.TypeName, selector);
            shown = members.Where(m => m.When.Any(names.Contains)).ToList();
            string shownValue = names.Count > 0 ? names[0] + " (0x" + selector.ToString("x") + ")" : "0x" + selector.ToString("x");
            note = shown.Count > 0
                ? "selected by " + selectorPath + " = " + shownValue
                : "no member for " + selectorPath + " = " + shownValue;
        }
        rows.Add(new SchemaRow(RowKind.Union, prefix + union.Name, union, baseOffset + union.Offset, union.Size, depth, note));
        foreach (var member in shown) EmitField(root, type, member, bytes, prefix, baseOffset, depth + 1, rows);
        if (shown.Count == 0)
            rows.Add(new SchemaRow(RowKind.Raw, prefix + union.Name, union, baseOffset + union.Offset, union.Size, depth + 1, "raw bytes: no member to read them by"));
    }

    private static void EmitField(WireType root, WireType type, WireField field, byte[]? bytes, string prefix, int baseOffset, int depth, List<SchemaRow> rows)
    {
        // A trailing array has as many elements as its counter states and the bytes hold (none without bytes).
        int count = field.CountedBy is null ? field.Count : TrailingArray.Elements(root, bytes, baseOffset);
        bool single = field.Count == 1 && field.CountedBy is null;
        if (field.Kind == WireFieldKind.Struct)
        {
            var nested = GvnicCatalog.FindType(field.TypeName ?? "")
                ?? throw new InvalidOperationException("struct type '" + field.TypeName + "' of " + type.Name + "." + field.Name + " is not in the catalog");
            for (int i = 0; i < count; i++)
            {
                string name = single ? field.Name : field.Name + "[" + i + "]";
                int offset = baseOffset + field.Offset + i * field.Size;
                rows.Add(new SchemaRow(RowKind.Struct, prefix + name, field, offset, field.Size, depth, null));
                Walk(root, nested, bytes, prefix + name + ".", offset, depth + 1, rows);
            }
            return;
        }
        for (int i = 0; i < count; i++)
        {
            string name = single ? field.Name : field.Name + "[" + i + "]";
            rows.Add(new SchemaRow(RowKind.Value, prefix + name, field, baseOffset + field.Offset + i * field.Size, field.Size, depth, null));
        }
        if (!single) return;
        foreach (var bits in type.Fields)
        {
            if (bits.Container != field.Name || bits.Union != field.Union || bits.BitWidth == 0) continue;
            rows.Add(new SchemaRow(RowKind.Value, prefix + bits.Name, bits, baseOffset + bits.Offset, bits.Size, depth + 1, null));
        }
    }

    /// <summary>The names of <paramref name="enumName"/>'s values equal to <paramref name="value"/> (several when values share a number).</summary>
    public static List<string> EnumNames(string? enumName, ulong value)
    {
        var result = new List<string>();
        var e = enumName is null ? null : GvnicCatalog.FindEnum(enumName);
        if (e is null) return result;
        foreach (var v in e.Values)
            if (v.Value == value) result.Add(v.Name);
        return result;
    }
}
