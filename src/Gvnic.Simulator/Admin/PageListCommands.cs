using System;
using Gvnic.Simulator.Device;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>REGISTER_PAGE_LIST and UNREGISTER_PAGE_LIST: the queue page lists of the QPL formats.</summary>
internal sealed class PageListCommands(AdminCommandContext context) : AdminCommandGroup(context)
{
    public AdminqStatuses Register(ref AdminqRegisterPageList r)
    {
        if (!State.Configured) return Context.NotConfigured("REGISTER_PAGE_LIST");
        if (!State.IsQplFormat) return AdminqStatuses.CommandErrorFailedPrecondition;
        if (r.PageListId == GvnicConstants.RawAddressingQplId) return AdminqStatuses.CommandErrorInvalidArgument;
        if (State.PageLists.ContainsKey(r.PageListId)) return AdminqStatuses.CommandErrorAlreadyExists;
        ulong pageSize = r.PageSize == 0 ? GvnicConstants.PageSize : r.PageSize;
        if (pageSize != GvnicConstants.PageSize) return AdminqStatuses.CommandErrorInvalidArgument;
        if (r.NumPages == 0) return AdminqStatuses.CommandErrorInvalidArgument;
        if (r.NumPages > PagesPerListLimit()) return AdminqStatuses.CommandErrorOutOfRange;
        if (State.RegisteredPages + r.NumPages > Config.MaxRegisteredPages) return AdminqStatuses.CommandErrorResourceExhausted;
        if (!Context.Aligned(r.PageAddressListAddr, "page-address list of page list " + r.PageListId)) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(r.PageAddressListAddr, (long)r.NumPages * PageListEntry.Size, "page-address list of page list " + r.PageListId, out Span<byte> list))
            return AdminqStatuses.CommandErrorInvalidArgument;
        var pages = new ulong[r.NumPages];
        for (int i = 0; i < pages.Length; i++)
        {
            ulong addr = PageListEntry.Read(list.Slice(i * PageListEntry.Size)).PageAddress;
            if ((addr & (GvnicConstants.PageSize - 1)) != 0)
            {
                Context.Violate(ViolationKind.DmaOutOfBounds, i, "page " + i + " of page list " + r.PageListId + " is at 0x" + addr.ToString("X") + ", not 4096-aligned");
                return AdminqStatuses.CommandErrorInvalidArgument;
            }
            if (!Context.TryDma(addr, GvnicConstants.PageSize, -1, i, "page " + i + " of page list " + r.PageListId, out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            pages[i] = addr;
        }
        State.PageLists[r.PageListId] = new QueuePageList(r.PageListId, pages);
        State.RegisteredPages += r.NumPages;
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>
    /// The most pages one page list may hold: the larger of tx_pages_per_qpl and rx_pages_per_qpl, at most
    /// <see cref="GvnicConstants.MaxQplPages"/>. In DQO-QPL also twice the largest RX ring the device accepts: Linux
    /// 6.12's gve sizes each DQO RX page list at twice its RX ring (gve_get_rx_pages_per_qpl_dqo) and ignores the
    /// option's rx_pages_per_qpl, and it runs on GCE's devices (found by the conformance run: Linux 6.12 registers 512
    /// pages for a 256-entry ring).
    /// </summary>
    private uint PagesPerListLimit()
    {
        uint limit = Math.Min(Math.Max((uint)Config.TxPagesPerQpl, Config.RxPagesPerQpl), GvnicConstants.MaxQplPages);
        if (State.Format == QueueFormat.DqoQpl)
        {
            uint largestRxRing = Config.ModifyRing ? Config.MaxRxRingSize : Config.RxQueueEntries;
            limit = Math.Max(limit, 2 * largestRxRing);
        }
        return limit;
    }

    public AdminqStatuses Unregister(uint id)
    {
        if (!State.Configured) return Context.NotConfigured("UNREGISTER_PAGE_LIST");
        if (!State.PageLists.TryGetValue(id, out QueuePageList? qpl)) return AdminqStatuses.CommandErrorNotFound;
        if (qpl.Owner is not null) return Context.OutOfOrder("UNREGISTER_PAGE_LIST " + id + " while " + qpl.Owner + " still uses it");
        State.PageLists.Remove(id);
        State.RegisteredPages -= (ulong)qpl.PageCount;
        return AdminqStatuses.CommandPassed;
    }
}
