using System;

namespace Gvnic.Platform.Tracing;

/// <summary>A file that cannot be read as a trace: missing, empty, not JSON lines, not a gvnic trace, or another format version.</summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="line">The line at fault (1 is the header), or 0 for the file as a whole.</param>
    /// <param name="message">What is wrong, naming the file (and line).</param>
    /// <param name="inner">The underlying error, if any.</param>
    public TraceFormatException(string path, long line, string message, Exception? inner = null) : base(message, inner)
    {
        Path = path;
        Line = line;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The line at fault (1 is the header), or 0 for the file as a whole.</summary>
    public long Line { get; }
}
