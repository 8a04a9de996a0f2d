using System;
using System.Globalization;
using System.Text;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// Renders a <see cref="Diagram"/> as a self-contained SVG: caption, bit numbers 31..0, byte lanes, then
/// the rows with a box per field. Labels that do not fit across a box are written vertically; the output
/// depends only on the diagram (no timestamps, invariant number formatting), so it can be compared byte for byte.
/// </summary>
public static class SvgWriter
{
    private const int ColumnWidth = 22;
    private const int LeftWidth = 92;
    private const int RightMargin = 8;
    private const int HeaderHeight = 64;
    private const int RowHeight = 34;
    private const int BandHeight = 40;
    private const double CharWidth = 6.7;
    private const int MaxVerticalChars = 26;

    /// <summary>The SVG document for <paramref name="diagram"/>.</summary>
    public static string Render(Diagram diagram)
    {
        int width = LeftWidth + 32 * ColumnWidth + RightMargin;
        var body = new StringBuilder();
        int y = HeaderHeight;
        foreach (var row in diagram.Rows)
        {
            int height = Height(row);
            Text(body, LeftWidth - 6, y + height / 2.0 + 4, row.Label, "end", 10, "#333");
            foreach (var box in row.Boxes) Box(body, box, y, height, row.Collapsed);
            y += height;
        }
        var svg = new StringBuilder();
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(width).Append("\" height=\"").Append(y + 8)
           .Append("\" viewBox=\"0 0 ").Append(width).Append(' ').Append(y + 8).Append("\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\">\n");
        svg.Append("  <title>").Append(Escape(diagram.Caption)).Append("</title>\n");
        svg.Append("  <rect x=\"0\" y=\"0\" width=\"").Append(width).Append("\" height=\"").Append(y + 8).Append("\" fill=\"#ffffff\"/>\n");
        Text(svg, 4, 16, diagram.Caption, "start", 13, "#000", bold: true);
        Header(svg, diagram.Lanes);
        svg.Append(body);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Header(StringBuilder svg, ByteOrder lanes)
    {
        Text(svg, LeftWidth - 6, 36, "bit", "end", 9, "#555");
        Text(svg, LeftWidth - 6, 54, "byte", "end", 9, "#555");
        for (int c = 0; c < 32; c++)
        {
            Text(svg, LeftWidth + c * ColumnWidth + ColumnWidth / 2.0, 36, (31 - c).ToString(CultureInfo.InvariantCulture), "middle", 9, "#555");
        }
        for (int lane = 0; lane < 4; lane++)
        {
            int x = LeftWidth + lane * 8 * ColumnWidth;
            int index = lanes == ByteOrder.Big ? lane : 3 - lane;
            svg.Append("  <rect x=\"").Append(x).Append("\" y=\"42\" width=\"").Append(8 * ColumnWidth).Append("\" height=\"16\" fill=\"#f0f0f0\" stroke=\"#999\" stroke-width=\"0.5\"/>\n");
            Text(svg, x + 4 * ColumnWidth, 54, "+" + index.ToString(CultureInfo.InvariantCulture), "middle", 10, "#333");
        }
    }

    private static int Height(DiagramRow row)
    {
        if (row.Collapsed) return BandHeight;
        int height = RowHeight;
        foreach (var box in row.Boxes)
        {
            if (FitsAcross(box)) continue;
            int chars = Math.Min(box.Label.Length, MaxVerticalChars);
            height = Math.Max(height, (int)Math.Ceiling(chars * CharWidth) + 14);
        }
        return height;
    }

    private static bool FitsAcross(DiagramBox box) => box.Label.Length * CharWidth <= box.Width * ColumnWidth - 6;

    private static void Box(StringBuilder svg, DiagramBox box, int y, int height, bool collapsed)
    {
        int x = LeftWidth + box.Start * ColumnWidth;
        int w = box.Width * ColumnWidth;
        svg.Append("  <rect x=\"").Append(x).Append("\" y=\"").Append(y).Append("\" width=\"").Append(w).Append("\" height=\"").Append(height)
           .Append("\" fill=\"").Append(box.Reserved ? "#dcdcdc" : "#ffffff").Append("\" stroke=\"#000\" stroke-width=\"1\"")
           .Append(collapsed ? " stroke-dasharray=\"6 3\"" : "").Append("/>\n");
        string color = box.Reserved ? "#555" : "#000";
        if (FitsAcross(box))
        {
            Text(svg, x + w / 2.0, y + height / 2.0 + 4, box.Label, "middle", 11, color, italic: box.Reserved);
            return;
        }
        string label = box.Label.Length > MaxVerticalChars ? box.Label.Substring(0, MaxVerticalChars - 1) + "…" : box.Label;
        double cx = x + w / 2.0 + 4, cy = y + height / 2.0;
        svg.Append("  <text x=\"").Append(Num(cx)).Append("\" y=\"").Append(Num(cy)).Append("\" font-size=\"11\" text-anchor=\"middle\" fill=\"").Append(color).Append('"')
           .Append(box.Reserved ? " font-style=\"italic\"" : "")
           .Append(" transform=\"rotate(-90 ").Append(Num(cx)).Append(' ').Append(Num(cy)).Append(")\">").Append(Escape(label)).Append("</text>\n");
    }

    private static void Text(StringBuilder svg, double x, double y, string text, string anchor, int size, string color, bool bold = false, bool italic = false)
    {
        svg.Append("  <text x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(y)).Append("\" font-size=\"").Append(size)
           .Append("\" text-anchor=\"").Append(anchor).Append("\" fill=\"").Append(color).Append('"')
           .Append(bold ? " font-weight=\"bold\"" : "").Append(italic ? " font-style=\"italic\"" : "")
           .Append('>').Append(Escape(text)).Append("</text>\n");
    }

    private static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
