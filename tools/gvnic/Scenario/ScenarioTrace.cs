using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using Gvnic.Platform;
using Gvnic.Platform.Tracing;

namespace Gvnic.Cli.Scenario;

/// <summary><c>--trace FILE</c> of <c>demo</c> and <c>up</c>: the PCI function the driver gets, recording into FILE (docs/trace.md).</summary>
internal static class ScenarioTrace
{
    /// <summary>The program as a trace header names it: <c>gvnic</c> and its version.</summary>
    public static string Tool { get; } = "gvnic " + (typeof(ScenarioTrace).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    /// <summary>The traced function over <paramref name="pci"/>, or null without <c>--trace</c>.</summary>
    public static TracingPciFunction? Start(IPciFunction pci, ScenarioOptions options, TimeProvider time)
    {
        if (options.TracePath is not string path) return null;
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new UsageException("--trace '" + path + "': cannot create the file: " + e.Message);
        }
        return new TracingPciFunction(pci, stream, new PciTraceOptions { Data = options.TraceData, TimeProvider = time, Tool = Tool });
    }

    /// <summary>The line saying where the trace went.</summary>
    public static string Summary(TracingPciFunction trace, string path)
        => "Trace: " + trace.EventCount.ToString("N0", CultureInfo.InvariantCulture) + " events (data path: " + TraceFormat.DataModeName(trace.Options.Data) + ") written to " + path
           + " (JSON lines; read it with 'gvnic trace show', compare two with 'gvnic trace diff').";
}
