using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using Gvnic.Platform.Tracing;

namespace Gvnic.Cli.Trace;

/// <summary>
/// Trace events as text for <c>gvnic trace show</c> and <c>gvnic trace diff</c>: one summary line an event
/// (<c>write bar0 adminq_doorbell = 0x00000002</c>, <c>answer 1 DESCRIBE_DEVICE: PASSED</c>) and, for commands, answers and
/// given-up waits, every decoded value as <c>path = value</c>.
/// </summary>
internal static class TraceText
{
    /// <summary>Members every event has, or that the summary line already shows.</summary>
    private static readonly HashSet<string> Identity = ["seq", "t", "ev", "command", "@count", "@slot", "opcode", "status", "cmd"];

    /// <summary><c>A: FILE: gvnic 0.1.0, sim:0 1ae0:0042 rev 1, data path doorbells, started …</c>.</summary>
    public static string Header(TraceHeader header, string path)
        => path + ": " + header.Tool + ", " + header.DeviceText + ", BAR2 " + header.Bar2Length + " bytes, " + header.MsixVectors + " MSI-X vectors, data path "
           + TraceFormat.DataModeName(header.Data) + ", started " + header.Start;

    /// <summary><c>#12     +1.234 ms  SUMMARY</c>.</summary>
    public static string Line(TraceEvent e)
        => ("#" + e.Sequence.ToString(CultureInfo.InvariantCulture)).PadRight(7) + " " + ("+" + (e.Microseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture) + " ms").PadLeft(13) + "  " + Summary(e);

    /// <summary>The event in one line.</summary>
    public static string Summary(TraceEvent e)
    {
        var json = e.Json;
        switch (e.Kind)
        {
            case TraceFormat.Events.Read:
            case TraceFormat.Events.Write:
                return Access(e.Kind, json);
            case TraceFormat.Events.Command:
                return "command " + Str(json, "command") + " " + Upper(Str(json, "opcode")) + Body(json) + Error(json);
            case TraceFormat.Events.Answer:
                return "answer  " + Str(json, "command") + " " + Upper(Str(json, "opcode")) + ": " + Status(Str(json, "status")) + Error(json);
            case TraceFormat.Events.Wait:
                return "wait for " + Str(json, "for") + " = " + Str(json, "expected") + " given up after " + Str(json, "@polls") + " polls";
            case TraceFormat.Events.BusMaster:
                return "bus mastering " + (Bool(json, "enable") ? "on" : "off");
            case TraceFormat.Events.DmaAlloc:
                return "dma region " + Str(json, "region") + ": " + Str(json, "length") + " bytes, aligned to " + Str(json, "align") + " (device address " + Str(json, "@addr") + ")";
            case TraceFormat.Events.DmaFree:
                return "dma region " + Str(json, "region") + " freed";
            case TraceFormat.Events.IrqEnable:
                return "MSI-X: " + Str(json, "vectors") + " vectors enabled";
            case TraceFormat.Events.IrqDisable:
                return "MSI-X disabled";
            case TraceFormat.Events.IrqWait:
                return "MSI-X wait on vector " + Str(json, "vector") + " (" + Str(json, "timeout_us") + " µs): " + (Bool(json, "fired") ? "fired" : "timed out");
            case TraceFormat.Events.IrqPoll:
                return "MSI-X poll of vector " + Str(json, "vector") + ": " + (Bool(json, "fired") ? "fired" : "nothing");
            case TraceFormat.Events.End:
                return "end: " + Str(json, "events") + " events" + (json.TryGetProperty("skipped", out var skipped) ? "; not recorded: " + Inline(skipped) : "");
            default:
                return e.Text;
        }
    }

    /// <summary>Every decoded value of a command, answer or given-up wait as <c>path = value</c>; nothing for other events.</summary>
    public static List<string> Details(TraceEvent e)
    {
        var lines = new List<string>();
        if (e.Kind is not (TraceFormat.Events.Command or TraceFormat.Events.Answer or TraceFormat.Events.Wait)) return lines;
        foreach (var member in e.Json.EnumerateObject())
        {
            if (Identity.Contains(member.Name) || member.Name is "for" or "expected" or "@polls" or "error") continue;
            Flatten(member.Value, member.Name, lines);
        }
        return lines;
    }

    private static void Flatten(JsonElement value, string path, List<string> lines)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                if (Leaf(value, out string leaf))
                {
                    lines.Add(path + " = " + leaf);
                    return;
                }
                foreach (var m in value.EnumerateObject()) Flatten(m.Value, path + "." + m.Name, lines);
                break;
            case JsonValueKind.Array when value.EnumerateArray().Any(i => i.ValueKind is JsonValueKind.Object or JsonValueKind.Array):
                int n = 0;
                foreach (var item in value.EnumerateArray()) Flatten(item, path + "[" + n++ + "]", lines);
                break;
            default:
                lines.Add(path + " = " + Scalar(value));
                break;
        }
    }

    /// <summary>A register value object (<c>{"value": …, "flags": […]}</c>) in one piece.</summary>
    private static bool Leaf(JsonElement value, out string text)
    {
        text = "";
        if (!value.TryGetProperty("value", out var v)) return false;
        text = v.GetString() + Meaning(value);
        return true;
    }

    private static string Access(string kind, JsonElement json)
    {
        var text = new StringBuilder(kind == TraceFormat.Events.Read ? "read   " : "write  ");
        text.Append("bar").Append(Str(json, "bar")).Append(' ');
        if (json.TryGetProperty("reg", out var reg)) text.Append(reg.GetString());
        else if (json.TryGetProperty("index", out var index)) text.Append("doorbell ").Append(index.GetRawText());
        else text.Append("offset ").Append(Str(json, "offset"));
        if (json.TryGetProperty("queue", out var queue)) text.Append(' ').Append(queue.GetString());
        if (json.TryGetProperty("block", out var block)) text.Append(" block ").Append(block.GetRawText());
        text.Append(" = ");
        if (json.TryGetProperty("value", out var v)) text.Append(v.GetString());
        else if (json.TryGetProperty("@value", out var run)) text.Append(run.GetString());
        else if (json.TryGetProperty("raw", out var raw)) text.Append(raw.GetString()).Append(" (raw, ").Append(Str(json, "width")).Append(" bits)");
        text.Append(Meaning(json));
        if (json.TryGetProperty("char", out var c)) text.Append(" '").Append(Escape(c.GetString() ?? "")).Append('\'');
        if (json.TryGetProperty("dma", out var dma)) text.Append(" → ").Append(dma.GetString());
        if (json.TryGetProperty("@polls", out var polls) && polls.GetInt64() > 0) text.Append(" after ").Append(polls.GetInt64()).Append(" polls");
        if (json.TryGetProperty("repeat", out var repeat) && repeat.ValueKind == JsonValueKind.True) text.Append(" (repeat)");
        text.Append(Error(json));
        return text.ToString();
    }

    /// <summary><c> (link_status)</c> for flags, <c> (enable=true interval=25)</c> for fields.</summary>
    private static string Meaning(JsonElement json)
    {
        if (json.TryGetProperty("flags", out var flags))
        {
            var names = flags.EnumerateArray().Select(f => f.GetString()).ToList();
            return names.Count == 0 ? " (none)" : " (" + string.Join("|", names) + ")";
        }
        if (json.TryGetProperty("fields", out var fields)) return " (" + string.Join(" ", fields.EnumerateObject().Select(f => f.Name + "=" + Scalar(f.Value))) + ")";
        return "";
    }

    /// <summary>The command's body (the union member), inline: <c> describe_device: device_descriptor_addr=dma#2+0x0 …</c>.</summary>
    private static string Body(JsonElement json)
    {
        if (!json.TryGetProperty("cmd", out var cmd)) return "";
        foreach (var m in cmd.EnumerateObject())
        {
            if (m.Name is "opcode" or "status") continue;
            if (m.Value.ValueKind == JsonValueKind.Object) return " " + Inline(m.Value);
        }
        return "";
    }

    private static string Inline(JsonElement obj)
        => string.Join(" ", obj.EnumerateObject().Select(m => m.Name + "=" + (m.Value.ValueKind == JsonValueKind.Object ? "{" + Inline(m.Value) + "}" : Scalar(m.Value))));

    private static string Error(JsonElement json) => json.TryGetProperty("error", out var e) ? " ! " + e.GetString() : "";

    private static string Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.Array => "[" + string.Join(", ", v.EnumerateArray().Select(Scalar)) + "]",
        _ => v.GetRawText(),
    };

    private static string Str(JsonElement json, string name) => json.TryGetProperty(name, out var v) ? Scalar(v) : "?";

    private static bool Bool(JsonElement json, string name) => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary><c>describe_device</c> → <c>DESCRIBE_DEVICE</c>, as the driver's messages name commands.</summary>
    public static string Upper(string name) => name.ToUpperInvariant();

    /// <summary><c>command_error_internal_error</c> → <c>INTERNAL_ERROR</c>, <c>command_passed</c> → <c>PASSED</c>.</summary>
    public static string Status(string name)
    {
        foreach (string prefix in new[] { "command_error_", "command_" })
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return name[prefix.Length..].ToUpperInvariant();
        return name.ToUpperInvariant();
    }

    private static string Escape(string s) => s switch { "\n" => "\\n", "\r" => "\\r", "\t" => "\\t", "\0" => "\\0", _ => s };
}
