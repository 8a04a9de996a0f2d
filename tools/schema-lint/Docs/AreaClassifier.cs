using System;
using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// Decides the page of every struct from its name, byte order and use, the first matching rule winning:
/// <list type="number">
/// <item>the type of a register → registers;</item>
/// <item><c>device_option*</c> or <c>device_descriptor</c> → device options;</item>
/// <item><c>mbx_*</c> → mailbox;</item>
/// <item>a name ending <c>_dqo</c> → DQO;</item>
/// <item><c>adminq_*</c>, <c>flow_*</c>, <c>rss_*</c>, <c>ptype_*</c>, <c>query_*</c>, <c>stats*</c>, or one of the admin
/// payloads (driver_info, queue_resources, nic_ts_report) → admin queue;</item>
/// <item><c>tx_*</c>/<c>rx_*</c>: little-endian → DQO, big-endian → GQI;</item>
/// <item>nested in a struct that has a page → that page (the first such user in schema order);</item>
/// <item>anything else → other.</item>
/// </list>
/// The schema has no <c>area:</c> key, so the rules live here; they are deterministic and documented in docs/schema-lint.md.
/// </summary>
public static class AreaClassifier
{
    private static readonly string[] AdminPrefixes = { "adminq_", "flow_", "rss_", "ptype_", "query_", "stats" };
    private static readonly string[] AdminNames = { "driver_info", "queue_resources", "nic_ts_report" };

    /// <summary>The area of every struct of <paramref name="document"/>, by struct name.</summary>
    public static IReadOnlyDictionary<string, DocArea> Classify(SchemaDocument document)
    {
        var registerTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in document.RegisterBlocks)
        {
            foreach (var r in b.Registers)
            {
                if (r.Type != null) registerTypes.Add(r.Type);
            }
        }
        var areas = new Dictionary<string, DocArea>(StringComparer.Ordinal);
        foreach (var s in document.Structs)
        {
            var area = ByName(s, registerTypes);
            if (area.HasValue && !areas.ContainsKey(s.Name)) areas.Add(s.Name, area.Value);
        }
        // Nested structs inherit the page of a user, until nothing changes.
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var user in document.Structs)
            {
                if (!areas.TryGetValue(user.Name, out var userArea)) continue;
                foreach (var type in NestedTypes(user.Fields))
                {
                    if (areas.ContainsKey(type) || !IsStruct(document, type)) continue;
                    areas.Add(type, userArea);
                    changed = true;
                }
            }
        }
        foreach (var s in document.Structs)
        {
            if (!areas.ContainsKey(s.Name)) areas.Add(s.Name, DocArea.Other);
        }
        return areas;
    }

    private static DocArea? ByName(StructDef s, HashSet<string> registerTypes)
    {
        var name = s.Name;
        if (registerTypes.Contains(name)) return DocArea.Registers;
        if (name.StartsWith("device_option", StringComparison.Ordinal) || name == "device_descriptor") return DocArea.DeviceOptions;
        if (name.StartsWith("mbx_", StringComparison.Ordinal)) return DocArea.Mailbox;
        if (name.EndsWith("_dqo", StringComparison.Ordinal)) return DocArea.Dqo;
        foreach (var prefix in AdminPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return DocArea.AdminQueue;
        }
        if (Array.IndexOf(AdminNames, name) >= 0) return DocArea.AdminQueue;
        if (name.StartsWith("tx_", StringComparison.Ordinal) || name.StartsWith("rx_", StringComparison.Ordinal))
        {
            return s.Order == ByteOrder.Little ? DocArea.Dqo : DocArea.Gqi;
        }
        return null;
    }

    private static IEnumerable<string> NestedTypes(IEnumerable<FieldDef> fields)
    {
        foreach (var f in fields)
        {
            if (f.IsUnion)
            {
                foreach (var t in NestedTypes(f.Union)) yield return t;
            }
            else
            {
                yield return f.Type;
            }
        }
    }

    private static bool IsStruct(SchemaDocument document, string name)
    {
        foreach (var s in document.Structs)
        {
            if (s.Name == name) return true;
        }
        return false;
    }
}
