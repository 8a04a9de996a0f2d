using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>
/// encode → decode → encode for every type of the schema, with a value for every settable field; a message type with a
/// trailing array (a mailbox message) with <see cref="TrailingElements"/> elements, its counter stating them.
/// </summary>
public class RoundTripTests
{
    private const int TrailingElements = 2;

    public static IEnumerable<object[]> AllTypes() => GvnicCatalog.Types.Select(t => new object[] { t.Name });

    /// <summary>One FIELD=VALUE: the path, the text given to encode and the number decode must show.</summary>
    public sealed record Assignment(string Path, string Text, ulong Value);

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Encode_decode_encode_gives_the_same_values_and_bytes(string typeName)
    {
        var type = GvnicCatalog.FindType(typeName)!;
        var assignments = Assignments(type, seed: typeName.Length * 7919 + type.Size);
        Assert.NotEmpty(assignments);

        // encode, as JSON and as plain hex
        var args = new List<string> { "encode", typeName };
        args.AddRange(assignments.Select(a => a.Path + "=" + a.Text));
        var plain = Cli.Run(args.ToArray()).Ok();
        var json = Cli.Run(args.Append("--json").ToArray()).Ok();
        using var encoded = JsonDocument.Parse(json.Out);
        string hex = encoded.RootElement.GetProperty("hex").GetString()!;
        Assert.Equal(hex + "\n", plain.Out);
        int size = type.Size + (type.Trailing is null ? 0 : TrailingElements * type.Trailing.Size);
        Assert.Equal(size * 2, hex.Length);
        Assert.Equal(0, encoded.RootElement.GetProperty("warnings").GetArrayLength());

        // decode: every value comes back, no warnings, same bytes
        var decodedRun = Cli.Run("decode", typeName, hex, "--json").Ok();
        using var decoded = JsonDocument.Parse(decodedRun.Out);
        Assert.Equal(hex, decoded.RootElement.GetProperty("hex").GetString());
        Assert.Equal(typeName, decoded.RootElement.GetProperty("type").GetString());
        Assert.Equal(0, decoded.RootElement.GetProperty("warnings").GetArrayLength());
        var fields = decoded.RootElement.GetProperty("fields").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("value").GetUInt64());
        foreach (var a in assignments)
        {
            Assert.True(fields.ContainsKey(a.Path), a.Path + " is missing from the decode of " + typeName);
            Assert.True(a.Value == fields[a.Path], typeName + "." + a.Path + ": set " + a.Text + " (" + a.Value + "), decoded " + fields[a.Path]);
        }

        // enum fields carry their value names
        foreach (var f in decoded.RootElement.GetProperty("fields").EnumerateArray().Where(f => f.GetProperty("kind").GetString() == "enum"))
            Assert.Equal(JsonValueKind.String, f.GetProperty("name").ValueKind);

        // encode again from everything decode printed: identical bytes
        var again = new List<string> { "encode", typeName };
        again.AddRange(fields.Select(kv => kv.Key + "=" + kv.Value.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(hex + "\n", Cli.Run(again.ToArray()).Ok().Out);

        // and the table decodes it too, without warnings
        var table = Cli.Run("decode", typeName, hex).Ok();
        string layout = type.Trailing is null ? type.Size.ToString(CultureInfo.InvariantCulture) : type.Size + " + " + TrailingElements + " × " + type.Trailing.Size + " (" + type.Trailing.Name + ")";
        Assert.StartsWith(typeName + ": " + layout + " bytes, " + type.Order + "-endian.", table.Out);
        Assert.Contains("No warnings", table.Out);
    }

    /// <summary>
    /// A value for every settable field of <paramref name="type"/>: bit ranges instead of their containers, every array
    /// element, nested structs, the first member of each union (with its selector set to choose it); enum values by name,
    /// flags joined with '|', bools as true/false, integers alternately decimal and hex; reserved spans zero.
    /// </summary>
    public static List<Assignment> Assignments(WireType type, int seed)
    {
        var random = new Random(seed);
        var list = new List<Assignment>();
        var selectors = new Dictionary<string, Assignment>();
        Generate(type, "", random, list, selectors);
        if (type.Trailing is WireField trailing)
        {
            int at = list.FindIndex(a => a.Path == trailing.CountedBy);
            list[at] = new Assignment(trailing.CountedBy!, TrailingElements.ToString(CultureInfo.InvariantCulture), TrailingElements);
        }
        for (int i = 0; i < list.Count; i++)
            if (selectors.TryGetValue(list[i].Path, out var chosen)) list[i] = chosen;
        return list;
    }

    private static void Generate(WireType type, string prefix, Random random, List<Assignment> list, Dictionary<string, Assignment> selectors)
    {
        foreach (var field in type.Fields)
        {
            if (field.Union is not null || field.Container is not null) continue;
            if (field.Kind == WireFieldKind.Union)
            {
                var member = type.Fields.First(m => m.Union == field.Name && m.Container is null);
                if (field.Select is not null)
                {
                    var e = GvnicCatalog.FindEnum(field.TypeName!)!;
                    var value = e.Values.First(v => v.Name == member.When[0]);
                    selectors[prefix + field.Select] = new Assignment(prefix + field.Select, value.Name, value.Value);
                }
                Emit(type, member, prefix, random, list, selectors);
                continue;
            }
            Emit(type, field, prefix, random, list, selectors);
        }
    }

    private static void Emit(WireType type, WireField field, string prefix, Random random, List<Assignment> list, Dictionary<string, Assignment> selectors)
    {
        int count = field.CountedBy is null ? field.Count : TrailingElements;
        bool single = field.Count == 1 && field.CountedBy is null;
        if (field.Kind == WireFieldKind.Struct)
        {
            var nested = GvnicCatalog.FindType(field.TypeName!)!;
            for (int i = 0; i < count; i++)
                Generate(nested, prefix + (single ? field.Name : field.Name + "[" + i + "]") + ".", random, list, selectors);
            return;
        }
        var bits = type.Fields.Where(b => b.Container == field.Name && b.Union == field.Union && b.BitWidth > 0).ToList();
        if (bits.Count > 0 && single)
        {
            foreach (var b in bits) list.Add(Value(b, prefix + b.Name, random, list.Count));
            return;
        }
        for (int i = 0; i < count; i++)
            list.Add(Value(field, prefix + (single ? field.Name : field.Name + "[" + i + "]"), random, list.Count));
    }

    private static Assignment Value(WireField field, string path, Random random, int index)
    {
        int width = field.BitWidth > 0 ? field.BitWidth : field.Size * 8;
        ulong max = width >= 64 ? ulong.MaxValue : (1UL << width) - 1;
        if (field.Reserved.Length > 0) return new Assignment(path, "0", 0);
        switch (field.Kind)
        {
            case WireFieldKind.Bool:
            {
                bool b = random.Next(2) == 1;
                return new Assignment(path, b ? "true" : "false", b ? 1UL : 0UL);
            }
            case WireFieldKind.Enum:
            {
                var values = GvnicCatalog.FindEnum(field.TypeName!)!.Values.Where(v => v.Value <= max).ToList();
                var v = values[random.Next(values.Count)];
                return new Assignment(path, v.Name, v.Value);
            }
            case WireFieldKind.Flags:
            {
                var chosen = GvnicCatalog.FindEnum(field.TypeName!)!.Values.Where(v => v.Value != 0 && v.Value <= max && random.Next(2) == 1).ToList();
                ulong value = chosen.Aggregate(0UL, (a, v) => a | v.Value);
                return new Assignment(path, chosen.Count == 0 ? "0" : string.Join("|", chosen.Select(v => v.Name)), value);
            }
            default:
            {
                ulong value = (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 32);
                value &= max;
                if (value == 0) value = 1 & max;
                return new Assignment(path, index % 2 == 0 ? value.ToString(CultureInfo.InvariantCulture) : "0x" + value.ToString("x", CultureInfo.InvariantCulture), value);
            }
        }
    }
}
