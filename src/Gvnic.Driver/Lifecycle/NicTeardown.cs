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
/// A failing step does not stop teardown: the first failure is kept and thrown at the end. Once the control plane has
/// failed (no answer in time, a reset, a nonsense event counter; during bring-up or during this teardown) no further
/// command is sent: what the device holds, confirmed or possible, is taken back by the release, which is the reset.
/// When the device never confirms the release, its memory is kept (the device may still write it) and
/// <see cref="NicTeardownException.MemoryKept"/> says so.
/// </remarks>
internal sealed class NicTeardown(IPciFunction pci, TimeSpan commandTimeout, ProgressReporter progress)
{
    /// <param name="journal">What the bring-up did.</param>
    /// <param name="cause">
    /// Why: after a device-requested reset or a reset of the device's own, the device state (queues, page lists,
    /// resources) is dropped by the reset instead of undone command by command (a device in that state need not answer
    /// them), and the control plane is released at once, as upstream's reset path does; after a reset of its own the
    /// notification blocks are not written either (they are gone with it).
    /// </param>
    /// <exception cref="NicTeardownException">A step failed, or the device never confirmed the release.</exception>
    public void Run(BringUpJournal journal, TeardownCause cause)
    {
        progress.Begin(NicPhase.Teardown);
        Exception? failure = null;
        bool released = true;
        bool silenced = false;
        IControlPlane? control = journal.ControlPlane;
        IReadOnlyList<JournalEntry> entries = journal.Entries;
        for (int i = entries.Count - 1; i >= 0; i--)
        {
            JournalEntry entry = entries[i];
            // Checked at every entry: a control plane that fails during this teardown is not used again either.
            if (!silenced && (entry.IsDeviceState || entry.Action == JournalAction.ControlPlane) && (cause != TeardownCause.Orderly || control?.Failure is not null))
            {
                ReportSilence(journal, cause, control!);
                silenced = true;
            }
            switch (entry.Action)
            {
                case JournalAction.Interrupts:
                    NotificationBlocks blocks = journal.InterruptBlocks!;
                    bool gone = cause == TeardownCause.DeviceReset || control?.Failure is DeviceResetException;
                    progress.Step("interrupts", () =>
                    {
                        if (!gone) blocks.MaskAll();
                        pci.Interrupts.Disable();
                    }, () => gone ? StepDetails.InterruptsOffAfterReset : StepDetails.BlocksMasked(blocks.Count));
                    break;
                case JournalAction.RxQueue or JournalAction.TxQueue or JournalAction.PageList:
                    int first = i;
                    while (first > 0 && entries[first - 1].Action == entry.Action) first--;
                    var ids = new uint[i - first + 1];
                    for (int k = 0; k < ids.Length; k++) ids[k] = entries[first + k].Id;
                    i = first;
                    if (!silenced) Attempt(ref failure, () => Undo(control!, entry.Action, ids));
                    break;
                case JournalAction.DeviceResources:
                    if (!silenced)
                        Attempt(ref failure, () => progress.Step(AdminNames.Of(AdminqOpcodes.DeconfigureDeviceResources), control!.DeconfigureDeviceResources,
                            () => StepDetails.ResourcesReleased));
                    break;
                case JournalAction.ControlPlane:
                    IControlPlane plane = control!;
                    released = progress.Step("reset", plane.Release,
                        ok => ok ? plane.ReleaseConfirmed : StepDetails.ReleaseNotConfirmed(commandTimeout, plane.ReleaseMissing), failed: ok => !ok);
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
            throw new NicTeardownException(pci.Address + ": the device did not confirm the admin-queue release (" + control!.ReleaseMissing + " within "
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

    /// <summary>Reports, once, why the device state is left to the release instead of undone command by command.</summary>
    private void ReportSilence(BringUpJournal journal, TeardownCause cause, IControlPlane control)
    {
        int queues = journal.Count(JournalAction.RxQueue) + journal.Count(JournalAction.TxQueue);
        int possible = journal.CountPossible(JournalAction.RxQueue) + journal.CountPossible(JournalAction.TxQueue);
        int lists = journal.Count(JournalAction.PageList);
        if (control.Failure is GvnicException failed)
            progress.Report("control plane failed", StepDetails.ControlPlaneFailed(failed, queues, possible, lists), failed: false);
        else if (cause == TeardownCause.DeviceReset)
            progress.Report("device reset", StepDetails.GoneWithReset(queues, lists), failed: false);
        else
            progress.Report("device-requested reset", StepDetails.DroppedByReset(queues, lists), failed: false);
    }

    /// <summary>Runs an undo step, remembering the first failure.</summary>
    private static void Attempt(ref Exception? failure, Action undo)
    {
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
