namespace Gvnic.Driver.Lifecycle;

/// <summary>Why a bring-up is torn down, which decides what may still be said to the device.</summary>
internal enum TeardownCause
{
    /// <summary><see cref="Nic.Dispose"/>, a recovery after a fault the device did not report, or the undo of a failed bring-up: everything is undone command by command, as long as the control plane works.</summary>
    Orderly,

    /// <summary>The device asked for a reset (device_status RESET): its queues, page lists and resources are dropped by the reset, not destroyed one by one.</summary>
    DeviceRequestedReset,

    /// <summary>The device reset itself (revision 0: adminq_pfn reads 0; revision ≥ 1: DEVICE_IS_RESET after it had cleared): nothing of it is left to undo or mask.</summary>
    DeviceReset,
}
