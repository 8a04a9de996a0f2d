using System;
using System.IO;

namespace Gvnic.SchemaLint.Tests;

/// <summary>A temporary directory to run schema-lint in, with helpers to write schemas and run commands in-process.</summary>
public sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Directory = Path.Combine(Path.GetTempPath(), "schema-lint-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> (relative) and returns the name.</summary>
    public string Write(string name, string text)
    {
        var full = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return name;
    }

    public string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public bool Exists(string name) => File.Exists(Path.Combine(Directory, name));

    /// <summary>Runs schema-lint with this directory as the working directory.</summary>
    public Result Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = SchemaLintApp.Run(args, stdout, stderr, Directory);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] Lines => Stdout.TrimEnd('\n').Split('\n');
    }
}
