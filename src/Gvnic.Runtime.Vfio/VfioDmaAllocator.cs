using System;
using System.Collections.Generic;
using System.Numerics;
using Gvnic.Platform;
using Gvnic.Runtime.Vfio.Interop;
using Tmds.Linux;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// DMA memory for a VFIO device, locked and mapped for the device (at an IOVA under a type1 IOMMU, at its
/// physical address in no-IOMMU mode). Two backings:
/// <list type="bullet">
/// <item>pages: each region is its own anonymous mapping of 4 KiB pages, mapped for the device on its own;</item>
/// <item>huge pages (<see cref="VfioOptions.UseHugePages"/>, the default in no-IOMMU mode): 2 MiB huge pages, each
/// mapped for the device once, with regions carved out of them (most are 4 KiB), so a region is physically
/// contiguous and never migrated; a region larger than 2 MiB gets a run of huge pages of its own, which must be
/// physically contiguous too.</item>
/// </list>
/// </summary>
/// <remarks>Thread-safe. Regions are zeroed.</remarks>
public sealed unsafe class VfioDmaAllocator : IDmaAllocator
{
    /// <summary>The huge page size used with <see cref="VfioOptions.UseHugePages"/>.</summary>
    public const int HugePageSize = 2 * 1024 * 1024;

    /// <summary>MAP_HUGE_2MB: log2(2 MiB) &lt;&lt; MAP_HUGE_SHIFT, so the size does not depend on the system's default huge page size.</summary>
    private const int MapHuge2Mb = 21 << 26;

    private readonly ILinuxApi _api;
    private readonly IDmaMapper _mapper;
    private readonly int _pageSize;
    private readonly bool _hugePages;
    private readonly string _owner;
    private readonly HugePagePool _pool;
    private readonly object _lock = new();
    private readonly Dictionary<long, Allocation> _live = [];
    private readonly List<Chunk> _chunks = [];
    private long _nextId = 1;
    private long _outstandingBytes;
    private bool _closed;

    /// <summary>A run of huge pages mapped for the device once, regions carved out of it by offset.</summary>
    private sealed class Chunk(nint pointer, ulong length, ulong deviceAddress, ulong granule)
    {
        public nint Pointer { get; } = pointer;

        public ulong Length { get; } = length;

        public ulong DeviceAddress { get; } = deviceAddress;

        public IovaAllocator Offsets { get; } = new(0, length, granule);

        public int Regions { get; set; }
    }

    /// <summary>A live region: its own mapping (<see cref="Chunk"/> null) or a carved part of a chunk.</summary>
    private readonly record struct Allocation(DmaRegion Region, nint Address, ulong Length, Chunk? Chunk);

    internal VfioDmaAllocator(ILinuxApi api, IDmaMapper mapper, int pageSize, bool hugePages, string owner, HugePagePool? pool = null)
    {
        _api = api;
        _mapper = mapper;
        _pageSize = pageSize;
        _hugePages = hugePages;
        _owner = owner;
        _pool = pool ?? new HugePagePool("/sys");
    }

    /// <summary>How the device reaches the memory: <c>type1 IOMMU</c> or <c>no-IOMMU</c>.</summary>
    public string Mode => _mapper.Mode;

    /// <summary>Whether regions are carved out of 2 MiB huge pages.</summary>
    public bool UsesHugePages => _hugePages;

    /// <summary>How many huge pages are mapped now (0 without huge pages).</summary>
    public int HugePagesMapped
    {
        get
        {
            lock (_lock)
            {
                ulong bytes = 0;
                foreach (var chunk in _chunks) bytes += chunk.Length;
                return (int)(bytes / HugePageSize);
            }
        }
    }

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
            var allocation = _hugePages ? Carve(length, alignment) : MapPages(length, alignment);
            _live.Add(allocation.Region.Id, allocation);
            _outstandingBytes += length;
            return allocation.Region;
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
    /// Frees every outstanding region and huge page. The owner calls it only after the device's bus mastering is
    /// off, so the device can no longer touch the memory.
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

            foreach (var chunk in new List<Chunk>(_chunks))
            {
                try
                {
                    ReleaseChunk(chunk);
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
            _chunks.Clear();
            _outstandingBytes = 0;
            _closed = true;
            return bytes;
        }
    }

    /// <summary>The pages backing: an anonymous mapping of its own, locked and mapped for the device.</summary>
    private Allocation MapPages(int length, int alignment)
    {
        ulong deviceLength = RoundUp((ulong)length, (ulong)_pageSize);
        ulong align = Math.Max((ulong)alignment, (ulong)_pageSize);
        // Over-allocate when the alignment exceeds the page so the pointer can be aligned too, then trim.
        ulong mapLength = deviceLength + (align > (ulong)_pageSize ? align : 0);
        int result = _api.Mmap((nuint)mapLength, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_POPULATE, -1, 0, out void* mapped);
        if (result < 0) throw new VfioException("mmap (" + mapLength + " bytes of anonymous memory)", _owner, -result);

        byte* start = (byte*)mapped;
        ulong aligned = RoundUp((ulong)start, align);
        ulong head = aligned - (ulong)start;
        ulong tail = mapLength - head - deviceLength;
        if (head > 0) _api.Munmap(start, (nuint)head);
        if (tail > 0) _api.Munmap((byte*)aligned + deviceLength, (nuint)tail);
        byte* p = (byte*)aligned;
        ulong deviceAddress = LockAndMap(p, deviceLength, (ulong)alignment);
        return new Allocation(new DmaRegion(p, length, deviceAddress, _nextId++), (nint)p, deviceLength, null);
    }

    /// <summary>The huge-page backing: a part of a chunk with room, or of a new chunk.</summary>
    private Allocation Carve(int length, int alignment)
    {
        ulong size = RoundUp((ulong)length, (ulong)_pageSize);
        ulong align = Math.Max((ulong)alignment, (ulong)_pageSize);
        Chunk? chunk = null;
        ulong offset = 0;
        foreach (var candidate in _chunks)
        {
            if (candidate.Offsets.TryAllocate(size, align, out offset))
            {
                chunk = candidate;
                break;
            }
        }

        if (chunk is null)
        {
            chunk = MapChunk(RoundUp(size, HugePageSize), Math.Max(align, HugePageSize));
            if (!chunk.Offsets.TryAllocate(size, align, out offset))
                throw new InvalidOperationException("a new " + chunk.Length + "-byte huge page run has no room for " + size + " bytes");
        }

        chunk.Regions++;
        byte* p = (byte*)chunk.Pointer + offset;
        new Span<byte>(p, length).Clear(); // a reused part holds what the last region left there
        return new Allocation(new DmaRegion(p, length, chunk.DeviceAddress + offset, _nextId++), (nint)p, size, chunk);
    }

    private Chunk MapChunk(ulong length, ulong alignment)
    {
        int flags = LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_POPULATE | LibC.MAP_HUGETLB | MapHuge2Mb;
        int result = _api.Mmap((nuint)length, LibC.PROT_READ | LibC.PROT_WRITE, flags, -1, 0, out void* mapped);
        if (result < 0) throw _pool.MappingFailed(length, _owner, -result);
        byte* p = (byte*)mapped;
        ulong deviceAddress = LockAndMap(p, length, alignment);
        var chunk = new Chunk((nint)p, length, deviceAddress, (ulong)_pageSize);
        _chunks.Add(chunk);
        return chunk;
    }

    private ulong LockAndMap(byte* p, ulong length, ulong alignment)
    {
        int result = _api.Mlock(p, (nuint)length);
        if (result < 0)
        {
            _api.Munmap(p, (nuint)length);
            throw new VfioException("mlock (" + length + " bytes)", _owner, -result,
                "DMA memory must be pinned: raise the locked-memory limit (`ulimit -l unlimited`, memlock in /etc/security/limits.conf) or run as root");
        }

        try
        {
            return _mapper.Map(p, length, alignment);
        }
        catch
        {
            _api.Munlock(p, (nuint)length);
            _api.Munmap(p, (nuint)length);
            throw;
        }
    }

    private void Release(Allocation allocation)
    {
        var region = allocation.Region;
        if (allocation.Chunk is Chunk chunk)
        {
            chunk.Offsets.Free((ulong)(allocation.Address - chunk.Pointer), allocation.Length);
            chunk.Regions--;
            _live.Remove(region.Id);
            _outstandingBytes -= region.Length;
            region.MarkFreed();
            if (chunk.Regions == 0) ReleaseChunk(chunk);
            return;
        }

        byte* p = (byte*)allocation.Address;
        _mapper.Unmap(p, region.DeviceAddress, allocation.Length);
        _live.Remove(region.Id);
        _outstandingBytes -= region.Length;
        region.MarkFreed();
        _api.Munlock(p, (nuint)allocation.Length);
        int result = _api.Munmap(p, (nuint)allocation.Length);
        if (result < 0) throw new VfioException("munmap of " + region, _owner, -result);
    }

    private void ReleaseChunk(Chunk chunk)
    {
        byte* p = (byte*)chunk.Pointer;
        _mapper.Unmap(p, chunk.DeviceAddress, chunk.Length);
        _chunks.Remove(chunk);
        _api.Munlock(p, (nuint)chunk.Length);
        int result = _api.Munmap(p, (nuint)chunk.Length);
        if (result < 0) throw new VfioException("munmap of " + (chunk.Length / HugePageSize) + " huge pages at device address 0x" + chunk.DeviceAddress.ToString("X"), _owner, -result);
    }

    private static ulong RoundUp(ulong value, ulong multiple) => (value + multiple - 1) & ~(multiple - 1);
}
