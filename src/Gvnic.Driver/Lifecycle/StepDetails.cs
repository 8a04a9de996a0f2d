using System;
using Gvnic.Admin;
using Gvnic.Driver.ControlPlane;
using Gvnic.Driver.DataPlane;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// The detail text of every bring-up and teardown step as <see cref="NicOptions.Progress"/> reports it
/// (<see cref="NicBringUpStep.Detail"/>), kept apart from the steps' work: one method a step, given what the step did.
/// </summary>
internal static class StepDetails
{
    // ---- bring-up ---------------------------------------------------------------------------------------------------

    public static string Options(NicOptions o)
        => (o.QueueFormat is QueueFormat f ? f + " requested" : "format: the driver's choice") + ", " + o.TxQueues + " TX + " + o.RxQueues + " RX queues, "
            + (o.WaitMode == NicWaitMode.Interrupts ? "interrupts" : "polling") + ", admin timeout " + o.AdminTimeout.TotalMilliseconds + " ms";

    public static string PciFunction(IPciFunction pci)
        => pci.Address + ": " + pci.VendorId.ToString("x4") + ":" + pci.DeviceId.ToString("x4") + " revision " + pci.RevisionId + ", bus mastering on";

    public static string DriverVersion(byte[] written) => System.Text.Encoding.ASCII.GetString(written, 0, written.Length - 1) + " written to driver_version";

    public static string QueueLimits((uint Tx, uint Rx) limits, (uint Tx, uint Rx) read)
        => "up to " + limits.Tx + " TX and " + limits.Rx + " RX queues"
            + (limits != read ? " (the device reads " + read.Tx + " and " + read.Rx + "; the driver takes at most " + Lifecycle.DeviceValues.MaxQueueLimit + ")" : "");

    /// <summary><paramref name="passed"/>, or the tolerated status's name.</summary>
    public static string Outcome(AdminqStatuses status, string passed)
        => status == AdminqStatuses.CommandPassed ? passed : AdminNames.Of(status) + " (tolerated: the device does not implement the command)";

    /// <summary>An optional command's outcome: <paramref name="passed"/>, or the failure bring-up went on after (as upstream logs it and goes on).</summary>
    public static string Optional(AdminqStatuses status, string passed)
        => status == AdminqStatuses.CommandPassed ? passed
            : status == AdminqStatuses.CommandErrorUnimplemented ? Outcome(status, passed)
            : "failed: " + AdminNames.Describe(status) + "; optional, bring-up goes on without it";

    public static string DriverAccepted(AdminqStatuses status, Version version) => Outcome(status, "driver gvnic-dotnet " + version + " accepted");

    public static string Description(DeviceDescription d)
        => "MAC " + d.MacAddress + ", MTU " + d.Mtu + ", " + d.EventCounters + " event counters, rings " + d.TxQueueEntries + "/" + d.RxQueueEntries
            + ", formats " + d.OfferedFormatsText();

    public static string Plan(DevicePlan p)
        => p.Format + ", " + p.TxQueues + " TX + " + p.RxQueues + " RX queues, rings " + p.TxRingSize + "/" + p.RxRingSize + ", MTU " + p.Mtu + ", "
            + p.RxBufferSize + "-byte RX buffers" + (p.IsQpl ? ", page lists of " + p.TxPagesPerQpl + "/" + p.RxPagesPerQpl + " pages" : "");

    public static string Mtu(DevicePlan plan, DeviceDescription device) => "MTU " + plan.Mtu + " (the device's is " + device.Mtu + ")";

    public static string ResourcesConfigured(DeviceResources resources, NotificationBlocks blocks, QueueFormat format)
        => resources.CounterCount + " event counters, " + blocks.Count + " notification blocks (doorbells " + string.Join(", ", blocks.Doorbells) + "), format " + format;

    public static string PacketTypes(PacketTypes types) => types.Known + " of " + types.Count + " packet types carry IPv4/IPv6/TCP/UDP flags";

    public static string NicClock(NicClock clock) => "NIC clock " + clock.LastRead + " ns; read again every " + (int)DataPlane.NicClock.SyncInterval.TotalMilliseconds + " ms by Service()";

    public static string LinkSpeed(AdminqStatuses status, ulong mbps) => Optional(status, mbps + " Mbit/s");

    public static string StatsReport(AdminqStatuses status, int length, int intervalMs) => Optional(status, length + "-byte report, written every " + intervalMs / 1000 + " s");

    public static string QueueMemory(int regions, long bytes, bool qpl, int txQueues, int rxQueues)
        => regions + " DMA regions, " + bytes + " bytes: rings, queue resources, " + (qpl ? "page lists" : "buffers") + " for " + txQueues + " TX and " + rxQueues + " RX queues";

    public static string PageListRegistered(QueuePageList list, string queue) => list.PageCount + " pages for " + queue;

    public static string TxQueueCreated(DevicePlan plan, TxQueue queue)
        => "ring " + plan.TxRingSize + ", notification block " + queue.Block + PageList(queue.Definition.PageListId);

    public static string RxQueueCreated(DevicePlan plan, RxQueue queue)
        => "ring " + plan.RxRingSize + ", " + plan.RxBufferSize + "-byte buffers, notification block " + queue.Block + PageList(queue.Definition.PageListId);

    private static string PageList(uint id) => id == GvnicConstants.RawAddressingQplId ? ", raw addressing" : ", page list " + id;

    /// <summary>Command <paramref name="index"/> of a batch that failed: its status after a command error, the batch's error otherwise.</summary>
    public static string InFailedBatch(CommandBatch batch, int index, string passed)
    {
        if (batch.Failure is not AdminCommandException) return batch.Failure!.Message;
        return batch.Confirmed(index) ? passed : "failed: " + AdminNames.Describe(batch.Status(index));
    }

    public static string RxBuffersPosted(int buffers, int queues) => buffers + " buffers posted on " + queues + " RX queue" + (queues == 1 ? "" : "s") + ", doorbells rung";

    public static string InterruptsEnabled(int blocks, NicWaitMode mode) => (blocks + 1) + " MSI-X vectors enabled (" + blocks + " notification blocks and management)"
        + (mode == NicWaitMode.Polling ? "; polling: a device fires a block (and writes back what it holds) only through an enabled vector" : "");

    public static string BlocksTurnedUp(NotificationBlocks blocks, NicWaitMode mode)
        => blocks.Count + " unmasked" + blocks.TurnUpNote + (mode == NicWaitMode.Polling ? " (polling: the driver does not wait on their vectors)" : "");

    // ---- teardown ---------------------------------------------------------------------------------------------------

    public static string BlocksMasked(int blocks) => blocks + " notification blocks masked, MSI-X disabled";

    public static string DroppedByReset(int queues, int pageLists)
        => "device_status RESET: " + queues + " queues, " + pageLists + " page lists and the device resources are dropped by the reset, not destroyed one by one";

    public static string GoneWithReset(int queues, int pageLists)
        => "the device reset itself: " + queues + " queues, " + pageLists + " page lists and the device resources are gone with it; nothing is sent to it but the release";

    public static string ControlPlaneFailed(GvnicException failure, int queues, int possible, int pageLists)
        => failure.Message + ": no further command is sent; " + queues + " queues" + (possible > 0 ? " (" + possible + " possibly created)" : "") + ", "
            + pageLists + " page lists and the device resources are taken back by the reset";

    public const string InterruptsOffAfterReset = "MSI-X disabled (the device reset: its notification blocks are gone)";

    public const string QueueDestroyed = "queue destroyed";

    public const string PageListUnregistered = "page list unregistered";

    public const string ResourcesReleased = "event counters and notification blocks released";

    public const string BusMasteringOff = "disabled";

    public static string ReleaseNotConfirmed(TimeSpan timeout, string missing) => "the device did not confirm the release within " + timeout.TotalMilliseconds + " ms (" + missing + ")";

    public static string MemoryKept(int regions, long bytes) => "kept " + regions + " regions (" + bytes + " bytes): the device may still write them";

    public static string MemoryFreed(int regions, long bytes) => regions + " regions (" + bytes + " bytes) freed";
}
