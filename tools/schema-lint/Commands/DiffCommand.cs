using System.IO;
using Gvnic.SchemaLint.Diff;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Commands;

/// <summary>
/// <c>schema-lint diff OLD NEW [--allow-breaking]</c>: a line per change (<c>breaking: …</c> or
/// <c>compatible: …</c>) and a count; exit 1 when a change is breaking, unless <c>--allow-breaking</c>.
/// </summary>
public static class DiffCommand
{
    /// <summary>Compares <paramref name="oldSource"/> with <paramref name="newSource"/> (files or REV:path).</summary>
    public static int Run(string oldSource, string newSource, bool allowBreaking, SchemaInput input, TextWriter stdout, TextWriter stderr)
    {
        var oldLayout = LayoutBuilder.Build(input.LoadValid(oldSource, "OLD", stderr));
        var newLayout = LayoutBuilder.Build(input.LoadValid(newSource, "NEW", stderr));
        var changes = SchemaDiff.Compare(oldLayout, newLayout);
        int breaking = 0;
        foreach (var change in changes)
        {
            stdout.WriteLine(change.ToString());
            if (change.Breaking) breaking++;
        }
        stdout.WriteLine(breaking + " breaking, " + (changes.Count - breaking) + " compatible");
        if (breaking > 0 && !allowBreaking)
        {
            stderr.WriteLine("breaking changes from " + oldSource + " to " + newSource + "; pass --allow-breaking if they are intended");
            return ExitCodes.Findings;
        }
        return ExitCodes.Success;
    }
}
