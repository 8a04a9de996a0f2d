using System;
using System.CommandLine;
using System.IO;
using Gvnic.SchemaLint.Commands;

namespace Gvnic.SchemaLint;

/// <summary>
/// The schema-lint command line: <c>check</c>, <c>docs</c>, <c>diff</c> and <c>layout</c>. Callable in-process
/// with any writers and working directory, so tests run commands without starting processes.
/// </summary>
public static class SchemaLintApp
{
    /// <summary>Runs <paramref name="args"/> in the current directory; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        => Run(args, stdout, stderr, Environment.CurrentDirectory);

    /// <summary>
    /// Runs <paramref name="args"/> with relative paths and git resolved in <paramref name="workingDirectory"/>.
    /// Returns 0, 1 (findings: errors, stale docs, breaking changes) or 2 (bad input).
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        var input = new SchemaInput(workingDirectory);
        var root = Build(input, stdout, stderr);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine("schema-lint: " + error.Message);
            stderr.WriteLine("run 'schema-lint --help' for usage");
            return ExitCodes.BadInput;
        }
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        return parsed.Invoke(configuration);
    }

    private static RootCommand Build(SchemaInput input, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Checks, documents, diffs and lays out the gVNIC wire-format schema (docs/schema-lint.md).");

        var checkFile = new Argument<string>("FILE") { Description = "The schema: a file, or REV:path read with git show." };
        var check = new Command("check", "Report every schema problem as FILE(LINE,COL): error GVNICnnn: message; exit 1 on errors.") { checkFile };
        check.SetAction(p => Guard(stderr, () => CheckCommand.Run(p.GetValue(checkFile)!, input, stdout)));
        root.Subcommands.Add(check);

        var docsFile = new Argument<string>("FILE") { Description = "The schema: a file, or REV:path." };
        var output = new Option<string>("--output", "-o") { Description = "The docs directory, e.g. docs/wire-format/.", Required = true };
        var docsCheck = new Option<bool>("--check") { Description = "Only compare with the files on disk; exit 1 naming the stale ones." };
        var docs = new Command("docs", "Render the wire-format pages (Markdown) and bit diagrams (SVG).") { docsFile, output, docsCheck };
        docs.SetAction(p => Guard(stderr, () => DocsCommand.Run(p.GetValue(docsFile)!, p.GetValue(output)!, p.GetValue(docsCheck), input, stdout, stderr)));
        root.Subcommands.Add(docs);

        var oldFile = new Argument<string>("OLD") { Description = "The old schema: a file, or REV:path (e.g. origin/main:schema/gvnic.yaml)." };
        var newFile = new Argument<string>("NEW") { Description = "The new schema: a file, or REV:path." };
        var allow = new Option<bool>("--allow-breaking") { Description = "Exit 0 even when a change is breaking." };
        var diff = new Command("diff", "Classify every change between two schemas as breaking or compatible; exit 1 on a breaking one.") { oldFile, newFile, allow };
        diff.SetAction(p => Guard(stderr, () => DiffCommand.Run(p.GetValue(oldFile)!, p.GetValue(newFile)!, p.GetValue(allow), input, stdout, stderr)));
        root.Subcommands.Add(diff);

        var layoutFile = new Argument<string>("FILE") { Description = "The schema: a file, or REV:path." };
        var json = new Option<bool>("--json") { Description = "Write JSON (the only format)." };
        var layout = new Command("layout", "Write every struct, field, bit range and register with offset, size and byte order.") { layoutFile, json };
        layout.SetAction(p => Guard(stderr, () => LayoutCommand.Run(p.GetValue(layoutFile)!, p.GetValue(json), input, stdout, stderr)));
        root.Subcommands.Add(layout);

        return root;
    }

    private static int Guard(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (UsageException e)
        {
            stderr.WriteLine("schema-lint: " + e.Message);
            return ExitCodes.BadInput;
        }
        catch (IOException e)
        {
            stderr.WriteLine("schema-lint: " + e.Message);
            return ExitCodes.BadInput;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine("schema-lint: " + e.Message);
            return ExitCodes.BadInput;
        }
    }
}
