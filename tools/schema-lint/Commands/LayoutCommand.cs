using System.IO;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Commands;

/// <summary><c>schema-lint layout FILE --json</c>: every struct, field, bit range and register as JSON on stdout.</summary>
public static class LayoutCommand
{
    /// <summary>Writes the layout of <paramref name="source"/>; <paramref name="json"/> must be set (JSON is the only format).</summary>
    public static int Run(string source, bool json, SchemaInput input, TextWriter stdout, TextWriter stderr)
    {
        if (!json) throw new UsageException("--json: layout writes JSON only; pass --json");
        var document = input.LoadValid(source, "FILE", stderr);
        stdout.Write(LayoutJson.Write(LayoutBuilder.Build(document)));
        return ExitCodes.Success;
    }
}
