using System;
using System.IO;
using Gvnic.Platform;
using Gvnic.Runtime.Vfio.Interop;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>Allocation, pinning and IOMMU mapping with real anonymous memory and mlock, and a modelled container.</summary>
public sealed unsafe class VfioDmaAllocatorTests
{
    private const ulong IovaBase = 0x1_0000_0000;
    private static readonly int Page = Environment.SystemPageSize;
    private readonly FakeVfioKernel _kernel = new() { GroupPath = "/dev/vfio/12" };

    public VfioDmaAllocatorTests()
    {
        Assert.Equal(FakeVfioKernel.GroupFd, _kernel.Open("/dev/vfio/12", 0));
        _kernel.Log.Clear();
    }

    private VfioDmaAllocator Type1(IovaAllocator? iovas = null)
    {
        Assert.Equal(FakeVfioKernel.ContainerFd, _kernel.Open("/dev/vfio/vfio", 0));
        _kernel.Log.Clear();
        var mapper = new Type1DmaMapper(_kernel, FakeVfioKernel.ContainerFd, "/dev/vfio/vfio", iovas ?? new IovaAllocator(IovaBase, IovaBase + 0x100_0000, (ulong)Page));
        return new VfioDmaAllocator(_kernel, mapper, Page, hugePages: false, "vfio device 0000:00:05.0");
    }

    [Fact]
    public void AllocateMapsLockedZeroedMemoryAtAChosenIova()
    {
        var dma = Type1();
        var a = dma.Allocate(100);
        var b = dma.Allocate(Page + 1, alignment: 0x10000);
        Assert.Equal(IovaBase, a.DeviceAddress);
        Assert.Equal(IovaBase + 0x10000, b.DeviceAddress);
        Assert.Equal((100, Page + 1), (a.Length, b.Length));
        Assert.Equal(0ul, (ulong)a.Pointer % (ulong)Page);
        Assert.Equal(0ul, (ulong)b.Pointer % 0x10000); // the pointer is aligned like the IOVA
        Assert.All(a.Span.ToArray(), x => Assert.Equal(0, x));
        Assert.All(b.Span.ToArray(), x => Assert.Equal(0, x));
        a.Span.Fill(0x5A);
        Assert.Equal(0x5A, a.Pointer[99]);

        Assert.Equal(2, _kernel.Maps.Count);
        var map = _kernel.Maps[1];
        Assert.Equal((32u, 3u, (ulong)b.Pointer, IovaBase + 0x10000, (ulong)(2 * Page)), (map.argsz, map.flags, map.vaddr, map.iova, map.size));
        Assert.Equal((ulong)a.Pointer, _kernel.Maps[0].vaddr);
        Assert.Equal((ulong)Page, _kernel.Maps[0].size);
        Assert.Equal((2, (long)(100 + Page + 1)), (dma.OutstandingRegions, dma.OutstandingBytes));
        Assert.Contains("mlock 0x" + Page.ToString("X"), _kernel.Log);
    }

    [Fact]
    public void FreeUnmapsTheIovaThenUnlocksAndReusesTheAddress()
    {
        var iovas = new IovaAllocator(IovaBase, IovaBase + 0x100_0000, (ulong)Page);
        var dma = Type1(iovas);
        var a = dma.Allocate(3 * Page);
        _kernel.Log.Clear();
        dma.Free(a);
        Assert.Equal(["VFIO_IOMMU_UNMAP_DMA", "munlock 0x" + (3 * Page).ToString("X"), "munmap 0x" + (3 * Page).ToString("X")], _kernel.Log);
        var unmap = Assert.Single(_kernel.Unmaps);
        Assert.Equal((24u, 0u, IovaBase, (ulong)(3 * Page)), (unmap.argsz, unmap.flags, unmap.iova, unmap.size));
        Assert.True(a.IsFreed);
        Assert.Throws<ObjectDisposedException>(() => { var unused = a.Span; });
        Assert.Equal((0, 0L), (dma.OutstandingRegions, dma.OutstandingBytes));
        Assert.Equal(1, iovas.FreeRangeCount);
        Assert.Equal(IovaBase, dma.Allocate(1).DeviceAddress);
    }

    [Fact]
    public void FreeRejectsForeignAndFreedRegions()
    {
        var dma = Type1();
        var a = dma.Allocate(10);
        dma.Free(a);
        Assert.Contains("was already freed", Assert.Throws<ArgumentException>(() => dma.Free(a)).Message);
        byte* p = stackalloc byte[16];
        var foreign = new DmaRegion(p, 16, 0x1234, a.Id);
        Assert.Contains("does not belong to this allocator (vfio device 0000:00:05.0)", Assert.Throws<ArgumentException>(() => dma.Free(foreign)).Message);
        Assert.Throws<ArgumentException>(() => dma.Allocate(10, alignment: 3000));
        Assert.Throws<ArgumentOutOfRangeException>(() => dma.Allocate(0));
    }

    [Fact]
    public void MapFailureReleasesTheMemoryAndTheIova()
    {
        var iovas = new IovaAllocator(IovaBase, IovaBase + 0x100_0000, (ulong)Page);
        var dma = Type1(iovas);
        _kernel.IoctlErrors[VfioAbi.VFIO_IOMMU_MAP_DMA] = Errno.ENOMEM;
        var e = Assert.Throws<VfioException>(() => dma.Allocate(Page));
        Assert.StartsWith("VFIO_IOMMU_MAP_DMA (0x" + Page.ToString("X") + " bytes at IOVA 0x100000000) on /dev/vfio/vfio failed: ENOMEM (12): Cannot allocate memory. The pinned-memory limit", e.Message);
        Assert.Equal(["mmap anonymous 0x" + Page.ToString("X"), "mlock 0x" + Page.ToString("X"), "VFIO_IOMMU_MAP_DMA", "munlock 0x" + Page.ToString("X"), "munmap 0x" + Page.ToString("X")], _kernel.Log);
        Assert.Equal(0x100_0000ul, iovas.FreeBytes);
        Assert.Equal(0, dma.OutstandingRegions);
    }

    [Fact]
    public void ShortUnmapIsAnError()
    {
        var dma = Type1();
        var a = dma.Allocate(Page);
        _kernel.UnmapShortBy = 0x1000;
        var e = Assert.Throws<VfioException>(() => dma.Free(a));
        Assert.Contains("unmapped 0x" + (Page - 0x1000).ToString("X") + " bytes at IOVA 0x100000000 instead of 0x" + Page.ToString("X"), e.Message);
        Assert.False(a.IsFreed);
    }

    [Fact]
    public void ReleaseAllFreesEverythingAndClosesTheAllocator()
    {
        var dma = Type1();
        var a = dma.Allocate(10);
        var b = dma.Allocate(20);
        Assert.Equal(2, dma.ReleaseAll());
        Assert.True(a.IsFreed && b.IsFreed);
        Assert.Equal(2, _kernel.Unmaps.Count);
        Assert.Throws<ObjectDisposedException>(() => dma.Allocate(10));
    }

    [Fact]
    public void NoIommuUsesPagemapPhysicalAddresses()
    {
        var mapper = new NoIommuDmaMapper(_kernel, Page);
        var dma = new VfioDmaAllocator(_kernel, mapper, Page, hugePages: false, "vfio device 0000:00:05.0");
        var region = dma.Allocate(3 * Page);
        ulong page = (ulong)region.Pointer / (ulong)Page;
        Assert.Equal((page + 0x1000) * (ulong)Page, region.DeviceAddress);
        Assert.Equal(region.DeviceAddress + 0x10, region.AddressOf(0x10));
        Assert.Contains("open /proc/self/pagemap", _kernel.Log);
        dma.Free(region);
        Assert.Empty(_kernel.Unmaps);
        Assert.Equal(0, dma.OutstandingRegions);
    }

    [Fact]
    public void NoIommuRejectsScatteredPagesAndHiddenFrames()
    {
        var mapper = new NoIommuDmaMapper(_kernel, Page);
        var dma = new VfioDmaAllocator(_kernel, mapper, Page, hugePages: false, "dev");
        _kernel.PageFrameOf = page => page * 2; // never contiguous
        var scattered = Assert.Throws<VfioException>(() => dma.Allocate(2 * Page));
        Assert.Contains("is not physically contiguous", scattered.Message);
        Assert.Contains("nr_hugepages", scattered.Message);
        _kernel.PageFrameOf = _ => 0; // what an unprivileged process sees
        var hidden = Assert.Throws<VfioException>(() => dma.Allocate(Page));
        Assert.Contains("without CAP_SYS_ADMIN", hidden.Message);
        Assert.Equal(0, dma.OutstandingRegions);
        Assert.Equal(0, _kernel.Log.FindAll(l => l.StartsWith("mmap", StringComparison.Ordinal)).Count - _kernel.Log.FindAll(l => l.StartsWith("munmap", StringComparison.Ordinal)).Count);
    }

    private const int Huge = VfioDmaAllocator.HugePageSize;

    private VfioDmaAllocator HugeType1(FakeSysfs? sys = null)
    {
        Assert.Equal(FakeVfioKernel.ContainerFd, _kernel.Open("/dev/vfio/vfio", 0));
        _kernel.Log.Clear();
        var mapper = new Type1DmaMapper(_kernel, FakeVfioKernel.ContainerFd, "/dev/vfio/vfio", new IovaAllocator(IovaBase, IovaBase + 0x1000_0000, (ulong)Page));
        return new VfioDmaAllocator(_kernel, mapper, Page, hugePages: true, "vfio device 0000:00:05.0", new HugePagePool(sys?.Sys ?? "/nonexistent"));
    }

    [Fact]
    public void SmallRegionsAreCarvedOutOfOneHugePageMappedOnce()
    {
        _kernel.HugePagesFree = 3;
        var dma = HugeType1();
        var a = dma.Allocate(100);
        var b = dma.Allocate(Page + 1);
        var c = dma.Allocate(64, alignment: 0x10000);
        Assert.Equal(["mmap hugetlb 0x200000", "mlock 0x200000", "VFIO_IOMMU_MAP_DMA"], _kernel.Log);
        var map = Assert.Single(_kernel.Maps);
        Assert.Equal(((ulong)a.Pointer, IovaBase, (ulong)Huge), (map.vaddr, map.iova, map.size));
        Assert.Equal(0ul, (ulong)a.Pointer % Huge);
        Assert.Equal((IovaBase, IovaBase + (ulong)Page, IovaBase + 0x10000), (a.DeviceAddress, b.DeviceAddress, c.DeviceAddress));
        Assert.Equal((ulong)a.Pointer + 0x10000, (ulong)c.Pointer); // pointer and device address move together
        Assert.Equal((1, 2), (dma.HugePagesMapped, _kernel.HugePagesFree));
        Assert.Equal((3, 100L + Page + 1 + 64), (dma.OutstandingRegions, dma.OutstandingBytes));

        // A freed part is reused, zeroed; the huge page stays while any region lives in it.
        a.Span.Fill(0xEE);
        dma.Free(a);
        Assert.Equal(1, dma.HugePagesMapped);
        var d = dma.Allocate(100);
        Assert.Equal(IovaBase, d.DeviceAddress);
        Assert.All(d.Span.ToArray(), x => Assert.Equal(0, x));
        Assert.Single(_kernel.Maps);

        _kernel.Log.Clear();
        dma.Free(b);
        dma.Free(c);
        dma.Free(d);
        Assert.Equal(["VFIO_IOMMU_UNMAP_DMA", "munlock 0x200000", "munmap hugetlb 0x200000"], _kernel.Log);
        Assert.Equal((IovaBase, (ulong)Huge), (_kernel.Unmaps[0].iova, _kernel.Unmaps[0].size));
        Assert.Equal((0, 3), (dma.HugePagesMapped, _kernel.HugePagesFree));
    }

    [Fact]
    public void AFullHugePageStartsANewOneAndLargeRegionsGetARunOfTheirOwn()
    {
        _kernel.HugePagesFree = 8;
        var dma = HugeType1();
        var whole = dma.Allocate(Huge);
        var next = dma.Allocate(Page);
        var large = dma.Allocate(Huge + 1);
        Assert.Equal(["mmap hugetlb 0x200000", "mmap hugetlb 0x200000", "mmap hugetlb 0x400000"], _kernel.Log.FindAll(l => l.StartsWith("mmap", StringComparison.Ordinal)));
        Assert.Equal((IovaBase, IovaBase + (ulong)Huge, IovaBase + 2ul * Huge), (whole.DeviceAddress, next.DeviceAddress, large.DeviceAddress));
        Assert.Equal((4, 4), (dma.HugePagesMapped, _kernel.HugePagesFree));
        Assert.Equal(3, dma.ReleaseAll());
        Assert.Equal(8, _kernel.HugePagesFree);
        Assert.Equal(3, _kernel.Unmaps.Count);
    }

    [Fact]
    public void NoFreeHugePagesGivesTheCommandToReserveThem()
    {
        using var sys = new FakeSysfs();
        sys.SetHugePages(reserved: 0, free: 0);
        _kernel.HugePagesFree = 0;
        var dma = HugeType1(sys);
        var e = Assert.Throws<VfioException>(() => dma.Allocate(Page));
        Assert.StartsWith("mmap (2097152 bytes of 2 MiB huge pages) on vfio device 0000:00:05.0 failed: ENOMEM (12): Cannot allocate memory. "
                          + "Not enough free 2 MiB huge pages for 1 more (" + Path.Combine(sys.Sys, "kernel", "mm", "hugepages", "hugepages-2048kB") + ": nr_hugepages 0, free_hugepages 0). "
                          + "Without an IOMMU the device uses physical addresses", e.Message);
        Assert.Contains("`echo 64 | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages`", e.Message);
        Assert.Equal((0, 0), (dma.OutstandingRegions, dma.HugePagesMapped));
        Assert.Empty(_kernel.Maps);
    }

    [Fact]
    public void NoIommuHugePagesMustBePhysicallyContiguous()
    {
        _kernel.HugePagesFree = 4;
        var mapper = new NoIommuDmaMapper(_kernel, Page);
        var dma = new VfioDmaAllocator(_kernel, mapper, Page, hugePages: true, "dev", new HugePagePool("/nonexistent"));
        var small = dma.Allocate(Page);
        Assert.Equal(((ulong)small.Pointer / (ulong)Page + 0x1000) * (ulong)Page, small.DeviceAddress);
        // Every other 2 MiB of virtual memory lies 4 GiB further in physical memory: each huge page is contiguous, a run of two is not.
        ulong pagesPerHuge = (ulong)(Huge / Page);
        _kernel.PageFrameOf = page => page + 0x1000 + (page / pagesPerHuge % 2 == 1 ? 0x100000ul : 0);
        var another = dma.Allocate(Huge); // one huge page: fine whatever its frame
        Assert.Equal(2, dma.HugePagesMapped);
        dma.Free(another);
        var e = Assert.Throws<VfioException>(() => dma.Allocate(2 * Huge)); // two huge pages that are not adjacent in physical memory
        Assert.Contains("is not physically contiguous", e.Message);
        Assert.Equal((1, 1), (dma.OutstandingRegions, dma.HugePagesMapped));
        Assert.Equal(3, _kernel.HugePagesFree);
    }

    [Fact]
    public void AllocatorImplementsThePlatformInterface()
    {
        IDmaAllocator dma = Type1();
        var region = dma.Allocate(64, 64);
        Assert.Equal("DMA region #1 (64 bytes at device address 0x100000000)", region.ToString());
        dma.Free(region);
        Assert.Equal(0L, dma.OutstandingBytes);
    }
}
