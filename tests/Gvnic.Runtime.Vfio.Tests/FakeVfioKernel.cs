using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Gvnic.Runtime.Vfio.Interop;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>
/// A model of the kernel's VFIO side behind <see cref="ILinuxApi"/>: container, group and device descriptors,
/// the ioctls with their structures, a 256-byte config space, BARs backed by anonymous memory, a pagemap.
/// Eventfds, poll, read, mlock and anonymous mmap are the real system calls. Every call is logged.
/// </summary>
internal sealed unsafe class FakeVfioKernel : ILinuxApi
{
    public const int ContainerFd = 100;
    public const int GroupFd = 101;
    public const int DeviceFd = 102;
    public const int PagemapFd = 103;
    public const long ConfigOffset = 7L << 40; // VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX)

    private readonly FakeSysfs? _sysfs;
    private readonly HashSet<int> _open = [];
    private readonly Dictionary<nint, ulong> _bars = [];
    private readonly Dictionary<nint, ulong> _huge = [];

    public FakeVfioKernel(FakeSysfs? sysfs = null)
    {
        _sysfs = sysfs;
        Config[0] = 0xE0; Config[1] = 0x1A; // vendor 1ae0
        Config[2] = 0x42; Config[3] = 0x00; // device 0042
        Config[8] = 0x01;                   // revision 1
    }

    public List<string> Log { get; } = [];

    public byte[] Config { get; } = new byte[256];

    public Dictionary<string, int> OpenErrors { get; } = [];

    public Dictionary<string, int> AccessErrors { get; } = [];

    public Dictionary<int, int> IoctlErrors { get; } = [];

    public int ApiVersion { get; set; }

    public bool HasType1v2 { get; set; } = true;

    public bool HasType1 { get; set; } = true;

    public bool HasNoIommu { get; set; }

    public uint GroupFlags { get; set; } = VfioAbi.VFIO_GROUP_FLAGS_VIABLE;

    public uint DeviceFlags { get; set; } = VfioAbi.VFIO_DEVICE_FLAGS_PCI | VfioAbi.VFIO_DEVICE_FLAGS_RESET;

    public ulong Bar0Size { get; set; } = 0x2000;

    public ulong Bar2Size { get; set; } = 0x10000;

    public bool Bar2Mmappable { get; set; } = true;

    /// <summary>BAR2's bytes when it is not mmappable (read and written with pread/pwrite): 0x20..0x2F repeating.</summary>
    public byte[] Bar2File => _bar2File ??= CreateBar2File();

    private byte[]? _bar2File;

    private byte[] CreateBar2File()
    {
        var bytes = new byte[Bar2Size];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(0x20 | (i & 0xF));
        return bytes;
    }

    /// <summary>Free 2 MiB huge pages in the modelled pool (MAP_HUGETLB mappings take them, munmap returns them).</summary>
    public int HugePagesFree { get; set; }

    public IReadOnlyDictionary<nint, ulong> HugeMappings => _huge;

    public uint MsixCount { get; set; } = 5;

    public int? ConfigWriteError { get; set; }

    public int? UnmapShortBy { get; set; }

    /// <summary>The page frame the fake pagemap reports for a virtual page number (default: identity + 0x1000, contiguous).</summary>
    public Func<ulong, ulong> PageFrameOf { get; set; } = page => page + 0x1000;

    public string? GroupPath { get; set; }

    public string ContainerPath => _sysfs?.ContainerPath ?? "/dev/vfio/vfio";

    public string? DeviceNameRequested { get; private set; }

    public List<vfio_iommu_type1_dma_map> Maps { get; } = [];

    public List<vfio_iommu_type1_dma_unmap> Unmaps { get; } = [];

    public List<byte[]> IrqSets { get; } = [];

    public List<uint> ArgszSeen { get; } = [];

    public IReadOnlyCollection<int> OpenDescriptors => _open;

    public IReadOnlyDictionary<nint, ulong> MappedBars => _bars;

    public ushort Command => (ushort)(Config[4] | Config[5] << 8);

    private string Name(int fd) => fd switch
    {
        ContainerFd => "container",
        GroupFd => "group",
        DeviceFd => "device",
        PagemapFd => "pagemap",
        _ => "fd " + fd,
    };

    public int Open(string path, int flags)
    {
        Log.Add("open " + path);
        if (OpenErrors.TryGetValue(path, out int error)) return -error;
        int fd;
        if (path == ContainerPath) fd = ContainerFd;
        else if (path == GroupPath || (_sysfs is not null && Path.GetDirectoryName(path) == _sysfs.DevVfio)) fd = GroupFd;
        else if (path.EndsWith("pagemap", StringComparison.Ordinal)) fd = PagemapFd;
        else return -Errno.ENOENT;
        if (!_open.Add(fd)) return -Errno.EBUSY;
        return fd;
    }

    public int Close(int fd)
    {
        if (fd is ContainerFd or GroupFd or DeviceFd or PagemapFd)
        {
            Log.Add("close " + Name(fd));
            return _open.Remove(fd) ? 0 : -Errno.EBADF;
        }

        Log.Add("close eventfd");
        return LinuxApi.Instance.Close(fd);
    }

    public int AccessReadWrite(string path) => AccessErrors.TryGetValue(path, out int error) ? -error : 0;

    public int Ioctl(int fd, int request, nint argument) => Ioctl(fd, request, (void*)argument);

    public int Ioctl(int fd, int request, void* argument)
    {
        string name = VfioAbi.RequestName(request);
        Log.Add(name + (request == VfioAbi.VFIO_CHECK_EXTENSION || request == VfioAbi.VFIO_SET_IOMMU ? " " + (nint)argument : ""));
        if (!_open.Contains(fd)) return -Errno.EBADF;
        if (IoctlErrors.TryGetValue(request, out int error)) return -error;

        if (fd == ContainerFd)
        {
            if (request == VfioAbi.VFIO_GET_API_VERSION) return ApiVersion;
            if (request == VfioAbi.VFIO_CHECK_EXTENSION)
            {
                int ext = (int)(nint)argument;
                return ext switch
                {
                    VfioAbi.VFIO_TYPE1v2_IOMMU => HasType1v2 ? 1 : 0,
                    VfioAbi.VFIO_TYPE1_IOMMU => HasType1 ? 1 : 0,
                    VfioAbi.VFIO_NOIOMMU_IOMMU => HasNoIommu ? 1 : 0,
                    _ => 0,
                };
            }

            if (request == VfioAbi.VFIO_SET_IOMMU) return 0;
            if (request == VfioAbi.VFIO_IOMMU_MAP_DMA)
            {
                var map = *(vfio_iommu_type1_dma_map*)argument;
                ArgszSeen.Add(map.argsz);
                Maps.Add(map);
                return 0;
            }

            if (request == VfioAbi.VFIO_IOMMU_UNMAP_DMA)
            {
                var unmap = (vfio_iommu_type1_dma_unmap*)argument;
                ArgszSeen.Add(unmap->argsz);
                Unmaps.Add(*unmap);
                if (UnmapShortBy is int shortBy) unmap->size -= (ulong)shortBy;
                return 0;
            }
        }
        else if (fd == GroupFd)
        {
            if (request == VfioAbi.VFIO_GROUP_GET_STATUS)
            {
                var status = (vfio_group_status*)argument;
                ArgszSeen.Add(status->argsz);
                status->flags = GroupFlags;
                return 0;
            }

            if (request == VfioAbi.VFIO_GROUP_SET_CONTAINER)
            {
                if (*(int*)argument != ContainerFd) return -Errno.EBADF;
                GroupFlags |= VfioAbi.VFIO_GROUP_FLAGS_CONTAINER_SET;
                return 0;
            }

            if (request == VfioAbi.VFIO_GROUP_UNSET_CONTAINER)
            {
                GroupFlags &= ~VfioAbi.VFIO_GROUP_FLAGS_CONTAINER_SET;
                return 0;
            }

            if (request == VfioAbi.VFIO_GROUP_GET_DEVICE_FD)
            {
                DeviceNameRequested = Marshal.PtrToStringAnsi((nint)argument);
                _open.Add(DeviceFd);
                return DeviceFd;
            }
        }
        else if (fd == DeviceFd)
        {
            if (request == VfioAbi.VFIO_DEVICE_GET_INFO)
            {
                var info = (vfio_device_info*)argument;
                ArgszSeen.Add(info->argsz);
                info->flags = DeviceFlags;
                info->num_regions = VfioAbi.VFIO_PCI_NUM_REGIONS;
                info->num_irqs = VfioAbi.VFIO_PCI_NUM_IRQS;
                return 0;
            }

            if (request == VfioAbi.VFIO_DEVICE_GET_REGION_INFO)
            {
                var region = (vfio_region_info*)argument;
                ArgszSeen.Add(region->argsz);
                region->offset = (ulong)region->index << 40;
                const uint rw = VfioAbi.VFIO_REGION_INFO_FLAG_READ | VfioAbi.VFIO_REGION_INFO_FLAG_WRITE;
                (region->size, region->flags) = region->index switch
                {
                    VfioAbi.VFIO_PCI_BAR0_REGION_INDEX => (Bar0Size, rw | VfioAbi.VFIO_REGION_INFO_FLAG_MMAP),
                    VfioAbi.VFIO_PCI_BAR2_REGION_INDEX => (Bar2Size, rw | (Bar2Mmappable ? VfioAbi.VFIO_REGION_INFO_FLAG_MMAP : 0)),
                    VfioAbi.VFIO_PCI_CONFIG_REGION_INDEX => ((ulong)Config.Length, rw),
                    _ => (0ul, 0u),
                };
                return 0;
            }

            if (request == VfioAbi.VFIO_DEVICE_GET_IRQ_INFO)
            {
                var irq = (vfio_irq_info*)argument;
                ArgszSeen.Add(irq->argsz);
                if (irq->index != VfioAbi.VFIO_PCI_MSIX_IRQ_INDEX) return -Errno.EINVAL;
                irq->flags = VfioAbi.VFIO_IRQ_INFO_EVENTFD | VfioAbi.VFIO_IRQ_INFO_NORESIZE;
                irq->count = MsixCount;
                return 0;
            }

            if (request == VfioAbi.VFIO_DEVICE_SET_IRQS)
            {
                uint argsz = ((vfio_irq_set*)argument)->argsz;
                IrqSets.Add(new ReadOnlySpan<byte>(argument, (int)argsz).ToArray());
                return 0;
            }

            if (request == VfioAbi.VFIO_DEVICE_RESET)
            {
                Config[4] = 0;
                Config[5] = 0;
                return 0;
            }
        }

        return -Errno.ENOTTY;
    }

    public int Mmap(nuint length, int protection, int flags, int fd, long offset, out void* address)
    {
        if (fd == DeviceFd)
        {
            Log.Add("mmap device 0x" + offset.ToString("X") + " 0x" + ((ulong)length).ToString("X"));
            int r = LinuxApi.Instance.Mmap(length, protection, Tmds.Linux.LibC.MAP_SHARED | Tmds.Linux.LibC.MAP_ANONYMOUS, -1, 0, out address);
            if (r == 0)
            {
                var bytes = new Span<byte>(address, (int)length);
                for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(offset >> 40 << 4 | (uint)(i & 0xF)); // BAR n: bytes 0xn0..0xnF repeating
                _bars[(nint)address] = length;
            }

            return r;
        }

        if ((flags & Tmds.Linux.LibC.MAP_HUGETLB) != 0)
        {
            // Huge pages, modelled: 2 MiB-aligned anonymous memory out of a counted pool.
            Log.Add("mmap hugetlb 0x" + ((ulong)length).ToString("X"));
            address = null;
            const ulong huge = 2 * 1024 * 1024;
            ulong pages = (ulong)length / huge;
            if ((ulong)length % huge != 0) return -Errno.EINVAL;
            if (pages > (ulong)HugePagesFree) return -Errno.ENOMEM;
            int r = LinuxApi.Instance.Mmap(length + (nuint)huge, protection, flags & ~Tmds.Linux.LibC.MAP_HUGETLB & ~(0x3F << 26), fd, offset, out void* raw);
            if (r < 0) return r;

            ulong start = ((ulong)raw + huge - 1) & ~(huge - 1);
            ulong head = start - (ulong)raw;
            if (head > 0) LinuxApi.Instance.Munmap(raw, (nuint)head);
            if (huge - head > 0) LinuxApi.Instance.Munmap((void*)(start + (ulong)length), (nuint)(huge - head));
            HugePagesFree -= (int)pages;
            _huge[(nint)start] = (ulong)length;
            address = (void*)start;
            return 0;
        }

        Log.Add("mmap anonymous 0x" + ((ulong)length).ToString("X"));
        return LinuxApi.Instance.Mmap(length, protection, flags, fd, offset, out address);
    }

    public int Munmap(void* address, nuint length)
    {
        if (_bars.Remove((nint)address))
        {
            Log.Add("munmap bar 0x" + ((ulong)length).ToString("X"));
        }
        else if (_huge.Remove((nint)address))
        {
            Log.Add("munmap hugetlb 0x" + ((ulong)length).ToString("X"));
            HugePagesFree += (int)((ulong)length / (2 * 1024 * 1024));
        }
        else
        {
            Log.Add("munmap 0x" + ((ulong)length).ToString("X"));
        }

        return LinuxApi.Instance.Munmap(address, length);
    }

    public int Mlock(void* address, nuint length)
    {
        Log.Add("mlock 0x" + ((ulong)length).ToString("X"));
        return LinuxApi.Instance.Mlock(address, length);
    }

    public int Munlock(void* address, nuint length)
    {
        Log.Add("munlock 0x" + ((ulong)length).ToString("X"));
        return LinuxApi.Instance.Munlock(address, length);
    }

    public long Pread(int fd, void* buffer, nuint count, long offset)
    {
        if (fd == PagemapFd)
        {
            ulong page = (ulong)offset / 8;
            *(ulong*)buffer = (1UL << 63) | PageFrameOf(page);
            return 8;
        }

        if (fd != DeviceFd) return -Errno.EBADF;
        if (offset >> 40 == 2 && !Bar2Mmappable)
        {
            long inBar = offset & ((1L << 40) - 1);
            Log.Add("bar2 read 0x" + inBar.ToString("X") + " " + count);
            if (inBar + (long)count > Bar2File.Length) return -Errno.EINVAL;
            Bar2File.AsSpan((int)inBar, (int)count).CopyTo(new Span<byte>(buffer, (int)count));
            return (long)count;
        }

        long at = offset - ConfigOffset;
        if (at < 0 || at + (long)count > Config.Length) return -Errno.EINVAL;
        Config.AsSpan((int)at, (int)count).CopyTo(new Span<byte>(buffer, (int)count));
        return (long)count;
    }

    public long Pwrite(int fd, void* buffer, nuint count, long offset)
    {
        if (fd != DeviceFd) return -Errno.EBADF;
        var data = new ReadOnlySpan<byte>(buffer, (int)count);
        if (offset >> 40 == 2 && !Bar2Mmappable)
        {
            long inBar = offset & ((1L << 40) - 1);
            Log.Add("bar2 write 0x" + inBar.ToString("X") + " " + Convert.ToHexString(data));
            if (inBar + (long)count > Bar2File.Length) return -Errno.EINVAL;
            data.CopyTo(Bar2File.AsSpan((int)inBar));
            return (long)count;
        }

        long at = offset - ConfigOffset;
        Log.Add("config write 0x" + at.ToString("X") + " " + Convert.ToHexString(data));
        if (ConfigWriteError is int error) return -error;
        if (at < 0 || at + (long)count > Config.Length) return -Errno.EINVAL;
        data.CopyTo(Config.AsSpan((int)at));
        return (long)count;
    }

    public long Read(int fd, void* buffer, nuint count) => LinuxApi.Instance.Read(fd, buffer, count);

    public int EventFd() => LinuxApi.Instance.EventFd();

    public uint EffectiveUserId { get; set; }

    public uint GetEffectiveUserId() => EffectiveUserId;

    public int PollIn(int fd, int timeoutMilliseconds) => LinuxApi.Instance.PollIn(fd, timeoutMilliseconds);
}
