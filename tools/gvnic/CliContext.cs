using System;
using System.IO;
using System.Threading;
using Spectre.Console;

namespace Gvnic.Cli;

/// <summary>
/// Where a command writes and what it may reach: tests build one over <see cref="StringWriter"/>s and run
/// commands in-process; <see cref="Program"/> builds one over the process's console.
/// </summary>
public sealed class CliContext
{
    /// <summary>Creates a context writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <param name="output">Standard output: tables, hex, JSON, evidence.</param>
    /// <param name="error">Standard error: <c>gvnic: …</c> messages and warnings.</param>
    /// <param name="console">The Spectre console over <paramref name="output"/> for tables and live views; null for a plain one (no colour, no animation).</param>
    public CliContext(TextWriter output, TextWriter error, IAnsiConsole? console = null)
    {
        Out = output;
        Error = error;
        Console = console ?? PlainConsole(output);
    }

    /// <summary>Raw standard output (hex and JSON go here, never wrapped).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>The Spectre console for tables, status and progress, over <see cref="Out"/>.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>
    /// The clock of a scenario: reply times, timeouts, throughput figures, pcap timestamps, the driver's timeouts and the
    /// built-in device model's clock. Tests give a fake one (with <see cref="Sleep"/> advancing it).
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How a scenario waits between polls (tests advance a fake <see cref="Time"/> instead of sleeping).</summary>
    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    /// <summary>The sysfs root <c>gvnic up</c> looks for PCI devices under (tests point it at a fake tree).</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>The directory of VFIO group devices <c>gvnic up</c> opens.</summary>
    public string DevVfioDirectory { get; init; } = "/dev/vfio";

    /// <summary>
    /// Whether gen, sink and fwd take SIGINT and SIGTERM (to end the run cleanly); tests that run them in parallel with
    /// tests sending real signals turn it off.
    /// </summary>
    internal bool HandleSignals { get; init; } = true;

    /// <summary>Called once the threads of gen, sink or fwd are working (tests send a signal then).</summary>
    internal Action? TrafficStarted { get; init; }

    /// <summary>A console that writes plain text (no colour, no cursor movement) at a fixed width.</summary>
    /// <param name="output">Where it writes.</param>
    /// <param name="width">Columns tables may use.</param>
    public static IAnsiConsole PlainConsole(TextWriter output, int width = 160)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        console.Profile.Capabilities.Unicode = true;
        return console;
    }
}
