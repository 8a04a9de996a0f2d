using System.IO;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>Bad options of gen, sink and fwd: exit 2, one message naming the option, nothing brought up when the check needs no device.</summary>
public class TrafficBadInputTests
{
    private static CliRun Run(params string[] args) => TrafficCommandTests.Run(args);

    [Theory]
    [InlineData("--size", "59", "--size 59 is out of range: frames are 60 (the smallest Ethernet frame without FCS) to 9230 bytes")]
    [InlineData("--size", "100-60", "--size '100-60': the range runs backwards (100 > 60); write MIN-MAX")]
    [InlineData("--size", "jumbo", "--size 'jumbo' is not a frame size; write BYTES (e.g. 60), MIN-MAX (e.g. 60-1474) or imix")]
    [InlineData("--rate", "-5", "--rate '-5' is not a number of frames per second (0: as fast as possible) (0..1000000000)")]
    [InlineData("--rate", "fast", "--rate 'fast' is not a number of frames per second")]
    [InlineData("--flows", "0", "--flows 0 is out of range (1..32,768)")]
    [InlineData("--flows", "40000", "--flows 40000 is out of range (1..32,768)")]
    [InlineData("--duration", "0", "--duration 0 is out of range: seconds, 0.001..31536000")]
    [InlineData("--duration", "ten", "--duration 'ten' is not a number of seconds")]
    [InlineData("--frames", "0", "--frames 0 is out of range (1..1,000,000,000,000)")]
    [InlineData("--frames", "1e6", "--frames '1e6' is not a whole number (1..1,000,000,000,000)")]
    [InlineData("--interval", "0", "--interval 0 is out of range: seconds, 0.01..3600")]
    [InlineData("--queues", "0", "--queues 0 is out of range (1..64)")]
    [InlineData("--format", "gqi", "--format 'gqi' is not a queue format; use one of dqo-rda, dqo-qpl, gqi-rda, gqi-qpl")]
    public void Options_are_checked_before_anything_is_brought_up(string option, string value, string message)
    {
        foreach (string command in new[] { "gen", "sink", "fwd" })
        {
            var run = Run(command, option, value).BadInput(message);
            Assert.Equal("", run.Out);
        }
    }

    [Fact]
    public void Fewer_flows_than_queues() =>
        Run("gen", "--queues", "4", "--flows", "2").BadInput("--flows 2 is fewer than --queues 4: every TX queue sends flows of its own; give at least 4");

    [Fact]
    public void Forwarding_modes() =>
        Run("fwd", "--mode", "macswp").BadInput("--mode 'macswp' is not a forwarding mode; use io, macswap or 5tswap (did you mean macswap?)");

    [Fact]
    public void More_queues_than_the_model_offers_names_the_option()
    {
        var run = Run("gen", "--queues", "9", "--flows", "64").BadInput("gvnic: --queues 9: 9 TX and 9 RX queues need 19 MSI-X vectors (", "the function has 9, enough for at most 4 TX and 4 RX queues\n");
        Assert.DoesNotContain("torn down", run.Out); // nothing was up
    }

    [Fact]
    public void A_size_the_mtu_does_not_allow_is_refused_once_the_nic_is_known()
    {
        var run = Run("gen", "--size", "2000", "--frames", "10").BadInput("--size 2000: frames of 2000 bytes do not fit: the NIC's MTU is 1460, so its largest frame is 1474 bytes");
        Assert.Contains("✓ torn down sim:0, sim:1: every DMA allocation returned", run.Out);
    }

    [Fact]
    public void Pci_counts_per_command()
    {
        Run("gen", "--pci", "0000:00:05.0", "--pci", "0000:00:06.0").BadInput("--pci is given 2 times; gvnic gen runs on one NIC");
        Run("fwd", "--pci", "0000:00:05.0").BadInput("--pci is given once; fwd forwards between two NICs: give --pci twice, or add --reflect to send frames back out of one");
        Run("fwd", "--reflect", "--pci", "0000:00:05.0", "--pci", "0000:00:06.0").BadInput("--pci is given 2 times; fwd --reflect runs on one NIC");
        Run("fwd", "--pci", "0000:00:05.0", "--pci", "0000:00:05.0").BadInput("--pci 0000:00:05.0 is given twice; fwd forwards between two different NICs (or use --reflect)");
    }

    [Fact]
    public void Generator_options_belong_to_the_model_for_sink_and_fwd()
    {
        Run("sink", "--pci", "0000:00:05.0", "--rate", "1000").BadInput("--rate: with --pci, sink takes the traffic that arrives; --rate sets the device model's generator, which runs only without --pci");
        Run("fwd", "--reflect", "--pci", "0000:00:05.0", "--size", "imix").BadInput("--size: with --pci, fwd takes the traffic that arrives");
    }

    [Fact]
    public void Destination_goes_with_pci()
    {
        Run("gen", "--pci", "0000:00:05.0").BadInput("--dst is needed with --pci: the IPv4 address to send to");
        Run("gen", "--dst", "10.20.0.2").BadInput("--dst 10.20.0.2: on the device model gen sends to the model's sink (10.0.1.2); --dst is for --pci");
        Run("gen", "--pci", "0000:00:05.0", "--dst", "10.20.0").BadInput("--dst '10.20.0' is not an IPv4 address (e.g. 10.20.0.2)");
        Run("gen", "--pci", "0000:00:05.0", "--dst", "fe80::1").BadInput("--dst 'fe80::1' is not an IPv4 address");
        Run("sink", "--unsafe-noiommu").BadInput("--unsafe-noiommu is for --pci; without it the run is on the device model");
    }

    [Fact]
    public void A_pci_address_that_is_not_one_or_has_no_device()
    {
        Run("sink", "--pci", "eth1").BadInput("--pci 'eth1' is not a PCI address; write domain:bus:slot.function, e.g. 0000:00:05.0");
        string root = Cli.TempDirectory();
        Directory.CreateDirectory(Path.Combine(root, "bus", "pci", "devices"));
        Directory.CreateDirectory(Path.Combine(root, "dev-vfio"));
        var run = Cli.Run(c => new CliContext(c.Out, c.Error, c.Console) { SysfsRoot = root, DevVfioDirectory = Path.Combine(root, "dev-vfio"), HandleSignals = false },
            "fwd", "--pci", "0000:00:05.0", "--pci", "0000:00:06.0");
        run.BadInput("--pci 0000:00:05.0: PCI function 0000:00:05.0 cannot be opened with VFIO:", "No PCI device 0000:00:05.0", "lspci -D -d 1ae0:0042");
        Assert.Equal("", run.Out);
    }
}
