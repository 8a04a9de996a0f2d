using System.Collections.Generic;
using System.Text;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Docs;

/// <summary>Writes <c>README.md</c>: the pages, and every struct, register block and option list with the page it is on.</summary>
public static class IndexPageWriter
{
    /// <summary>The index of <paramref name="pages"/> (the areas that have a page) for <paramref name="layout"/>.</summary>
    public static string Write(SchemaLayout layout, IReadOnlyList<DocArea> pages, DocLinks links)
    {
        var md = new StringBuilder();
        md.Append(DocLinks.Banner).Append('\n');
        md.Append("# gVNIC wire format\n\n");
        md.Append(layout.Document.Doc).Append("\n\n");
        md.Append("Generated from `schema/gvnic.yaml` by `schema-lint docs` (see [docs/schema-lint.md](../schema-lint.md)); ")
          .Append("the schema language is described in [docs/schema.md](../schema.md).\n\n");
        md.Append("## Pages\n\n");
        foreach (var area in pages) md.Append("- [").Append(DocAreas.Title(area)).Append("](").Append(DocAreas.FileName(area)).Append(")\n");
        md.Append("- [Enums and constants](").Append(DocLinks.EnumsPage).Append(")\n\n");
        md.Append("## Index\n\n");
        md.Append("| Name | Kind | Size | Page |\n|---|---|---:|---|\n");
        foreach (var b in layout.Blocks)
        {
            md.Append("| [`").Append(b.Name).Append("`](registers.md#").Append(b.Name).Append(") | register block (BAR ").Append(b.Def.Bar).Append(") |  | ")
              .Append(DocAreas.Title(DocArea.Registers)).Append(" |\n");
        }
        foreach (var s in layout.Structs)
        {
            var area = links.AreaOf(s.Name);
            md.Append("| ").Append(links.Type(s.Name, "README.md")).Append(" | struct | ").Append(s.Def.Size).Append(" | ").Append(DocAreas.Title(area)).Append(" |\n");
        }
        foreach (var l in layout.Document.OptionLists)
        {
            var area = links.AreaOf(l.Header);
            md.Append("| [`").Append(l.Name).Append("`](").Append(DocAreas.FileName(area)).Append('#').Append(l.Name).Append(") | option list (").Append(l.Options.Count)
              .Append(" options) |  | ").Append(DocAreas.Title(area)).Append(" |\n");
        }
        return md.ToString();
    }
}
