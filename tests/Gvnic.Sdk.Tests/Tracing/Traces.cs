using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gvnic.Platform;
using Gvnic.Platform.Tracing;

namespace Gvnic.Sdk.Tests.Tracing;

/// <summary>Records traces in memory and reads them back for the tracing tests.</summary>
internal static class Traces
{
    /// <summary>Runs <paramref name="drive"/> on a traced <paramref name="function"/> and returns the trace's lines (header first).</summary>
    public static string[] Record(IPciFunction function, Action<IPciFunction> drive, PciTraceOptions? options = null)
    {
        var stream = new MemoryStream();
        using (var traced = new TracingPciFunction(function, stream, options)) drive(traced);
        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The line without its time (<c>"t":123,</c>), which differs from run to run.</summary>
    public static string WithoutTime(string line) => Regex.Replace(line, "\"t\":\\d+,", "");

    /// <summary>The parsed line.</summary>
    public static JsonElement Json(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }

    /// <summary>The events (every line after the header) of kind <paramref name="kind"/>.</summary>
    public static JsonElement[] Events(string[] lines, string kind)
        => lines.Skip(1).Select(Json).Where(e => e.GetProperty("ev").GetString() == kind).ToArray();

    /// <summary>Writes the lines to a new temporary file and returns its path.</summary>
    public static string Save(string[] lines)
    {
        string path = Path.Combine(Path.GetTempPath(), "gvnic-trace-" + Guid.NewGuid().ToString("N") + ".trace");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }
}
