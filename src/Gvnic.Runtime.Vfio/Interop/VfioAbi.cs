namespace Gvnic.Runtime.Vfio.Interop;

/// <summary>
/// The VFIO user ABI from <c>linux/vfio.h</c>: ioctl request numbers and flag values, named as in the header.
/// </summary>
/// <remarks>
/// VFIO defines every request with <c>_IO(VFIO_TYPE, VFIO_BASE + n)</c>: direction and size are zero
/// because each structure carries its own <c>argsz</c>. The numbers are computed here from that formula,
/// in one place, and the tests pin them to the values the kernel header produces.
/// </remarks>
internal static class VfioAbi
{
    // ---- ioctl encoding (asm-generic/ioctl.h) ----
    public const int IOC_NRBITS = 8;
    public const int IOC_TYPEBITS = 8;
    public const int IOC_SIZEBITS = 14;
    public const int IOC_NRSHIFT = 0;
    public const int IOC_TYPESHIFT = IOC_NRSHIFT + IOC_NRBITS;
    public const int IOC_SIZESHIFT = IOC_TYPESHIFT + IOC_TYPEBITS;
    public const int IOC_DIRSHIFT = IOC_SIZESHIFT + IOC_SIZEBITS;
    public const uint IOC_NONE = 0;

    /// <summary><c>_IOC(dir, type, nr, size)</c>.</summary>
    public static int IOC(uint dir, char type, int nr, int size)
        => (int)((dir << IOC_DIRSHIFT) | ((uint)type << IOC_TYPESHIFT) | ((uint)nr << IOC_NRSHIFT) | ((uint)size << IOC_SIZESHIFT));

    /// <summary><c>_IO(type, nr)</c>.</summary>
    public static int IO(char type, int nr) => IOC(IOC_NONE, type, nr, 0);

    // ---- VFIO ----
    public const int VFIO_API_VERSION = 0;
    public const char VFIO_TYPE = ';';
    public const int VFIO_BASE = 100;

    // Extensions (VFIO_CHECK_EXTENSION arguments, VFIO_SET_IOMMU types).
    public const int VFIO_TYPE1_IOMMU = 1;
    public const int VFIO_SPAPR_TCE_IOMMU = 2;
    public const int VFIO_TYPE1v2_IOMMU = 3;
    public const int VFIO_DMA_CC_IOMMU = 4;
    public const int VFIO_NOIOMMU_IOMMU = 8;
    public const int VFIO_UNMAP_ALL = 9;

    // Container (/dev/vfio/vfio).
    public static readonly int VFIO_GET_API_VERSION = IO(VFIO_TYPE, VFIO_BASE + 0);
    public static readonly int VFIO_CHECK_EXTENSION = IO(VFIO_TYPE, VFIO_BASE + 1);
    public static readonly int VFIO_SET_IOMMU = IO(VFIO_TYPE, VFIO_BASE + 2);

    // Group (/dev/vfio/<group>).
    public static readonly int VFIO_GROUP_GET_STATUS = IO(VFIO_TYPE, VFIO_BASE + 3);
    public static readonly int VFIO_GROUP_SET_CONTAINER = IO(VFIO_TYPE, VFIO_BASE + 4);
    public static readonly int VFIO_GROUP_UNSET_CONTAINER = IO(VFIO_TYPE, VFIO_BASE + 5);
    public static readonly int VFIO_GROUP_GET_DEVICE_FD = IO(VFIO_TYPE, VFIO_BASE + 6);

    // Device (from VFIO_GROUP_GET_DEVICE_FD).
    public static readonly int VFIO_DEVICE_GET_INFO = IO(VFIO_TYPE, VFIO_BASE + 7);
    public static readonly int VFIO_DEVICE_GET_REGION_INFO = IO(VFIO_TYPE, VFIO_BASE + 8);
    public static readonly int VFIO_DEVICE_GET_IRQ_INFO = IO(VFIO_TYPE, VFIO_BASE + 9);
    public static readonly int VFIO_DEVICE_SET_IRQS = IO(VFIO_TYPE, VFIO_BASE + 10);
    public static readonly int VFIO_DEVICE_RESET = IO(VFIO_TYPE, VFIO_BASE + 11);

    // Type1 IOMMU (on the container once VFIO_SET_IOMMU succeeded).
    public static readonly int VFIO_IOMMU_GET_INFO = IO(VFIO_TYPE, VFIO_BASE + 12);
    public static readonly int VFIO_IOMMU_MAP_DMA = IO(VFIO_TYPE, VFIO_BASE + 13);
    public static readonly int VFIO_IOMMU_UNMAP_DMA = IO(VFIO_TYPE, VFIO_BASE + 14);

    // vfio_group_status.flags
    public const uint VFIO_GROUP_FLAGS_VIABLE = 1u << 0;
    public const uint VFIO_GROUP_FLAGS_CONTAINER_SET = 1u << 1;

    // vfio_device_info.flags
    public const uint VFIO_DEVICE_FLAGS_RESET = 1u << 0;
    public const uint VFIO_DEVICE_FLAGS_PCI = 1u << 1;
    public const uint VFIO_DEVICE_FLAGS_CAPS = 1u << 7;

    // vfio_region_info.flags
    public const uint VFIO_REGION_INFO_FLAG_READ = 1u << 0;
    public const uint VFIO_REGION_INFO_FLAG_WRITE = 1u << 1;
    public const uint VFIO_REGION_INFO_FLAG_MMAP = 1u << 2;
    public const uint VFIO_REGION_INFO_FLAG_CAPS = 1u << 3;

    // vfio_irq_info.flags
    public const uint VFIO_IRQ_INFO_EVENTFD = 1u << 0;
    public const uint VFIO_IRQ_INFO_MASKABLE = 1u << 1;
    public const uint VFIO_IRQ_INFO_AUTOMASKED = 1u << 2;
    public const uint VFIO_IRQ_INFO_NORESIZE = 1u << 3;

    // vfio_irq_set.flags
    public const uint VFIO_IRQ_SET_DATA_NONE = 1u << 0;
    public const uint VFIO_IRQ_SET_DATA_BOOL = 1u << 1;
    public const uint VFIO_IRQ_SET_DATA_EVENTFD = 1u << 2;
    public const uint VFIO_IRQ_SET_ACTION_MASK = 1u << 3;
    public const uint VFIO_IRQ_SET_ACTION_UNMASK = 1u << 4;
    public const uint VFIO_IRQ_SET_ACTION_TRIGGER = 1u << 5;

    // vfio_iommu_type1_dma_map.flags / vfio_iommu_type1_dma_unmap.flags
    public const uint VFIO_DMA_MAP_FLAG_READ = 1u << 0;
    public const uint VFIO_DMA_MAP_FLAG_WRITE = 1u << 1;
    public const uint VFIO_DMA_UNMAP_FLAG_ALL = 1u << 1;

    // vfio-pci fixed region indexes.
    public const uint VFIO_PCI_BAR0_REGION_INDEX = 0;
    public const uint VFIO_PCI_BAR1_REGION_INDEX = 1;
    public const uint VFIO_PCI_BAR2_REGION_INDEX = 2;
    public const uint VFIO_PCI_BAR3_REGION_INDEX = 3;
    public const uint VFIO_PCI_BAR4_REGION_INDEX = 4;
    public const uint VFIO_PCI_BAR5_REGION_INDEX = 5;
    public const uint VFIO_PCI_ROM_REGION_INDEX = 6;
    public const uint VFIO_PCI_CONFIG_REGION_INDEX = 7;
    public const uint VFIO_PCI_VGA_REGION_INDEX = 8;
    public const uint VFIO_PCI_NUM_REGIONS = 9;

    // vfio-pci fixed IRQ indexes.
    public const uint VFIO_PCI_INTX_IRQ_INDEX = 0;
    public const uint VFIO_PCI_MSI_IRQ_INDEX = 1;
    public const uint VFIO_PCI_MSIX_IRQ_INDEX = 2;
    public const uint VFIO_PCI_ERR_IRQ_INDEX = 3;
    public const uint VFIO_PCI_REQ_IRQ_INDEX = 4;
    public const uint VFIO_PCI_NUM_IRQS = 5;

    /// <summary>The name of a VFIO request number, for messages.</summary>
    public static string RequestName(int request)
    {
        if (request == VFIO_GET_API_VERSION) return nameof(VFIO_GET_API_VERSION);
        if (request == VFIO_CHECK_EXTENSION) return nameof(VFIO_CHECK_EXTENSION);
        if (request == VFIO_SET_IOMMU) return nameof(VFIO_SET_IOMMU);
        if (request == VFIO_GROUP_GET_STATUS) return nameof(VFIO_GROUP_GET_STATUS);
        if (request == VFIO_GROUP_SET_CONTAINER) return nameof(VFIO_GROUP_SET_CONTAINER);
        if (request == VFIO_GROUP_UNSET_CONTAINER) return nameof(VFIO_GROUP_UNSET_CONTAINER);
        if (request == VFIO_GROUP_GET_DEVICE_FD) return nameof(VFIO_GROUP_GET_DEVICE_FD);
        if (request == VFIO_DEVICE_GET_INFO) return nameof(VFIO_DEVICE_GET_INFO);
        if (request == VFIO_DEVICE_GET_REGION_INFO) return nameof(VFIO_DEVICE_GET_REGION_INFO);
        if (request == VFIO_DEVICE_GET_IRQ_INFO) return nameof(VFIO_DEVICE_GET_IRQ_INFO);
        if (request == VFIO_DEVICE_SET_IRQS) return nameof(VFIO_DEVICE_SET_IRQS);
        if (request == VFIO_DEVICE_RESET) return nameof(VFIO_DEVICE_RESET);
        if (request == VFIO_IOMMU_GET_INFO) return "VFIO_IOMMU_GET_INFO";
        if (request == VFIO_IOMMU_MAP_DMA) return nameof(VFIO_IOMMU_MAP_DMA);
        if (request == VFIO_IOMMU_UNMAP_DMA) return nameof(VFIO_IOMMU_UNMAP_DMA);
        return "ioctl 0x" + request.ToString("X");
    }
}
