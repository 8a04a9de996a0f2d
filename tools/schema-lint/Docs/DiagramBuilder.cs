using System;
using System.Collections.Generic;
using System.Globalization;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// Turns "who owns bit k of byte B" into diagram rows: merges neighbouring bits of one owner into boxes,
/// labels boxes that show only part of their owner (<c>seg_addr[63:32]</c>, <c>mac[0..3]</c>), and collapses
/// runs of three or more rows that one field fills into a single band so large arrays stay readable.
/// </summary>
public static class DiagramBuilder
{
    /// <summary>Rows shorter than this many full rows of one field are drawn as they are.</summary>
    public const int CollapseThreshold = 3;

    /// <summary>A row to build: its first byte and, optionally, a label other than the hex offset.</summary>
    public readonly record struct RowSpec(int Base, string? Label);

    /// <summary>Builds the rows of <paramref name="rows"/> with <paramref name="cellAt"/> giving the owner of (byte, bit in byte).</summary>
    public static List<DiagramRow> Build(IReadOnlyList<RowSpec> rows, ByteOrder lanes, Func<int, int, DiagramCell> cellAt, Func<DiagramItem, string>? bandDetail)
    {
        var grid = new List<DiagramCell[]>();
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var cells = new DiagramCell[32];
            for (int c = 0; c < 32; c++)
            {
                int lane = c / 8;
                int b = row.Base + (lanes == ByteOrder.Big ? lane : 3 - lane);
                cells[c] = cellAt(b, 7 - c % 8);
                if (cells[c].Item is { } item) totals[item.Key] = totals.GetValueOrDefault(item.Key) + 1;
            }
            grid.Add(cells);
        }
        var result = new List<DiagramRow>();
        for (int r = 0; r < grid.Count; r++)
        {
            var single = SoleItem(grid[r]);
            int run = 1;
            while (single != null && r + run < grid.Count && SoleItem(grid[r + run])?.Key == single.Key) run++;
            if (single != null && run >= CollapseThreshold && !single.IsScalar)
            {
                int first = rows[r].Base, last = rows[r + run - 1].Base + 3;
                string label = single.Name + (bandDetail is null ? "" : bandDetail(single));
                var box = new DiagramBox(0, 32, label, single.Reserved, single.Key);
                result.Add(new DiagramRow(Hex(first) + "–" + Hex(last), new[] { box }, Collapsed: true));
                r += run - 1;
                continue;
            }
            result.Add(new DiagramRow(rows[r].Label ?? Hex(rows[r].Base), Boxes(grid[r], totals), Collapsed: false));
        }
        return result;
    }

    /// <summary>A byte offset as the diagrams print it: <c>0x04</c>.</summary>
    public static string Hex(int value) => "0x" + value.ToString(value > 0xff ? "X3" : "X2", CultureInfo.InvariantCulture);

    private static DiagramItem? SoleItem(DiagramCell[] cells)
    {
        var first = cells[0].Item;
        if (first is null) return null;
        foreach (var c in cells)
        {
            if (c.Item?.Key != first.Key) return null;
        }
        return first;
    }

    private static List<DiagramBox> Boxes(DiagramCell[] cells, Dictionary<string, int> totals)
    {
        var boxes = new List<DiagramBox>();
        for (int c = 0; c < 32;)
        {
            var item = cells[c].Item;
            int start = c;
            while (c < 32 && cells[c].Item?.Key == item?.Key) c++;
            if (item is null) continue;
            boxes.Add(new DiagramBox(start, c - start, Label(item, cells, start, c, totals[item.Key]), item.Reserved, item.Key));
        }
        return boxes;
    }

    private static string Label(DiagramItem item, DiagramCell[] cells, int start, int end, int total)
    {
        if (end - start == total || item.Key.Contains('#')) return item.Name;
        if (item.IsScalar)
        {
            int hi = int.MinValue, lo = int.MaxValue;
            for (int c = start; c < end; c++)
            {
                hi = Math.Max(hi, cells[c].ValueBit);
                lo = Math.Min(lo, cells[c].ValueBit);
            }
            return item.Name + "[" + (hi == lo ? hi.ToString(CultureInfo.InvariantCulture) : hi + ":" + lo) + "]";
        }
        int firstByte = int.MaxValue, lastByte = int.MinValue;
        for (int c = start; c < end; c++)
        {
            firstByte = Math.Min(firstByte, cells[c].Byte);
            lastByte = Math.Max(lastByte, cells[c].Byte);
        }
        if (item.ElementSize > 0)
        {
            int a = (firstByte - item.Offset) / item.ElementSize, b = (lastByte - item.Offset) / item.ElementSize;
            return item.Name + "[" + (a == b ? a.ToString(CultureInfo.InvariantCulture) : a + ".." + b) + "]";
        }
        return item.Name + " (bytes " + firstByte + ".." + lastByte + ")";
    }
}
