using System;
using System.Collections.Generic;
using Gvnic.Platform;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests.ServedModel;

/// <summary>How the test client maps its memory for the device.</summary>
public enum ClientDmaLayout
{
    /// <summary>All of guest RAM as one mapping at a fixed base, as QEMU maps it without an IOMMU.</summary>
    Flat,

    /// <summary>
    /// Every allocation mapped page by page at fresh IOVAs from pages scattered through the RAM file, as QEMU maps an
    /// IOMMU's pages; freeing unmaps them. The driver sees each region contiguous (its pages mapped side by side).
    /// </summary>
    PerPageIommu,
}

/// <summary>
/// The driver's DMA memory in a vfio-user client: a memfd as guest RAM, passed with each DMA_MAP, and regions carved
/// from it (<see cref="ClientDmaLayout"/>).
/// </summary>
internal sealed unsafe class ClientDma : IDmaAllocator, IDisposable
{
    public const ulong FlatBase = 0x1_0000_0000;
    private const int Page = 4096;
    private readonly VfioUserPciFunction _function;
    private readonly ClientDmaLayout _layout;
    private readonly Memfd _ram;
    private readonly Stack<int> _freePages = new();
    private readonly Dictionary<long, (DmaRegion Region, int[] Pages, IntPtr View, ulong Bytes)> _live = new();
    private long _flatNext;
    private ulong _iovaNext = 0x40_0000_0000;
    private long _nextId;

    public ClientDma(VfioUserPciFunction function, ClientDmaLayout layout, long ramBytes)
    {
        _function = function;
        _layout = layout;
        _ram = new Memfd(ramBytes);
        if (layout == ClientDmaLayout.Flat)
        {
            Received reply = function.Request(Command.DmaMap, Messages.DmaMap(FlatBase, (ulong)ramBytes), [_ram.Fd]);
            Assert.False(reply.IsError, $"DMA_MAP of guest RAM refused: errno {reply.Errno}");
        }
        else
        {
            // Pages handed out in a scrambled order, so adjacent IOVA pages are never adjacent in the file.
            int pages = (int)(ramBytes / Page);
            var order = new int[pages];
            for (int i = 0; i < pages; i++) order[i] = i;
            new Random(7).Shuffle(order);
            foreach (int p in order) _freePages.Push(p);
        }
    }

    public int OutstandingRegions => _live.Count;

    public long OutstandingBytes { get; private set; }

    /// <summary>DMA_MAP messages sent.</summary>
    public int Maps { get; private set; }

    public DmaRegion Allocate(int length, int alignment = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ulong bytes = ((ulong)length + Page - 1) & ~(ulong)(Page - 1);
        DmaRegion region;
        int[] pages = [];
        byte* view = null;
        if (_layout == ClientDmaLayout.Flat)
        {
            long align = Math.Max(alignment, Page);
            long at = (_flatNext + align - 1) & ~(align - 1);
            if (at + (long)bytes > _ram.Size) throw new OutOfMemoryException($"the test's guest RAM ({_ram.Size} bytes) is used up");
            _flatNext = at + (long)bytes;
            fixed (byte* ram = _ram.Bytes) region = new DmaRegion(ram + at, length, FlatBase + (ulong)at, ++_nextId);
            region.Span.Clear();
        }
        else
        {
            ulong align = (ulong)Math.Max(alignment, Page);
            ulong iova = (_iovaNext + align - 1) & ~(align - 1);
            _iovaNext = iova + bytes + Page; // a guard page between regions
            int count = (int)(bytes / Page);
            if (_freePages.Count < count) throw new OutOfMemoryException("the test's guest RAM is used up");
            pages = new int[count];
            Assert.Equal(0, Posix.Reserve(bytes, out view));
            for (int i = 0; i < count; i++)
            {
                pages[i] = _freePages.Pop();
                Assert.Equal(0, Posix.MapFixed(view + (long)i * Page, Page, _ram.Fd, (long)pages[i] * Page, shared: true));
                Received reply = _function.Request(Command.DmaMap, Messages.DmaMap(iova + (ulong)i * Page, Page, offset: (ulong)pages[i] * Page), [_ram.Fd]);
                Assert.False(reply.IsError, $"DMA_MAP of a page refused: errno {reply.Errno}");
                Maps++;
            }

            region = new DmaRegion(view, length, iova, ++_nextId);
            new Span<byte>(view, (int)bytes).Clear();
        }

        _live.Add(region.Id, (region, pages, (IntPtr)view, bytes));
        OutstandingBytes += length;
        return region;
    }

    public void Free(DmaRegion region)
    {
        if (!_live.Remove(region.Id, out var entry)) throw new InvalidOperationException(region + " is not live");
        region.MarkFreed();
        OutstandingBytes -= region.Length;
        if (_layout == ClientDmaLayout.Flat) return;
        Received reply = _function.Request(Command.DmaUnmap, Messages.DmaUnmap(region.DeviceAddress, entry.Bytes));
        Assert.False(reply.IsError, $"DMA_UNMAP refused: errno {reply.Errno}");
        Posix.Unmap((byte*)entry.View, entry.Bytes);
        foreach (int p in entry.Pages) _freePages.Push(p);
    }

    public void Dispose()
    {
        foreach (var entry in _live.Values)
        {
            if (entry.View != IntPtr.Zero) Posix.Unmap((byte*)entry.View, entry.Bytes);
        }

        _live.Clear();
        _ram.Dispose();
    }
}
