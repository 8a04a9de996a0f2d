using System.Globalization;
using System.IO;
using Gvnic.Runtime.Vfio.Interop;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// The kernel's pool of 2 MiB huge pages (<c>/sys/kernel/mm/hugepages/hugepages-2048kB</c>): whether any are reserved
/// and free, and what to say when none are.
/// </summary>
internal sealed class HugePagePool(string sysfsRoot)
{
    /// <summary>The command that reserves 64 huge pages (128 MiB), for messages.</summary>
    public const string ReserveCommand = "echo 64 | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages";

    private const string Why = "Without an IOMMU the device uses physical addresses, so DMA memory must be physically contiguous and must never move: "
                               + "this backend carves it out of locked 2 MiB huge pages.";

    private const string Fix = "Reserve huge pages: `" + ReserveCommand + "` (or `sudo sysctl -w vm.nr_hugepages=64` where 2 MiB is the default size); "
                               + "`grep Huge /proc/meminfo` shows them. To keep them across reboots, put vm.nr_hugepages=64 in /etc/sysctl.d/ or hugepages=64 on the kernel command line.";

    /// <summary>The pool's sysfs directory.</summary>
    public string Directory => Path.Combine(sysfsRoot, "kernel", "mm", "hugepages", "hugepages-2048kB");

    /// <summary>Reserved 2 MiB huge pages (<c>nr_hugepages</c>), or null when the kernel has no such pool.</summary>
    public long? Reserved => Read("nr_hugepages");

    /// <summary>Reserved and not in use (<c>free_hugepages</c>), or null when the kernel has no such pool.</summary>
    public long? Free => Read("free_hugepages");

    /// <summary>Why DMA memory cannot be had from the pool now, with the fix; null when huge pages are free.</summary>
    public PciProblem? Problem()
    {
        long? free = Free;
        if (free is null)
        {
            return new PciProblem(PciProblemKind.HugePagesNotReserved,
                "This kernel offers no 2 MiB huge pages (" + Directory + " does not exist). " + Why,
                "Use a kernel with huge page support (CONFIG_HUGETLBFS; every GCE image has it), or a VM with an IOMMU.");
        }

        if (free.Value > 0) return null;
        return new PciProblem(PciProblemKind.HugePagesNotReserved,
            "No 2 MiB huge pages are free (" + Counts() + "). " + Why,
            Fix);
    }

    /// <summary>The exception for a failed huge-page mmap of <paramref name="length"/> bytes.</summary>
    public VfioException MappingFailed(ulong length, string owner, int errno)
    {
        string hint = errno == Errno.ENOMEM
            ? "Not enough free 2 MiB huge pages for " + (length / VfioDmaAllocator.HugePageSize) + " more (" + Counts() + "). " + Why + " " + Fix
            : Why;
        return new VfioException("mmap (" + length + " bytes of 2 MiB huge pages)", owner, errno, hint);
    }

    private string Counts()
    {
        long? reserved = Reserved;
        long? free = Free;
        return reserved is null || free is null
            ? Directory + " does not exist"
            : Directory + ": nr_hugepages " + reserved.Value.ToString(CultureInfo.InvariantCulture) + ", free_hugepages " + free.Value.ToString(CultureInfo.InvariantCulture);
    }

    private long? Read(string name)
    {
        try
        {
            string path = Path.Combine(Directory, name);
            if (!File.Exists(path)) return null;
            return long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (System.UnauthorizedAccessException)
        {
            return null;
        }
    }
}
