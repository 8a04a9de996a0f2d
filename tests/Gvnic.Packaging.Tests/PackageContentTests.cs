using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace Gvnic.Packaging.Tests;

/// <summary>What each packed package holds: assemblies, docs, the generator, the build integration and metadata.</summary>
[Collection(PackageFeedCollection.Name)]
public class PackageContentTests(PackageFeed feed)
{
    private static string[] Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e => e.FullName).ToArray();
    }

    private static XElement Metadata(string path, string id)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(id + ".nuspec")!.Open();
        var doc = XDocument.Load(stream);
        return doc.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    [Fact]
    public void TheFeedHoldsExactlyTheFourPackagesWithSymbols()
    {
        var expected = PackageFeed.PackageIds.SelectMany(id => new[] { id + "." + feed.Version + ".nupkg", id + "." + feed.Version + ".snupkg" }).OrderBy(n => n);
        Assert.Equal(expected, Directory.GetFiles(feed.Feed).Select(Path.GetFileName).OrderBy(n => n));
        foreach (var id in PackageFeed.PackageIds)
            Assert.Contains("lib/net10.0/" + id + ".pdb", Entries(feed.Package(id, "snupkg")));
    }

    [Fact]
    public void SdkCarriesTheGeneratorAndTheBuildIntegration()
    {
        var entries = Entries(feed.Package("Gvnic.Sdk"));
        foreach (var entry in new[]
        {
            "lib/net10.0/Gvnic.Sdk.dll", "lib/net10.0/Gvnic.Sdk.xml",
            "analyzers/dotnet/cs/Gvnic.Generators.dll", "analyzers/dotnet/cs/YamlDotNet.dll",
            "build/Gvnic.Sdk.props", "build/Gvnic.Sdk.targets",
            "buildTransitive/Gvnic.Sdk.props", "buildTransitive/Gvnic.Sdk.targets",
            "README.md", "LICENSE",
        })
        {
            Assert.Contains(entry, entries);
        }
        // The generator is an analyzer only: it must not land where a consumer would reference or copy it.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/") && (e.Contains("Generators") || e.Contains("YamlDotNet")));
        Assert.DoesNotContain(Metadata(feed.Package("Gvnic.Sdk"), "Gvnic.Sdk").Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Theory]
    [InlineData("Gvnic.Sdk")]
    [InlineData("Gvnic.Driver")]
    [InlineData("Gvnic.Simulator")]
    [InlineData("Gvnic.Runtime.Vfio")]
    public void EveryPackageHasItsMetadata(string id)
    {
        var metadata = Metadata(feed.Package(id), id);
        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(feed.Version, Value(metadata, "version"));
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", feed.Version);
        Assert.Equal("MIT", Value(metadata, "license"));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "authors")));
        Assert.True((Value(metadata, "description") ?? "").Length > 40, id + " needs a description");
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.StartsWith("https://", repository.Attribute("url")!.Value);
        var entries = Entries(feed.Package(id));
        Assert.Contains("lib/net10.0/" + id + ".dll", entries);
        Assert.Contains("lib/net10.0/" + id + ".xml", entries);
        Assert.Contains("README.md", entries);
    }

    [Theory]
    [InlineData("Gvnic.Driver")]
    [InlineData("Gvnic.Simulator")]
    [InlineData("Gvnic.Runtime.Vfio")]
    public void DependentPackagesDependOnTheSdkWithEveryAsset(string id)
    {
        var dependencies = Metadata(feed.Package(id), id).Descendants().Where(e => e.Name.LocalName == "dependency").ToArray();
        var sdk = Assert.Single(dependencies, d => d.Attribute("id")!.Value == "Gvnic.Sdk");
        Assert.Equal(feed.Version, sdk.Attribute("version")!.Value);
        // include="All" (no exclude): the generator and the build integration reach this package's consumers.
        Assert.Null(sdk.Attribute("exclude"));
        if (id == "Gvnic.Runtime.Vfio") Assert.Contains(dependencies, d => d.Attribute("id")!.Value == "Tmds.LibC");
    }
}
