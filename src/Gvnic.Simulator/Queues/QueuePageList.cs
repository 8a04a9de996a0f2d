using System;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>A registered queue page list: pages the driver handed the device, seen as one contiguous byte space (GQI) or as a set of allowed addresses (DQO).</summary>
internal sealed class QueuePageList(uint id, ulong[] pages)
{
    private const int Page = (int)GvnicConstants.PageSize;

    public uint Id { get; } = id;

    public ulong[] Pages { get; } = pages;

    public int PageCount => Pages.Length;

    public long ByteLength => (long)Pages.Length * Page;

    /// <summary>The queue using the list, or null.</summary>
    public string? Owner { get; set; }

    /// <summary>The page addresses in ascending order, for <see cref="ContainsAddress"/>'s binary search.</summary>
    private readonly ulong[] _sorted = Sorted(pages);

    private static ulong[] Sorted(ulong[] pages)
    {
        var sorted = (ulong[])pages.Clone();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Whether <paramref name="length"/> bytes at device address <paramref name="address"/> lie inside one page of the list (DQO QPL).</summary>
    /// <remarks>
    /// Of the pages that start at or below the address, the one that starts last reaches furthest: a binary search finds
    /// it, and when it holds the bytes the answer is yes. Otherwise every page is tried, as a scan over the list would
    /// (the same answer where page ends wrap past 2⁶⁴, and a violation is about to be recorded anyway).
    /// </remarks>
    public bool ContainsAddress(ulong address, int length)
    {
        ulong[] sorted = _sorted;
        int lo = 0, hi = sorted.Length - 1, at = -1; // at: the last page starting at or below the address
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= address)
            {
                at = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        if (at >= 0 && address + (ulong)length <= sorted[at] + (ulong)Page) return true;
        foreach (ulong p in Pages)
        {
            if (address >= p && address + (ulong)length <= p + (ulong)Page) return true;
        }
        return false;
    }

    /// <summary>Copies from QPL byte offset <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    public bool TryRead(IQueueHost host, ulong offset, Span<byte> destination, int queue, long index, scoped in DmaWhat what)
    {
        if (!InRange(host, offset, destination.Length, queue, index, what)) return false;
        for (int done = 0; done < destination.Length;)
        {
            if (!TryChunk(host, offset + (ulong)done, destination.Length - done, queue, index, what, out Span<byte> src)) return false;
            src.CopyTo(destination.Slice(done));
            done += src.Length;
        }
        return true;
    }

    /// <summary>Copies <paramref name="source"/> to QPL byte offset <paramref name="offset"/>.</summary>
    public bool TryWrite(IQueueHost host, ulong offset, ReadOnlySpan<byte> source, int queue, long index, scoped in DmaWhat what)
    {
        if (!InRange(host, offset, source.Length, queue, index, what)) return false;
        for (int done = 0; done < source.Length;)
        {
            if (!TryChunk(host, offset + (ulong)done, source.Length - done, queue, index, what, out Span<byte> dst)) return false;
            source.Slice(done, dst.Length).CopyTo(dst);
            done += dst.Length;
        }
        return true;
    }

    /// <summary>The device's view of the bytes at QPL offset <paramref name="at"/> up to the end of their page (at most <paramref name="remaining"/>).</summary>
    private bool TryChunk(IQueueHost host, ulong at, int remaining, int queue, long index, scoped in DmaWhat what, out Span<byte> span)
    {
        int page = (int)(at / (ulong)Page);
        int inPage = (int)(at % (ulong)Page);
        int chunk = Math.Min(Page - inPage, remaining);
        return host.TryDma(Pages[page] + (ulong)inPage, chunk, queue, index, what.OnPage(page, Id), out span);
    }

    /// <summary>Checks that <paramref name="length"/> bytes at <paramref name="offset"/> lie inside the list; records a violation otherwise.</summary>
    public bool InRange(IQueueHost host, ulong offset, long length, int queue, long index, scoped in DmaWhat what)
    {
        if (offset <= (ulong)ByteLength && (ulong)length <= (ulong)ByteLength - offset) return true;
        host.Violate(ViolationKind.QplOffsetOutOfRange, queue, index,
            what.ToString() + ": " + length + " bytes at QPL offset 0x" + offset.ToString("X") + " run past page list " + Id + " (" + ByteLength + " bytes)");
        return false;
    }
}
