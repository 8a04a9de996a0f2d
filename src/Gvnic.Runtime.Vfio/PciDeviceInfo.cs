using System.Collections.Generic;
using Gvnic.Platform;

namespace Gvnic.Runtime.Vfio;

/// <summary>What sysfs says about one PCI function.</summary>
public sealed record PciDeviceInfo
{
    /// <summary>The address, e.g. <c>0000:00:04.0</c>.</summary>
    public required string Address { get; init; }

    /// <summary>The vendor id.</summary>
    public required ushort VendorId { get; init; }

    /// <summary>The device id.</summary>
    public required ushort DeviceId { get; init; }

    /// <summary>The revision id, or null when sysfs has no <c>revision</c> file.</summary>
    public byte? RevisionId { get; init; }

    /// <summary>The bound driver (<c>vfio-pci</c>, <c>gve</c>, …), or null when none is bound.</summary>
    public string? Driver { get; init; }

    /// <summary>The IOMMU group number, or null when the device has none.</summary>
    public int? IommuGroup { get; init; }

    /// <summary>The network interfaces the kernel driver created for it (e.g. <c>ens5</c>), empty under vfio-pci.</summary>
    public IReadOnlyList<string> NetworkInterfaces { get; init; } = [];

    /// <summary>The non-empty BARs and ROM from <c>resource</c>.</summary>
    public IReadOnlyList<PciResource> Resources { get; init; } = [];

    /// <summary>Whether vendor and device are gVNIC's.</summary>
    public bool IsGvnic => VendorId == PciIds.GoogleVendor && DeviceId == PciIds.GvnicDevice;

    /// <summary>Whether vfio-pci is the bound driver.</summary>
    public bool IsBoundToVfioPci => Driver == "vfio-pci";

    /// <summary>The size of BAR <paramref name="index"/>, or 0 when it is not implemented.</summary>
    public ulong BarSize(int index)
    {
        foreach (var r in Resources)
        {
            if (r.Index == index) return r.Size;
        }

        return 0;
    }
}
