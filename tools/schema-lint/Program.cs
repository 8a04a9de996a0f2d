using System;

namespace Gvnic.SchemaLint;

/// <summary>The schema-lint executable: all logic lives in <see cref="SchemaLintApp"/>.</summary>
public static class Program
{
    /// <summary>Runs schema-lint with the process's arguments, console and current directory.</summary>
    public static int Main(string[] args) => SchemaLintApp.Run(args, Console.Out, Console.Error);
}
