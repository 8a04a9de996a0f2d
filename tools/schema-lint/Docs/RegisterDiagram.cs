using System.Collections.Generic;
using Gvnic.Schema;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// The register map of a block: 32-bit rows over the single registers (unassigned bytes shaded), then one
/// row per register array at its first index, labelled <c>0x00+4n</c>.
/// </summary>
public static class RegisterDiagram
{
    /// <summary>Draws <paramref name="block"/>.</summary>
    public static Diagram Build(RegisterBlockLayout block)
    {
        var lanes = block.Def.Order ?? ByteOrder.Big;
        var items = new Dictionary<string, DiagramItem>();
        var rows = new List<DiagramBuilder.RowSpec>();
        int min = int.MaxValue, max = int.MinValue;
        foreach (var r in block.Registers)
        {
            if (r.Def.Stride.HasValue) continue;
            min = System.Math.Min(min, r.Def.Offset & ~3);
            max = System.Math.Max(max, r.Def.Offset + r.Bytes);
        }
        int singlesEnd = max == int.MinValue ? 0 : (max + 3) & ~3;
        for (int b = min; b < singlesEnd; b += 4) rows.Add(new DiagramBuilder.RowSpec(b, null));
        // Arrays get rows of their own, at offsets past the singles so every byte has one owner.
        int arrayBase = singlesEnd;
        var arrays = new List<(int Base, RegisterLayout Register)>();
        foreach (var r in block.Registers)
        {
            if (!r.Def.Stride.HasValue) continue;
            int start = r.Def.Offset & ~3, end = r.Def.Offset + r.Bytes;
            int rowBase = arrayBase;
            for (int b = start; b < end; b += 4)
            {
                rows.Add(new DiagramBuilder.RowSpec(arrayBase, DiagramBuilder.Hex(b) + "+" + r.Def.Stride!.Value + "n"));
                arrayBase += 4;
            }
            arrays.Add((rowBase - start, r));
        }
        DiagramCell CellAt(int b, int k)
        {
            if (b < singlesEnd)
            {
                foreach (var r in block.Registers)
                {
                    if (!r.Def.Stride.HasValue && b >= r.Def.Offset && b < r.Def.Offset + r.Bytes) return Cell(items, r, r.Def.Name, b - r.Def.Offset, k, b);
                }
                return new DiagramCell(Unassigned(items), -1, b);
            }
            foreach (var (shift, r) in arrays)
            {
                int local = b - shift;
                if (local >= r.Def.Offset && local < r.Def.Offset + r.Bytes) return Cell(items, r, r.Def.Name + "[n]", local - r.Def.Offset, k, local);
            }
            return new DiagramCell(null, -1, b);
        }
        var caption = block.Name + ": BAR" + block.Def.Bar + ", " + (lanes == ByteOrder.Big ? "big" : "little") + "-endian";
        return new Diagram(block.Name, caption, lanes, DiagramBuilder.Build(rows, lanes, CellAt, null));
    }

    private static DiagramCell Cell(Dictionary<string, DiagramItem> items, RegisterLayout r, string name, int index, int k, int b)
    {
        string label = name + " (" + Access(r.Def.Access) + ")";
        if (!items.TryGetValue(label, out var item))
        {
            item = new DiagramItem(label, label, false, r.Def.Offset, 0, true);
            items.Add(label, item);
        }
        int v = r.Order == ByteOrder.Little ? 8 * index + k : 8 * (r.Bytes - 1 - index) + k;
        return new DiagramCell(item, v, b);
    }

    private static DiagramItem Unassigned(Dictionary<string, DiagramItem> items)
    {
        const string key = "#unassigned";
        if (!items.TryGetValue(key, out var item))
        {
            item = new DiagramItem(key, "unassigned", true, 0, 0, false);
            items.Add(key, item);
        }
        return item;
    }

    /// <summary>R, W or RW.</summary>
    public static string Access(RegisterAccess access) => access switch
    {
        RegisterAccess.Read => "R",
        RegisterAccess.Write => "W",
        _ => "RW",
    };
}
