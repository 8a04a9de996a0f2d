using System;
using System.Buffers;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// Writes trace lines: each event is one JSON object (<c>seq</c>, <c>t</c>, <c>ev</c>, then what the caller adds) and a
/// newline. Lines collect in one reused buffer and go to the stream in blocks; nothing is allocated per event.
/// </summary>
internal sealed class TraceEventWriter : IDisposable
{
    private const int BlockSize = 32 * 1024;

    private static readonly JsonEncodedText SequenceName = JsonEncodedText.Encode(TraceFormat.Sequence);
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode(TraceFormat.Time);
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode(TraceFormat.Kind);

    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(2 * BlockSize);
    private readonly Utf8JsonWriter _json;
    private readonly TimeProvider _time;
    private readonly long _start;
    private long _sequence;
    private bool _disposed;

    public TraceEventWriter(Stream stream, TimeProvider time)
    {
        _stream = stream;
        _time = time;
        _start = time.GetTimestamp();
        // Relaxed escaping: the lines are read by tools, never embedded in HTML, so '+' and non-ASCII text stay as they are.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Events written so far.</summary>
    public long Count => _sequence;

    /// <summary>Starts the header line (no sequence number or time); finish it with <see cref="End"/>.</summary>
    public Utf8JsonWriter BeginHeader()
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        return _json;
    }

    /// <summary>Starts an event of kind <paramref name="kind"/>; add members, then call <see cref="End"/>.</summary>
    public Utf8JsonWriter Begin(JsonEncodedText kind)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber(SequenceName, ++_sequence);
        _json.WriteNumber(TimeName, _time.GetElapsedTime(_start).Ticks / TimeSpan.TicksPerMicrosecond);
        _json.WriteString(KindName, kind);
        return _json;
    }

    /// <summary>Ends the line; with <paramref name="flush"/> (control-path milestones) it reaches the stream at once.</summary>
    public void End(bool flush = false)
    {
        _json.WriteEndObject();
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (flush || _buffer.WrittenCount >= BlockSize) Drain(flush);
    }

    private void Drain(bool flushStream)
    {
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        if (flushStream) _stream.Flush();
    }

    /// <summary>Writes what is buffered and closes the stream.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            Drain(true);
        }
        finally
        {
            _json.Dispose();
            _stream.Dispose();
        }
    }
}
