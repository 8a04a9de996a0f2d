using System;
using System.Collections.Generic;
using Gvnic.Schema;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Diff;

/// <summary>
/// Compares two schemas item by item (matched by name) and classifies every change. Breaking: an offset,
/// size, byte order, bit range, enum value or opcode, constant or register changed, or a field, type, value or
/// register removed, an option list's option removed or its payload, required values or minimum length changed (see
/// <c>OptionLists</c>). Compatible: a new type, enum value, constant, register or option, a new field or bit range in
/// what was reserved space (the reserved span shrinking to make room included). Doc text is not compared.
/// Struct changes are <see cref="StructDiff"/>'s job.
/// </summary>
public static class SchemaDiff
{
    /// <summary>Every change from <paramref name="oldLayout"/> to <paramref name="newLayout"/>, in schema order.</summary>
    public static List<SchemaChange> Compare(SchemaLayout oldLayout, SchemaLayout newLayout)
    {
        var changes = new List<SchemaChange>();
        Constants(oldLayout.Document, newLayout.Document, changes);
        Enums(oldLayout.Document, newLayout.Document, changes);
        var newStructs = ByName(newLayout.Structs, s => s.Name);
        foreach (var o in oldLayout.Structs)
        {
            if (newStructs.TryGetValue(o.Name, out var n)) StructDiff.Compare(o, n, changes);
            else changes.Add(new SchemaChange(true, "struct " + o.Name, "removed"));
        }
        var oldStructs = ByName(oldLayout.Structs, s => s.Name);
        foreach (var n in newLayout.Structs)
        {
            if (!oldStructs.ContainsKey(n.Name)) changes.Add(new SchemaChange(false, "struct " + n.Name, "new struct (" + n.Def.Size + " bytes)"));
        }
        Blocks(oldLayout, newLayout, changes);
        OptionLists(oldLayout.Document, newLayout.Document, changes);
        return changes;
    }

    /// <summary>
    /// Option lists: a removed list or option, a changed header, payload or required value, or a larger minimum length
    /// breaks decoders or encoders; a new list or option, or a smaller minimum length, does not.
    /// </summary>
    private static void OptionLists(SchemaDocument oldDoc, SchemaDocument newDoc, List<SchemaChange> changes)
    {
        var oldTypes = new SchemaTypes(oldDoc);
        var newTypes = new SchemaTypes(newDoc);
        var news = ByName(newDoc.OptionLists, l => l.Name);
        foreach (var o in oldDoc.OptionLists)
        {
            string subject = "option list " + o.Name;
            if (!news.TryGetValue(o.Name, out var n))
            {
                changes.Add(new SchemaChange(true, subject, "removed"));
                continue;
            }
            if (o.Header != n.Header || o.IdField != n.IdField || o.LengthField != n.LengthField)
            {
                changes.Add(new SchemaChange(true, subject, "header changed from " + o.Header + " (" + o.IdField + ", " + o.LengthField + ") to " + n.Header + " (" + n.IdField + ", " + n.LengthField + ")"));
            }
            var newOptions = ByName(n.Options, x => x.Id);
            foreach (var oo in o.Options)
            {
                string what = "option " + oo.Id;
                if (!newOptions.TryGetValue(oo.Id, out var no))
                {
                    changes.Add(new SchemaChange(true, subject, what + " removed"));
                    continue;
                }
                if (oo.Payload != no.Payload) changes.Add(new SchemaChange(true, subject, what + " payload changed from " + (oo.Payload ?? "none") + " to " + (no.Payload ?? "none")));
                int oldMin = oo.Payload is null ? 0 : oo.MinLength ?? oldTypes.SizeOf(oo.Payload);
                int newMin = no.Payload is null ? 0 : no.MinLength ?? newTypes.SizeOf(no.Payload);
                if (oldMin != newMin) changes.Add(new SchemaChange(newMin > oldMin, subject, what + " minimum length changed from " + oldMin + " to " + newMin));
                var newRequires = ByName(no.Requires, r => r.Field);
                foreach (var or in oo.Requires)
                {
                    if (!newRequires.TryGetValue(or.Field, out var nr)) changes.Add(new SchemaChange(false, subject, what + " no longer requires " + or.Field));
                    else if (or.Value != nr.Value) changes.Add(new SchemaChange(true, subject, what + " requires " + or.Field + " = " + nr.Value + " instead of " + or.Value));
                }
                var oldRequires = ByName(oo.Requires, r => r.Field);
                foreach (var nr in no.Requires)
                {
                    if (!oldRequires.ContainsKey(nr.Field)) changes.Add(new SchemaChange(true, subject, what + " now requires " + nr.Field + " = " + nr.Value));
                }
            }
            var oldOptions = ByName(o.Options, x => x.Id);
            foreach (var no in n.Options)
            {
                if (!oldOptions.ContainsKey(no.Id)) changes.Add(new SchemaChange(false, subject, "new option " + no.Id + (no.Payload is null ? "" : " (" + no.Payload + ")")));
            }
        }
        var olds = ByName(oldDoc.OptionLists, l => l.Name);
        foreach (var n in newDoc.OptionLists)
        {
            if (!olds.ContainsKey(n.Name)) changes.Add(new SchemaChange(false, "option list " + n.Name, "new option list (" + n.Options.Count + " options)"));
        }
    }

    private static void Constants(SchemaDocument oldDoc, SchemaDocument newDoc, List<SchemaChange> changes)
    {
        var news = ByName(newDoc.Constants, c => c.Name);
        foreach (var o in oldDoc.Constants)
        {
            string subject = "constant " + o.Name;
            if (!news.TryGetValue(o.Name, out var n))
            {
                changes.Add(new SchemaChange(true, subject, "removed"));
                continue;
            }
            if (o.Type != n.Type) changes.Add(new SchemaChange(true, subject, "type changed from " + o.Type + " to " + n.Type));
            if (o.Value != n.Value) changes.Add(new SchemaChange(true, subject, "value changed from " + Hex(o.Value) + " to " + Hex(n.Value)));
        }
        var olds = ByName(oldDoc.Constants, c => c.Name);
        foreach (var n in newDoc.Constants)
        {
            if (!olds.ContainsKey(n.Name)) changes.Add(new SchemaChange(false, "constant " + n.Name, "new constant = " + Hex(n.Value)));
        }
    }

    private static void Enums(SchemaDocument oldDoc, SchemaDocument newDoc, List<SchemaChange> changes)
    {
        var news = ByName(newDoc.Enums, e => e.Name);
        foreach (var o in oldDoc.Enums)
        {
            string subject = "enum " + o.Name;
            if (!news.TryGetValue(o.Name, out var n))
            {
                changes.Add(new SchemaChange(true, subject, "removed"));
                continue;
            }
            if (o.Type != n.Type) changes.Add(new SchemaChange(true, subject, "type changed from " + o.Type + " to " + n.Type));
            if (o.Flags != n.Flags) changes.Add(new SchemaChange(true, subject, n.Flags ? "became a flag set" : "is no longer a flag set"));
            string noun = o.Name.Contains("opcode", StringComparison.Ordinal) ? "opcode" : "value";
            var newValues = ByName(n.Values, v => v.Name);
            foreach (var ov in o.Values)
            {
                if (!newValues.TryGetValue(ov.Name, out var nv)) changes.Add(new SchemaChange(true, subject, noun + " " + ov.Name + " (" + Hex(ov.Value) + ") removed"));
                else if (ov.Value != nv.Value) changes.Add(new SchemaChange(true, subject, noun + " " + ov.Name + " changed from " + Hex(ov.Value) + " to " + Hex(nv.Value)));
            }
            var oldValues = ByName(o.Values, v => v.Name);
            foreach (var nv in n.Values)
            {
                if (!oldValues.ContainsKey(nv.Name)) changes.Add(new SchemaChange(false, subject, "new " + noun + " " + nv.Name + " = " + Hex(nv.Value)));
            }
        }
        var olds = ByName(oldDoc.Enums, e => e.Name);
        foreach (var n in newDoc.Enums)
        {
            if (!olds.ContainsKey(n.Name)) changes.Add(new SchemaChange(false, "enum " + n.Name, "new enum (" + n.Type + ")"));
        }
    }

    private static void Blocks(SchemaLayout oldLayout, SchemaLayout newLayout, List<SchemaChange> changes)
    {
        var news = ByName(newLayout.Blocks, b => b.Name);
        foreach (var o in oldLayout.Blocks)
        {
            string subject = "register block " + o.Name;
            if (!news.TryGetValue(o.Name, out var n))
            {
                changes.Add(new SchemaChange(true, subject, "removed"));
                continue;
            }
            if (o.Def.Bar != n.Def.Bar) changes.Add(new SchemaChange(true, subject, "moved from BAR " + o.Def.Bar + " to BAR " + n.Def.Bar));
            var newRegisters = ByName(n.Registers, r => r.Def.Name);
            foreach (var or in o.Registers)
            {
                string what = "register " + or.Def.Name;
                if (!newRegisters.TryGetValue(or.Def.Name, out var nr))
                {
                    changes.Add(new SchemaChange(true, subject, what + " removed"));
                    continue;
                }
                var od = or.Def;
                var nd = nr.Def;
                if (od.Offset != nd.Offset) changes.Add(new SchemaChange(true, subject, what + " moved from offset 0x" + od.Offset.ToString("x") + " to 0x" + nd.Offset.ToString("x")));
                if (od.Width != nd.Width) changes.Add(new SchemaChange(true, subject, what + " width changed from " + od.Width + " to " + nd.Width + " bits"));
                if (or.Order != nr.Order) changes.Add(new SchemaChange(true, subject, what + " byte order changed from " + Order(or.Order) + " to " + Order(nr.Order)));
                if (od.Stride != nd.Stride) changes.Add(new SchemaChange(true, subject, what + " stride changed from " + (od.Stride?.ToString() ?? "none") + " to " + (nd.Stride?.ToString() ?? "none")));
                if ((od.Type ?? "u" + od.Width) != (nd.Type ?? "u" + nd.Width))
                {
                    changes.Add(new SchemaChange(true, subject, what + " type changed from " + (od.Type ?? "u" + od.Width) + " to " + (nd.Type ?? "u" + nd.Width)));
                }
                if (od.Access != nd.Access)
                {
                    bool widened = nd.Access == RegisterAccess.ReadWrite;
                    changes.Add(new SchemaChange(!widened, subject, what + " access changed from " + Access(od.Access) + " to " + Access(nd.Access)));
                }
            }
            var oldRegisters = ByName(o.Registers, r => r.Def.Name);
            foreach (var nr in n.Registers)
            {
                if (!oldRegisters.ContainsKey(nr.Def.Name)) changes.Add(new SchemaChange(false, subject, "new register " + nr.Def.Name + " at offset 0x" + nr.Def.Offset.ToString("x")));
            }
        }
        var olds = ByName(oldLayout.Blocks, b => b.Name);
        foreach (var n in newLayout.Blocks)
        {
            if (!olds.ContainsKey(n.Name)) changes.Add(new SchemaChange(false, "register block " + n.Name, "new register block (BAR " + n.Def.Bar + ")"));
        }
    }

    /// <summary>Items by name; the first of a duplicate wins (a validated schema has none).</summary>
    internal static Dictionary<string, T> ByName<T>(IEnumerable<T> items, Func<T, string> name)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items) map.TryAdd(name(item), item);
        return map;
    }

    internal static string Hex(ulong value) => "0x" + value.ToString("x");

    internal static string Order(ByteOrder? order) => order switch { ByteOrder.Big => "big", ByteOrder.Little => "little", _ => "none" };

    private static string Access(RegisterAccess access) => access switch { RegisterAccess.Read => "read", RegisterAccess.Write => "write", _ => "read_write" };
}
