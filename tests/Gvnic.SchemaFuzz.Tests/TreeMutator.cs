using System;
using System.Collections.Generic;
using System.Linq;

namespace Gvnic.SchemaFuzz.Tests;

/// <summary>
/// Mutates the parsed schema tree and writes it back as YAML: deleted, duplicated and renamed keys,
/// a scalar swapped for a mapping or sequence (and back), numbers made huge, negative or not numbers,
/// type references renamed to unknown or other types, offsets and sizes swapped, structs that contain
/// themselves, duplicate enum values and names, anchors with aliases (shared and cyclic), deep nesting.
/// One to three mutations a case; each is described so a failure names what was done.
/// </summary>
internal static class TreeMutator
{
    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "-2147483648", "2147483647", "2147483648", "4294967295", "4294967296", "9223372036854775807",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999999", "0x", "0xFFFFFFFFFFFFFFFF",
        "0x1_0000_0000", "0x7fffffff", "1.5", "1e9", "NaN", "abc", "_", "0b101", "+3", "007", "", "~", "null", "true",
    ];

    private static readonly string[] Keys =
    [
        "name", "type", "size", "at", "count", "order", "doc", "fields", "bits", "union", "select", "when", "width",
        "values", "value", "flags", "reserved", "offset", "access", "stride", "bar", "registers", "upstream", "bogus", "",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "big", "little", "middle", "zero", "ignore", "read", "write", "read_write", "u8", "u16", "u32", "u64", "u128",
        "bool", "i32", "class", "int", "namespace", "System", "1abc", "a-b", "a b", "a.b", "_", "__", "\u00e9t\u00e9", "\u0000",
        "\t", "line\nbreak", "\"", "\\", "*/", "/*", "<summary>", "&amp;", "}", "{", "#", "'", "@", "$", "\u202e", "\ud800",
        new string('x', 600), new string('q', 70_000),
    ];

    /// <summary>
    /// A place in the tree that holds a node (a mapping entry's value or a sequence item): read or replace it. The
    /// path is made only when a mutation names it, so collecting the tens of thousands of places stays cheap.
    /// </summary>
    private sealed class Slot(FNode parent, FEntry? entry, int index, Slot? up)
    {
        public FNode Parent { get; } = parent;

        public string? Key => entry is null ? null : KeyText(entry);

        public FNode Get() => entry?.Value ?? ((FSequence)Parent).Items[index];

        public void Set(FNode value)
        {
            if (entry != null) entry.Value = value;
            else ((FSequence)Parent).Items[index] = value;
        }

        public string Path
        {
            get
            {
                var prefix = up?.Path ?? "";
                if (entry is null) return prefix + "[" + index + "]";
                var k = KeyText(entry);
                return prefix + "/" + (Parent is FMapping m && k != "name" && m.Get("name") is { } n ? n.Value + "." : "") + k;
            }
        }

        public bool IsInside(Slot other)
        {
            for (var s = this; s != null; s = s.Up) if (ReferenceEquals(s, other)) return true;
            return false;
        }

        public Slot? Up => up;
    }

    public static string Mutate(FNode original, Random rng, List<string> log)
    {
        var root = original.Clone();
        int count = 1 + rng.Next(3);
        int anchors = 0;
        for (int i = 0; i < count; i++) root = MutateOnce(root, rng, log, ref anchors);
        return FWriter.Write(root);
    }

    private static FNode MutateOnce(FNode root, Random rng, List<string> log, ref int anchors)
    {
        var slots = new List<Slot>();
        Collect(root, null, slots, new HashSet<FNode>(ReferenceEqualityComparer.Instance));
        if (slots.Count == 0)
        {
            log.Add("root replaced by a mapping");
            return new FMapping([new FEntry(new FScalar("schema", true), new FScalar("x", true))]);
        }
        var slot = slots[rng.Next(slots.Count)];
        switch (rng.Next(16))
        {
            case 0:
            {
                var map = Pick<FMapping>(slots, rng);
                if (map is null || map.Node.Entries.Count == 0) goto default;
                int i = rng.Next(map.Node.Entries.Count);
                log.Add("delete key '" + KeyText(map.Node.Entries[i]) + "' of " + map.Path);
                map.Node.Entries.RemoveAt(i);
                break;
            }
            case 1:
            {
                var map = Pick<FMapping>(slots, rng);
                if (map is null || map.Node.Entries.Count == 0) goto default;
                int i = rng.Next(map.Node.Entries.Count);
                var copy = map.Node.Entries[i].Clone();
                map.Node.Entries.Insert(rng.Next(map.Node.Entries.Count + 1), copy);
                log.Add("duplicate key '" + KeyText(copy) + "' of " + map.Path);
                break;
            }
            case 2:
            {
                var map = Pick<FMapping>(slots, rng);
                if (map is null || map.Node.Entries.Count == 0) goto default;
                var e = map.Node.Entries[rng.Next(map.Node.Entries.Count)];
                var key = Keys[rng.Next(Keys.Length)];
                log.Add("rename key '" + KeyText(e) + "' of " + map.Path + " to '" + key + "'");
                e.Key = new FScalar(key, true);
                break;
            }
            case 3:
            {
                var seq = Pick<FSequence>(slots, rng);
                if (seq is null || seq.Node.Items.Count == 0) goto default;
                int i = rng.Next(seq.Node.Items.Count);
                if (rng.Next(2) == 0)
                {
                    seq.Node.Items.Insert(rng.Next(seq.Node.Items.Count + 1), seq.Node.Items[i].Clone());
                    log.Add("duplicate item " + i + " of " + seq.Path);
                }
                else
                {
                    seq.Node.Items.RemoveAt(i);
                    log.Add("delete item " + i + " of " + seq.Path);
                }
                break;
            }
            case 4:
            {
                FNode replacement = rng.Next(3) switch
                {
                    0 => new FMapping(rng.Next(2) == 0 ? [] : [new FEntry(new FScalar("name", true), new FScalar("x", true))]),
                    1 => new FSequence(rng.Next(2) == 0 ? [] : [slot.Get().Clone()]),
                    _ => new FScalar(Strings[rng.Next(Strings.Length)], rng.Next(2) == 0),
                };
                log.Add("replace " + slot.Path + " with a " + replacement.GetType().Name.Substring(1).ToLowerInvariant());
                slot.Set(replacement);
                break;
            }
            case 5:
            {
                var number = PickScalar(slots, rng, s => s.Plain && s.Value.Length > 0 && char.IsAsciiDigit(s.Value[0]));
                if (number is null) goto default;
                var v = Numbers[rng.Next(Numbers.Length)];
                bool plain = rng.Next(8) != 0;
                log.Add("number " + number.Path + " to " + (plain ? v : "\"" + v + "\""));
                number.Set(new FScalar(v, plain));
                break;
            }
            case 6:
            {
                var typeRef = PickScalar(slots, rng, _ => true, "type", "select", "when");
                if (typeRef is null) goto default;
                var names = TypeNames(root);
                string to = rng.Next(3) switch
                {
                    0 => "no_such_type_" + rng.Next(100),
                    1 when names.Count > 0 => names[rng.Next(names.Count)],
                    _ => Strings[rng.Next(Strings.Length)],
                };
                log.Add("type reference " + typeRef.Path + " to '" + Trim(to) + "'");
                typeRef.Set(new FScalar(to, true));
                break;
            }
            case 7:
            {
                // Swap two values of the same key (offsets, sizes, widths, types) between two items of one list.
                var seq = Pick<FSequence>(slots, rng);
                if (seq is null || seq.Node.Items.Count < 2) goto default;
                var a = seq.Node.Items[rng.Next(seq.Node.Items.Count)] as FMapping;
                var b = seq.Node.Items[rng.Next(seq.Node.Items.Count)] as FMapping;
                if (a is null || b is null) goto default;
                var key = new[] { "at", "size", "width", "type", "value", "offset", "count", "name" }[rng.Next(8)];
                var ea = a.Entries.FirstOrDefault(e => e.Key is FScalar k && k.Value == key);
                var eb = b.Entries.FirstOrDefault(e => e.Key is FScalar k && k.Value == key);
                if (ea is null || eb is null) goto default;
                (ea.Value, eb.Value) = (eb.Value, ea.Value);
                log.Add("swap '" + key + "' of two items of " + seq.Path);
                break;
            }
            case 8:
            {
                // A struct that contains itself, directly or through another struct.
                var structs = (root as FMapping)?.GetNode("structs") as FSequence;
                var all = structs?.Items.OfType<FMapping>().Where(s => s.Get("name") != null && s.GetNode("fields") is FSequence).ToList();
                if (all is null || all.Count == 0) goto default;
                var s = all[rng.Next(all.Count)];
                var target = rng.Next(2) == 0 ? s : all[rng.Next(all.Count)];
                var fields = (FSequence)s.GetNode("fields")!;
                if (fields.Items.Count > 0 && fields.Items[rng.Next(fields.Items.Count)] is FMapping f && f.Get("type") is { } t && rng.Next(2) == 0)
                {
                    t.Value = target.Get("name")!.Value;
                    log.Add("a field of struct '" + s.Get("name")!.Value + "' to type '" + t.Value + "'");
                }
                else
                {
                    fields.Items.Add(new FMapping([
                        new FEntry(new FScalar("name", true), new FScalar("self_" + rng.Next(10), true)),
                        new FEntry(new FScalar("at", true), new FScalar(rng.Next(64).ToString(), true)),
                        new FEntry(new FScalar("type", true), new FScalar(target.Get("name")!.Value, true)),
                        new FEntry(new FScalar("doc", true), new FScalar("Added.", false)),
                    ]));
                    log.Add("struct '" + s.Get("name")!.Value + "' gets a field of type '" + target.Get("name")!.Value + "'");
                }
                break;
            }
            case 9:
            {
                // Enum values (or names) made duplicates.
                var enums = ((root as FMapping)?.GetNode("enums") as FSequence)?.Items.OfType<FMapping>().ToList();
                var e = enums is { Count: > 0 } ? enums[rng.Next(enums.Count)] : null;
                var values = (e?.GetNode("values") as FSequence)?.Items.OfType<FMapping>().ToList();
                if (values is null || values.Count < 2) goto default;
                var a = values[rng.Next(values.Count)];
                var b = values[rng.Next(values.Count)];
                var key = rng.Next(2) == 0 ? "value" : "name";
                if (a.Get(key) is { } va && b.Get(key) is { } vb)
                {
                    vb.Value = va.Value;
                    log.Add("enum '" + e!.Get("name")?.Value + "': two values share " + key + " '" + va.Value + "'");
                }
                else goto default;
                break;
            }
            case 10:
            {
                // Anchor a node and put an alias to it somewhere: shared, or inside itself (a cycle).
                var target = slots[rng.Next(slots.Count)];
                var node = target.Get();
                if (node is FAlias) goto default;
                string name = node.Anchor ?? "a" + anchors++;
                node.Anchor = name;
                var inner = new List<Slot>();
                Collect(node, target, inner, new HashSet<FNode>(ReferenceEqualityComparer.Instance));
                bool cycle = inner.Count > 0 && rng.Next(2) == 0;
                var where = cycle ? inner[rng.Next(inner.Count)] : AfterIn(slots, target, rng);
                if (where is null) goto default;
                where.Set(new FAlias(name));
                log.Add((cycle ? "cyclic alias *" : "alias *") + name + " of " + target.Path + " at " + where.Path);
                break;
            }
            case 11:
            {
                int depth = rng.Next(3) switch { 0 => 20, 1 => 200, _ => 1_500 };
                FNode nest = new FScalar("x", true);
                for (int i = 0; i < depth; i++) nest = rng.Next(2) == 0 ? new FSequence([nest]) : new FMapping([new FEntry(new FScalar("k", true), nest)]);
                slot.Set(nest);
                log.Add("nest " + depth + " levels at " + slot.Path);
                break;
            }
            case 12:
            {
                // A mapping made a key (a non-scalar key).
                var map = Pick<FMapping>(slots, rng);
                if (map is null || map.Node.Entries.Count == 0) goto default;
                var e = map.Node.Entries[rng.Next(map.Node.Entries.Count)];
                e.Key = rng.Next(2) == 0 ? new FSequence([e.Key]) : new FMapping([new FEntry(e.Key, new FScalar("v", true))]);
                log.Add("key '" + KeyText(e) + "' of " + map.Path + " made a " + e.Key.GetType().Name.Substring(1).ToLowerInvariant());
                break;
            }
            case 13:
            {
                // Swap two subtrees anywhere.
                var other = slots[rng.Next(slots.Count)];
                var a = slot.Get();
                var b = other.Get();
                if (ReferenceEquals(a, b) || Contains(a, b) || Contains(b, a)) goto default;
                slot.Set(b);
                other.Set(a);
                log.Add("swap " + slot.Path + " and " + other.Path);
                break;
            }
            case 14:
            {
                var s = PickScalar(slots, rng, _ => true);
                if (s is null) goto default;
                var to = Strings[rng.Next(Strings.Length)];
                log.Add("scalar " + s.Path + " to '" + Trim(to) + "'");
                s.Set(new FScalar(to, rng.Next(2) == 0));
                break;
            }
            case 15:
            {
                // A list emptied, or one item of it made a scalar.
                var seq = Pick<FSequence>(slots, rng);
                if (seq is null) goto default;
                seq.Node.Items.Clear();
                log.Add("empty " + seq.Path);
                break;
            }
            default:
            {
                log.Add("delete " + slot.Path);
                switch (slot.Parent)
                {
                    case FMapping m:
                        m.Entries.RemoveAll(e => ReferenceEquals(e.Value, slot.Get()) || ReferenceEquals(e.Key, slot.Get()));
                        break;
                    case FSequence q:
                        q.Items.Remove(slot.Get());
                        break;
                }
                break;
            }
        }
        return root;
    }

    private static void Collect(FNode node, Slot? up, List<Slot> slots, HashSet<FNode> seen)
    {
        if (!seen.Add(node)) return;
        switch (node)
        {
            case FSequence q:
                for (int i = 0; i < q.Items.Count; i++)
                {
                    var slot = new Slot(q, null, i, up);
                    slots.Add(slot);
                    Collect(q.Items[i], slot, slots, seen);
                }
                break;
            case FMapping m:
                foreach (var e in m.Entries)
                {
                    var slot = new Slot(m, e, -1, up);
                    slots.Add(slot);
                    Collect(e.Value, slot, slots, seen);
                }
                break;
        }
    }

    private sealed record Picked<T>(T Node, string Path);

    private static Picked<T>? Pick<T>(List<Slot> slots, Random rng) where T : FNode
    {
        for (int tries = 0; tries < 20; tries++)
        {
            var s = slots[rng.Next(slots.Count)];
            if (s.Get() is T t) return new Picked<T>(t, s.Path);
        }
        return null;
    }

    private static Slot? PickScalar(List<Slot> slots, Random rng, Func<FScalar, bool> accept, params string[] keys)
    {
        var candidates = slots.Where(s => s.Get() is FScalar sc && accept(sc) && (keys.Length == 0 || (s.Key != null && keys.Contains(s.Key)))).ToList();
        return candidates.Count == 0 ? null : candidates[rng.Next(candidates.Count)];
    }

    private static Slot? AfterIn(List<Slot> slots, Slot anchor, Random rng)
    {
        // An alias must come after its anchor in the file: pick a later slot that is not inside the anchored node.
        int i = slots.IndexOf(anchor);
        var later = slots.Skip(i + 1).Where(s => !s.IsInside(anchor)).ToList();
        return later.Count == 0 ? null : later[rng.Next(later.Count)];
    }

    private static List<string> TypeNames(FNode root)
    {
        var names = new List<string> { "u8", "u16", "u32", "u64", "bool" };
        if (root is FMapping m)
        {
            foreach (var list in new[] { "enums", "structs" })
            {
                if (m.GetNode(list) is FSequence q) names.AddRange(q.Items.OfType<FMapping>().Select(i => i.Get("name")?.Value).OfType<string>());
            }
        }
        return names;
    }

    private static bool Contains(FNode outer, FNode inner)
    {
        var stack = new Stack<FNode>();
        var seen = new HashSet<FNode>(ReferenceEqualityComparer.Instance);
        stack.Push(outer);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (ReferenceEquals(n, inner)) return true;
            if (!seen.Add(n)) continue;
            if (n is FSequence q) foreach (var i in q.Items) stack.Push(i);
            if (n is FMapping m) foreach (var e in m.Entries) { stack.Push(e.Key); stack.Push(e.Value); }
        }
        return false;
    }

    private static string KeyText(FEntry e) => e.Key is FScalar s ? s.Value : "(" + e.Key.GetType().Name.Substring(1).ToLowerInvariant() + ")";

    private static string Trim(string s) => s.Length > 40 ? s.Substring(0, 20) + "...(" + s.Length + " chars)" : s.Replace("\n", "\\n");
}
