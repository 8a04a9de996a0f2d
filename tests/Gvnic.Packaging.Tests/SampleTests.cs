using System.IO;
using Xunit;

namespace Gvnic.Packaging.Tests;

/// <summary>What samples/DescribeDevice prints for the simulator's DESCRIBE_DEVICE response.</summary>
internal static class DescribeDeviceSample
{
    public static readonly string ExpectedOutput = string.Join("\n",
        "mac:             42:01:0a:80:00:02",
        "mtu:             1460 (jumbo frames up to 8896)",
        "queues:          4 of each direction by default",
        "ring entries:    tx 256, rx 256",
        "ring limits:     tx 64..1024, rx 64..1024",
        "pages:           4096 registrable, qpl tx 128 rx 256",
        "formats:         DqoRda, DqoQpl, GqiQpl",
        "options:         6 (136 bytes with the descriptor)",
        "  gqi_qpl       DeviceOptionGqiQpl { SupportedFeaturesMask = 4 }",
        "  dqo_rda       DeviceOptionDqoRda { SupportedFeaturesMask = 4, TxCompRingEntries = 0, RxBuffRingEntries = 0 }",
        "  dqo_qpl       DeviceOptionDqoQpl { SupportedFeaturesMask = 4, TxPagesPerQpl = 128, RxPagesPerQpl = 256 }",
        "  jumbo_frames  DeviceOptionJumboFrames { SupportedFeaturesMask = 4, MaxMtu = 8896, Padding = 0000 }",
        "  modify_ring   DeviceOptionModifyRing { SupportedFeaturedMask = 1, MaxRxRingSize = 1024, MaxTxRingSize = 1024, MinRxRingSize = 64, MinTxRingSize = 64 }",
        "  buffer_sizes  DeviceOptionBufferSizes { SupportedFeaturesMask = 16, PacketBufferSize = 4096, HeaderBufferSize = 128 }");

    public static string SourceDirectory => Path.Combine(Dotnet.RepositoryRoot, "samples", "DescribeDevice");
}

/// <summary>The sample as built in this repository (against the Gvnic.Sdk project), run as a program.</summary>
public class SampleTests
{
    private static string Dll => Path.Combine(DescribeDeviceSample.SourceDirectory, "bin", Dotnet.Configuration, "net10.0", "DescribeDevice.dll");

    [Fact]
    public void DescribesTheSimulatorsDevice()
    {
        var run = Dotnet.Run(Dotnet.RepositoryRoot, null, Dll).Ok();
        Assert.Equal(DescribeDeviceSample.ExpectedOutput, run.Out.TrimEnd('\n'));
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void DescribesAResponseGivenAsHex()
    {
        // A device with no options: upstream's fallback format is GQI QPL.
        string hex = "0000000000000400 0000 0400 0400 0002 2328 0008 0040 0040 02AABBCCDDEE 0000 0028 000000000000";
        var run = Dotnet.Run(Dotnet.RepositoryRoot, null, [Dll, .. hex.Split(' ')]).Ok();
        Assert.Contains("mac:             02:aa:bb:cc:dd:ee\n", run.Out);
        Assert.Contains("mtu:             9000\n", run.Out);
        Assert.Contains("queues:          2 of each direction by default\n", run.Out);
        Assert.Contains("ring entries:    tx 1024, rx 1024\n", run.Out);
        Assert.Contains("formats:         GqiQpl\n", run.Out);
        Assert.EndsWith("options:         0 (40 bytes with the descriptor)\n", run.Out);
    }

    [Fact]
    public void RejectsTextThatIsNotHex()
    {
        var run = Dotnet.Run(Dotnet.RepositoryRoot, null, Dll, "00zz");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("describe-device: the argument is not hex bytes (two hex digits per byte, e.g. 00000000000010...)\n", run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void RejectsATruncatedResponse()
    {
        var run = Dotnet.Run(Dotnet.RepositoryRoot, null, Dll, "00000000000010000000010001000004");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("describe-device: the descriptor buffer has 16 bytes, fewer than the 40-byte device descriptor\n", run.Error);
        Assert.Equal("", run.Out);
    }
}

/// <summary>The same sample copied out of the repository and built against the Gvnic.Sdk package.</summary>
[Collection(PackageFeedCollection.Name)]
public class SamplePackageTests(PackageFeed feed)
{
    [Fact]
    public void TheSampleBuildsAgainstThePackageAndPrintsTheSame()
    {
        string dir = feed.NewConsumerDirectory("describe-device");
        feed.WriteNuGetConfig(dir);
        foreach (var file in new[] { "DescribeDevice.csproj", "Program.cs" })
            File.Copy(Path.Combine(DescribeDeviceSample.SourceDirectory, file), Path.Combine(dir, file));
        Dotnet.Run(dir, feed.ConsumerEnvironment, "build", "-c", "Release", "-p:GvnicVersion=" + feed.Version, "--disable-build-servers", "-nologo").Ok();
        Assert.True(File.Exists(Path.Combine(dir, "bin", "Release", "net10.0", "Gvnic.Sdk.dll")), "Gvnic.Sdk.dll should come from the package");

        var run = Dotnet.Run(dir, null, Path.Combine(dir, "bin", "Release", "net10.0", "DescribeDevice.dll")).Ok();
        Assert.Equal(DescribeDeviceSample.ExpectedOutput, run.Out.TrimEnd('\n'));
    }
}
