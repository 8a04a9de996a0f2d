using System;
using Gvnic.Admin;
using Gvnic.Wire;

namespace Gvnic.Driver;

public sealed partial class Nic
{
    /// <summary>
    /// Tears the device down in reverse order: destroy RX then TX queues, unregister page lists,
    /// DECONFIGURE_DEVICE_RESOURCES, release the admin queue, disable bus mastering, and only then free DMA memory.
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

    private void TearDown()
    {
        Exception? failure = null;
        if (_interruptsEnabled)
        {
            foreach (int doorbell in _irqDoorbells) Mask(doorbell);
            _pci.Interrupts.Disable();
            _interruptsEnabled = false;
        }

        bool released = true;
        if (_admin is AdminQueue admin)
        {
            lock (admin.Gate)
            {
                Step(ref failure, () => RunUndo(admin, _rxLive, (ref AdminqCommand cmd, int i) => AdminCommands.DestroyRxQueue(ref cmd, (uint)i)));
                Step(ref failure, () => RunUndo(admin, _txLive, (ref AdminqCommand cmd, int i) => AdminCommands.DestroyTxQueue(ref cmd, (uint)i)));
                Step(ref failure, () => RunUndo(admin, _qplLive, (ref AdminqCommand cmd, int i) => AdminCommands.UnregisterPageList(ref cmd, QplId(i))));
                if (_configured)
                {
                    Step(ref failure, () =>
                    {
                        AdminCommands.DeconfigureDeviceResources(ref admin.Reserve());
                        admin.Flush();
                    });
                    _configured = false;
                }
                released = admin.Release();
            }
            _admin = null;
        }

        if (_busMaster)
        {
            _pci.DisableBusMaster();
            _busMaster = false;
        }

        if (!released)
        {
            string what = _pci.RevisionId == 0 ? "adminq_pfn never read back 0" : "device_status never showed DEVICE_IS_RESET";
            throw new NicTeardownException(_pci.Address + ": the device did not confirm the admin-queue release (" + what + " within " + _options.AdminTimeout.TotalMilliseconds + " ms); keeping "
                + _memory.Count + " DMA regions (" + _memory.Bytes + " bytes) it may still write" + (failure is null ? "" : "; earlier: " + failure.Message),
                true, _memory.Count, _memory.Bytes, failure);
        }
        _memory.FreeAll();
        if (failure is not null)
            throw new NicTeardownException(_pci.Address + ": teardown step failed (" + failure.Message + "); the device confirmed the reset, so all DMA memory was freed", false, 0, 0, failure);
    }

    private uint QplId(int index) => index < _txQpls.Length ? _txQpls[index].Id : _rxQpls[index - _txQpls.Length].Id;

    /// <summary>Undoes the entries marked done (one command each), clearing the marks; stops at an unresponsive device.</summary>
    private static void RunUndo(AdminQueue admin, bool[] done, FillCommand fill)
    {
        int issued = 0;
        for (int i = 0; i < done.Length; i++)
        {
            if (!done[i]) continue;
            fill(ref admin.Reserve(), i);
            done[i] = false;
            if (++issued % (int)GvnicConstants.AdminqSlots == 0) admin.Flush();
        }
        admin.Flush();
    }

    private delegate void TeardownStep();

    /// <summary>Runs a step, remembering the first failure; after a timeout or reset the admin queue is not used again.</summary>
    private static void Step(ref Exception? failure, TeardownStep step)
    {
        if (failure is DeviceTimeoutException or DeviceResetException) return;
        try
        {
            step();
        }
        catch (GvnicException e)
        {
            failure ??= e;
        }
    }
}
