using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Gvnic.Packaging.Tests;

/// <summary>The outcome of one child process.</summary>
public sealed record ProcessRun(string Command, int ExitCode, string Out, string Error)
{
    /// <summary>Both streams, for failure messages.</summary>
    public string Output => Out + Error;

    /// <summary>Asserts exit code 0, showing the command and its output otherwise.</summary>
    public ProcessRun Ok()
    {
        Assert.True(ExitCode == 0, Command + " exited " + ExitCode + "\n" + Output);
        return this;
    }
}

/// <summary>Runs the dotnet CLI (and built programs) as child processes, each bounded in time.</summary>
public static class Dotnet
{
    /// <summary>The longest any one child process may run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    /// <summary>The dotnet host running these tests (DOTNET_HOST_PATH under dotnet test), else dotnet from PATH.</summary>
    public static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    /// <summary>The repository root: the folder above the test binaries that holds Gvnic.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The build configuration of this test assembly (and so of the projects it references).</summary>
    public static string Configuration { get; } =
        typeof(Dotnet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gvnic.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("no Gvnic.sln above " + AppContext.BaseDirectory + ": run the tests from a clone of the repository");
    }

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="args"/> in <paramref name="directory"/>. The child gets this
    /// process's environment less the MSBuild variables a test host inherits (they would point it at the
    /// outer build), plus <paramref name="environment"/>; no build servers outlive it.
    /// </summary>
    public static ProcessRun Run(string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
        => Start(Host, directory, environment, args);

    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>, as <see cref="Run"/> does.</summary>
    public static ProcessRun Start(string program, string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
        => Start(Timeout, program, directory, environment, args);

    /// <summary>Runs <paramref name="program"/> as <see cref="Start(string, string, IReadOnlyDictionary{string, string}?, string[])"/> does, killed after <paramref name="timeout"/>.</summary>
    public static ProcessRun Start(TimeSpan timeout, string program, string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.Equals("MSBuildExtensionsPath", StringComparison.OrdinalIgnoreCase))
                info.Environment.Remove(key);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        info.Environment["UseSharedCompilation"] = "false";
        if (environment != null)
        {
            foreach (var (key, value) in environment) info.Environment[key] = value;
        }

        string command = program + " " + string.Join(" ", args) + " (in " + directory + ")";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + command);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Both streams end when the process and anything that inherited them have exited: that bounds the wait too.
        if (!process.WaitForExit(timeout) || !Task.WhenAll(stdout, stderr).Wait(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(30));
            Assert.Fail(command + " did not finish within " + timeout + "; killed");
        }
        return new ProcessRun(command, process.ExitCode, stdout.Result.ReplaceLineEndings("\n"), stderr.Result.ReplaceLineEndings("\n"));
    }
}
