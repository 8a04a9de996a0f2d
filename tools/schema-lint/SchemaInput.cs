using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using Gvnic.Schema;

namespace Gvnic.SchemaLint;

/// <summary>
/// Reads a schema named on the command line: a file path, or <c>REV:path</c> read with
/// <c>git show REV:path</c> in the working directory's repository.
/// </summary>
public sealed class SchemaInput
{
    private readonly string _workingDirectory;

    /// <summary>Creates a reader that resolves relative paths and runs git in <paramref name="workingDirectory"/>.</summary>
    public SchemaInput(string workingDirectory) => _workingDirectory = workingDirectory;

    /// <summary>The path of <paramref name="path"/> relative to the working directory, made absolute.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, _workingDirectory);

    /// <summary>The text of <paramref name="source"/>; throws <see cref="UsageException"/> naming <paramref name="argument"/> when it cannot be read.</summary>
    public string ReadText(string source, string argument)
    {
        if (string.IsNullOrWhiteSpace(source)) throw new UsageException(argument + ": no schema given");
        var full = Resolve(source);
        if (File.Exists(full)) return ReadFile(full, source, argument);
        int colon = source.IndexOf(':');
        if (colon > 0 && colon < source.Length - 1) return ReadGit(source, argument);
        throw new UsageException(argument + ": file '" + source + "' does not exist (and is not a REV:path git reference)");
    }

    /// <summary>Reads and loads <paramref name="source"/> (the validator's diagnostics included).</summary>
    public LoadedSchema Load(string source, string argument) => SchemaLoader.Load(ReadText(source, argument));

    /// <summary>
    /// Loads <paramref name="source"/> for a command that needs a usable schema: when it has errors they
    /// are printed to <paramref name="stderr"/> and a <see cref="UsageException"/> is thrown.
    /// </summary>
    public SchemaDocument LoadValid(string source, string argument, TextWriter stderr)
    {
        var loaded = Load(source, argument);
        if (!loaded.HasErrors && loaded.Document != null) return loaded.Document;
        foreach (var d in loaded.Diagnostics)
        {
            if (d.Severity == DiagnosticSeverity.Error) stderr.WriteLine(d.Format(source));
        }
        throw new UsageException(argument + ": schema '" + source + "' has errors; run 'schema-lint check " + source + "'");
    }

    private static string ReadFile(string full, string source, string argument)
    {
        try
        {
            return File.ReadAllText(full, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new UsageException(argument + ": cannot read '" + source + "': " + e.Message);
        }
    }

    private string ReadGit(string source, string argument)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("show");
        info.ArgumentList.Add(source);
        try
        {
            using var process = Process.Start(info) ?? throw new UsageException(argument + ": cannot start git to read '" + source + "'");
            var errorTask = process.StandardError.ReadToEndAsync();
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var error = errorTask.Result.Trim();
            if (process.ExitCode != 0)
            {
                throw new UsageException(argument + ": cannot read git revision '" + source + "': " + (error.Length > 0 ? error : "git show exited with code " + process.ExitCode));
            }
            return text;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UsageException(argument + ": '" + source + "' is not a file, and git is not available to read it as REV:path (" + e.Message + ")");
        }
    }
}
