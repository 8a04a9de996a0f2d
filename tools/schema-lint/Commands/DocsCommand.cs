using System.IO;
using Gvnic.SchemaLint.Docs;
using Gvnic.SchemaLint.Layout;

namespace Gvnic.SchemaLint.Commands;

/// <summary>
/// <c>schema-lint docs FILE -o DIR [--check]</c>: renders the wire-format pages and diagrams; writes the
/// files that changed, or with <c>--check</c> only compares them and exits 1 naming the stale ones.
/// </summary>
public static class DocsCommand
{
    /// <summary>Renders the docs of <paramref name="source"/> into (or compares them with) <paramref name="output"/>.</summary>
    public static int Run(string source, string output, bool check, SchemaInput input, TextWriter stdout, TextWriter stderr)
    {
        var document = input.LoadValid(source, "FILE", stderr);
        var docs = DocSet.Render(LayoutBuilder.Build(document));
        var directory = input.Resolve(output);
        if (check)
        {
            var stale = docs.Stale(directory);
            if (stale.Count == 0)
            {
                stdout.WriteLine(output + ": " + docs.Files.Count + " files up to date");
                return ExitCodes.Success;
            }
            foreach (var path in stale) stderr.WriteLine(Path.Combine(output, path) + ": stale (differs from what schema-lint docs would write)");
            stderr.WriteLine("the wire-format docs are stale; regenerate them with: dotnet run --project tools/schema-lint -- docs " + source + " -o " + output);
            return ExitCodes.Findings;
        }
        if (File.Exists(directory)) throw new UsageException("--output: '" + output + "' is a file, not a directory");
        var written = docs.Write(directory);
        foreach (var path in written) stdout.WriteLine((docs.Files.ContainsKey(path) ? "wrote " : "deleted ") + Path.Combine(output, path));
        stdout.WriteLine(output + ": " + written.Count + " of " + docs.Files.Count + " files changed");
        return ExitCodes.Success;
    }
}
