using System;
using System.Diagnostics;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace Gvnic.Packaging.Tests;

/// <summary>
/// Fresh projects in a temporary folder that know the packages only through the feed: one brings a schema of
/// its own and runs codecs for it next to the standard types; one has a broken schema and must fail to build
/// with the diagnostic at the YAML file, line and column, and with no C# error from code that uses its types.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public class ConsumerTests(PackageFeed feed, ITestOutputHelper output)
{
    /// <summary>A vendor extension: a device option with an enum, a bool and an integer bit range, and a constant.</summary>
    internal const string AcmeSchema = """
        # A consumer's own schema: picked up because its name ends in .gvnic.yaml.
        schema: acme
        namespace: Acme.Wire
        doc: "ACME's vendor extension to the gVNIC device options."
        constants:
          - { name: dev_opt_id_acme_offload, type: u16, value: 0x7e01, doc: "Device option id of the ACME offload option." }
        enums:
          - name: acme_offload_mode
            type: u8
            doc: "Which offload engine runs."
            values:
              - { name: off, value: 0, doc: "No offload." }
              - { name: inline, value: 1, doc: "Inline engine." }
              - { name: lookaside, value: 2, doc: "Look-aside engine." }
        structs:
          - name: acme_offload_option
            size: 8
            order: big
            doc: "Payload of the ACME offload device option."
            fields:
              - { name: max_flows, at: 0, type: u32, doc: "Most flows the engine tracks." }
              - name: control
                at: 4
                type: u16
                doc: "Engine control word."
                bits:
                  - { name: mode, at: 0, width: 2, type: acme_offload_mode, doc: "Engine mode." }
                  - { name: queues, at: 2, width: 6, doc: "Queues the engine serves." }
                  - { name: enabled, at: 15, width: 1, type: bool, doc: "Engine on." }
              - { name: reserved, at: 6, type: u16, reserved: zero, doc: "Reserved, zero." }
        """;

    /// <summary>A second schema, little-endian, listed as an explicit GvnicSchema item under a name of its own.</summary>
    private const string LimitsSchema = """
        schema: acme_limits
        namespace: Acme.Limits
        doc: "Ring limits of the ACME engine."
        structs:
          - name: acme_ring_limits
            size: 4
            order: little
            doc: "Smallest and largest ring."
            fields:
              - { name: min_entries, at: 0, type: u16, doc: "Smallest ring in entries." }
              - { name: max_entries, at: 2, type: u16, doc: "Largest ring in entries." }
        """;

    private const string AcmeProgram = """
        using System;
        using System.Collections.Generic;
        using Acme.Wire;
        using Gvnic;
        using Gvnic.Admin;
        using Gvnic.Wire;

        // Encode and decode the vendor option (the consumer's schema).
        var option = new AcmeOffloadOption { MaxFlows = 65536, Mode = AcmeOffloadMode.Lookaside, Queues = 12, Enabled = true };
        byte[] payload = new byte[AcmeOffloadOption.Size];
        option.Write(payload);
        Console.WriteLine("acme option: " + Convert.ToHexString(payload));
        AcmeOffloadOption back = AcmeOffloadOption.Read(payload);
        Console.WriteLine("acme decoded: max_flows=" + back.MaxFlows + " mode=" + back.Mode + " queues=" + back.Queues + " enabled=" + back.Enabled + " valid=" + back.Validate());
        try { option.Queues = 64; } catch (ArgumentOutOfRangeException e) { Console.WriteLine("acme range: " + e.Message.Split('\n')[0].Trim()); }
        Console.WriteLine("acme catalog: " + AcmeCatalog.FindType("acme_offload_option")!.Format(payload));

        // A DESCRIBE_DEVICE response carrying it, written and read with the standard types (Gvnic.Wire).
        byte[] response = new byte[DeviceDescriptor.Size + DeviceOption.Size + AcmeOffloadOption.Size];
        ref DeviceDescriptor d = ref DeviceDescriptor.AsRef(response);
        d.MaxRegisteredPages = 4096;
        d.TxQueueEntries = 256;
        d.RxQueueEntries = 512;
        d.DefaultNumQueues = 4;
        d.Mtu = 1460;
        d.TxPagesPerQpl = 128;
        d.RxPagesPerQpl = 256;
        MacAddress.Parse("42:01:0a:80:00:02").CopyTo(d.Mac);
        d.NumDeviceOptions = 1;
        d.TotalLength = (ushort)response.Length;
        ref DeviceOption header = ref DeviceOption.AsRef(response.AsSpan(DeviceDescriptor.Size));
        header.OptionId = (DevOptId)AcmeConstants.DevOptIdAcmeOffload;
        header.OptionLength = AcmeOffloadOption.Size;
        payload.CopyTo(response.AsSpan(DeviceDescriptor.Size + DeviceOption.Size));
        Console.WriteLine("response: " + Convert.ToHexString(response));

        DeviceDescription device = DeviceDescriptorParser.Parse(response);
        Console.WriteLine("device: mac=" + device.MacAddress + " mtu=" + device.Mtu + " queues=" + device.DefaultQueueCount + " tx=" + device.TxQueueEntries + " rx=" + device.RxQueueEntries + " formats=" + device.OfferedFormatsText());
        foreach (SkippedDeviceOption skipped in device.SkippedOptions)
        {
            Console.WriteLine("standard parser skipped 0x" + skipped.Id.ToString("x4") + " (" + skipped.Reason + ")");
            if (skipped.Id == AcmeConstants.DevOptIdAcmeOffload)
            {
                var vendor = AcmeOffloadOption.Read(response.AsSpan(DeviceDescriptor.Size + DeviceOption.Size, skipped.Length));
                Console.WriteLine("vendor option: " + vendor);
            }
        }

        // A reserved bit set: Validate names it with the standard WireIssue type.
        payload[7] = 0x01;
        var issues = new List<WireIssue>();
        Console.WriteLine("tampered valid=" + AcmeOffloadOption.Read(payload).Validate(issues) + " issues=" + string.Join("; ", issues));
        Console.WriteLine("standard catalog: device_descriptor " + GvnicCatalog.FindType("device_descriptor")!.Size + " bytes");

        // The second schema, from an explicit GvnicSchema item: little-endian.
        byte[] limits = new byte[Acme.Limits.AcmeRingLimits.Size];
        new Acme.Limits.AcmeRingLimits { MinEntries = 64, MaxEntries = 4096 }.Write(limits);
        Console.WriteLine("limits: " + Convert.ToHexString(limits) + " " + Acme.Limits.AcmeLimitsCatalog.Types.Count + " type");
        """;

    internal static string Project(string version, string reference, string extra = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>disable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="{reference}" Version="{version}" />
          </ItemGroup>
          {extra}
        </Project>
        """;

    [Fact]
    public void AConsumerSchemaGetsCodecsNextToTheStandardTypes()
    {
        output.WriteLine("pack: " + feed.PackTime.TotalSeconds.ToString("F0") + " s");
        string dir = feed.NewConsumerDirectory("acme");
        feed.WriteNuGetConfig(dir);
        // config.yaml is an AdditionalFile but no schema: with the build integration the generator leaves it alone.
        // limits.yaml is a schema because it is listed as a GvnicSchema item, whatever its name.
        File.WriteAllText(Path.Combine(dir, "Acme.Consumer.csproj"), Project(feed.Version, "Gvnic.Sdk",
            "<ItemGroup><AdditionalFiles Include=\"config.yaml\" /><GvnicSchema Include=\"wire/limits.yaml\" /></ItemGroup>"));
        File.WriteAllText(Path.Combine(dir, "config.yaml"), "retries: [3\n");
        File.WriteAllText(Path.Combine(dir, "acme.gvnic.yaml"), AcmeSchema);
        Directory.CreateDirectory(Path.Combine(dir, "wire"));
        File.WriteAllText(Path.Combine(dir, "wire", "limits.yaml"), LimitsSchema);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), AcmeProgram);

        var clock = Stopwatch.StartNew();
        Dotnet.Run(dir, feed.ConsumerEnvironment, "build", "-c", "Release", "--disable-build-servers", "-nologo").Ok();
        output.WriteLine("consumer build: " + clock.Elapsed.TotalSeconds.ToString("F0") + " s");
        // The package came from this run's feed into this run's package folder.
        Assert.True(File.Exists(Path.Combine(feed.Packages, "gvnic.sdk", feed.Version, "analyzers", "dotnet", "cs", "Gvnic.Generators.dll")));

        var run = Dotnet.Run(dir, null, Path.Combine(dir, "bin", "Release", "net10.0", "Acme.Consumer.dll")).Ok();
        string[] expected =
        [
            "acme option: 0001000080320000",
            "acme decoded: max_flows=65536 mode=Lookaside queues=12 enabled=True valid=True",
            "acme range: acme_offload_option.queues is 6 bits wide; the value does not fit (Parameter 'queues')",
            "acme catalog: AcmeOffloadOption { MaxFlows = 65536, Control = { Mode = Lookaside, Queues = 12, Enabled = True }, Reserved = 0 }",
            "response: 0000000000001000000001000200000405B400000080010042010A800002000100380000000000007E01000800000000" + "0001000080320000",
            "device: mac=42:01:0a:80:00:02 mtu=1460 queues=4 tx=256 rx=512 formats=GqiQpl",
            "standard parser skipped 0x7e01 (unknown option id)",
            "vendor option: AcmeOffloadOption { MaxFlows = 65536, Control = { Mode = Lookaside, Queues = 12, Enabled = True }, Reserved = 0 }",
            "tampered valid=False issues=acme_offload_option.reserved: ReservedNotZero (0x1)",
            "standard catalog: device_descriptor 40 bytes",
            "limits: 40000010 1 type",
        ];
        Assert.Equal(string.Join("\n", expected), run.Out.TrimEnd('\n'));
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void ABrokenConsumerSchemaFailsTheBuildAtItsLineAndColumn()
    {
        string dir = feed.NewConsumerDirectory("broken");
        feed.WriteNuGetConfig(dir);
        // A driver author's project: Gvnic.Driver brings Gvnic.Sdk, its generator and its build integration along.
        // old.gvnic.yaml would be a default item (and is broken too), but the project removes it.
        File.WriteAllText(Path.Combine(dir, "Broken.Consumer.csproj"), Project(feed.Version, "Gvnic.Driver", "<ItemGroup><GvnicSchema Remove=\"old.gvnic.yaml\" /></ItemGroup>"));
        File.WriteAllText(Path.Combine(dir, "old.gvnic.yaml"), "schema: [old\n");
        // The program uses the broken struct: the generator still emits it, so the schema's error is the build's only one.
        File.WriteAllText(Path.Combine(dir, "Program.cs"), "var o = new Acme.Wire.AcmeOffloadOption { MaxFlows = 1 };\nSystem.Console.WriteLine(o.MaxFlows + \" \" + Acme.Wire.AcmeCatalog.Types.Count);\n");
        string schemaDir = Path.Combine(dir, "schemas");
        Directory.CreateDirectory(schemaDir);
        string schema = AcmeSchema.Replace("at: 0, type: u32, doc", "at: 0, type: acme_flow_count, doc");
        string schemaPath = Path.Combine(schemaDir, "acme.gvnic.yaml");
        File.WriteAllText(schemaPath, schema);

        // Where the unknown type name is, counted from 1 as compilers do.
        string[] lines = schema.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains("acme_flow_count")) + 1;
        int column = lines[line - 1].IndexOf("acme_flow_count", StringComparison.Ordinal) + 1;
        Assert.True(line > 1 && column > 1);

        var build = Dotnet.Run(dir, feed.ConsumerEnvironment, "build", "-c", "Release", "--disable-build-servers", "-nologo");
        Assert.NotEqual(0, build.ExitCode);
        string located = schemaPath + "(" + line + "," + column + "): error GVNIC002:";
        Assert.True(build.Output.Contains(located, StringComparison.Ordinal), "expected '" + located + "' in:\n" + build.Output);
        Assert.Contains("unknown type 'acme_flow_count' for field 'max_flows' of 'acme_offload_option'", build.Output);
        Assert.DoesNotContain("old.gvnic.yaml", build.Output);
        Assert.DoesNotContain("error CS", build.Output);
    }
}
