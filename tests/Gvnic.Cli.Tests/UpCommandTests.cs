using System.IO;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary><c>gvnic up</c> where there is no device: a fake sysfs tree, so the messages are the ones a user would see.</summary>
public class UpCommandTests
{
    private static CliRun Up(string sysfs, params string[] args) =>
        Cli.Run(c => new CliContext(c.Out, c.Error, c.Console) { SysfsRoot = sysfs, DevVfioDirectory = Path.Combine(sysfs, "dev-vfio") },
            ["up", .. args]);

    private static string FakeSysfs()
    {
        string root = Cli.TempDirectory();
        Directory.CreateDirectory(Path.Combine(root, "bus", "pci", "devices"));
        Directory.CreateDirectory(Path.Combine(root, "bus", "pci", "drivers", "gve"));
        return root;
    }

    [Fact]
    public void No_such_device()
    {
        var run = Up(FakeSysfs(), "--pci", "0000:00:05.0");
        run.BadInput("--pci 0000:00:05.0: PCI function 0000:00:05.0 cannot be opened with VFIO:", "No PCI device 0000:00:05.0", "lspci -D -d 1ae0:0042");
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Device_bound_to_the_kernel_driver()
    {
        string root = FakeSysfs();
        string device = Path.Combine(root, "bus", "pci", "devices", "0000:00:05.0");
        Directory.CreateDirectory(Path.Combine(device, "net", "ens5"));
        File.WriteAllText(Path.Combine(device, "vendor"), "0x1ae0\n");
        File.WriteAllText(Path.Combine(device, "device"), "0x0042\n");
        File.WriteAllText(Path.Combine(device, "revision"), "0x01\n");
        File.CreateSymbolicLink(Path.Combine(device, "driver"), Path.Combine(root, "bus", "pci", "drivers", "gve"));
        var run = Up(root, "--pci", "0000:00:05.0", "--frames", "0");
        run.BadInput("--pci 0000:00:05.0:", "0000:00:05.0 is bound to gve, not vfio-pci.", "ens5");
    }

    [Fact]
    public void Not_a_pci_address() =>
        Up(FakeSysfs(), "--pci", "eth0").BadInput("--pci 'eth0' is not a PCI address; write domain:bus:slot.function, e.g. 0000:00:05.0");

    [Fact]
    public void Options_are_checked_before_the_device_is_opened() =>
        Up(FakeSysfs(), "--pci", "0000:00:05.0", "--format", "gqi").BadInput("--format 'gqi' is not a queue format");
}
