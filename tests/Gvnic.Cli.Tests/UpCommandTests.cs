using System;
using System.IO;
using System.Linq;
using System.Threading;
using Gvnic.Cli.Commands;
using Gvnic.Cli.Scenario;
using Gvnic.Runtime.Vfio;
using Gvnic.Simulator;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>Runs only on a machine without a gVNIC (like CI): `gvnic up` against the real /sys.</summary>
public sealed class NoGvnicHereFactAttribute : FactAttribute
{
    public NoGvnicHereFactAttribute()
    {
        if (!Directory.Exists("/sys/bus/pci/devices")) Skip = "needs Linux sysfs (/sys/bus/pci/devices)";
        else if (new PciDiscovery().ListGvnicFunctions().Count > 0) Skip = "this machine has a gVNIC: the message for a machine without one cannot be checked here";
    }
}

/// <summary><c>gvnic up</c> where there is no device: fake sysfs trees, so the messages are the ones a user would see; and its Ctrl-C path on the simulator.</summary>
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
        Directory.CreateDirectory(Path.Combine(root, "bus", "pci", "drivers", "vfio-pci"));
        Directory.CreateDirectory(Path.Combine(root, "dev-vfio"));
        return root;
    }

    private static void AddDevice(string root, string address, string vendor, string device, string? driver, string[]? net = null, int? group = null)
    {
        string dir = Path.Combine(root, "bus", "pci", "devices", address);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "vendor"), "0x" + vendor + "\n");
        File.WriteAllText(Path.Combine(dir, "device"), "0x" + device + "\n");
        File.WriteAllText(Path.Combine(dir, "revision"), "0x01\n");
        foreach (string name in net ?? []) Directory.CreateDirectory(Path.Combine(dir, "net", name));
        if (driver is not null)
        {
            Directory.CreateDirectory(Path.Combine(root, "bus", "pci", "drivers", driver));
            File.CreateSymbolicLink(Path.Combine(dir, "driver"), Path.Combine(root, "bus", "pci", "drivers", driver));
        }
        if (group is int g)
        {
            string groupDir = Path.Combine(root, "kernel", "iommu_groups", g.ToString(), "devices");
            Directory.CreateDirectory(groupDir);
            File.CreateSymbolicLink(Path.Combine(dir, "iommu_group"), Path.Combine(root, "kernel", "iommu_groups", g.ToString()));
        }
    }

    /// <summary>The PCI functions of the CI machine: a host bridge and virtio devices, no gVNIC.</summary>
    private static string MachineWithoutGvnic()
    {
        string root = FakeSysfs();
        AddDevice(root, "0000:00:00.0", "8086", "0d57", null);
        AddDevice(root, "0000:00:01.0", "1af4", "1045", "virtio-pci");
        AddDevice(root, "0000:00:02.0", "1af4", "1042", "virtio-pci");
        AddDevice(root, "0000:00:03.0", "1af4", "1041", "virtio-pci", ["eth0"]);
        AddDevice(root, "0000:00:04.0", "1af4", "1053", "virtio-pci");
        AddDevice(root, "0000:00:05.0", "1af4", "1044", "virtio-pci");
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
    public void Without_pci_on_a_machine_without_a_gvnic()
    {
        string root = MachineWithoutGvnic();
        var run = Up(root);
        run.BadInput();
        Assert.Equal("gvnic: No gVNIC (PCI 1ae0:0042) to open with VFIO:\n"
                     + "  - This machine has no gVNIC: none of the 6 PCI functions in " + Path.Combine(root, "bus", "pci", "devices") + " is 1ae0:0042. "
                     + "Fix: Run on a Compute Engine VM whose second network interface is a gVNIC (nic-type=GVNIC) and bind that one to vfio-pci; docs/gce.md walks through it.\n",
            run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Pci_address_of_a_device_that_is_not_a_gvnic()
    {
        var run = Up(MachineWithoutGvnic(), "--pci", "0000:00:05.0");
        Assert.Equal("gvnic: --pci 0000:00:05.0: PCI function 0000:00:05.0 cannot be opened with VFIO:\n"
                     + "  - 0000:00:05.0 is 1af4:1044, not a gVNIC (1ae0:0042). Fix: Pick a gVNIC function: `lspci -D -d 1ae0:0042`.\n",
            run.BadInput().Error);
    }

    [NoGvnicHereFact]
    public void On_this_machine_without_a_gvnic()
    {
        int functions = Directory.GetFileSystemEntries("/sys/bus/pci/devices").Length;
        var run = Cli.Run("up");
        run.BadInput("gvnic: No gVNIC (PCI 1ae0:0042) to open with VFIO:\n  - This machine has no gVNIC: none of the " + functions + " PCI functions in /sys/bus/pci/devices is 1ae0:0042. Fix: Run on a Compute Engine VM");
        var withPci = Cli.Run("up", "--pci", "0000:00:1f.7");
        withPci.BadInput("gvnic: --pci 0000:00:1f.7: PCI function 0000:00:1f.7 cannot be opened with VFIO:\n  - No PCI device 0000:00:1f.7 (/sys/bus/pci/devices/0000:00:1f.7 does not exist). This machine has no gVNIC function in /sys/bus/pci/devices.");
    }

    [Fact]
    public void Without_pci_when_the_only_gvnic_carries_the_connection()
    {
        string root = FakeSysfs();
        AddDevice(root, "0000:00:04.0", "1ae0", "0042", "gve", ["ens4"]);
        var run = Up(root).BadInput();
        Assert.Contains("  - No gVNIC function is bound to vfio-pci; the gVNICs here are 0000:00:04.0 (gve, ens4). Fix: It is the VM's only gVNIC and carries its network connection: do not unbind it.", run.Error);
        Assert.DoesNotContain("unbind;", run.Error);
    }

    [Fact]
    public void Without_pci_with_two_kernel_gvnics_shows_how_to_bind_the_second()
    {
        string root = FakeSysfs();
        AddDevice(root, "0000:00:04.0", "1ae0", "0042", "gve", ["ens4"]);
        AddDevice(root, "0000:00:05.0", "1ae0", "0042", "gve", ["ens5"]);
        var run = Up(root).BadInput("the gVNICs here are 0000:00:04.0 (gve, ens4), 0000:00:05.0 (gve, ens5).",
            "e.g. 0000:00:05.0: sudo modprobe vfio-pci; echo vfio-pci | sudo tee /sys/bus/pci/devices/0000:00:05.0/driver_override; "
            + "echo 0000:00:05.0 | sudo tee /sys/bus/pci/devices/0000:00:05.0/driver/unbind; echo 0000:00:05.0 | sudo tee /sys/bus/pci/drivers_probe");
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Without_pci_takes_the_gvnic_bound_to_vfio_pci_and_explains_what_is_missing()
    {
        string root = FakeSysfs();
        AddDevice(root, "0000:00:04.0", "1ae0", "0042", "gve", ["ens4"]);
        AddDevice(root, "0000:00:05.0", "1ae0", "0042", "vfio-pci", group: 0);
        File.WriteAllText(Path.Combine(root, "dev-vfio", "vfio"), "");
        File.WriteAllText(Path.Combine(root, "dev-vfio", "noiommu-0"), "");
        var run = Up(root).BadInput("PCI function 0000:00:05.0 cannot be opened with VFIO:", "is in VFIO's unsafe no-IOMMU mode",
            "(with gvnic up: add --unsafe-noiommu, run as root, and reserve 2 MiB huge pages; docs/gce.md)");
        Assert.DoesNotContain("--pci", run.Error);

        // With --unsafe-noiommu the next thing checked is the huge page pool (none reserved in this tree).
        string pool = Path.Combine(root, "kernel", "mm", "hugepages", "hugepages-2048kB");
        Directory.CreateDirectory(pool);
        File.WriteAllText(Path.Combine(pool, "nr_hugepages"), "0\n");
        File.WriteAllText(Path.Combine(pool, "free_hugepages"), "0\n");
        var next = Up(root, "--unsafe-noiommu").BadInput("No 2 MiB huge pages are free", "echo 64 | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");
        Assert.Equal("", next.Out);
    }

    [Fact]
    public void Without_pci_when_several_gvnics_are_bound_to_vfio_pci()
    {
        string root = FakeSysfs();
        AddDevice(root, "0000:00:05.0", "1ae0", "0042", "vfio-pci", group: 0);
        AddDevice(root, "0000:00:06.0", "1ae0", "0042", "vfio-pci", group: 1);
        Assert.Equal("gvnic: No gVNIC (PCI 1ae0:0042) to open with VFIO:\n"
                     + "  - 2 gVNIC functions are bound to vfio-pci: 0000:00:05.0, 0000:00:06.0. Fix: Name the one to use by its PCI address (`gvnic up --pci ADDRESS`).\n",
            Up(root).BadInput().Error);
    }

    [Fact]
    public void Device_bound_to_the_kernel_driver()
    {
        string root = FakeSysfs();
        AddDevice(root, "0000:00:05.0", "1ae0", "0042", "gve", ["ens5"]);
        var run = Up(root, "--pci", "0000:00:05.0", "--frames", "0");
        run.BadInput("--pci 0000:00:05.0:", "0000:00:05.0 is bound to gve, not vfio-pci.", "ens5", "driver_override", "driver/unbind", "drivers_probe");
    }

    [Fact]
    public void Not_a_pci_address() =>
        Up(FakeSysfs(), "--pci", "eth0").BadInput("--pci 'eth0' is not a PCI address; write domain:bus:slot.function, e.g. 0000:00:05.0");

    [Fact]
    public void Options_are_checked_before_the_device_is_opened() =>
        Up(FakeSysfs(), "--pci", "0000:00:05.0", "--format", "gqi").BadInput("--format 'gqi' is not a queue format");

    [Fact]
    public void Ctrl_c_during_the_conversation_tears_the_device_down_before_returning()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, CliContext.PlainConsole(output, 200));
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig());
        using var signals = new TeardownOnSignal(error, register: false);
        int discovers = 0;
        // Ctrl-C arrives while the driver waits for the DHCP offer; nothing answers.
        device.AttachWire(VirtualWire.Responder(frame =>
        {
            if (Interlocked.Increment(ref discovers) == 1) Assert.True(signals.OnSignal("SIGINT"));
            return null;
        }));
        var options = new ScenarioOptions(null, 1, 0, null, TimeSpan.FromSeconds(30));

        int code = UpCommand.RunScenario(context, new ScenarioTarget(device, "sim:0"), options, signals);

        Assert.Equal(ExitCodes.Interrupted, code);
        string o = output.ToString();
        Assert.Contains("! interrupted: tearing down", o);
        Assert.DoesNotContain("DHCP DISCOVER", o); // the offer was not waited for until the 30 s timeout
        foreach (string step in new[] { "DESTROY_RX_QUEUE 0", "DESTROY_TX_QUEUE 0", "DECONFIGURE_DEVICE_RESOURCES", "bus mastering", "DMA memory" })
            Assert.Contains("✓ " + step, o);
        Assert.Contains("✓ torn down in ", o);
        Assert.Contains("every DMA allocation returned", o);
        Assert.Equal("gvnic: SIGINT: stopping; the gVNIC is being torn down (queues destroyed, DMA memory returned). Send it again to exit at once.\n"
                     + "gvnic: interrupted by SIGINT after 1 frames out and 0 in; the gVNIC was torn down and every DMA region returned\n", error.ToString());
        Assert.Equal(0, device.Dma.OutstandingRegions);
        Assert.False(device.BusMasterEnabled);
        Assert.Empty(device.Violations);
        Assert.Equal(1, discovers);
    }

    [Fact]
    public void A_second_signal_stops_the_device_dma_and_lets_the_process_exit()
    {
        var error = new StringWriter { NewLine = "\n" };
        using var signals = new TeardownOnSignal(error, register: false);
        int stops = 0;
        signals.EmergencyStop = () => stops++;
        Assert.True(signals.OnSignal("SIGTERM"));
        Assert.True(signals.Token.IsCancellationRequested);
        Assert.Equal(0, stops);
        Assert.False(signals.OnSignal("SIGINT"));
        Assert.Equal(1, stops);
        Assert.Equal("SIGTERM", signals.Signal);
        Assert.EndsWith("gvnic: SIGINT again: turning the device's bus mastering off and exiting without teardown\n", error.ToString());

        signals.EmergencyStop = () => throw new IOException("pwrite of config space at 0x4 failed: EIO");
        Assert.False(signals.OnSignal("SIGINT"));
        Assert.EndsWith("gvnic: could not turn bus mastering off: pwrite of config space at 0x4 failed: EIO\n", error.ToString());
    }

    [Fact]
    public void A_real_sigint_reaches_the_handler_and_does_not_end_the_process()
    {
        var error = new StringWriter { NewLine = "\n" };
        using var signals = new TeardownOnSignal(error);
        Assert.Equal(0, Tmds.Linux.LibC.kill(Tmds.Linux.LibC.getpid(), Tmds.Linux.LibC.SIGINT));
        Assert.True(signals.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "SIGINT did not reach the handler in 20 s");
        Assert.Equal("SIGINT", signals.Signal);
        Assert.StartsWith("gvnic: SIGINT: stopping;", error.ToString());
    }
}
