using System.Text.Json;

namespace Gvnic.Platform.Tracing;

/// <summary>One event line of a trace.</summary>
/// <param name="Line">Its line number in the file (the header is line 1).</param>
/// <param name="Text">The line as written.</param>
/// <param name="Json">The parsed object.</param>
public sealed record TraceEvent(long Line, string Text, JsonElement Json)
{
    /// <summary>The event number (<c>seq</c>), or 0 when the line has none.</summary>
    public long Sequence => Json.TryGetProperty(TraceFormat.Sequence, out var s) && s.TryGetInt64(out long n) ? n : 0;

    /// <summary>The event kind (<c>ev</c>).</summary>
    public string Kind => Json.TryGetProperty(TraceFormat.Kind, out var k) ? k.GetString() ?? "" : "";

    /// <summary>Microseconds since the trace started (<c>t</c>).</summary>
    public long Microseconds => Json.TryGetProperty(TraceFormat.Time, out var t) && t.TryGetInt64(out long us) ? us : 0;
}
