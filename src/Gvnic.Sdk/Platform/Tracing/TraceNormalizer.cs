using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// What a comparison looks at. An event is compared unless its outcome is timing (MSI-X waits and polls, repeated
/// device_status reads) or the other trace's data mode left its kind out (queue doorbells when either trace is
/// <see cref="TraceDataMode.Off"/>). Within an event, <c>seq</c>, <c>t</c> and members starting with
/// <see cref="TraceFormat.RunSpecificPrefix"/> are left out at every depth, and so are the names the caller ignores: a
/// member of that name anywhere, and the value of a register of that name.
/// </summary>
internal sealed class TraceNormalizer(TraceDataMode common, IReadOnlyCollection<string> ignore)
{
    private static readonly string[] ValueMembers = ["value", "flags", "fields", "raw", "char"];

    private readonly HashSet<string> _ignore = new(ignore, StringComparer.Ordinal);

    /// <summary>Whether the comparison looks at <paramref name="trace"/>.</summary>
    public bool IsCompared(TraceEvent trace)
    {
        var json = trace.Json;
        string kind = trace.Kind;
        if (kind is TraceFormat.Events.IrqWait or TraceFormat.Events.IrqPoll or TraceFormat.Events.End) return false;
        if (json.TryGetProperty("repeat", out var repeat) && repeat.ValueKind == JsonValueKind.True) return false;
        if (common == TraceDataMode.Off && kind == TraceFormat.Events.Write && json.TryGetProperty("queue", out _)) return false;
        return true;
    }

    /// <summary>The event as compared: compact JSON without what the comparison leaves out.</summary>
    public string Canonical(TraceEvent trace)
    {
        var buffer = new ArrayBufferWriter<byte>(trace.Text.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            string? register = RegisterOf(trace.Json);
            foreach (var member in trace.Json.EnumerateObject())
            {
                if (!IsComparedMember(member.Name, top: true, register)) continue;
                json.WritePropertyName(member.Name);
                WriteFiltered(json, member.Value);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteFiltered(Utf8JsonWriter json, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                json.WriteStartObject();
                foreach (var member in element.EnumerateObject())
                {
                    if (!IsComparedMember(member.Name, top: false, null)) continue;
                    json.WritePropertyName(member.Name);
                    WriteFiltered(json, member.Value);
                }
                json.WriteEndObject();
                break;
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteFiltered(json, item);
                json.WriteEndArray();
                break;
            default:
                element.WriteTo(json);
                break;
        }
    }

    private string? RegisterOf(JsonElement json)
    {
        if (_ignore.Count == 0 || !json.TryGetProperty("reg", out var reg) || reg.ValueKind != JsonValueKind.String) return null;
        string name = reg.GetString()!;
        return _ignore.Contains(name) ? name : null;
    }

    private bool IsComparedMember(string name, bool top, string? ignoredRegister)
    {
        if (name.Length > 0 && name[0] == TraceFormat.RunSpecificPrefix) return false;
        if (top && (name == TraceFormat.Sequence || name == TraceFormat.Time)) return false;
        if (_ignore.Contains(name)) return false;
        if (ignoredRegister is not null && Array.IndexOf(ValueMembers, name) >= 0) return false;
        return true;
    }

    /// <summary>The members where two events differ, by path (<c>device_descriptor.mtu</c>, <c>device_options[2].payload</c>).</summary>
    public List<TraceFieldDifference> Differences(TraceEvent a, TraceEvent b)
    {
        var result = new List<TraceFieldDifference>();
        string? register = RegisterOf(a.Json) ?? RegisterOf(b.Json);
        Compare(a.Json, b.Json, "", top: true, register, result);
        return result;
    }

    private void Compare(JsonElement a, JsonElement b, string path, bool top, string? register, List<TraceFieldDifference> result)
    {
        if (a.ValueKind == JsonValueKind.Object && b.ValueKind == JsonValueKind.Object)
        {
            var names = new List<string>();
            foreach (var m in a.EnumerateObject()) names.Add(m.Name);
            foreach (var m in b.EnumerateObject()) if (!names.Contains(m.Name)) names.Add(m.Name);
            foreach (string name in names)
            {
                if (!IsComparedMember(name, top, register)) continue;
                string inner = path.Length == 0 ? name : path + "." + name;
                bool inA = a.TryGetProperty(name, out var va);
                bool inB = b.TryGetProperty(name, out var vb);
                if (inA && inB) Compare(va, vb, inner, false, null, result);
                else result.Add(new TraceFieldDifference(inner, inA ? Text(va) : null, inB ? Text(vb) : null));
            }
            return;
        }
        if (a.ValueKind == JsonValueKind.Array && b.ValueKind == JsonValueKind.Array)
        {
            int na = a.GetArrayLength(), nb = b.GetArrayLength();
            for (int i = 0; i < Math.Max(na, nb); i++)
            {
                string inner = path + "[" + i + "]";
                if (i < na && i < nb) Compare(a[i], b[i], inner, false, null, result);
                else result.Add(new TraceFieldDifference(inner, i < na ? Text(a[i]) : null, i < nb ? Text(b[i]) : null));
            }
            return;
        }
        string ta = Text(a), tb = Text(b);
        if (ta != tb) result.Add(new TraceFieldDifference(path, ta, tb));
    }

    /// <summary>A value as compared, in compact JSON.</summary>
    private string Text(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer)) WriteFiltered(json, element);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
