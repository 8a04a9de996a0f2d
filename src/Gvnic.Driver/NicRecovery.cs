using System;

namespace Gvnic.Driver;

public sealed partial class Nic
{
    /// <summary>How many times <see cref="Recover"/> brought the device up again.</summary>
    public int RecoveryCount { get; private set; }

    /// <summary>
    /// Resets the device and brings it up again with the same options, keeping this object: call it when
    /// <see cref="ResetRequested"/> turns true (the device asks for a reset; it may also be used after a
    /// <see cref="DeviceFaultException"/>). The driver never recovers by itself: the caller chooses the moment,
    /// with no traffic running on any queue.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Teardown runs as in <see cref="Dispose"/>, except that when the device asked for the reset the per-queue and
    /// resource commands are skipped and the admin queue is released at once (the reset drops them, as upstream's
    /// reset path assumes). Memory follows the same rule: freed only after the device confirms the release, kept
    /// otherwise. Then the bring-up of <see cref="Open"/> runs again. Both are reported to
    /// <see cref="NicOptions.Progress"/>.
    /// </para>
    /// <para>
    /// Afterwards the NIC has the same MAC address, queue counts, format, ring sizes and MTU (the device describes
    /// itself again; its answers are what count). Frames in flight or not yet received are lost. The queue
    /// counters (<see cref="GetTxStatistics"/>, <see cref="GetRxStatistics"/>) restart from zero with the new
    /// queues; <see cref="RecoveryCount"/> counts recoveries.
    /// </para>
    /// <para>
    /// If recovery fails the NIC is left disposed: after a teardown failure (<see cref="NicTeardownException"/>;
    /// with <see cref="NicTeardownException.MemoryKept"/> when the device never confirmed the release, and the memory
    /// is then never freed), or after a bring-up failure (the exception <see cref="Open"/> would throw; what was
    /// brought up is undone first). Data-path calls then throw <see cref="ObjectDisposedException"/>.
    /// </para>
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The NIC was disposed (or an earlier recovery failed).</exception>
    /// <exception cref="InvalidOperationException">An <see cref="RxLease"/> is still open.</exception>
    /// <exception cref="NicTeardownException">The device did not let go of its resources.</exception>
    public void Recover()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (RxQueue rx in _rx)
            if (rx.Leased) ThrowLeased(rx);

        bool requested = ResetRequested;
        _disposed = true; // until the device is up again, nothing may use the queues
        TearDown(resetFirst: requested);

        _phase = NicPhase.BringUp;
        _step = null;
        _stepStart = _time.GetTimestamp();
        LinkSpeedMbps = 0;
        try
        {
            BringUp();
        }
        catch (Exception e)
        {
            Fail(e);
            try { TearDown(); }
            catch (NicTeardownException) { /* the bring-up error is the one to report; memory the device may hold stays kept */ }
            throw;
        }
        _disposed = false;
        RecoveryCount++;
    }
}
