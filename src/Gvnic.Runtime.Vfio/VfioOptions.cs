namespace Gvnic.Runtime.Vfio;

/// <summary>How <see cref="VfioPciFunction.Open(string, VfioOptions?)"/> finds and sets up a function.</summary>
public sealed record VfioOptions
{
    /// <summary>The sysfs root (default <c>/sys</c>).</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>The VFIO device directory (default <c>/dev/vfio</c>).</summary>
    public string DevVfioDirectory { get; init; } = "/dev/vfio";

    /// <summary>
    /// Accept a group in VFIO's unsafe no-IOMMU mode (typical on VMs without a virtual IOMMU). The device then
    /// sees physical addresses and nothing confines its DMA. Default false.
    /// </summary>
    public bool AllowUnsafeNoIommu { get; init; }

    /// <summary>
    /// Carve DMA regions out of locked 2 MiB huge pages: true, false, or null (the default) for "in no-IOMMU mode",
    /// where the device uses physical addresses and memory must be physically contiguous and unmovable. Huge pages
    /// must be reserved first (<c>/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages</c>); opening checks that
    /// some are free and says how to reserve them when not.
    /// </summary>
    public bool? UseHugePages { get; init; }

    /// <summary>Reset the function with VFIO_DEVICE_RESET after opening it, when it supports reset. Default true.</summary>
    public bool ResetOnOpen { get; init; } = true;

    /// <summary>Reset the function when disposing it (after bus mastering is off), when it supports reset. Default true.</summary>
    public bool ResetOnClose { get; init; } = true;

    /// <summary>The first IOVA handed out under a type1 IOMMU (default 4 GiB, above the x86 MSI window).</summary>
    public ulong IovaBase { get; init; } = 1UL << 32;

    /// <summary>The end of the IOVA window (default 512 GiB, within a 39-bit IOMMU address width).</summary>
    public ulong IovaLimit { get; init; } = 1UL << 39;
}
