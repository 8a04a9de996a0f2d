using System.Collections.Generic;
using Gvnic.Schema;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Diff;

/// <summary>
/// Compares two versions of one struct: its size and byte order, each field and union member (offset,
/// size, type, count, byte order, reserved), each bit range (container, bits, type) and each union's
/// selector. New fields and bit ranges are compatible when every byte or bit they take was reserved before
/// (or lies past the old end); reserved spans may shrink, move or disappear to make room.
/// </summary>
public static class StructDiff
{
    /// <summary>Adds the changes from <paramref name="o"/> to <paramref name="n"/> to <paramref name="changes"/>.</summary>
    public static void Compare(StructLayout o, StructLayout n, List<SchemaChange> changes)
    {
        var diff = new Context("struct " + o.Name, changes);
        if (o.Def.Size != n.Def.Size) diff.Breaking("size changed from " + o.Def.Size + " to " + n.Def.Size + " bytes");
        if (o.Def.Order != n.Def.Order) diff.Breaking("byte order changed from " + SchemaDiff.Order(o.Def.Order) + " to " + SchemaDiff.Order(n.Def.Order));
        diff.Fields(o.Fields, n.Fields, "field ", o);
        diff.Bits(Bits(o.Fields), Bits(n.Fields), o);
        Trailing(o, n, diff);
    }

    /// <summary>
    /// A message's trailing array and bound: removing the array or changing its name, element type, element size, byte
    /// order or counter breaks readers and writers, and so does a lower <c>max_size</c> (messages valid before may no
    /// longer fit); adding an array after an unchanged fixed part, or raising, adding or dropping the bound, does not.
    /// </summary>
    private static void Trailing(StructLayout o, StructLayout n, Context diff)
    {
        if (o.Trailing is FieldLayout ot && n.Trailing is FieldLayout nt)
        {
            if (ot.Name != nt.Name) diff.Breaking("trailing array " + ot.Name + " renamed to " + nt.Name);
            if (ot.Type != nt.Type || ot.ElementSize != nt.ElementSize)
                diff.Breaking("trailing array " + nt.Name + " changed from " + ot.Type + " (" + ot.ElementSize + " bytes) to " + nt.Type + " (" + nt.ElementSize + " bytes)");
            if (ot.Order != nt.Order) diff.Breaking("trailing array " + nt.Name + " byte order changed from " + SchemaDiff.Order(ot.Order) + " to " + SchemaDiff.Order(nt.Order));
            if (o.CountedBy != n.CountedBy) diff.Breaking("trailing array " + nt.Name + " counted by " + n.CountedBy + " instead of " + o.CountedBy);
        }
        else if (o.Trailing is FieldLayout removed)
        {
            diff.Breaking("trailing array " + removed.Name + " removed");
        }
        else if (n.Trailing is FieldLayout added)
        {
            diff.Compatible("trailing array " + added.Name + " added (" + added.Type + " × " + n.CountedBy + ")");
        }
        if (o.MaxSize == n.MaxSize) return;
        if (o.MaxSize.HasValue && n.MaxSize.HasValue && n.MaxSize.Value < o.MaxSize.Value)
            diff.Breaking("max_size lowered from " + o.MaxSize.Value + " to " + n.MaxSize.Value + " bytes");
        else
            diff.Compatible("max_size " + (o.MaxSize.HasValue ? o.MaxSize.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none") + " → " + (n.MaxSize.HasValue ? n.MaxSize.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none"));
    }

    private static Dictionary<string, (string Container, BitLayout Bit)> Bits(IReadOnlyList<FieldLayout> fields)
    {
        var map = new Dictionary<string, (string, BitLayout)>(System.StringComparer.Ordinal);
        void Add(FieldLayout f, string path)
        {
            foreach (var b in f.Bits) map.TryAdd(b.Name, (path, b));
            foreach (var m in f.Members) Add(m, path + "." + m.Name);
        }
        foreach (var f in fields) Add(f, f.Name);
        return map;
    }

    private sealed class Context
    {
        private readonly string _subject;
        private readonly List<SchemaChange> _changes;

        public Context(string subject, List<SchemaChange> changes)
        {
            _subject = subject;
            _changes = changes;
        }

        public void Breaking(string message) => _changes.Add(new SchemaChange(true, _subject, message));

        public void Compatible(string message) => _changes.Add(new SchemaChange(false, _subject, message));

        public void Fields(IReadOnlyList<FieldLayout> olds, IReadOnlyList<FieldLayout> news, string noun, StructLayout? oldStruct)
        {
            var newByName = SchemaDiff.ByName(news, f => f.Name);
            foreach (var o in olds)
            {
                if (newByName.TryGetValue(o.Name, out var n)) Field(o, n, noun + o.Name);
                else if (o.Reserved != ReservedKind.None) Compatible("reserved " + noun + o.Name + " removed (bytes " + Range(o.Offset, o.End - 1) + ")");
                else Breaking(noun + o.Name + " removed");
            }
            var oldByName = SchemaDiff.ByName(olds, f => f.Name);
            foreach (var n in news)
            {
                if (oldByName.ContainsKey(n.Name)) continue;
                if (oldStruct is null)
                {
                    Compatible("new " + noun + n.Name);
                    continue;
                }
                NewField(n, oldStruct);
            }
        }

        private void NewField(FieldLayout n, StructLayout oldStruct)
        {
            string what = "new field " + n.Name + " at offset " + n.Offset;
            if (n.Reserved != ReservedKind.None)
            {
                Compatible("new reserved field " + n.Name + " at offset " + n.Offset);
                return;
            }
            if (n.Offset >= oldStruct.Def.Size)
            {
                Compatible(what + " (past the old end)");
                return;
            }
            var reservedNames = new List<string>();
            var takenNames = new List<string>();
            foreach (var f in oldStruct.Fields)
            {
                if (f.Offset >= n.End || n.Offset >= f.End) continue;
                var list = f.Reserved != ReservedKind.None ? reservedNames : takenNames;
                if (!list.Contains(f.Name)) list.Add(f.Name);
            }
            if (takenNames.Count == 0) Compatible(what + " in reserved space (was " + string.Join(", ", reservedNames) + ")");
            else Breaking(what + " takes bytes of old field " + string.Join(", ", takenNames));
        }

        private void Field(FieldLayout o, FieldLayout n, string what)
        {
            bool wasReserved = o.Reserved != ReservedKind.None, isReserved = n.Reserved != ReservedKind.None;
            if (wasReserved && isReserved)
            {
                if (o.Offset != n.Offset || o.Size != n.Size)
                {
                    Compatible("reserved " + what + " changed from bytes " + Range(o.Offset, o.End - 1) + " to " + Range(n.Offset, n.End - 1));
                }
                if (o.Reserved == ReservedKind.Ignore && n.Reserved == ReservedKind.Zero) Breaking(what + " must now be zero (was reserved: ignore)");
                else if (o.Reserved == ReservedKind.Zero && n.Reserved == ReservedKind.Ignore) Compatible(what + " may now hold any value (was reserved: zero)");
                return;
            }
            if (!wasReserved && isReserved) Breaking(what + " is now reserved");
            if (wasReserved && !isReserved) Compatible(what + " is no longer reserved");
            if (o.Offset != n.Offset) Breaking(what + " moved from offset " + o.Offset + " to " + n.Offset);
            if (o.Size != n.Size) Breaking(what + " size changed from " + o.Size + " to " + n.Size + " bytes");
            if (o.Type != n.Type)
            {
                bool sameStorage = o.Kind != FieldKind.Struct && n.Kind != FieldKind.Struct && o.Kind != FieldKind.Union && n.Kind != FieldKind.Union
                    && o.ElementSize == n.ElementSize && o.Count == n.Count;
                if (sameStorage) Compatible(what + " type changed from " + o.Type + " to " + n.Type + " (same size)");
                else Breaking(what + " type changed from " + o.Type + " to " + n.Type);
            }
            else if (o.Count != n.Count && o.Size == n.Size)
            {
                Breaking(what + " count changed from " + (o.Count?.ToString() ?? "1") + " to " + (n.Count?.ToString() ?? "1"));
            }
            if (o.Order.HasValue && n.Order.HasValue && o.Order != n.Order)
            {
                Breaking(what + " byte order changed from " + SchemaDiff.Order(o.Order) + " to " + SchemaDiff.Order(n.Order));
            }
            if (o.Kind == FieldKind.Union && n.Kind == FieldKind.Union)
            {
                if (o.Select != n.Select) Breaking(what + " selector changed from " + (o.Select ?? "none") + " to " + (n.Select ?? "none"));
                Fields(o.Members, n.Members, "union member " + o.Name + ".", null);
            }
            foreach (var w in o.When)
            {
                if (!Contains(n.When, w)) Breaking(what + " no longer selected by " + w);
            }
            foreach (var w in n.When)
            {
                if (!Contains(o.When, w)) Compatible(what + " now also selected by " + w);
            }
        }

        public void Bits(Dictionary<string, (string Container, BitLayout Bit)> olds, Dictionary<string, (string Container, BitLayout Bit)> news, StructLayout oldStruct)
        {
            foreach (var (name, (container, o)) in olds)
            {
                string what = "bit range " + name;
                if (!news.TryGetValue(name, out var entry))
                {
                    if (o.Reserved != ReservedKind.None) Compatible("reserved " + what + " removed (" + BitRange(o) + " of " + container + ")");
                    else Breaking(what + " removed");
                    continue;
                }
                var n = entry.Bit;
                bool bothReserved = o.Reserved != ReservedKind.None && n.Reserved != ReservedKind.None;
                if (container != entry.Container) Breaking(what + " moved from field " + container + " to field " + entry.Container);
                else if (o.Lsb != n.Lsb || o.Width != n.Width)
                {
                    string message = what + (o.Width == n.Width ? " moved" : " changed") + " from " + BitRange(o) + " to " + BitRange(n);
                    if (bothReserved) Compatible("reserved " + message);
                    else Breaking(message);
                }
                if (bothReserved) continue;
                if (o.Type != n.Type) Breaking(what + " type changed from " + (o.Type ?? "u" + o.Width) + " to " + (n.Type ?? "u" + n.Width));
                if (o.Reserved == ReservedKind.None && n.Reserved != ReservedKind.None) Breaking(what + " is now reserved");
                if (o.Reserved != ReservedKind.None && n.Reserved == ReservedKind.None) Compatible(what + " is no longer reserved");
            }
            foreach (var (name, (container, n)) in news)
            {
                if (olds.ContainsKey(name)) continue;
                if (!HasContainer(oldStruct.Fields, container)) continue; // a new field: reported with its field
                string what = "new bit range " + name + " at " + BitRange(n) + " of field " + container;
                var taken = new List<string>();
                foreach (var (otherName, (otherContainer, other)) in olds)
                {
                    if (otherContainer == container && other.Reserved == ReservedKind.None && other.Lsb <= n.Msb && n.Lsb <= other.Msb) taken.Add(otherName);
                }
                if (taken.Count == 0) Compatible(what + " (reserved bits)");
                else Breaking(what + " takes bits of old bit range " + string.Join(", ", taken));
            }
        }

        private static bool HasContainer(IReadOnlyList<FieldLayout> fields, string path)
        {
            foreach (var f in fields)
            {
                if (f.Name == path) return f.Reserved == ReservedKind.None;
                foreach (var m in f.Members)
                {
                    if (f.Name + "." + m.Name == path) return m.Reserved == ReservedKind.None;
                }
            }
            return false;
        }

        private static bool Contains(IReadOnlyList<string> list, string value)
        {
            foreach (var item in list)
            {
                if (item == value) return true;
            }
            return false;
        }

        private static string BitRange(BitLayout b) => b.Width == 1 ? "bit " + b.Lsb : "bits " + b.Lsb + ".." + b.Msb;

        private static string Range(int first, int last) => first == last ? first.ToString() : first + ".." + last;
    }
}
