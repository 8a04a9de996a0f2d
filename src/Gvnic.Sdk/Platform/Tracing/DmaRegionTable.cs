using System;
using System.Collections.Generic;
using System.Globalization;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// The DMA regions a trace has seen allocated, numbered in allocation order (0, 1, …): the same driver makes the same
/// allocations on any platform, so a region number and an offset name a place in memory the same way in every run,
/// where device addresses (IOVAs, physical or simulated bus addresses) differ.
/// </summary>
internal sealed class DmaRegionTable
{
    private readonly List<(DmaRegion Region, int Id)> _live = [];
    private readonly Dictionary<DmaRegion, int> _ids = new(ReferenceEqualityComparer.Instance);
    private int _next;

    /// <summary>Numbers a newly allocated region.</summary>
    public int Add(DmaRegion region)
    {
        int id = _next++;
        _live.Add((region, id));
        _ids[region] = id;
        return id;
    }

    /// <summary>Forgets a freed region; false (and -1) when the trace never saw it allocated.</summary>
    public bool TryRemove(DmaRegion region, out int id)
    {
        if (!_ids.Remove(region, out id))
        {
            id = -1;
            return false;
        }
        for (int i = 0; i < _live.Count; i++)
        {
            if (ReferenceEquals(_live[i].Region, region))
            {
                _live.RemoveAt(i);
                break;
            }
        }
        return true;
    }

    /// <summary>The live region holding <paramref name="address"/>, its number and the offset in it.</summary>
    public bool TryResolve(ulong address, out DmaRegion region, out int id, out int offset)
    {
        foreach (var (r, i) in _live)
        {
            if (address >= r.DeviceAddress && address - r.DeviceAddress < (ulong)r.Length)
            {
                region = r;
                id = i;
                offset = (int)(address - r.DeviceAddress);
                return true;
            }
        }
        region = null!;
        id = -1;
        offset = 0;
        return false;
    }

    /// <summary>The <paramref name="length"/> bytes at <paramref name="address"/> when they lie inside one live region.</summary>
    public bool TryRead(ulong address, int length, out ReadOnlySpan<byte> bytes)
    {
        if (length >= 0 && TryResolve(address, out DmaRegion region, out _, out int offset) && region.Length - offset >= length && !region.IsFreed)
        {
            bytes = region.Span.Slice(offset, length);
            return true;
        }
        bytes = default;
        return false;
    }

    /// <summary><c>dma#3+0x40</c> for an address inside region 3, or null.</summary>
    public string? Name(ulong address)
        => TryResolve(address, out _, out int id, out int offset) ? Name(id, offset) : null;

    /// <summary><c>dma#ID+0xOFFSET</c>.</summary>
    public static string Name(int id, int offset)
        => TraceFormat.DmaPrefix + id.ToString(CultureInfo.InvariantCulture) + "+0x" + offset.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Forgets every region (the trace ends).</summary>
    public void Clear()
    {
        _live.Clear();
        _ids.Clear();
    }
}
