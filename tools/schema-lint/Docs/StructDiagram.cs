using System.Collections.Generic;
using System.Globalization;
using Gvnic.Schema;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// The bit diagram of one struct: 32-bit rows in the struct's byte order, a box per field, bit ranges
/// drawn inside their container, reserved fields, reserved bit ranges and unnamed bits shaded.
/// </summary>
public static class StructDiagram
{
    /// <summary>Draws <paramref name="s"/>.</summary>
    public static Diagram Build(StructLayout s)
    {
        var order = s.Def.Order ?? ByteOrder.Big;
        var items = new Dictionary<string, DiagramItem>();
        var rows = new List<DiagramBuilder.RowSpec>();
        for (int b = 0; b < s.Def.Size; b += 4) rows.Add(new DiagramBuilder.RowSpec(b, null));
        DiagramCell CellAt(int b, int k)
        {
            var f = FieldAt(s, b);
            if (f is null) return new DiagramCell(null, -1, b);
            if (f.Bits.Count > 0 || IsScalar(f))
            {
                int v = ValueBit(f, b, k);
                if (f.Bits.Count == 0) return new DiagramCell(Item(items, f.Name, f.Name, f.Reserved != ReservedKind.None, f, true), v, b);
                foreach (var bit in f.Bits)
                {
                    if (v >= bit.Lsb && v <= bit.Msb)
                    {
                        var item = Item(items, f.Name + "." + bit.Name, bit.Name, bit.Reserved != ReservedKind.None || f.Reserved != ReservedKind.None, f, true);
                        return new DiagramCell(item, v - bit.Lsb, b);
                    }
                }
                return new DiagramCell(Item(items, f.Name + "#unnamed", "reserved", true, f, true), v, b);
            }
            return new DiagramCell(Item(items, f.Name, f.Name, f.Reserved != ReservedKind.None, f, false), -1, b);
        }
        var caption = s.Name + ": " + s.Def.Size + " bytes, " + (order == ByteOrder.Big ? "big" : "little") + "-endian";
        return new Diagram(s.Name, caption, order, DiagramBuilder.Build(rows, order, CellAt, Detail(s)));
    }

    private static System.Func<DiagramItem, string> Detail(StructLayout s) => item =>
    {
        foreach (var f in s.Fields)
        {
            if (f.Name != item.Key) continue;
            string type = f.Kind == FieldKind.Union ? "union" : f.Type + (f.Count.HasValue ? " × " + f.Count.Value.ToString(CultureInfo.InvariantCulture) : "");
            return " — " + type + ", bytes " + f.Offset + ".." + (f.End - 1);
        }
        return "";
    };

    private static bool IsScalar(FieldLayout f) => (f.Kind == FieldKind.Integer || f.Kind == FieldKind.Enum) && !f.Count.HasValue;

    private static FieldLayout? FieldAt(StructLayout s, int b)
    {
        foreach (var f in s.Fields)
        {
            if (b >= f.Offset && b < f.End) return f;
        }
        return null;
    }

    private static int ValueBit(FieldLayout f, int b, int k)
    {
        int i = b - f.Offset;
        return (f.Order ?? ByteOrder.Little) == ByteOrder.Little ? 8 * i + k : 8 * (f.Size - 1 - i) + k;
    }

    private static DiagramItem Item(Dictionary<string, DiagramItem> items, string key, string name, bool reserved, FieldLayout f, bool scalar)
    {
        if (!items.TryGetValue(key, out var item))
        {
            int element = f.Count.HasValue ? f.ElementSize : 0;
            item = new DiagramItem(key, name, reserved, f.Offset, element, scalar);
            items.Add(key, item);
        }
        return item;
    }
}
