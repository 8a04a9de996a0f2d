using System;
using System.Globalization;
using System.IO;
using Gvnic.Runtime.Vfio.Interop;
using Tmds.Linux;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>
/// No-IOMMU DMA memory with the real system calls, on this machine: /proc/self/pagemap translation of this
/// process's own locked memory, and 2 MiB huge pages (reserved for the test when root may, and given back).
/// One class, so these run one after another: the huge page pool is shared by the whole machine.
/// </summary>
public sealed unsafe class RealMemoryTests
{
    private const string HugeDirectory = "/sys/kernel/mm/hugepages/hugepages-2048kB";
    private static readonly int Page = Environment.SystemPageSize;

    private static bool IsRoot => LinuxApi.Instance.GetEffectiveUserId() == 0;

    /// <summary>The PFN of the page holding <paramref name="address"/>, read from pagemap without the code under test.</summary>
    private static ulong PagemapFrame(ulong address)
    {
        using var pagemap = new FileStream("/proc/self/pagemap", FileMode.Open, FileAccess.Read);
        pagemap.Position = (long)(address / (ulong)Page * 8);
        var entry = new byte[8];
        pagemap.ReadExactly(entry);
        return BitConverter.ToUInt64(entry) & ((1UL << 55) - 1);
    }

    private static long? ReadHuge(string name)
    {
        string path = Path.Combine(HugeDirectory, name);
        return File.Exists(path) ? long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture) : null;
    }

    [Fact]
    public void PagemapTranslatesThisProcesssLockedMemory()
    {
        var api = LinuxApi.Instance;
        Assert.Equal(0, api.Mmap((nuint)(2 * Page), LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0, out void* mapped));
        byte* p = (byte*)mapped;
        try
        {
            Assert.Equal(0, api.Mlock(p, (nuint)(2 * Page)));
            p[0] = 1;
            p[Page] = 2;
            using var mapper = new NoIommuDmaMapper(api, Page);
            if (!IsRoot)
            {
                var hidden = Assert.Throws<VfioException>(() => mapper.PhysicalAddress(p));
                Assert.Contains("without CAP_SYS_ADMIN", hidden.Message);
                return;
            }

            ulong physical = mapper.PhysicalAddress(p);
            Assert.NotEqual(0ul, physical);
            Assert.Equal(0ul, physical % (ulong)Page);
            Assert.Equal(PagemapFrame((ulong)p) * (ulong)Page, physical);
            Assert.Equal(physical + 100, mapper.PhysicalAddress(p + 100));          // two addresses in one page agree
            Assert.Equal(physical + (ulong)Page - 1, mapper.PhysicalAddress(p + Page - 1));
            ulong second = mapper.PhysicalAddress(p + Page);
            Assert.Equal(0ul, second % (ulong)Page);
            Assert.Equal(PagemapFrame((ulong)p + (ulong)Page) * (ulong)Page, second);
        }
        finally
        {
            api.Munlock(p, (nuint)(2 * Page));
            api.Munmap(p, (nuint)(2 * Page));
        }
    }

    [Fact]
    public void HugePagesAreLockedContiguousAndTranslatedOrTheirAbsenceIsExplained()
    {
        long? before = ReadHuge("nr_hugepages");
        Assert.True(before is not null, HugeDirectory + " is missing: this kernel has no 2 MiB huge pages");
        bool reserved = false;
        try
        {
            // Reserve two more when root may (CI runs as root); the kernel may grant fewer.
            if (IsRoot)
            {
                try
                {
                    File.WriteAllText(Path.Combine(HugeDirectory, "nr_hugepages"), (before!.Value + 2).ToString(CultureInfo.InvariantCulture));
                    reserved = true;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }

            long free = ReadHuge("free_hugepages")!.Value;
            using var mapper = new NoIommuDmaMapper(LinuxApi.Instance, Page);
            var dma = new VfioDmaAllocator(LinuxApi.Instance, mapper, Page, hugePages: true, "test", new HugePagePool("/sys"));
            if (free == 0)
            {
                // What a VM without reserved huge pages sees.
                var e = Assert.Throws<VfioException>(() => dma.Allocate(Page));
                Assert.Equal(Errno.ENOMEM, e.Errno);
                Assert.Contains("Not enough free 2 MiB huge pages for 1 more (" + HugeDirectory + ": nr_hugepages ", e.Message);
                Assert.Contains("echo 64 | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", e.Message);
                Assert.NotNull(new HugePagePool("/sys").Problem());
                return;
            }

            Assert.Null(new HugePagePool("/sys").Problem());
            if (!IsRoot)
            {
                Assert.Contains("without CAP_SYS_ADMIN", Assert.Throws<VfioException>(() => dma.Allocate(Page)).Message);
                return;
            }

            var a = dma.Allocate(Page);
            var b = dma.Allocate(100);
            Assert.Equal(1, dma.HugePagesMapped);
            Assert.Equal(free - 1, ReadHuge("free_hugepages"));
            Assert.Equal(0ul, (ulong)a.Pointer % VfioDmaAllocator.HugePageSize);
            {
                Assert.NotEqual(0ul, a.DeviceAddress);
                Assert.Equal(0ul, a.DeviceAddress % VfioDmaAllocator.HugePageSize);             // a huge page is 2 MiB-aligned in physical memory
                Assert.Equal(PagemapFrame((ulong)a.Pointer) * (ulong)Page, a.DeviceAddress);
                Assert.Equal(a.DeviceAddress + (ulong)Page, b.DeviceAddress);                  // carved from the same page, contiguous
                Assert.Equal(PagemapFrame((ulong)b.Pointer) * (ulong)Page, b.DeviceAddress);
            }

            b.Span.Fill(0x5A);
            Assert.Equal(0x5A, b.Pointer[99]);
            Assert.Equal(2, dma.ReleaseAll());
            Assert.Equal(0, dma.HugePagesMapped);
            Assert.Equal(free, ReadHuge("free_hugepages"));
        }
        finally
        {
            if (reserved) File.WriteAllText(Path.Combine(HugeDirectory, "nr_hugepages"), before!.Value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
