using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Wire;

namespace Gvnic.Cli.Schema;

/// <summary>
/// Every settable path of one schema type, and a precise explanation when a typed path is none of them
/// (unknown name with a suggestion, index out of range, a struct or union where a value is needed).
/// </summary>
internal sealed class PathResolver
{
    private readonly WireType _type;
    private readonly Dictionary<string, SchemaRow> _rows = new(StringComparer.Ordinal);
    private readonly List<SchemaRow> _ordered;
    private readonly HashSet<string> _templates = new(StringComparer.Ordinal);

    /// <summary>Lays out <paramref name="type"/> with every union member.</summary>
    public PathResolver(WireType type)
        : this(type, null)
    {
    }

    /// <summary>
    /// Lays out <paramref name="type"/> with every union member; with <paramref name="message"/>, also the elements of its
    /// trailing array that the message's counter states.
    /// </summary>
    public PathResolver(WireType type, byte[]? message)
    {
        _type = type;
        _ordered = SchemaWalker.Rows(type, null);
        if (message is not null && type.Trailing is not null) _ordered.AddRange(SchemaWalker.Rows(type, message).Where(r => r.Field.CountedBy is not null || r.Path.StartsWith(type.Trailing.Name + "[", StringComparison.Ordinal)));
        foreach (var row in _ordered)
        {
            _rows.TryAdd(row.Path, row);
            if (row.Kind == RowKind.Value) _templates.Add(SchemaWalker.Template(row.Path));
        }
    }

    /// <summary>
    /// The value rows <paramref name="path"/> names: one for a value, every element for a whole value array (<c>mac</c>).
    /// Throws <see cref="UsageException"/> naming <paramref name="argument"/> otherwise.
    /// </summary>
    public IReadOnlyList<SchemaRow> Resolve(string path, string argument)
    {
        if (_rows.TryGetValue(path, out var row))
        {
            if (row.Kind == RowKind.Value) return [row];
            throw new UsageException(argument + " '" + path + "' " + NotAValue(row));
        }
        // A whole array of values: mac → mac[0..5].
        var elements = _ordered.Where(r => r.Kind == RowKind.Value && (r.Field.Count > 1 || r.Field.CountedBy is not null) && r.Path.StartsWith(path + "[", StringComparison.Ordinal)
            && r.Path.IndexOf(']', path.Length) == r.Path.Length - 1).ToList();
        if (elements.Count > 0) return elements;
        throw new UsageException(argument + " '" + path + "' " + Explain(path));
    }

    private string NotAValue(SchemaRow row)
    {
        if (row.Kind == RowKind.Union)
        {
            var members = MembersOf(row);
            string example = FirstValueUnder(members.Count > 0 ? Prefix(row.Path) + members[0] : row.Path) ?? "";
            return "is a union of " + string.Join(", ", members) + "; set a field of one member"
                + (example.Length > 0 ? ", e.g. " + example : "");
        }
        if (row.Field.Count > 1 && !row.Path.EndsWith(']'))
            return "is an array of " + row.Field.Count + " " + row.Field.TypeName + "; name an element, e.g. " + (FirstValueUnder(row.Path + "[0]") ?? row.Path + "[0]");
        return "is a struct (" + row.Field.TypeName + "); set one of its fields, e.g. " + (FirstValueUnder(row.Path) ?? row.Path + ".…");
    }

    private List<string> MembersOf(SchemaRow union)
    {
        // Union members are the rows one level below the union heading, up to the next row at the union's depth.
        var list = new List<string>();
        int start = _ordered.IndexOf(union);
        for (int i = start + 1; i < _ordered.Count && _ordered[i].Depth > union.Depth; i++)
        {
            if (_ordered[i].Depth == union.Depth + 1 && _ordered[i].Field.Union == union.Field.Name && _ordered[i].Field.Container is null)
                list.Add(_ordered[i].Field.Name + (_ordered[i].Field.Count > 1 ? "[]" : ""));
        }
        return list;
    }

    private static string Prefix(string path)
    {
        int dot = path.LastIndexOf('.');
        return dot < 0 ? "" : path[..(dot + 1)];
    }

    private string? FirstValueUnder(string path)
    {
        foreach (var r in _ordered)
        {
            if (r.Kind != RowKind.Value) continue;
            if (r.Path == path || r.Path.StartsWith(path + ".", StringComparison.Ordinal) || r.Path.StartsWith(path + "[", StringComparison.Ordinal))
                return r.Path;
        }
        return null;
    }

    private string Explain(string path)
    {
        // Walk the path segment by segment to find the first part that does not exist.
        var segments = path.Split('.');
        string prefix = "";
        for (int s = 0; s < segments.Length; s++)
        {
            string segment = segments[s];
            int bracket = segment.IndexOf('[');
            string name = bracket < 0 ? segment : segment[..bracket];
            string named = prefix + name;
            bool last = s == segments.Length - 1;
            if (_rows.TryGetValue(named, out var found) && found.Kind == RowKind.Union && bracket < 0)
            {
                string rest = string.Join('.', segments.Skip(s + 1));
                return "names the union '" + name + "': union members are named directly, without it"
                    + (rest.Length > 0 ? " (" + prefix + rest + ")" : "");
            }
            bool isArray = _templates.Any(t => t.StartsWith(SchemaWalker.Template(named) + "[]", StringComparison.Ordinal))
                || _rows.Values.Any(r => r.Kind == RowKind.Struct && r.Field.Count > 1 && r.Path.StartsWith(named + "[", StringComparison.Ordinal) && SchemaWalker.Template(r.Path) == SchemaWalker.Template(named) + "[]");
            var exact = _rows.TryGetValue(named, out var r0) ? r0 : null;
            if (!isArray && exact is null)
            {
                var candidates = _templates.Concat(_rows.Values.Where(r => r.Kind == RowKind.Struct).Select(r => SchemaWalker.Template(r.Path))).Distinct();
                var fields = _templates.Take(12).ToList();
                return "is not a field of " + _type.Name + Suggest.Hint(SchemaWalker.Template(path), candidates) + "; its fields: "
                    + string.Join(", ", fields) + (_templates.Count > fields.Count ? ", … (" + _templates.Count + " in all; list them with: gvnic decode " + _type.Name + " $(gvnic encode " + _type.Name + "))" : "");
            }
            if (bracket < 0)
            {
                if (isArray)
                {
                    var any = _ordered.First(r => SchemaWalker.Template(r.Path).StartsWith(SchemaWalker.Template(named) + "[]", StringComparison.Ordinal));
                    return "is an array of " + any.Field.Count + "; name an element (" + named + "[0].." + named + "[" + (any.Field.Count - 1) + "])";
                }
                if (exact!.Kind == RowKind.Value && !last)
                    return "is not a field of " + _type.Name + ": " + named + " is a value and has no field '" + segments[s + 1] + "'";
                prefix = named + ".";
                continue;
            }
            if (!isArray) return "is not a field of " + _type.Name + ": " + named + " is not an array";
            string indexed = prefix + segment;
            if (!_rows.ContainsKey(indexed))
            {
                var sample = _ordered.First(r => SchemaWalker.Template(r.Path).StartsWith(SchemaWalker.Template(named) + "[]", StringComparison.Ordinal));
                return "is out of range: " + named + " has " + sample.Field.Count + " elements (" + named + "[0].." + named + "[" + (sample.Field.Count - 1) + "])";
            }
            if (_rows[indexed].Kind == RowKind.Value && !last)
                return "is not a field of " + _type.Name + ": " + indexed + " is a value and has no field '" + segments[s + 1] + "'";
            prefix = indexed + ".";
        }
        return "is not a field of " + _type.Name;
    }
}
