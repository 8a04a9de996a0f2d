using System;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// A queue page list (QPL): pages registered with the device once, before the queue is created, which the
/// queue's descriptors then address by byte offset. The pages are one contiguous region here, so a byte
/// offset into the list is also an offset into <see cref="Pages"/>.
/// </summary>
internal sealed class QueuePageList
{
    public QueuePageList(DmaMemory memory, uint id, int pageCount)
    {
        Id = id;
        PageCount = pageCount;
        Pages = memory.Allocate(checked(pageCount * (int)GvnicConstants.PageSize));
        AddressList = memory.Allocate(pageCount * PageListEntry.Size);
        Span<byte> list = AddressList.Span;
        for (int i = 0; i < pageCount; i++)
            PageListEntry.AsRef(list.Slice(i * PageListEntry.Size)).PageAddress = Pages.AddressOf(i * (int)GvnicConstants.PageSize);
    }

    /// <summary>The page-list id (TX queue i: i; RX queue i: max TX queues + i).</summary>
    public uint Id { get; }

    public int PageCount { get; }

    /// <summary>The pages themselves.</summary>
    public DmaRegion Pages { get; }

    /// <summary>The <see cref="PageListEntry"/> array (one page address each) REGISTER_PAGE_LIST points at.</summary>
    public DmaRegion AddressList { get; }

    public int Bytes => PageCount * (int)GvnicConstants.PageSize;
}
