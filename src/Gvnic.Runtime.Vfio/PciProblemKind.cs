namespace Gvnic.Runtime.Vfio;

/// <summary>What can keep a PCI function from being opened with VFIO.</summary>
public enum PciProblemKind
{
    /// <summary>The text is not a PCI address.</summary>
    InvalidAddress,

    /// <summary>No PCI device has that address.</summary>
    DeviceNotFound,

    /// <summary>The device is not a gVNIC (see <see cref="Gvnic.Platform.PciIds"/>).</summary>
    NotGvnic,

    /// <summary>The device is bound to another driver (gve, typically) or to none.</summary>
    NotBoundToVfioPci,

    /// <summary>The device has no IOMMU group: no IOMMU and VFIO's no-IOMMU mode is off.</summary>
    NoIommuGroup,

    /// <summary>The group's device node under /dev/vfio (or /dev/vfio/vfio itself) does not exist.</summary>
    GroupDeviceMissing,

    /// <summary>The process may not open the group's device node or /dev/vfio/vfio.</summary>
    GroupPermissionDenied,

    /// <summary>The device is in VFIO's unsafe no-IOMMU mode and the caller did not allow it.</summary>
    NoIommuMode,

    /// <summary>Another device in the IOMMU group is bound to a host driver, so the group is not viable.</summary>
    GroupNotViable,

    /// <summary>No-IOMMU mode needs root (CAP_SYS_RAWIO for the group, CAP_SYS_ADMIN for physical addresses).</summary>
    NotRoot,

    /// <summary>DMA memory needs 2 MiB huge pages (no-IOMMU mode) and none are reserved and free.</summary>
    HugePagesNotReserved,

    /// <summary>A BAR is smaller than the registers the driver uses in it.</summary>
    BarTooSmall,
}
