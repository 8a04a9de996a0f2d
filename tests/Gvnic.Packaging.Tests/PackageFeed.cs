using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Gvnic.Packaging.Tests;

/// <summary>
/// The packages of this working tree in a temporary local feed, packed once per test run. The sources are
/// copied to a temporary folder and packed there, so nothing is written into the repository's bin/ and obj/
/// folders, which other test projects use at the same time. Consumers restore with a NUGET_PACKAGES folder of
/// their own inside the temporary folder, so a Gvnic.Sdk cached by an earlier run is never used.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    /// <summary>The package ids this repository ships.</summary>
    public static readonly string[] PackageIds = ["Gvnic.Sdk", "Gvnic.Driver", "Gvnic.Simulator", "Gvnic.Runtime.Vfio"];

    /// <summary>The temporary folder holding the source copy, the feed and the consumers.</summary>
    public string Root { get; }

    /// <summary>The folder of the packed .nupkg and .snupkg files.</summary>
    public string Feed { get; }

    /// <summary>The NUGET_PACKAGES folder consumers restore into.</summary>
    public string Packages { get; }

    /// <summary>The packages' version, from src/Directory.Build.props.</summary>
    public string Version { get; }

    /// <summary>How long copying and packing took.</summary>
    public TimeSpan PackTime { get; }

    /// <summary>The pack command's output.</summary>
    public string PackOutput { get; }

    public PackageFeed()
    {
        var clock = Stopwatch.StartNew();
        Root = Path.Combine(Path.GetTempPath(), "gvnic-packaging-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "nuget-packages");
        string source = Path.Combine(Root, "source");
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Packages);

        string repo = Dotnet.RepositoryRoot;
        CopyTree(Path.Combine(repo, "src"), Path.Combine(source, "src"));
        CopyTree(Path.Combine(repo, "schema"), Path.Combine(source, "schema"));
        foreach (var file in new[] { "Directory.Build.props", "LICENSE", "README.md" })
            File.Copy(Path.Combine(repo, file), Path.Combine(source, file));

        var match = Regex.Match(File.ReadAllText(Path.Combine(repo, "src", "Directory.Build.props")), "<Version>([^<]+)</Version>");
        Assert.True(match.Success, "src/Directory.Build.props has no <Version>");
        Version = match.Groups[1].Value;

        var projects = new[] { "Gvnic.Generators" }.Concat(PackageIds)
            .Select(id => "  <Project Path=\"src/" + id + "/" + id + ".csproj\" />");
        File.WriteAllText(Path.Combine(source, "pack.slnx"), "<Solution>\n" + string.Join("\n", projects) + "\n</Solution>\n");
        var pack = Dotnet.Run(source, null, "pack", "pack.slnx", "-c", "Release", "-p:PackageOutputPath=" + Feed, "--disable-build-servers", "-nologo").Ok();
        PackOutput = pack.Output;
        PackTime = clock.Elapsed;
    }

    /// <summary>The path of a package in the feed.</summary>
    public string Package(string id, string extension = "nupkg") => Path.Combine(Feed, id + "." + Version + "." + extension);

    /// <summary>
    /// Writes a NuGet.config into <paramref name="directory"/> that takes Gvnic.* from the feed only and any
    /// other package from the machine's global packages folder (offline, like the rest of the build).
    /// </summary>
    public void WriteNuGetConfig(string directory)
    {
        string machine = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        // A local source that does not exist is a restore error; the consumers need no package but Gvnic.*
        // unless a test adds one, so a machine without that folder does without it.
        string machineSource = Directory.Exists(machine) ? $"""<add key="machine-packages" value="{machine}" />""" : "";
        string machineMapping = Directory.Exists(machine) ? """<packageSource key="machine-packages"><package pattern="*" /></packageSource>""" : "";
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="gvnic-test-feed" value="{Feed}" />
                {machineSource}
              </packageSources>
              <packageSourceMapping>
                <packageSource key="gvnic-test-feed">
                  <package pattern="Gvnic.*" />
                </packageSource>
                {machineMapping}
              </packageSourceMapping>
            </configuration>
            """);
    }

    /// <summary>The environment consumers build with: their own package folder.</summary>
    public IReadOnlyDictionary<string, string> ConsumerEnvironment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Packages };

    /// <summary>A new empty folder for one consumer project.</summary>
    public string NewConsumerDirectory(string name)
    {
        string dir = Path.Combine(Root, "consumers", name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Copies a source folder without its bin/, obj/ and TestResults/ folders.</summary>
    internal static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
        {
            string name = Path.GetFileName(dir);
            if (name is "bin" or "obj" or "TestResults") continue;
            CopyTree(dir, Path.Combine(to, name));
        }
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("GVNIC_KEEP_PACKAGING_TEMP") == "1") return;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open leaves the folder behind in the temp directory; the run's results stand.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Every test that needs the packed feed shares one, and they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "package feed";
}
