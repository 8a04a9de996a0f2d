using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Layout;

/// <summary>Resolves a validated schema into a <see cref="SchemaLayout"/> (sizes, byte orders, wire bytes of bit ranges).</summary>
public static class LayoutBuilder
{
    /// <summary>Lays out <paramref name="document"/>, which must have loaded without errors.</summary>
    public static SchemaLayout Build(SchemaDocument document)
    {
        var types = new SchemaTypes(document);
        var structs = new List<StructLayout>();
        foreach (var s in document.Structs)
        {
            var order = s.Order ?? ByteOrder.Big;
            var fields = new List<FieldLayout>();
            FieldLayout? trailing = null;
            foreach (var f in s.Fields)
            {
                if (f.IsTrailing) trailing = Field(f, f.Offset, order, types);
                else fields.Add(Field(f, f.Offset, order, types));
            }
            structs.Add(new StructLayout(s, fields) { Trailing = trailing, CountedBy = s.Trailing?.CountedBy, MaxSize = types.MaxSize(s) });
        }
        var blocks = new List<RegisterBlockLayout>();
        foreach (var b in document.RegisterBlocks)
        {
            var registers = new List<RegisterLayout>();
            foreach (var r in b.Registers) registers.Add(new RegisterLayout(r, r.Order ?? b.Order ?? ByteOrder.Big));
            blocks.Add(new RegisterBlockLayout(b, registers));
        }
        return new SchemaLayout(document, structs, blocks);
    }

    private static FieldLayout Field(FieldDef f, int offset, ByteOrder structOrder, SchemaTypes types)
    {
        var members = new List<FieldLayout>();
        if (f.IsUnion)
        {
            foreach (var m in f.Union) members.Add(Field(m, offset, structOrder, types));
            return new FieldLayout(f.Name, offset, f.UnionSize ?? 0, "union", FieldKind.Union, null, f.UnionSize ?? 0, null,
                f.Reserved, new List<BitLayout>(), members, f.Select, new List<string>(f.When), f.Doc);
        }
        var kind = types.KindOf(f.Type) switch
        {
            TypeKind.Enum => FieldKind.Enum,
            TypeKind.Struct => FieldKind.Struct,
            _ => FieldKind.Integer,
        };
        int elementSize = types.SizeOf(f.Type);
        ByteOrder? order = kind == FieldKind.Struct || elementSize <= 1 ? null : f.Order ?? structOrder;
        var bits = new List<BitLayout>();
        foreach (var b in f.Bits)
        {
            var (first, last) = WireBytes(offset, elementSize, order ?? ByteOrder.Little, b.At, b.At + b.Width - 1);
            bits.Add(new BitLayout(b.Name, b.At, b.Width, b.Type, b.Reserved, first, last, b.Doc));
        }
        return new FieldLayout(f.Name, offset, types.SizeOf(f), f.Type, kind, f.Count, elementSize, order, f.Reserved,
            bits, members, null, new List<string>(f.When), f.Doc);
    }

    /// <summary>The struct bytes holding value bits <paramref name="lsb"/>..<paramref name="msb"/> of a container.</summary>
    public static (int First, int Last) WireBytes(int offset, int size, ByteOrder order, int lsb, int msb)
    {
        int a = ByteOfBit(offset, size, order, lsb), b = ByteOfBit(offset, size, order, msb);
        return a <= b ? (a, b) : (b, a);
    }

    /// <summary>The struct byte holding value bit <paramref name="bit"/> of a container at <paramref name="offset"/>.</summary>
    public static int ByteOfBit(int offset, int size, ByteOrder order, int bit)
        => order == ByteOrder.Little ? offset + bit / 8 : offset + size - 1 - bit / 8;
}
