using System;
using System.IO;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>The result of one in-process gvnic run.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>Asserts a bad-input exit: code 2, one "gvnic: " message containing every fragment, no stack trace, nothing on stdout.</summary>
    public CliRun BadInput(params string[] fragments)
    {
        Assert.Equal(ExitCodes.BadInput, ExitCode);
        Assert.StartsWith("gvnic: ", Error);
        foreach (var f in fragments) Assert.Contains(f, Error);
        NoStackTrace();
        return this;
    }

    /// <summary>Asserts exit code 0 and an empty stderr.</summary>
    public CliRun Ok()
    {
        Assert.True(ExitCode == 0, "exit " + ExitCode + "\nstderr: " + Error + "\nstdout: " + Out);
        Assert.Equal("", Error);
        return this;
    }

    /// <summary>Asserts that neither stream holds a .NET stack trace.</summary>
    public void NoStackTrace()
    {
        Assert.DoesNotContain("   at ", Error);
        Assert.DoesNotContain("   at ", Out);
        Assert.DoesNotContain("Exception:", Error.Replace("VfioSetupException", "", StringComparison.Ordinal));
    }
}

/// <summary>Runs gvnic commands in-process with captured output.</summary>
public static class Cli
{
    /// <summary>Runs <paramref name="args"/> on a plain 200-column console.</summary>
    public static CliRun Run(params string[] args) => Run(null, args);

    /// <summary>Runs <paramref name="args"/> with a context built by <paramref name="configure"/>.</summary>
    public static CliRun Run(Func<CliContext, CliContext>? configure, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, CliContext.PlainConsole(output, 200));
        if (configure is not null) context = configure(context);
        int code = GvnicApp.Run(args, context);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>A fresh temporary directory.</summary>
    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "gvnic-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
