using System;
using System.Collections.Generic;
using System.Numerics;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// Hands out I/O virtual address ranges from a window: first fit, aligned, sizes rounded up to a granule;
/// freed ranges merge with their neighbours.
/// </summary>
/// <remarks>Not thread-safe; <see cref="VfioDmaAllocator"/> serializes calls.</remarks>
public sealed class IovaAllocator
{
    // Free ranges as [start, end), sorted by start, never adjacent (adjacent ones are merged).
    private readonly List<(ulong Start, ulong End)> _free = [];

    /// <summary>A window [<paramref name="start"/>, <paramref name="end"/>) handed out in multiples of <paramref name="granule"/>.</summary>
    /// <exception cref="ArgumentException">The window is empty or not granule-aligned, or the granule is not a power of two.</exception>
    public IovaAllocator(ulong start, ulong end, ulong granule = 4096)
    {
        if (granule == 0 || !BitOperations.IsPow2(granule)) throw new ArgumentException("the granule must be a power of two, not " + granule, nameof(granule));
        if (end <= start) throw new ArgumentException("the IOVA window [0x" + start.ToString("X") + ", 0x" + end.ToString("X") + ") is empty", nameof(end));
        if (start % granule != 0 || end % granule != 0) throw new ArgumentException("the IOVA window must be aligned to the " + granule + "-byte granule", nameof(start));
        Start = start;
        End = end;
        Granule = granule;
        _free.Add((start, end));
    }

    /// <summary>The first address of the window.</summary>
    public ulong Start { get; }

    /// <summary>The address just past the window.</summary>
    public ulong End { get; }

    /// <summary>The allocation unit (the IOMMU page size).</summary>
    public ulong Granule { get; }

    /// <summary>How many bytes are not allocated.</summary>
    public ulong FreeBytes
    {
        get
        {
            ulong total = 0;
            foreach (var (s, e) in _free) total += e - s;
            return total;
        }
    }

    /// <summary>How many separate free ranges there are (1 when nothing is allocated).</summary>
    public int FreeRangeCount => _free.Count;

    /// <summary>The size an allocation of <paramref name="size"/> bytes takes (rounded up to the granule).</summary>
    public ulong RoundUp(ulong size) => (size + Granule - 1) & ~(Granule - 1);

    /// <summary>Allocates <paramref name="size"/> bytes (rounded up to the granule) aligned to <paramref name="alignment"/>.</summary>
    /// <returns>The first address of the range.</returns>
    /// <exception cref="ArgumentException">The size is zero or the alignment is not a power of two.</exception>
    /// <exception cref="InvalidOperationException">No free range is large enough.</exception>
    public ulong Allocate(ulong size, ulong alignment)
    {
        if (TryAllocate(size, alignment, out ulong address)) return address;
        throw new InvalidOperationException("the IOVA window [0x" + Start.ToString("X") + ", 0x" + End.ToString("X") + ") has no free range of 0x"
            + RoundUp(size).ToString("X") + " bytes aligned to 0x" + Math.Max(alignment, Granule).ToString("X") + " (" + FreeBytes + " bytes free in " + _free.Count + " ranges)");
    }

    /// <summary>Like <see cref="Allocate"/>, but returns false instead of throwing when no free range is large enough.</summary>
    /// <exception cref="ArgumentException">The size is zero or the alignment is not a power of two.</exception>
    public bool TryAllocate(ulong size, ulong alignment, out ulong address)
    {
        address = 0;
        if (size == 0) throw new ArgumentException("cannot allocate 0 bytes of IOVA space", nameof(size));
        if (alignment == 0 || !BitOperations.IsPow2(alignment)) throw new ArgumentException("the alignment must be a power of two, not " + alignment, nameof(alignment));
        ulong length = RoundUp(size);
        if (length < size) throw new ArgumentException("size too large", nameof(size));
        alignment = Math.Max(alignment, Granule);
        for (int i = 0; i < _free.Count; i++)
        {
            var (s, e) = _free[i];
            ulong aligned = (s + alignment - 1) & ~(alignment - 1);
            if (aligned < s || aligned >= e || e - aligned < length) continue;
            ulong allocationEnd = aligned + length;
            // Replace [s, e) by what is left on either side.
            _free.RemoveAt(i);
            if (allocationEnd < e) _free.Insert(i, (allocationEnd, e));
            if (s < aligned) _free.Insert(i, (s, aligned));
            address = aligned;
            return true;
        }

        return false;
    }

    /// <summary>Returns a range that <see cref="Allocate"/> handed out, with the size it was asked for.</summary>
    /// <exception cref="InvalidOperationException">The range is outside the window or overlaps free space (a double free).</exception>
    public void Free(ulong address, ulong size)
    {
        ulong length = RoundUp(size);
        ulong end = address + length;
        if (size == 0 || address < Start || end > End || end < address || address % Granule != 0)
            throw new InvalidOperationException("IOVA range 0x" + address.ToString("X") + "+0x" + length.ToString("X") + " was not allocated from [0x" + Start.ToString("X") + ", 0x" + End.ToString("X") + ")");

        int index = 0;
        while (index < _free.Count && _free[index].Start < address) index++;
        bool overlapsPrevious = index > 0 && _free[index - 1].End > address;
        bool overlapsNext = index < _free.Count && _free[index].Start < end;
        if (overlapsPrevious || overlapsNext)
            throw new InvalidOperationException("IOVA range 0x" + address.ToString("X") + "+0x" + length.ToString("X") + " is already free (double free)");

        ulong newStart = address, newEnd = end;
        if (index < _free.Count && _free[index].Start == end)
        {
            newEnd = _free[index].End;
            _free.RemoveAt(index);
        }

        if (index > 0 && _free[index - 1].End == address)
        {
            newStart = _free[index - 1].Start;
            _free.RemoveAt(index - 1);
            index--;
        }

        _free.Insert(index, (newStart, newEnd));
    }
}
