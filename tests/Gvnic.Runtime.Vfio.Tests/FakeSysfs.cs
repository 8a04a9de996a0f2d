using System;
using System.IO;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>A sysfs and /dev/vfio tree in a temporary directory, laid out like the kernel's (symlinks included).</summary>
internal sealed class FakeSysfs : IDisposable
{
    public FakeSysfs()
    {
        Root = Path.Combine(Path.GetTempPath(), "gvnic-vfio-" + Guid.NewGuid().ToString("N"));
        Sys = Path.Combine(Root, "sys");
        DevVfio = Path.Combine(Root, "dev", "vfio");
        Directory.CreateDirectory(Path.Combine(Sys, "bus", "pci", "devices"));
        Directory.CreateDirectory(Path.Combine(Sys, "bus", "pci", "drivers"));
        Directory.CreateDirectory(Path.Combine(Sys, "devices", "pci0000:00"));
        Directory.CreateDirectory(DevVfio);
    }

    public string Root { get; }

    public string Sys { get; }

    public string DevVfio { get; }

    public string ContainerPath => Path.Combine(DevVfio, "vfio");

    public PciDiscovery Discovery(FakeVfioKernel? kernel = null)
        => new(Sys, DevVfio, (Interop.ILinuxApi?)kernel ?? new FakeVfioKernel(this));

    /// <summary>Adds a function: /sys/devices/pci0000:00/ADDR with /sys/bus/pci/devices/ADDR linking to it.</summary>
    public string AddDevice(string address, ushort vendor = 0x1AE0, ushort device = 0x0042, byte revision = 1,
        string? driver = "vfio-pci", int? group = 4, string[]? netInterfaces = null, string? resource = null)
    {
        string real = Path.Combine(Sys, "devices", "pci0000:00", address);
        Directory.CreateDirectory(real);
        File.WriteAllText(Path.Combine(real, "vendor"), "0x" + vendor.ToString("x4") + "\n");
        File.WriteAllText(Path.Combine(real, "device"), "0x" + device.ToString("x4") + "\n");
        File.WriteAllText(Path.Combine(real, "revision"), "0x" + revision.ToString("x2") + "\n");
        File.WriteAllText(Path.Combine(real, "resource"), resource ?? DefaultResource);
        Directory.CreateSymbolicLink(Path.Combine(Sys, "bus", "pci", "devices", address), "../../../devices/pci0000:00/" + address);
        if (driver is not null) Bind(address, driver);
        if (group is int g)
        {
            string groupDevices = Path.Combine(Sys, "kernel", "iommu_groups", g.ToString(), "devices");
            Directory.CreateDirectory(groupDevices);
            Directory.CreateSymbolicLink(Path.Combine(groupDevices, address), "../../../../devices/pci0000:00/" + address);
            Directory.CreateSymbolicLink(Path.Combine(real, "iommu_group"), "../../../kernel/iommu_groups/" + g);
        }

        foreach (string name in netInterfaces ?? []) Directory.CreateDirectory(Path.Combine(real, "net", name));
        return real;
    }

    public void Bind(string address, string driver)
    {
        Directory.CreateDirectory(Path.Combine(Sys, "bus", "pci", "drivers", driver));
        string link = Path.Combine(Sys, "devices", "pci0000:00", address, "driver");
        if (Directory.Exists(link) || File.Exists(link)) File.Delete(link);
        Directory.CreateSymbolicLink(link, "../../../bus/pci/drivers/" + driver);
    }

    public void AddVfioNodes(int group, bool noIommu = false)
    {
        File.WriteAllText(ContainerPath, "");
        File.WriteAllText(Path.Combine(DevVfio, noIommu ? "noiommu-" + group : group.ToString()), "");
    }

    public void SetNoIommuParameter(bool enabled)
    {
        string dir = Path.Combine(Sys, "module", "vfio", "parameters");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "enable_unsafe_noiommu_mode"), enabled ? "Y\n" : "N\n");
    }

    /// <summary>Writes kernel/mm/hugepages/hugepages-2048kB/{nr_hugepages,free_hugepages}.</summary>
    public void SetHugePages(int reserved, int free)
    {
        string dir = Path.Combine(Sys, "kernel", "mm", "hugepages", "hugepages-2048kB");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "nr_hugepages"), reserved + "\n");
        File.WriteAllText(Path.Combine(dir, "free_hugepages"), free + "\n");
    }

    // BAR0 8 KiB memory, BAR1 4 KiB (MSI-X table), BAR2 64 KiB prefetchable 64-bit, then empty lines as the kernel prints them.
    public const string DefaultResource =
        "0x00000000c0000000 0x00000000c0001fff 0x0000000000040200\n" +
        "0x00000000c0002000 0x00000000c0002fff 0x0000000000040200\n" +
        "0x0000000800000000 0x000000080000ffff 0x000000000014220c\n" +
        "0x0000000000000000 0x0000000000000000 0x0000000000000000\n" +
        "0x0000000000000000 0x0000000000000000 0x0000000000000000\n" +
        "0x0000000000000000 0x0000000000000000 0x0000000000000000\n" +
        "0x0000000000000000 0x0000000000000000 0x0000000000000000\n";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
