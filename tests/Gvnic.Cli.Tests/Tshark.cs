using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>A fact that runs only where tshark is installed (apt-get install tshark); the pcap is always checked by PcapReader too.</summary>
public sealed class TsharkFactAttribute : FactAttribute
{
    public TsharkFactAttribute()
    {
        if (Tshark.Path is null) Skip = "tshark is not installed";
    }
}

/// <summary>Runs tshark.</summary>
public static class Tshark
{
    /// <summary>The tshark executable on PATH, or null.</summary>
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = System.IO.Path.Combine(dir, "tshark");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Runs tshark with <paramref name="args"/>; returns its exit code and stdout.</summary>
    public static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        var info = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException("tshark did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
