using Gvnic.Runtime.Vfio.Interop;

namespace Gvnic.Runtime.Vfio;

/// <summary>Type1 IOMMU: maps memory at IOVAs chosen by an <see cref="IovaAllocator"/> with VFIO_IOMMU_MAP_DMA.</summary>
internal sealed unsafe class Type1DmaMapper(ILinuxApi api, int containerFd, string containerPath, IovaAllocator iovas) : IDmaMapper
{
    public string Mode => "type1 IOMMU";

    public ulong Map(byte* pointer, ulong length, ulong alignment)
    {
        ulong iova = iovas.Allocate(length, alignment);
        var map = new vfio_iommu_type1_dma_map
        {
            argsz = (uint)sizeof(vfio_iommu_type1_dma_map),
            flags = VfioAbi.VFIO_DMA_MAP_FLAG_READ | VfioAbi.VFIO_DMA_MAP_FLAG_WRITE,
            vaddr = (ulong)pointer,
            iova = iova,
            size = length,
        };
        int result = api.Ioctl(containerFd, VfioAbi.VFIO_IOMMU_MAP_DMA, &map);
        if (result < 0)
        {
            iovas.Free(iova, length);
            string? hint = -result switch
            {
                Errno.ENOMEM => "The pinned-memory limit is exhausted: raise it (`ulimit -l unlimited`, memlock in /etc/security/limits.conf) or run as root",
                Errno.EEXIST => "IOVA 0x" + iova.ToString("X") + " is already mapped in this container",
                Errno.EINVAL => "The IOVA window or size is not acceptable to the IOMMU; choose another VfioOptions.IovaBase",
                _ => null,
            };
            throw new VfioException("VFIO_IOMMU_MAP_DMA (0x" + length.ToString("X") + " bytes at IOVA 0x" + iova.ToString("X") + ")", containerPath, -result, hint);
        }

        return iova;
    }

    public void Unmap(byte* pointer, ulong deviceAddress, ulong length)
    {
        var unmap = new vfio_iommu_type1_dma_unmap
        {
            argsz = (uint)sizeof(vfio_iommu_type1_dma_unmap),
            flags = 0,
            iova = deviceAddress,
            size = length,
        };
        int result = api.Ioctl(containerFd, VfioAbi.VFIO_IOMMU_UNMAP_DMA, &unmap);
        if (result < 0) throw new VfioException("VFIO_IOMMU_UNMAP_DMA (0x" + length.ToString("X") + " bytes at IOVA 0x" + deviceAddress.ToString("X") + ")", containerPath, -result);
        if (unmap.size != length)
        {
            throw new VfioException("VFIO_IOMMU_UNMAP_DMA", containerPath,
                "VFIO_IOMMU_UNMAP_DMA on " + containerPath + " unmapped 0x" + unmap.size.ToString("X") + " bytes at IOVA 0x" + deviceAddress.ToString("X") + " instead of 0x" + length.ToString("X"));
        }

        iovas.Free(deviceAddress, length);
    }

    public void Dispose()
    {
        // The container's mappings go away when the container is closed.
    }
}
