using System.IO;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Commands;

/// <summary>
/// <c>schema-lint check FILE</c>: every diagnostic as <c>FILE(LINE,COL): error GVNICnnn: message</c>, then a
/// count; exit 1 when there is an error, 0 when there are only warnings or nothing.
/// </summary>
public static class CheckCommand
{
    /// <summary>Checks <paramref name="source"/> (a file or REV:path).</summary>
    public static int Run(string source, SchemaInput input, TextWriter stdout)
    {
        var loaded = input.Load(source, "FILE");
        int errors = 0, warnings = 0;
        foreach (var d in loaded.Diagnostics)
        {
            stdout.WriteLine(d.Format(source));
            if (d.Severity == DiagnosticSeverity.Error) errors++;
            else warnings++;
        }
        stdout.WriteLine(source + ": " + errors + (errors == 1 ? " error, " : " errors, ") + warnings + (warnings == 1 ? " warning" : " warnings"));
        return errors > 0 ? ExitCodes.Findings : ExitCodes.Success;
    }
}
