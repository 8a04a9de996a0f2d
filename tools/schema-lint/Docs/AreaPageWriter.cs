using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Gvnic.Schema;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// Writes one area page: per register block and struct a heading, its doc, size and byte order, its bit
/// diagram (<c>svg/NAME.svg</c>) and a layout table with a row per field, union member and bit range; per option
/// list (on the page of its header struct) a table with a row per option.
/// </summary>
public sealed class AreaPageWriter
{
    private readonly SchemaLayout _layout;
    private readonly DocLinks _links;

    /// <summary>Creates a writer for the pages of <paramref name="layout"/>.</summary>
    public AreaPageWriter(SchemaLayout layout, DocLinks links)
    {
        _layout = layout;
        _links = links;
    }

    /// <summary>The Markdown of the page of <paramref name="area"/>, or null when nothing belongs to it.</summary>
    public string? Write(DocArea area)
    {
        var page = DocAreas.FileName(area);
        var structs = new List<StructLayout>();
        foreach (var s in _layout.Structs)
        {
            if (_links.AreaOf(s.Name) == area) structs.Add(s);
        }
        var blocks = area == DocArea.Registers ? _layout.Blocks : new List<RegisterBlockLayout>();
        var lists = new List<OptionListDef>();
        foreach (var l in _layout.Document.OptionLists)
        {
            if (_links.AreaOf(l.Header) == area) lists.Add(l);
        }
        if (structs.Count == 0 && blocks.Count == 0) return null;
        var md = new StringBuilder();
        md.Append(DocLinks.Banner).Append('\n');
        md.Append("# ").Append(DocAreas.Title(area)).Append("\n\n");
        md.Append("Part of the [gVNIC wire format](README.md). Rows of the diagrams are 32-bit words with bit 31 on the left; ")
          .Append("big-endian structs show bytes +0..+3 from the left, little-endian ones +3..+0, so every value reads left to right. ")
          .Append("Shaded boxes are reserved. Offsets are in bytes from the start of the struct; bit ranges are written msb:lsb of their container's value.\n\n");
        foreach (var b in blocks) md.Append("- [`").Append(b.Name).Append("`](#").Append(b.Name).Append(")\n");
        foreach (var s in structs) md.Append("- [`").Append(s.Name).Append("`](#").Append(s.Name).Append(")\n");
        foreach (var l in lists) md.Append("- [`").Append(l.Name).Append("`](#").Append(l.Name).Append(") (option list)\n");
        foreach (var b in blocks) Block(md, b, page);
        foreach (var s in structs) Struct(md, s, page);
        foreach (var l in lists) OptionList(md, l, page);
        return md.ToString();
    }

    private void Block(StringBuilder md, RegisterBlockLayout b, string page)
    {
        md.Append("\n## `").Append(b.Name).Append("`\n\n");
        md.Append(b.Def.Doc).Append("\n\n");
        md.Append("BAR ").Append(b.Def.Bar).Append(", ").Append(DocLinks.Order(b.Def.Order)).Append("-endian. C#: `")
          .Append(Naming.Pascal(b.Name)).Append("Registers`.\n\n");
        md.Append("![").Append(b.Name).Append(" register map](svg/").Append(b.Name).Append(".svg)\n\n");
        md.Append("| Offset | Width | Access | Register | Type | Order | Description |\n");
        md.Append("|---:|---:|---|---|---|---|---|\n");
        foreach (var r in b.Registers)
        {
            var d = r.Def;
            string offset = "0x" + d.Offset.ToString("x2", CultureInfo.InvariantCulture) + (d.Stride.HasValue ? " + " + d.Stride.Value + "·n" : "");
            md.Append("| ").Append(offset).Append(" | ").Append(d.Width).Append(" | ").Append(RegisterDiagram.Access(d.Access))
              .Append(" | `").Append(d.Name).Append(d.Stride.HasValue ? "[n]" : "").Append("` | ").Append(d.Type is null ? "`u" + d.Width + "`" : _links.Type(d.Type, page))
              .Append(" | ").Append(DocLinks.Order(r.Order)).Append(" | ").Append(DocLinks.Cell(d.Doc)).Append(" |\n");
        }
    }

    private void Struct(StringBuilder md, StructLayout s, string page)
    {
        md.Append("\n## `").Append(s.Name).Append("`\n\n");
        md.Append(s.Def.Doc).Append("\n\n");
        md.Append(s.Def.Size).Append(" bytes, ").Append(DocLinks.Order(s.Def.Order)).Append("-endian");
        if (s.Trailing != null)
        {
            md.Append(", then the trailing array `").Append(s.Trailing.Name).Append("`: `").Append(s.CountedBy).Append("` elements of ")
              .Append(_links.Type(s.Trailing.Type, page)).Append(" (").Append(s.Trailing.ElementSize).Append(" bytes each)");
        }
        if (s.MaxSize.HasValue)
        {
            md.Append("; a whole message takes at most ").Append(s.MaxSize.Value).Append(" bytes (`max_size: ").Append(s.Def.MaxSizeText).Append('`');
            if (s.MaxCount.HasValue) md.Append(", so at most ").Append(s.MaxCount.Value).Append(" elements");
            md.Append(')');
        }
        md.Append(". C#: `").Append(Naming.Pascal(s.Name)).Append('`');
        if (!string.IsNullOrEmpty(s.Def.Upstream)) md.Append(". Upstream: ").Append(s.Def.Upstream);
        md.Append(".\n\n");
        md.Append("![").Append(s.Name).Append(" bit diagram](svg/").Append(s.Name).Append(".svg)\n\n");
        md.Append("| Offset | Size | Bits | Field | Type | Order | Description |\n");
        md.Append("|---:|---:|---|---|---|---|---|\n");
        foreach (var f in s.Fields) Field(md, f, f.Name, page);
        if (s.Trailing is FieldLayout t)
        {
            md.Append("| ").Append(t.Offset).Append("… | ").Append(t.ElementSize).Append(" × n |  | `").Append(t.Name).Append("[n]` | ")
              .Append(_links.Type(t.Type, page)).Append(" × `").Append(s.CountedBy).Append("` | ").Append(DocLinks.Order(t.Order)).Append(" | ")
              .Append(Description(t.Doc, t.Reserved, t.When)).Append(" |\n");
        }
    }

    /// <summary>An option list: its header fields and a row per option (id, payload, accepted lengths, required header values).</summary>
    private void OptionList(StringBuilder md, OptionListDef l, string page)
    {
        var types = new SchemaTypes(_layout.Document);
        md.Append("\n## `").Append(l.Name).Append("`\n\n");
        md.Append(l.Doc).Append("\n\n");
        md.Append("Option list: each option is a ").Append(_links.Type(l.Header, page)).Append(" whose `").Append(l.IdField).Append("` names it and whose `")
          .Append(l.LengthField).Append("` counts the payload bytes after it, then the payload. C#: `").Append(Naming.Pascal(l.Name)).Append("`.\n\n");
        md.Append("| Id | Option | Payload | Length | Requires | Description |\n");
        md.Append("|---:|---|---|---|---|---|\n");
        var header = types.Struct(l.Header);
        FieldDef? idField = null;
        foreach (var f in header?.Fields ?? default) if (f.Name == l.IdField) idField = f;
        var ids = idField is null ? null : types.Enum(idField.Type);
        foreach (var o in l.Options)
        {
            ulong? id = null;
            foreach (var v in ids?.Values ?? default) if (v.Name == o.Id) id = v.Value;
            string length = o.Payload is null ? "0" : "≥ " + (o.MinLength ?? types.SizeOf(o.Payload)).ToString(CultureInfo.InvariantCulture);
            var requires = new StringBuilder();
            foreach (var r in o.Requires) requires.Append(requires.Length > 0 ? ", `" : "`").Append(r.Field).Append(" = ").Append(r.Value).Append('`');
            md.Append("| ").Append(id.HasValue ? DocLinks.Hex(id.Value) : "").Append(" | `").Append(o.Id).Append("` | ")
              .Append(o.Payload is null ? "—" : _links.Type(o.Payload, page)).Append(" | ").Append(length).Append(" | ").Append(requires)
              .Append(" | ").Append(DocLinks.Cell(o.Doc)).Append(" |\n");
        }
    }

    private void Field(StringBuilder md, FieldLayout f, string path, string page)
    {
        string type = f.Kind == FieldKind.Union
            ? "union" + (f.Select is null ? "" : " on `" + f.Select + "`")
            : _links.Type(f.Type, page) + (f.Count.HasValue ? " × " + f.Count.Value.ToString(CultureInfo.InvariantCulture) : "");
        md.Append("| ").Append(DocLinks.Range(f.Offset, f.End - 1)).Append(" | ").Append(f.Size).Append(" |  | `").Append(path).Append("` | ")
          .Append(type).Append(" | ").Append(DocLinks.Order(f.Order)).Append(" | ").Append(Description(f.Doc, f.Reserved, f.When)).Append(" |\n");
        foreach (var b in f.Bits)
        {
            string bits = b.Width == 1 ? b.Lsb.ToString(CultureInfo.InvariantCulture) : b.Msb + ":" + b.Lsb;
            string bitType = b.Type is null ? "`u" + b.Width + "`" : _links.Type(b.Type, page);
            md.Append("| ").Append(DocLinks.Range(b.FirstByte, b.LastByte)).Append(" |  | ").Append(bits).Append(" | `").Append(path).Append('.').Append(b.Name).Append("` | ")
              .Append(bitType).Append(" |  | ").Append(Description(b.Doc, b.Reserved, new List<string>())).Append(" |\n");
        }
        foreach (var m in f.Members) Field(md, m, path + "." + m.Name, page);
    }

    private static string Description(string doc, ReservedKind reserved, IReadOnlyList<string> when)
    {
        var text = new StringBuilder();
        if (reserved == ReservedKind.Zero) text.Append("*Reserved, must be zero.* ");
        else if (reserved == ReservedKind.Ignore) text.Append("*Reserved, any value.* ");
        if (when.Count > 0)
        {
            text.Append("*When:* ");
            for (int i = 0; i < when.Count; i++) text.Append(i > 0 ? ", `" : "`").Append(when[i]).Append('`');
            text.Append(". ");
        }
        text.Append(DocLinks.Cell(doc));
        return text.ToString().TrimEnd();
    }
}
