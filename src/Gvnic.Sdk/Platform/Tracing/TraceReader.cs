using System;
using System.IO;
using System.Text.Json;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// Reads a trace file: the header on opening, then one event at a time (a long trace is never held in memory whole).
/// Every problem is a <see cref="TraceFormatException"/> naming the file and line. A last line that is not complete JSON
/// is taken as a run that stopped while writing (<see cref="Truncated"/>), not as an error.
/// </summary>
public sealed class TraceReader : IDisposable
{
    private readonly StreamReader _reader;
    private long _line = 1;
    private string? _pending;

    private TraceReader(string path, StreamReader reader, TraceHeader header)
    {
        Path = path;
        _reader = reader;
        Header = header;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The header.</summary>
    public TraceHeader Header { get; }

    /// <summary>The <c>end</c> record, once read; null while reading, or when the trace has none (the run stopped before closing it).</summary>
    public TraceEvent? End { get; private set; }

    /// <summary>Whether the last line was incomplete (the run stopped while writing it).</summary>
    public bool Truncated { get; private set; }

    /// <summary>Opens <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="TraceFormatException">The file is missing or unreadable, empty, or not a trace of this format version.</exception>
    public static TraceReader Open(string path)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            throw new TraceFormatException(path, 0, path + ": " + why, e);
        }
        try
        {
            return new TraceReader(path, reader, ReadHeader(path, reader));
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static TraceHeader ReadHeader(string path, StreamReader reader)
    {
        string hint = " (a trace is what 'gvnic demo --trace FILE' or 'gvnic up --trace FILE' writes)";
        string? line = reader.ReadLine();
        if (line is null) throw new TraceFormatException(path, 0, path + " is empty: not a gvnic trace" + hint);
        JsonElement json;
        try
        {
            using var doc = JsonDocument.Parse(line);
            json = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new TraceFormatException(path, 1, path + " line 1 is not JSON (" + e.Message + "): not a gvnic trace" + hint, e);
        }
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != TraceFormat.Name)
            throw new TraceFormatException(path, 1, path + ": line 1 has no \"format\": \"" + TraceFormat.Name + "\": not a gvnic trace" + hint);
        if (!json.TryGetProperty("version", out var v) || !v.TryGetInt32(out int version))
            throw new TraceFormatException(path, 1, path + ": the header has no format version");
        if (version != TraceFormat.Version)
            throw new TraceFormatException(path, 1, path + " is trace format version " + version + "; this gvnic reads version " + TraceFormat.Version + " (record the trace again with this gvnic, or use the gvnic that wrote it)");
        string data = String(json, "data");
        if (!TraceFormat.TryParseDataMode(data, out TraceDataMode mode) || data != TraceFormat.DataModeName(mode))
            throw new TraceFormatException(path, 1, path + ": the header's data mode '" + data + "' is not off, doorbells or all");
        json.TryGetProperty("device", out var device);
        return new TraceHeader(version, String(json, "tool"), String(json, "start"), String(device, "address"), String(device, "vendor_id"), String(device, "device_id"),
            (int)Number(device, "revision"), Number(device, "bar2_length"), (int)Number(device, "msix_vectors"), mode, json);
    }

    private static string String(JsonElement json, string name)
        => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";

    private static long Number(JsonElement json, string name)
        => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var p) && p.TryGetInt64(out long n) ? n : -1;

    /// <summary>The next event; false at the <c>end</c> record (then in <see cref="End"/>) or at the end of the file.</summary>
    /// <exception cref="TraceFormatException">A line (other than an incomplete last one) is not a JSON object with an <c>ev</c>.</exception>
    public bool TryRead(out TraceEvent trace)
    {
        trace = null!;
        if (End is not null || Truncated) return false;
        while (true)
        {
            string? text = _pending ?? _reader.ReadLine();
            _pending = null;
            if (text is null) return false;
            _line++;
            if (text.Length == 0) continue;
            JsonElement json;
            try
            {
                using var doc = JsonDocument.Parse(text);
                json = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                _pending = _reader.ReadLine();
                if (_pending is null)
                {
                    Truncated = true;
                    return false;
                }
                throw new TraceFormatException(Path, _line, Path + " line " + _line + " is not JSON: " + e.Message, e);
            }
            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(TraceFormat.Kind, out var kind) || kind.ValueKind != JsonValueKind.String)
                throw new TraceFormatException(Path, _line, Path + " line " + _line + " is not a trace event (an object with \"" + TraceFormat.Kind + "\")");
            trace = new TraceEvent(_line, text, json);
            if (kind.GetString() == TraceFormat.Events.End)
            {
                End = trace;
                return false;
            }
            return true;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();
}
