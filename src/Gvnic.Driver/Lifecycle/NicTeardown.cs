using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using Gvnic.Admin;
using Gvnic.Driver.ControlPlane;
using Gvnic.Driver.DataPlane;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// Undoes a <see cref="BringUpJournal"/> in reverse: MSI-X off and the notification blocks masked, the RX and TX queues
/// destroyed and the page lists unregistered (each group in the order it was created, one batch per doorbell, as
/// upstream), the device resources deconfigured, the control plane released, bus mastering off; then, and only once
/// the device confirmed the release, every DMA region freed. Each step is reported as a teardown step.
/// </summary>
/// <remarks>
/// A failing step does not stop teardown: the first failure is kept and thrown at the end. After a timeout or a reset
/// no further command is sent (the release still is). When the device never confirms the release, its memory is kept
/// (the device may still write it) and <see cref="NicTeardownException.MemoryKept"/> says so.
/// </remarks>
internal sealed class NicTeardown(IPciFunction pci, TimeSpan commandTimeout, ProgressReporter progress)
{
    /// <param name="journal">What the bring-up did.</param>
    /// <param name="deviceRequestedReset">
    /// The device asked for a reset: the device state (queues, page lists, resources) is dropped by the reset instead of
    /// undone command by command (a device in that state need not answer them), and the control plane is released at
    /// once, as upstream's reset path does.
    /// </param>
    /// <exception cref="NicTeardownException">A step failed, or the device never confirmed the release.</exception>
    public void Run(BringUpJournal journal, bool deviceRequestedReset)
    {
        progress.Begin(NicPhase.Teardown);
        Exception? failure = null;
        bool released = true;
        bool droppedByReset = false;
        IReadOnlyList<JournalEntry> entries = journal.Entries;
        for (int i = entries.Count - 1; i >= 0; i--)
        {
            JournalEntry entry = entries[i];
            if (deviceRequestedReset && !droppedByReset && (entry.IsDeviceState || entry.Action == JournalAction.ControlPlane))
            {
                int queues = journal.Count(JournalAction.RxQueue) + journal.Count(JournalAction.TxQueue);
                progress.Report("device-requested reset", StepDetails.DroppedByReset(queues, journal.Count(JournalAction.PageList)), failed: false);
                droppedByReset = true;
            }
            switch (entry.Action)
            {
                case JournalAction.Interrupts:
                    NotificationBlocks blocks = journal.InterruptBlocks!;
                    progress.Step("interrupts", () =>
                    {
                        blocks.MaskAll();
                        pci.Interrupts.Disable();
                    }, () => StepDetails.BlocksMasked(blocks.Count));
                    break;
                case JournalAction.RxQueue or JournalAction.TxQueue or JournalAction.PageList:
                    int first = i;
                    while (first > 0 && entries[first - 1].Action == entry.Action) first--;
                    var ids = new uint[i - first + 1];
                    for (int k = 0; k < ids.Length; k++) ids[k] = entries[first + k].Id;
                    i = first;
                    if (!droppedByReset) Attempt(ref failure, () => Undo(journal.ControlPlane!, entry.Action, ids));
                    break;
                case JournalAction.DeviceResources:
                    if (!droppedByReset)
                        Attempt(ref failure, () => progress.Step(AdminNames.Of(AdminqOpcodes.DeconfigureDeviceResources), journal.ControlPlane!.DeconfigureDeviceResources,
                            () => StepDetails.ResourcesReleased));
                    break;
                case JournalAction.ControlPlane:
                    IControlPlane control = journal.ControlPlane!;
                    released = progress.Step("reset", control.Release,
                        ok => ok ? control.ReleaseConfirmed : StepDetails.ReleaseNotConfirmed(commandTimeout, control.ReleaseMissing), failed: ok => !ok);
                    break;
                case JournalAction.BusMaster:
                    progress.Step("bus mastering", pci.DisableBusMaster, () => StepDetails.BusMasteringOff);
                    break;
                default:
                    break; // accepted parameters and the stats report: the release takes them back
            }
        }

        DmaMemory memory = journal.Memory;
        if (!released)
        {
            progress.Report("DMA memory", StepDetails.MemoryKept(memory.Count, memory.Bytes), failed: true);
            throw new NicTeardownException(pci.Address + ": the device did not confirm the admin-queue release (" + journal.ControlPlane!.ReleaseMissing + " within "
                + commandTimeout.TotalMilliseconds + " ms); keeping " + memory.Count + " DMA regions (" + memory.Bytes + " bytes) it may still write"
                + (failure is null ? "" : "; earlier: " + failure.Message), true, memory.Count, memory.Bytes, failure);
        }
        if (memory.Count > 0)
        {
            int regions = memory.Count;
            long bytes = memory.Bytes;
            progress.Step("DMA memory", memory.FreeAll, () => StepDetails.MemoryFreed(regions, bytes));
        }
        if (failure is not null)
            throw new NicTeardownException(pci.Address + ": teardown step failed (" + failure.Message + "); the device confirmed the reset, so all DMA memory was freed", false, 0, 0, failure);
    }

    /// <summary>Runs an undo step, remembering the first failure; after a timeout or a reset the control plane is not used again.</summary>
    private static void Attempt(ref Exception? failure, Action undo)
    {
        if (failure is DeviceTimeoutException or DeviceResetException) return;
        try
        {
            undo();
        }
        catch (GvnicException e)
        {
            failure ??= e;
        }
    }

    private delegate CommandBatch SendIds(ReadOnlySpan<uint> ids);

    /// <summary>
    /// Undoes one group of per-queue entries (<paramref name="ids"/>, in the order they were created), a control-plane batch
    /// at a time, and reports each command as a step (<c>DESTROY_RX_QUEUE 0</c>); a batch that failed ends the group with its error.
    /// </summary>
    private void Undo(IControlPlane control, JournalAction action, uint[] ids)
    {
        (AdminqOpcodes opcode, SendIds send, string detail) = action switch
        {
            JournalAction.RxQueue => (AdminqOpcodes.DestroyRxQueue, (SendIds)control.DestroyRxQueues, StepDetails.QueueDestroyed),
            JournalAction.TxQueue => (AdminqOpcodes.DestroyTxQueue, (SendIds)control.DestroyTxQueues, StepDetails.QueueDestroyed),
            _ => (AdminqOpcodes.UnregisterPageList, (SendIds)control.UnregisterPageLists, StepDetails.PageListUnregistered),
        };
        string command = AdminNames.Of(opcode);
        for (int start = 0; start < ids.Length; start += control.MaxBatch)
        {
            int count = Math.Min(ids.Length - start, control.MaxBatch);
            CommandBatch batch = send(ids.AsSpan(start, count));
            for (int k = 0; k < count; k++)
                progress.Report(command + " " + ids[start + k], batch.Failure is null ? detail : StepDetails.InFailedBatch(batch, k, detail), failed: !batch.Confirmed(k));
            if (batch.Failure is GvnicException error) ExceptionDispatchInfo.Throw(error);
        }
    }
}
