using System;
using System.Collections.Generic;
using System.Numerics;
using Gvnic.Platform;
using Gvnic.Runtime.Vfio.Interop;
using Tmds.Linux;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// DMA memory for a VFIO device: page-aligned anonymous memory (or 2 MiB huge pages), locked with mlock and
/// mapped for the device (at an IOVA under a type1 IOMMU, at its physical address in no-IOMMU mode).
/// </summary>
/// <remarks>Thread-safe. Regions are zeroed (fresh anonymous memory).</remarks>
public sealed unsafe class VfioDmaAllocator : IDmaAllocator
{
    /// <summary>The huge page size used with <see cref="VfioOptions.UseHugePages"/>.</summary>
    public const int HugePageSize = 2 * 1024 * 1024;

    private readonly ILinuxApi _api;
    private readonly IDmaMapper _mapper;
    private readonly int _chunk;
    private readonly bool _hugePages;
    private readonly string _owner;
    private readonly object _lock = new();
    private readonly Dictionary<long, Allocation> _live = [];
    private long _nextId = 1;
    private long _outstandingBytes;
    private bool _closed;

    private readonly record struct Allocation(DmaRegion Region, nint Address, ulong MappedLength);

    internal VfioDmaAllocator(ILinuxApi api, IDmaMapper mapper, int pageSize, bool hugePages, string owner)
    {
        _api = api;
        _mapper = mapper;
        _hugePages = hugePages;
        _chunk = hugePages ? HugePageSize : pageSize;
        _owner = owner;
    }

    /// <summary>How the device reaches the memory: <c>type1 IOMMU</c> or <c>no-IOMMU</c>.</summary>
    public string Mode => _mapper.Mode;

    /// <inheritdoc/>
    public int OutstandingRegions
    {
        get
        {
            lock (_lock) return _live.Count;
        }
    }

    /// <inheritdoc/>
    public long OutstandingBytes
    {
        get
        {
            lock (_lock) return _outstandingBytes;
        }
    }

    /// <inheritdoc/>
    public DmaRegion Allocate(int length, int alignment = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (alignment <= 0 || !BitOperations.IsPow2(alignment)) throw new ArgumentException("the alignment must be a power of two, not " + alignment, nameof(alignment));
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            ulong deviceLength = RoundUp((ulong)length, (ulong)_chunk);
            ulong align = Math.Max((ulong)alignment, (ulong)_chunk);
            // Over-allocate when the alignment exceeds the page so the pointer can be aligned too, then trim.
            ulong mapLength = deviceLength + (align > (ulong)_chunk ? align : 0);
            int flags = LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_POPULATE | (_hugePages ? LibC.MAP_HUGETLB : 0);
            int result = _api.Mmap((nuint)mapLength, LibC.PROT_READ | LibC.PROT_WRITE, flags, -1, 0, out void* mapped);
            if (result < 0)
            {
                throw new VfioException("mmap (" + mapLength + " bytes of " + (_hugePages ? "2 MiB huge pages" : "anonymous memory") + ")", _owner, -result,
                    _hugePages && -result == Errno.ENOMEM ? "Reserve huge pages first: `echo 64 | sudo tee /proc/sys/vm/nr_hugepages`" : null);
            }

            byte* start = (byte*)mapped;
            ulong aligned = RoundUp((ulong)start, align);
            ulong head = aligned - (ulong)start;
            ulong tail = mapLength - head - deviceLength;
            if (head > 0) _api.Munmap(start, (nuint)head);
            if (tail > 0) _api.Munmap((byte*)aligned + deviceLength, (nuint)tail);
            byte* p = (byte*)aligned;

            result = _api.Mlock(p, (nuint)deviceLength);
            if (result < 0)
            {
                _api.Munmap(p, (nuint)deviceLength);
                throw new VfioException("mlock (" + deviceLength + " bytes)", _owner, -result,
                    "DMA memory must be pinned: raise the locked-memory limit (`ulimit -l unlimited`, memlock in /etc/security/limits.conf) or run as root");
            }

            ulong deviceAddress;
            try
            {
                deviceAddress = _mapper.Map(p, deviceLength, (ulong)alignment);
            }
            catch
            {
                _api.Munlock(p, (nuint)deviceLength);
                _api.Munmap(p, (nuint)deviceLength);
                throw;
            }

            var region = new DmaRegion(p, length, deviceAddress, _nextId++);
            _live.Add(region.Id, new Allocation(region, (nint)p, deviceLength));
            _outstandingBytes += length;
            return region;
        }
    }

    /// <inheritdoc/>
    public void Free(DmaRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        lock (_lock)
        {
            if (!_live.TryGetValue(region.Id, out var allocation) || !ReferenceEquals(allocation.Region, region))
            {
                throw new ArgumentException(region + (region.IsFreed ? " was already freed" : " does not belong to this allocator (" + _owner + ")"), nameof(region));
            }

            Release(allocation);
        }
    }

    /// <summary>
    /// Frees every outstanding region. The owner calls it only after the device's bus mastering is off,
    /// so the device can no longer touch the memory.
    /// </summary>
    /// <returns>How many regions were freed.</returns>
    internal int ReleaseAll()
    {
        lock (_lock)
        {
            int count = 0;
            List<Exception>? errors = null;
            foreach (var allocation in new List<Allocation>(_live.Values))
            {
                try
                {
                    Release(allocation);
                    count++;
                }
                catch (VfioException e)
                {
                    (errors ??= []).Add(e);
                }
            }

            _closed = true;
            _mapper.Dispose();
            if (errors is not null) throw new AggregateException("freeing DMA memory of " + _owner + " failed", errors);
            return count;
        }
    }

    /// <summary>
    /// Gives up the outstanding regions without unmapping them: used when the device could not be stopped,
    /// so memory it may still write stays allocated (leaked) rather than reused.
    /// </summary>
    /// <returns>How many bytes were abandoned.</returns>
    internal long Abandon()
    {
        lock (_lock)
        {
            long bytes = _outstandingBytes;
            foreach (var allocation in _live.Values) allocation.Region.MarkFreed();
            _live.Clear();
            _outstandingBytes = 0;
            _closed = true;
            return bytes;
        }
    }

    private void Release(Allocation allocation)
    {
        var region = allocation.Region;
        byte* p = (byte*)allocation.Address;
        _mapper.Unmap(p, region.DeviceAddress, allocation.MappedLength);
        _live.Remove(region.Id);
        _outstandingBytes -= region.Length;
        region.MarkFreed();
        _api.Munlock(p, (nuint)allocation.MappedLength);
        int result = _api.Munmap(p, (nuint)allocation.MappedLength);
        if (result < 0) throw new VfioException("munmap of " + region, _owner, -result);
    }

    private static ulong RoundUp(ulong value, ulong multiple) => (value + multiple - 1) & ~(multiple - 1);
}
