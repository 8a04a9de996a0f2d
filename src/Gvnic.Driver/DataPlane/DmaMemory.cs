using System.Collections.Generic;
using Gvnic.Platform;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// Every DMA region the driver holds for one device, so teardown can free them all together, and only
/// once the device has let go of them (or keep them all when it has not).
/// </summary>
internal sealed class DmaMemory(IDmaAllocator allocator)
{
    private readonly List<DmaRegion> _regions = new();

    public int Count => _regions.Count;

    public long Bytes
    {
        get
        {
            long total = 0;
            foreach (DmaRegion r in _regions) total += r.Length;
            return total;
        }
    }

    /// <summary>Allocates zeroed memory (page-aligned by default).</summary>
    public DmaRegion Allocate(int length, int alignment = 4096)
    {
        DmaRegion region = allocator.Allocate(length, alignment);
        _regions.Add(region);
        return region;
    }

    /// <summary>Frees one region the device is done with (for example the DESCRIBE_DEVICE buffer after the command).</summary>
    public void Free(DmaRegion region)
    {
        if (_regions.Remove(region)) allocator.Free(region);
    }

    /// <summary>Frees everything; call only when the device can no longer touch any of it.</summary>
    public void FreeAll()
    {
        for (int i = _regions.Count - 1; i >= 0; i--) allocator.Free(_regions[i]);
        _regions.Clear();
    }
}
