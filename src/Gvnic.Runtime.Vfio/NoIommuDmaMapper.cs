using Gvnic.Runtime.Vfio.Interop;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// VFIO's unsafe no-IOMMU mode: the device uses physical addresses, read from <c>/proc/self/pagemap</c>.
/// A region must be physically contiguous, which single pages and huge pages are.
/// </summary>
internal sealed unsafe class NoIommuDmaMapper(ILinuxApi api, int pageSize, string pagemapPath = "/proc/self/pagemap") : IDmaMapper
{
    private const ulong PagePresent = 1UL << 63;
    private const ulong PfnMask = (1UL << 55) - 1;
    private int _pagemapFd = -1;

    public string Mode => "no-IOMMU";

    /// <summary>The physical address of the byte at <paramref name="pointer"/>.</summary>
    public ulong PhysicalAddress(byte* pointer)
    {
        if (_pagemapFd < 0)
        {
            int fd = api.Open(pagemapPath, 0 /* O_RDONLY */);
            if (fd < 0) throw new VfioException("open", pagemapPath, -fd, "No-IOMMU mode needs physical addresses from " + pagemapPath);
            _pagemapFd = fd;
        }

        ulong page = (ulong)pointer / (ulong)pageSize;
        ulong entry;
        long read = api.Pread(_pagemapFd, &entry, sizeof(ulong), (long)(page * sizeof(ulong)));
        if (read < 0) throw new VfioException("pread", pagemapPath, (int)-read);
        if (read != sizeof(ulong)) throw new VfioException("pread", pagemapPath, "pread of " + pagemapPath + " returned " + read + " bytes instead of 8");
        if ((entry & PagePresent) == 0)
            throw new VfioException("pagemap", pagemapPath, "The page at 0x" + ((ulong)pointer).ToString("X") + " is not present although it is locked");
        ulong pfn = entry & PfnMask;
        if (pfn == 0)
        {
            throw new VfioException("pagemap", pagemapPath, pagemapPath + " reports page frame 0 for 0x" + ((ulong)pointer).ToString("X") + ": the kernel hides physical addresses from processes without CAP_SYS_ADMIN.",
                "Run as root (no-IOMMU mode needs CAP_SYS_ADMIN to learn physical addresses).");
        }

        return pfn * (ulong)pageSize + (ulong)pointer % (ulong)pageSize;
    }

    public ulong Map(byte* pointer, ulong length, ulong alignment)
    {
        ulong physical = PhysicalAddress(pointer);
        for (ulong offset = (ulong)pageSize; offset < length; offset += (ulong)pageSize)
        {
            ulong next = PhysicalAddress(pointer + offset);
            if (next != physical + offset)
            {
                throw new VfioException("no-IOMMU DMA mapping", pagemapPath,
                    "A " + length + "-byte DMA region is not physically contiguous (page " + (offset / (ulong)pageSize) + " is at 0x" + next.ToString("X") + ", expected 0x" + (physical + offset).ToString("X") + ").",
                    "Without an IOMMU, regions larger than a page need huge pages: reserve some (`echo 64 | sudo tee /proc/sys/vm/nr_hugepages`) and set VfioOptions.UseHugePages.");
            }
        }

        if (physical % alignment != 0)
        {
            throw new VfioException("no-IOMMU DMA mapping", pagemapPath,
                "Physical address 0x" + physical.ToString("X") + " is not aligned to " + alignment + " bytes.",
                "Set VfioOptions.UseHugePages so regions start on 2 MiB physical boundaries.");
        }

        return physical;
    }

    public void Unmap(byte* pointer, ulong deviceAddress, ulong length)
    {
        // Nothing is mapped: the device uses physical addresses directly.
    }

    public void Dispose()
    {
        if (_pagemapFd >= 0)
        {
            api.Close(_pagemapFd);
            _pagemapFd = -1;
        }
    }
}
