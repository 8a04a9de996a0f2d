using System.Text;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Docs;

/// <summary>Writes <c>enums.md</c>: every enum and flag set with its values, then every constant.</summary>
public static class EnumPageWriter
{
    /// <summary>The Markdown of the enums page of <paramref name="document"/>.</summary>
    public static string Write(SchemaDocument document)
    {
        var md = new StringBuilder();
        md.Append(DocLinks.Banner).Append('\n');
        md.Append("# Enums and constants\n\n");
        md.Append("Part of the [gVNIC wire format](README.md). Values are written in hex; a flag set's values are bit masks.\n\n");
        foreach (var e in document.Enums) md.Append("- [`").Append(e.Name).Append("`](#").Append(e.Name).Append(")\n");
        if (document.Constants.Count > 0) md.Append("- [Constants](#constants)\n");
        foreach (var e in document.Enums)
        {
            md.Append("\n## `").Append(e.Name).Append("`\n\n");
            md.Append(e.Doc).Append("\n\n");
            md.Append(e.Flags ? "Flag set" : "Enum").Append(" stored in `").Append(e.Type).Append("`. C#: `").Append(Naming.Pascal(e.Name)).Append("`.\n\n");
            md.Append("| Name | Value | Description |\n|---|---:|---|\n");
            foreach (var v in e.Values)
            {
                md.Append("| `").Append(v.Name).Append("` | ").Append(DocLinks.Hex(v.Value)).Append(" | ").Append(DocLinks.Cell(v.Doc)).Append(" |\n");
            }
        }
        if (document.Constants.Count > 0)
        {
            md.Append("\n## Constants\n\n");
            md.Append("C#: `").Append(Naming.Pascal(document.Name)).Append("Constants`.\n\n");
            md.Append("| Name | Type | Value | Description |\n|---|---|---:|---|\n");
            foreach (var c in document.Constants)
            {
                md.Append("| `").Append(c.Name).Append("` | `").Append(c.Type).Append("` | ").Append(DocLinks.Hex(c.Value)).Append(" (").Append(c.Value).Append(") | ")
                  .Append(DocLinks.Cell(c.Doc)).Append(" |\n");
            }
        }
        return md.ToString();
    }
}
