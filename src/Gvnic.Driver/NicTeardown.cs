using System;
using Gvnic.Admin;
using Gvnic.Wire;

namespace Gvnic.Driver;

public sealed partial class Nic
{
    /// <summary>
    /// Tears the device down in reverse order: destroy RX then TX queues, unregister page lists,
    /// DECONFIGURE_DEVICE_RESOURCES, release the admin queue, disable bus mastering, and only then free DMA memory.
    /// Each step is reported to <see cref="NicOptions.Progress"/>.
    /// </summary>
    /// <exception cref="NicTeardownException">
    /// A step failed. When the device never confirmed the admin-queue release, the DMA memory is kept
    /// (<see cref="NicTeardownException.MemoryKept"/>): the device may still write it.
    /// </exception>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        TearDown();
    }

    /// <param name="resetFirst">
    /// The device asked for a reset: skip the per-queue and resource commands (the reset drops all of it, and a
    /// device in that state need not answer them) and release the admin queue at once, as upstream's reset path does.
    /// </param>
    private void TearDown(bool resetFirst = false)
    {
        _phase = NicPhase.Teardown;
        _step = null;
        _stepStart = _time.GetTimestamp();
        Exception? failure = null;
        if (_interruptsEnabled)
        {
            Begin("interrupts");
            foreach (int doorbell in _irqDoorbells) Mask(doorbell);
            _pci.Interrupts.Disable();
            _interruptsEnabled = false;
            Done(_irqDoorbells.Length + " notification blocks masked, MSI-X disabled");
        }

        bool released = true;
        if (_admin is AdminQueue admin)
        {
            lock (admin.Gate)
            {
                if (resetFirst)
                {
                    Begin("device-requested reset");
                    int queues = Count(_rxLive) + Count(_txLive);
                    int lists = Count(_qplLive);
                    Array.Clear(_rxLive);
                    Array.Clear(_txLive);
                    Array.Clear(_qplLive);
                    _configured = false;
                    Done("device_status RESET: " + queues + " queues, " + lists + " page lists and the device resources are dropped by the reset, not destroyed one by one");
                }
                Step(ref failure, () => RunUndo(admin, _rxLive, AdminqOpcodes.DestroyRxQueue, i => (uint)i, "queue destroyed",
                    (ref AdminqCommand cmd, int i) => AdminCommands.DestroyRxQueue(ref cmd, (uint)i)));
                Step(ref failure, () => RunUndo(admin, _txLive, AdminqOpcodes.DestroyTxQueue, i => (uint)i, "queue destroyed",
                    (ref AdminqCommand cmd, int i) => AdminCommands.DestroyTxQueue(ref cmd, (uint)i)));
                Step(ref failure, () => RunUndo(admin, _qplLive, AdminqOpcodes.UnregisterPageList, QplId, "page list unregistered",
                    (ref AdminqCommand cmd, int i) => AdminCommands.UnregisterPageList(ref cmd, QplId(i))));
                if (_configured)
                {
                    Step(ref failure, () =>
                    {
                        BeginCommand(AdminqOpcodes.DeconfigureDeviceResources);
                        AdminCommands.DeconfigureDeviceResources(ref admin.Reserve());
                        admin.Flush();
                        Done("event counters and notification blocks released");
                    });
                    _configured = false;
                }
                Begin("reset");
                released = admin.Release();
                if (released)
                    Done(_pci.RevisionId == 0 ? "adminq_pfn written 0 and read back 0: the device let go of the admin queue"
                        : "driver_status RESET written, device_status shows DEVICE_IS_RESET");
                else
                    Fail(new GvnicException("the device did not confirm the release within " + _options.AdminTimeout.TotalMilliseconds + " ms ("
                        + (_pci.RevisionId == 0 ? "adminq_pfn never read back 0)" : "device_status never showed DEVICE_IS_RESET)")));
            }
            _admin = null;
        }

        // The queues are gone with the device's state: a lease still open ends without touching them, and the
        // data path finds no queue (after Dispose, or a failed recovery, it reports the NIC disposed).
        foreach (RxQueue? rx in _rx) rx?.Retire(); // null: bring-up failed while creating the queues
        foreach (TxQueue? tx in _tx) tx?.RetireLending(); // a TxBuffer still lent is refused from now on
        _tx = [];
        _rx = [];
        _txQpls = [];
        _rxQpls = [];
        _txLive = [];
        _rxLive = [];
        _qplLive = [];

        if (_busMaster)
        {
            Begin("bus mastering");
            _pci.DisableBusMaster();
            _busMaster = false;
            Done("disabled");
        }

        if (!released)
        {
            string what = _pci.RevisionId == 0 ? "adminq_pfn never read back 0" : "device_status never showed DEVICE_IS_RESET";
            Report("DMA memory", "kept " + _memory.Count + " regions (" + _memory.Bytes + " bytes): the device may still write them", failed: true);
            throw new NicTeardownException(_pci.Address + ": the device did not confirm the admin-queue release (" + what + " within " + _options.AdminTimeout.TotalMilliseconds + " ms); keeping "
                + _memory.Count + " DMA regions (" + _memory.Bytes + " bytes) it may still write" + (failure is null ? "" : "; earlier: " + failure.Message),
                true, _memory.Count, _memory.Bytes, failure);
        }
        if (_memory.Count > 0)
        {
            Begin("DMA memory");
            int regions = _memory.Count;
            long bytes = _memory.Bytes;
            _memory.FreeAll();
            Done(regions + " regions (" + bytes + " bytes) freed");
        }
        if (failure is not null)
            throw new NicTeardownException(_pci.Address + ": teardown step failed (" + failure.Message + "); the device confirmed the reset, so all DMA memory was freed", false, 0, 0, failure);
    }

    private static int Count(bool[] marks)
    {
        int n = 0;
        foreach (bool m in marks) if (m) n++;
        return n;
    }

    private uint QplId(int index) => index < _txQpls.Length ? _txQpls[index].Id : _rxQpls[index - _txQpls.Length].Id;

    /// <summary>
    /// Undoes the entries marked done (one command each), clearing the marks, a ring's worth per doorbell, and
    /// reports each command as a step (<c>DESTROY_RX_QUEUE 0</c>); stops at an unresponsive device.
    /// </summary>
    private void RunUndo(AdminQueue admin, bool[] done, AdminqOpcodes opcode, Func<int, uint> id, string detail, FillCommand fill)
    {
        string command = AdminNames.Of(opcode);
        var batch = new int[GvnicConstants.AdminqSlots];
        int issued = 0;
        for (int i = 0; i < done.Length; i++)
        {
            if (!done[i]) continue;
            fill(ref admin.Reserve(), i);
            done[i] = false;
            batch[issued++] = i;
            if (issued == batch.Length)
            {
                FlushUndo(admin, command, batch, issued, id, detail);
                issued = 0;
            }
        }
        if (issued > 0) FlushUndo(admin, command, batch, issued, id, detail);
    }

    /// <summary>Flushes the undo commands for the entries in <paramref name="batch"/> and reports each.</summary>
    private void FlushUndo(AdminQueue admin, string command, int[] batch, int count, Func<int, uint> id, string detail)
    {
        Exception? error = null;
        try
        {
            admin.Flush();
        }
        catch (GvnicException e)
        {
            error = e;
        }
        for (int k = 0; k < count; k++)
        {
            string name = command + " " + id(batch[k]);
            if (error is null)
            {
                Report(name, detail, failed: false);
            }
            else if (error is AdminCommandException)
            {
                AdminqStatuses status = admin.BatchStatus(k);
                if (status == AdminqStatuses.CommandPassed) Report(name, detail, failed: false);
                else Report(name, "failed: " + AdminNames.Describe(status), failed: true);
            }
            else
            {
                Report(name, error.Message, failed: true);
            }
        }
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
    }

    private delegate void TeardownStep();

    /// <summary>Runs a step, remembering the first failure; after a timeout or reset the admin queue is not used again.</summary>
    private void Step(ref Exception? failure, TeardownStep step)
    {
        if (failure is DeviceTimeoutException or DeviceResetException) return;
        try
        {
            step();
        }
        catch (GvnicException e)
        {
            Fail(e);
            failure ??= e;
        }
    }
}
