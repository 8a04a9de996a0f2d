using System;
using System.Reflection;

namespace Gvnic.Platform.Tracing;

/// <summary>What a <see cref="TracingPciFunction"/> records and how it stamps events.</summary>
public sealed record PciTraceOptions
{
    /// <summary>How much of the data path to record (default <see cref="TraceDataMode.Doorbells"/>).</summary>
    public TraceDataMode Data { get; init; } = TraceDataMode.Doorbells;

    /// <summary>The clock of the relative event times (<c>t</c>, microseconds) and of the header's start time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The program that recorded the trace, for the header (e.g. <c>gvnic 0.1.0</c>).</summary>
    public string Tool { get; init; } = DefaultTool;

    /// <summary><c>Gvnic.Sdk</c> and its informational version.</summary>
    public static string DefaultTool { get; } = "Gvnic.Sdk " + (typeof(PciTraceOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
}
