using System.Runtime.InteropServices;
using Gvnic.Runtime.Vfio.Interop;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>
/// The ABI against the values linux/vfio.h (UAPI) produces: sizeof/offsetof of each structure and the
/// ioctl request numbers, as a C compiler computes them from the header.
/// </summary>
public unsafe class VfioAbiTests
{
    [Fact]
    public void IoctlFormulaMatchesAsmGenericIoctlH()
    {
        Assert.Equal(0x3B64, VfioAbi.IO(';', 100));
        // _IOC(dir, type, nr, size) = dir << 30 | size << 16 | type << 8 | nr, checked on well-known requests (64-bit long):
        Assert.Equal(unchecked((int)0x80086601), VfioAbi.IOC(2, 'f', 1, 8)); // FS_IOC_GETFLAGS = _IOR('f', 1, long)
        Assert.Equal(0x40086602, VfioAbi.IOC(1, 'f', 2, 8)); // FS_IOC_SETFLAGS = _IOW('f', 2, long)
        Assert.Equal(unchecked((int)0x80081272), VfioAbi.IOC(2, (char)0x12, 114, 8)); // BLKGETSIZE64 = _IOR(0x12, 114, size_t)
    }

    [Theory]
    [InlineData(nameof(VfioAbi.VFIO_GET_API_VERSION), 0x3B64)]
    [InlineData(nameof(VfioAbi.VFIO_CHECK_EXTENSION), 0x3B65)]
    [InlineData(nameof(VfioAbi.VFIO_SET_IOMMU), 0x3B66)]
    [InlineData(nameof(VfioAbi.VFIO_GROUP_GET_STATUS), 0x3B67)]
    [InlineData(nameof(VfioAbi.VFIO_GROUP_SET_CONTAINER), 0x3B68)]
    [InlineData(nameof(VfioAbi.VFIO_GROUP_UNSET_CONTAINER), 0x3B69)]
    [InlineData(nameof(VfioAbi.VFIO_GROUP_GET_DEVICE_FD), 0x3B6A)]
    [InlineData(nameof(VfioAbi.VFIO_DEVICE_GET_INFO), 0x3B6B)]
    [InlineData(nameof(VfioAbi.VFIO_DEVICE_GET_REGION_INFO), 0x3B6C)]
    [InlineData(nameof(VfioAbi.VFIO_DEVICE_GET_IRQ_INFO), 0x3B6D)]
    [InlineData(nameof(VfioAbi.VFIO_DEVICE_SET_IRQS), 0x3B6E)]
    [InlineData(nameof(VfioAbi.VFIO_DEVICE_RESET), 0x3B6F)]
    [InlineData(nameof(VfioAbi.VFIO_IOMMU_GET_INFO), 0x3B70)]
    [InlineData(nameof(VfioAbi.VFIO_IOMMU_MAP_DMA), 0x3B71)]
    [InlineData(nameof(VfioAbi.VFIO_IOMMU_UNMAP_DMA), 0x3B72)]
    public void IoctlNumbersMatchTheKernelHeader(string name, int expected)
    {
        int actual = (int)typeof(VfioAbi).GetField(name)!.GetValue(null)!;
        Assert.Equal(expected, actual);
        if (name != nameof(VfioAbi.VFIO_IOMMU_GET_INFO)) Assert.Equal(name, VfioAbi.RequestName(actual));
    }

    [Fact]
    public void ConstantsMatchTheKernelHeader()
    {
        Assert.Equal(0, VfioAbi.VFIO_API_VERSION);
        Assert.Equal(1, VfioAbi.VFIO_TYPE1_IOMMU);
        Assert.Equal(3, VfioAbi.VFIO_TYPE1v2_IOMMU);
        Assert.Equal(8, VfioAbi.VFIO_NOIOMMU_IOMMU);
        Assert.Equal(0x1u, VfioAbi.VFIO_GROUP_FLAGS_VIABLE);
        Assert.Equal(0x2u, VfioAbi.VFIO_GROUP_FLAGS_CONTAINER_SET);
        Assert.Equal(0x1u, VfioAbi.VFIO_DEVICE_FLAGS_RESET);
        Assert.Equal(0x2u, VfioAbi.VFIO_DEVICE_FLAGS_PCI);
        Assert.Equal(0x80u, VfioAbi.VFIO_DEVICE_FLAGS_CAPS);
        Assert.Equal(0x1u, VfioAbi.VFIO_REGION_INFO_FLAG_READ);
        Assert.Equal(0x2u, VfioAbi.VFIO_REGION_INFO_FLAG_WRITE);
        Assert.Equal(0x4u, VfioAbi.VFIO_REGION_INFO_FLAG_MMAP);
        Assert.Equal(0x8u, VfioAbi.VFIO_REGION_INFO_FLAG_CAPS);
        Assert.Equal(0x1u, VfioAbi.VFIO_IRQ_INFO_EVENTFD);
        Assert.Equal(0x8u, VfioAbi.VFIO_IRQ_INFO_NORESIZE);
        Assert.Equal(0x1u, VfioAbi.VFIO_IRQ_SET_DATA_NONE);
        Assert.Equal(0x2u, VfioAbi.VFIO_IRQ_SET_DATA_BOOL);
        Assert.Equal(0x4u, VfioAbi.VFIO_IRQ_SET_DATA_EVENTFD);
        Assert.Equal(0x8u, VfioAbi.VFIO_IRQ_SET_ACTION_MASK);
        Assert.Equal(0x10u, VfioAbi.VFIO_IRQ_SET_ACTION_UNMASK);
        Assert.Equal(0x20u, VfioAbi.VFIO_IRQ_SET_ACTION_TRIGGER);
        Assert.Equal(0x1u, VfioAbi.VFIO_DMA_MAP_FLAG_READ);
        Assert.Equal(0x2u, VfioAbi.VFIO_DMA_MAP_FLAG_WRITE);
        Assert.Equal(0x2u, VfioAbi.VFIO_DMA_UNMAP_FLAG_ALL);
        Assert.Equal(0u, VfioAbi.VFIO_PCI_BAR0_REGION_INDEX);
        Assert.Equal(2u, VfioAbi.VFIO_PCI_BAR2_REGION_INDEX);
        Assert.Equal(7u, VfioAbi.VFIO_PCI_CONFIG_REGION_INDEX);
        Assert.Equal(9u, VfioAbi.VFIO_PCI_NUM_REGIONS);
        Assert.Equal(2u, VfioAbi.VFIO_PCI_MSIX_IRQ_INDEX);
        Assert.Equal(5u, VfioAbi.VFIO_PCI_NUM_IRQS);
    }

    [Fact]
    public void GroupStatusLayout()
    {
        Assert.Equal(8, sizeof(vfio_group_status));
        Assert.Equal(0, Offset<vfio_group_status>(nameof(vfio_group_status.argsz)));
        Assert.Equal(4, Offset<vfio_group_status>(nameof(vfio_group_status.flags)));
    }

    [Fact]
    public void DeviceInfoLayout()
    {
        // Current UAPI: argsz, flags, num_regions, num_irqs, cap_offset, pad = 24 bytes (20 before pad was added).
        Assert.Equal(24, sizeof(vfio_device_info));
        Assert.Equal(0, Offset<vfio_device_info>(nameof(vfio_device_info.argsz)));
        Assert.Equal(4, Offset<vfio_device_info>(nameof(vfio_device_info.flags)));
        Assert.Equal(8, Offset<vfio_device_info>(nameof(vfio_device_info.num_regions)));
        Assert.Equal(12, Offset<vfio_device_info>(nameof(vfio_device_info.num_irqs)));
        Assert.Equal(16, Offset<vfio_device_info>(nameof(vfio_device_info.cap_offset)));
        Assert.Equal(20, Offset<vfio_device_info>(nameof(vfio_device_info.pad)));
    }

    [Fact]
    public void RegionInfoLayout()
    {
        Assert.Equal(32, sizeof(vfio_region_info));
        Assert.Equal(0, Offset<vfio_region_info>(nameof(vfio_region_info.argsz)));
        Assert.Equal(4, Offset<vfio_region_info>(nameof(vfio_region_info.flags)));
        Assert.Equal(8, Offset<vfio_region_info>(nameof(vfio_region_info.index)));
        Assert.Equal(12, Offset<vfio_region_info>(nameof(vfio_region_info.cap_offset)));
        Assert.Equal(16, Offset<vfio_region_info>(nameof(vfio_region_info.size)));
        Assert.Equal(24, Offset<vfio_region_info>(nameof(vfio_region_info.offset)));
    }

    [Fact]
    public void IrqInfoAndIrqSetLayout()
    {
        Assert.Equal(16, sizeof(vfio_irq_info));
        Assert.Equal(8, Offset<vfio_irq_info>(nameof(vfio_irq_info.index)));
        Assert.Equal(12, Offset<vfio_irq_info>(nameof(vfio_irq_info.count)));

        // The header; data[] starts at offsetof(struct vfio_irq_set, data) == 20.
        Assert.Equal(20, sizeof(vfio_irq_set));
        Assert.Equal(0, Offset<vfio_irq_set>(nameof(vfio_irq_set.argsz)));
        Assert.Equal(4, Offset<vfio_irq_set>(nameof(vfio_irq_set.flags)));
        Assert.Equal(8, Offset<vfio_irq_set>(nameof(vfio_irq_set.index)));
        Assert.Equal(12, Offset<vfio_irq_set>(nameof(vfio_irq_set.start)));
        Assert.Equal(16, Offset<vfio_irq_set>(nameof(vfio_irq_set.count)));
    }

    [Fact]
    public void DmaMapAndUnmapLayout()
    {
        Assert.Equal(32, sizeof(vfio_iommu_type1_dma_map));
        Assert.Equal(0, Offset<vfio_iommu_type1_dma_map>(nameof(vfio_iommu_type1_dma_map.argsz)));
        Assert.Equal(4, Offset<vfio_iommu_type1_dma_map>(nameof(vfio_iommu_type1_dma_map.flags)));
        Assert.Equal(8, Offset<vfio_iommu_type1_dma_map>(nameof(vfio_iommu_type1_dma_map.vaddr)));
        Assert.Equal(16, Offset<vfio_iommu_type1_dma_map>(nameof(vfio_iommu_type1_dma_map.iova)));
        Assert.Equal(24, Offset<vfio_iommu_type1_dma_map>(nameof(vfio_iommu_type1_dma_map.size)));

        Assert.Equal(24, sizeof(vfio_iommu_type1_dma_unmap));
        Assert.Equal(4, Offset<vfio_iommu_type1_dma_unmap>(nameof(vfio_iommu_type1_dma_unmap.flags)));
        Assert.Equal(8, Offset<vfio_iommu_type1_dma_unmap>(nameof(vfio_iommu_type1_dma_unmap.iova)));
        Assert.Equal(16, Offset<vfio_iommu_type1_dma_unmap>(nameof(vfio_iommu_type1_dma_unmap.size)));
    }

    [Fact]
    public void DmaMapBytesAreLittleEndianAtTheHeaderOffsets()
    {
        var map = new vfio_iommu_type1_dma_map { argsz = 32, flags = 3, vaddr = 0x1122334455667788, iova = 0x100000000, size = 0x2000 };
        byte[] bytes = new byte[32];
        MemoryMarshal.Write(bytes, in map);
        Assert.Equal(new byte[]
        {
            0x20, 0, 0, 0, 3, 0, 0, 0,
            0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
            0, 0, 0, 0, 1, 0, 0, 0,
            0, 0x20, 0, 0, 0, 0, 0, 0,
        }, bytes);
    }

    [Fact]
    public void ErrnoNamesAndDescriptions()
    {
        Assert.Equal("EBUSY", Errno.Name(16));
        Assert.Equal("EACCES", Errno.Name(13));
        Assert.Equal("ENOTTY", Errno.Name(25));
        Assert.Equal("errno 200", Errno.Name(200));
        Assert.Equal("Device or resource busy", Errno.Describe(Errno.EBUSY));
    }

    private static int Offset<T>(string field) where T : struct => (int)Marshal.OffsetOf<T>(field);
}
