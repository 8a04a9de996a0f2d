using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// The complete set of generated wire-format docs, rendered in memory: relative path → content. Writing
/// and the staleness check both start from it, so "stale" means exactly "differs from what docs would write".
/// </summary>
public sealed class DocSet
{
    private static readonly UTF8Encoding Utf8NoBom = new UTF8Encoding(false);

    private DocSet(SortedDictionary<string, string> files) => Files = files;

    /// <summary>Every generated file by path relative to the output directory ('/'-separated).</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>Renders every page and diagram of <paramref name="layout"/>.</summary>
    public static DocSet Render(SchemaLayout layout)
    {
        var areas = AreaClassifier.Classify(layout.Document);
        var links = new DocLinks(layout.Document, areas);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var pages = new List<DocArea>();
        var writer = new AreaPageWriter(layout, links);
        foreach (var area in DocAreas.All)
        {
            var page = writer.Write(area);
            if (page is null) continue;
            pages.Add(area);
            files.Add(DocAreas.FileName(area), page);
        }
        files.Add(DocLinks.EnumsPage, EnumPageWriter.Write(layout.Document));
        files.Add("README.md", IndexPageWriter.Write(layout, pages, links));
        foreach (var b in layout.Blocks) files.Add("svg/" + b.Name + ".svg", SvgWriter.Render(RegisterDiagram.Build(b)));
        foreach (var s in layout.Structs) files.Add("svg/" + s.Name + ".svg", SvgWriter.Render(StructDiagram.Build(s)));
        return new DocSet(files);
    }

    /// <summary>
    /// The files under <paramref name="directory"/> that differ from this set: missing, different, or
    /// left over from an earlier schema (an SVG or a generated page this set no longer has).
    /// </summary>
    public List<string> Stale(string directory)
    {
        var stale = new List<string>();
        foreach (var (path, content) in Files)
        {
            var full = Path.Combine(directory, path);
            if (!File.Exists(full) || File.ReadAllText(full, Encoding.UTF8) != content) stale.Add(path);
        }
        stale.AddRange(Leftovers(directory));
        stale.Sort(StringComparer.Ordinal);
        return stale;
    }

    /// <summary>Writes the files that differ and deletes leftovers; returns the paths written or deleted.</summary>
    public List<string> Write(string directory)
    {
        var changed = Stale(directory);
        foreach (var path in changed)
        {
            var full = Path.Combine(directory, path);
            if (Files.TryGetValue(path, out var content))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content, Utf8NoBom);
            }
            else
            {
                File.Delete(full);
            }
        }
        return changed;
    }

    private IEnumerable<string> Leftovers(string directory)
    {
        var svgDir = Path.Combine(directory, "svg");
        if (Directory.Exists(svgDir))
        {
            foreach (var file in Directory.GetFiles(svgDir, "*.svg"))
            {
                var path = "svg/" + Path.GetFileName(file);
                if (!Files.ContainsKey(path)) yield return path;
            }
        }
        if (!Directory.Exists(directory)) yield break;
        foreach (var file in Directory.GetFiles(directory, "*.md"))
        {
            var path = Path.GetFileName(file);
            if (Files.ContainsKey(path)) continue;
            using var reader = new StreamReader(file, Encoding.UTF8);
            if (reader.ReadLine() == DocLinks.Banner) yield return path;
        }
    }
}
