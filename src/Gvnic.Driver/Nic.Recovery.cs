using System;
using System.Threading;
using Gvnic.Driver.DataPlane;
using Gvnic.Driver.Lifecycle;
using Gvnic.Wire;

namespace Gvnic.Driver;

public sealed partial class Nic
{
    private bool _resetPending;
    private Exception? _pendingFault;
    private long[]? _txProgress;   // per TX queue: completed + timed out at the watchdog's last look (-1: not looked yet)
    private long[]? _txProgressAt; // and when it last moved
    private long[]? _txRearmedAt;  // and when the watchdog first re-armed its block since then, with nothing shown (NotRearmed: not yet)
    private long[]? _txTimeouts;   // per TX queue: looks past NicOptions.TxTimeout that a recent re-arm saved from a reset (TX_TIMEOUT_CNT)
    private long[]? _rxProgress;   // per RX queue: frames taken (delivered, dropped, faulty) while its head was stuck (-1: not stuck)
    private long[]? _rxStuckSince; // and since when
    private bool _deviceRunSeen;   // revision ≥ 1: DEVICE_IS_RESET was seen clear since this instance came up
    private long _inServiceAt;     // when this instance came up (TimeProvider timestamp)
    private bool _deviceResetItself;

    /// <summary>How many times the device was reset and brought up again (by <see cref="Recover"/> or <see cref="NicOptions.AutoRecover"/>).</summary>
    public int RecoveryCount { get; private set; }

    /// <summary>
    /// TX frames posted to the device and never reported sent when it was reset, over every recovery since
    /// <see cref="Open"/> (each recovery's share is in <see cref="NicResetReport.TxDropped"/>).
    /// </summary>
    public long TxDroppedOnReset { get; private set; }

    /// <summary>
    /// RX frames the device had handed over and the driver had not taken when it was reset, over every recovery since
    /// <see cref="Open"/> (each recovery's share is in <see cref="NicResetReport.RxDropped"/>).
    /// </summary>
    public long RxDroppedOnReset { get; private set; }

    /// <summary>The device fault that caused the last automatic reset, or null when none happened.</summary>
    public Exception? LastFault { get; private set; }

    /// <summary>Whether a reset is waiting for an <see cref="RxLease"/> to be disposed (see <see cref="NicOptions.AutoRecover"/>).</summary>
    public bool ResetPending => _resetPending;

    /// <summary>
    /// Resets the device and brings it up again with the same options, keeping this object: call it when
    /// <see cref="ResetRequested"/> turns true (the device asks for a reset), or after a <see cref="DeviceFaultException"/>
    /// when <see cref="NicOptions.AutoRecover"/> is off. With <see cref="NicOptions.AutoRecover"/> on (the default) the
    /// data path does this by itself. No traffic may run on any queue meanwhile.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Teardown runs as in <see cref="Dispose"/>, except that when the device asked for the reset the per-queue and
    /// resource commands are skipped and the admin queue is released at once (the reset drops them, as upstream's
    /// reset path assumes). Memory follows the same rule: freed only after the device confirms the release, kept
    /// otherwise. Then the bring-up of <see cref="Open"/> runs again. Both are reported to
    /// <see cref="NicOptions.Progress"/>, and what the reset cost to <see cref="NicOptions.OnReset"/>.
    /// </para>
    /// <para>
    /// Afterwards the NIC has the same MAC address, queue counts, format, ring sizes and MTU (the device describes
    /// itself again; its answers are what count). TX frames in flight are dropped and counted
    /// (<see cref="TxDroppedOnReset"/>), and so are RX frames the device had handed over and the driver had not taken
    /// (<see cref="RxDroppedOnReset"/>); frames the device had not yet handed over are lost with it. The queue counters
    /// (<see cref="GetTxStatistics"/>, <see cref="GetRxStatistics"/>) restart from zero with the new queues (the old
    /// ones are in <see cref="NicResetReport"/>); <see cref="RecoveryCount"/> counts recoveries. The old bring-up (its
    /// queues, memory and journal) is disposed as a whole and a new one built: nothing of it is reused.
    /// </para>
    /// <para>
    /// If recovery fails the NIC is left disposed: after a teardown failure (<see cref="NicTeardownException"/>;
    /// with <see cref="NicTeardownException.MemoryKept"/> when the device never confirmed the release, and the memory
    /// is then never freed), or after a bring-up failure (the exception <see cref="Open"/> would throw; what was
    /// brought up is undone first). Data-path calls then throw <see cref="ObjectDisposedException"/>; the properties that
    /// describe the device (<see cref="Device"/>, <see cref="Mtu"/>, <see cref="LinkSpeedMbps"/>, …) keep what the last
    /// working bring-up found.
    /// </para>
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The NIC was disposed (or an earlier recovery failed).</exception>
    /// <exception cref="InvalidOperationException">An <see cref="RxLease"/> is still open, or a data-path call is running on another thread.</exception>
    /// <exception cref="NicTeardownException">The device did not let go of its resources.</exception>
    public void Recover()
    {
        ObjectDisposedException.ThrowIf(_instance is null, this);
        foreach (RxQueue rx in _rx)
            if (rx.Leased) ThrowLeased(rx);
        for (int q = 0; q < _txOwners.Length; q++)
            if (Volatile.Read(ref _txOwners[q]) != 0) throw InUse("TX queue " + q);
        for (int q = 0; q < _rxOwners.Length; q++)
            if (Volatile.Read(ref _rxOwners[q]) != 0) throw InUse("RX queue " + q);
        Reset(_pendingFault, _pendingFault is null && !ResetRequested ? "Recover called" : null);
    }

    /// <summary>
    /// The periodic check (upstream's service task and TX watchdog): reads device_status (a reset the device asks for,
    /// or one it did by itself: revision 0 adminq_pfn reads 0, revision ≥ 1 DEVICE_IS_RESET is set after it had cleared
    /// or has not cleared <see cref="NicOptions.AdminTimeout"/> after the bring-up),
    /// looks over every completion ring for entries the device wrote out of order or behind a head that never became
    /// valid (the data path only looks one entry ahead of the head), finds TX queues whose frames have not completed for
    /// <see cref="NicOptions.TxTimeout"/> and RX queues whose head has held a written but undeliverable entry for
    /// <see cref="NicOptions.RxTimeout"/>. When the device asks for a reset or reset itself, a reset is pending, or the
    /// rings cannot be trusted, and <see cref="NicOptions.AutoRecover"/> is on, resets and brings the device up again.
    /// Call it now and then, and when traffic stops; a timed-out <see cref="WaitForReceive"/> calls it, and
    /// <see cref="ReclaimTransmitted"/> does when device_status asks for a reset.
    /// </summary>
    /// <returns>Whether the device was reset by this call.</returns>
    /// <exception cref="DeviceFaultException">A ring cannot be trusted (only without <see cref="NicOptions.AutoRecover"/>).</exception>
    public bool Service() => ServiceHolding(heldRx: -1);

    /// <summary><see cref="Service()"/>, from a call that holds RX queue <paramref name="heldRx"/> (audited as well), or -1.</summary>
    private bool ServiceHolding(int heldRx)
    {
        ObjectDisposedException.ThrowIf(_instance is null, this);
        DeviceStatusFlags status = _bar0.ReadDeviceStatus();
        if (DeviceResetItself(status))
        {
            _deviceResetItself = true;
            _pendingFault ??= new DeviceResetException("the device reset itself (" + (_pci.RevisionId == 0 ? "adminq_pfn reads 0" : "device_status shows DEVICE_IS_RESET") + ")");
            LastFault = _pendingFault;
        }
        else if (!_resetPending && (status & DeviceStatusFlags.Reset) == 0)
        {
            try
            {
                // A queue another thread is using is left for the next look: its ring moves under the audit.
                for (int q = 0; q < _rx.Length; q++)
                {
                    if (q == heldRx)
                    {
                        _rx[q].Audit();
                        continue;
                    }
                    if (Interlocked.CompareExchange(ref _rxOwners[q], 1, 0) != 0) continue;
                    try
                    {
                        _rx[q].Audit();
                    }
                    finally
                    {
                        Volatile.Write(ref _rxOwners[q], 0);
                    }
                }
                for (int q = 0; q < _tx.Length; q++)
                {
                    if (Interlocked.CompareExchange(ref _txOwners[q], 1, 0) != 0) continue;
                    try
                    {
                        _tx[q].Audit();
                    }
                    finally
                    {
                        Volatile.Write(ref _txOwners[q], 0);
                    }
                }
                CheckTxWatchdog();
                WriteStatsReport();
                if (heldRx < 0) RefreshNicClockIfDue(status); // Service itself, not the look a data-path wait takes: an admin command is no part of the data path
                CheckRxWatchdog();
                if (ControlPlaneFailure() is not GvnicException failed) return false;
                // A command (a periodic clock or stats read, a steering call) found the admin queue dead: no command may
                // be sent to it again, so the instance can be configured no further until a reset gives it a new one.
                _pendingFault = failed;
                LastFault = failed;
            }
            catch (DeviceFaultException e) when (_options.AutoRecover)
            {
                _pendingFault = e;
                LastFault = e;
            }
        }
        if (!_options.AutoRecover) return false;
        _resetPending = true;
        return RecoverPending();
    }

    /// <summary>The running instance's control-plane failure (no answer in time, a reset, a nonsense event counter), or null.</summary>
    private GvnicException? ControlPlaneFailure() => _instance?.Journal.ControlPlane?.Failure;

    /// <summary>
    /// Whether the device has reset itself under the running instance: revision 0, adminq_pfn reads 0 (the driver never
    /// writes that while running); revision ≥ 1, DEVICE_IS_RESET is set after this instance saw it clear, or is still set
    /// <see cref="NicOptions.AdminTimeout"/> after the instance came up. A device may clear the bit a little after RUN,
    /// so a bit still set from the bring-up's own reset does not count at once; but a device that resets itself again
    /// before the driver ever looked shows nothing else, and a bit that never clears is that.
    /// </summary>
    private bool DeviceResetItself(DeviceStatusFlags status)
    {
        if (_deviceResetItself) return true;
        if (_pci.RevisionId == 0) return _bar0.ReadAdminqPfn() == 0;
        if ((status & DeviceStatusFlags.DeviceIsReset) == 0)
        {
            _deviceRunSeen = true;
            return false;
        }
        return _deviceRunSeen || _time.GetElapsedTime(_inServiceAt) > _options.AdminTimeout;
    }

    /// <summary>
    /// The TX watchdog: a queue with frames in flight whose completions have not moved (nothing reclaimed, nothing
    /// timed out, nothing new written) since <see cref="NicOptions.TxTimeout"/> ago, as seen by successive
    /// <see cref="Service"/> calls, is stuck: a device that silently stopped completing, or wrote completions the
    /// driver cannot see. A <see cref="DeviceFaultException"/> naming the queue and the frames in flight.
    /// </summary>
    /// <remarks>
    /// A DQO device holds the last few completions in its internal line until the queue's notification block fires, and
    /// a block that fired stays masked until re-armed (docs/simulator.md, "Real-device behaviours"): an idle queue whose
    /// last frames completed after its last re-arm shows nothing although nothing is stuck. So every look that finds
    /// frames in flight and no completion written re-arms the queue's block (and looks again), and a queue is called
    /// stuck only once a re-arm made at least <see cref="RearmGrace"/> (the longest throttling interval a DQO block can
    /// hold its interrupt for) before has still shown nothing. GQI devices write completions at once: no re-arm, no grace.
    /// </remarks>
    private void CheckTxWatchdog()
    {
        if (_options.TxTimeout == System.Threading.Timeout.InfiniteTimeSpan) return;
        long now = _time.GetTimestamp();
        if (_txProgress is null || _txProgress.Length != _tx.Length)
        {
            _txProgress = new long[_tx.Length];
            _txProgressAt = new long[_tx.Length];
            _txRearmedAt = new long[_tx.Length];
            _txTimeouts = new long[_tx.Length];
            for (int q = 0; q < _tx.Length; q++) _txProgress[q] = -1; // the first look only starts the clock
        }
        for (int q = 0; q < _tx.Length; q++)
        {
            TxQueue tx = _tx[q];
            TxQueueStatistics s = tx.Statistics;
            long progress = s.Completed + s.TimedOut;
            int inFlight = tx.InFlight;
            bool written = tx.HasCompletions;
            bool rearmed = false;
            if (inFlight > 0 && !written && _blocks!.RearmForPoll(tx.Block))
            {
                rearmed = true;
                written = tx.HasCompletions; // a block with a fire pending writes its line at the re-arm
            }
            if (inFlight == 0 || progress != _txProgress[q] || written)
            {
                _txProgress[q] = progress;
                _txProgressAt![q] = now;
                _txRearmedAt![q] = rearmed && !written ? now : NotRearmed;
                continue;
            }
            if (rearmed && _txRearmedAt![q] == NotRearmed) _txRearmedAt[q] = now; // the first re-arm of this stall
            TimeSpan stalled = _time.GetElapsedTime(_txProgressAt![q], now);
            if (stalled < _options.TxTimeout) continue;
            // A DQO queue is stuck only if a re-arm long enough ago has not made the device write what it held.
            if (rearmed && _time.GetElapsedTime(_txRearmedAt![q], now) < RearmGrace)
            {
                _txTimeouts![q]++; // upstream's tx_timeout that kicks the queue rather than resetting
                continue;
            }
            throw new DeviceFaultException(tx.Name, "completions", -1, (ulong)inFlight, inFlight + " frames in flight and none completed for "
                + (long)stalled.TotalMilliseconds + " ms (NicOptions.TxTimeout " + (long)_options.TxTimeout.TotalMilliseconds + " ms"
                + (rearmed ? ", its notification block re-armed " + (long)_time.GetElapsedTime(_txRearmedAt![q], now).TotalMilliseconds + " ms ago" : "")
                + "): the queue is stuck");
        }
    }

    /// <summary>
    /// Rewrites the driver's part of the stats report (<see cref="StatsReportWriter"/>) when the interval REPORT_STATS
    /// gave the device has passed since the last write, or when device_status asks for it (REPORT_STATS, as upstream's
    /// service task answers it).
    /// </summary>
    private void WriteStatsReport()
    {
        if (_instance?.Stats is not StatsReportWriter stats) return;
        long now = _time.GetTimestamp();
        if (stats.IsDue(_time, now) || (_bar0.ReadDeviceStatus() & DeviceStatusFlags.ReportStats) != 0)
            stats.Write(_tx, _rx, _txTimeouts, now);
    }

    /// <summary>No re-arm in the current stall (a <c>_txRearmedAt</c> entry).</summary>
    private const long NotRearmed = long.MinValue;

    /// <summary>How long the TX watchdog waits after re-arming a DQO block before it trusts that the device holds nothing: the longest interrupt throttling interval.</summary>
    internal static readonly TimeSpan RearmGrace = TimeSpan.FromMicroseconds(GvnicConstants.MaxItrIntervalDqo);

    /// <summary>
    /// Whether the device shows a reset now (revision 0: adminq_pfn reads 0; revision ≥ 1: DEVICE_IS_RESET): read before a
    /// teardown, which then sends nothing but the release. A bit still set from the bring-up's own reset counts too: going
    /// straight to the release is safe either way (it resets the device whatever it holds).
    /// </summary>
    private bool DeviceShowsReset()
        => _pci.RevisionId == 0 ? _bar0.ReadAdminqPfn() == 0 : (_bar0.ReadDeviceStatus() & DeviceStatusFlags.DeviceIsReset) != 0;

    /// <summary>
    /// The RX watchdog: an RX queue whose head holds an entry the device wrote but that never becomes a frame the driver
    /// can take (a GQI descriptor written with a not-yet-written sequence number, a frame whose last entry never comes),
    /// unchanged for <see cref="NicOptions.RxTimeout"/> across successive <see cref="Service"/> calls, is stuck: a
    /// <see cref="DeviceFaultException"/> naming the queue and the head, and a reset. (Written entries behind such a head
    /// are found at once, by the data path's look-ahead and the audit.)
    /// </summary>
    private void CheckRxWatchdog()
    {
        if (_options.RxTimeout == System.Threading.Timeout.InfiniteTimeSpan) return;
        long now = _time.GetTimestamp();
        if (_rxProgress is null || _rxProgress.Length != _rx.Length)
        {
            _rxProgress = new long[_rx.Length];
            _rxStuckSince = new long[_rx.Length];
            Array.Fill(_rxProgress, -1);
        }
        for (int q = 0; q < _rx.Length; q++)
        {
            RxQueue rx = _rx[q];
            RxQueueStatistics s = rx.Statistics;
            long taken = s.Packets + s.Dropped + s.DeviceFaults;
            if (rx.Leased || !rx.HeadStuck(out int slot))
            {
                _rxProgress[q] = -1;
                continue;
            }
            if (_rxProgress[q] != taken)
            {
                _rxProgress[q] = taken;
                _rxStuckSince![q] = now;
                continue;
            }
            TimeSpan stuck = _time.GetElapsedTime(_rxStuckSince![q], now);
            if (stuck >= _options.RxTimeout)
                throw new DeviceFaultException(rx.Name, "head", slot, (ulong)taken, "the entry at the head was written but has not become a frame for "
                    + (long)stuck.TotalMilliseconds + " ms (NicOptions.RxTimeout " + (long)_options.RxTimeout.TotalMilliseconds + " ms): the queue is stuck");
        }
    }

    /// <summary>A data-path call found a fault the device cannot be trusted after: reset now, or once no lease is open.</summary>
    private void AutoRecover(DeviceFaultException fault)
    {
        _resetPending = true;
        _pendingFault = fault;
        RecoverPending();
    }

    /// <summary>Runs the pending reset unless a lease is open; true when the device is up again.</summary>
    private bool RecoverPending()
    {
        foreach (RxQueue rx in _rx)
            if (rx.Leased) return false;
        Reset(_pendingFault, null);
        return true;
    }

    private void Reset(Exception? fault, string? reason)
    {
        _txProgress = null; // new queues: the watchdogs start again
        _txTimeouts = null;
        _rxProgress = null;
        bool requested = ResetRequested;
        bool resetItself = _deviceResetItself || DeviceShowsReset();
        _deviceResetItself = false;
        reason ??= fault?.Message ?? (requested ? "device_status RESET" : "reset pending");
        var txStats = new TxQueueStatistics[_tx.Length];
        var rxStats = new RxQueueStatistics[_rx.Length];
        long dropped = 0;
        for (int i = 0; i < _tx.Length; i++)
        {
            txStats[i] = _tx[i].Statistics;
            dropped += _tx[i].InFlight;
        }
        long rxDropped = 0;
        for (int i = 0; i < _rx.Length; i++)
        {
            rxStats[i] = _rx[i].Statistics;
            rxDropped += _rx[i].CountUntaken();
        }
        TxDroppedOnReset += dropped;
        RxDroppedOnReset += rxDropped;
        if (fault is not null) LastFault = fault;
        _resetPending = false;
        _pendingFault = null;

        // The old instance goes whole: out of service (nothing may use its queues), torn down, and a new one built. A
        // teardown that failed but ended with the device confirming the reset (all memory freed) does not stop the new
        // bring-up: the reset is what recovery wanted. Memory kept, or a failed bring-up, leaves the NIC disposed.
        NicInstance old = TakeOutOfService() ?? throw new ObjectDisposedException(nameof(Nic));
        try
        {
            TearDown(old.Journal, resetItself ? TeardownCause.DeviceReset : requested ? TeardownCause.DeviceRequestedReset : TeardownCause.Orderly);
        }
        catch (NicTeardownException e) when (!e.MemoryKept)
        {
            // Reported as a failed teardown step already; the device is reset and holds nothing of the old instance.
        }
        PutInService(BringUp());
        RestoreSteering();
        RecoveryCount++;
        _options.OnReset?.Invoke(new NicResetReport(RecoveryCount, reason, fault, requested, dropped, txStats, rxStats) { RxDropped = rxDropped });
    }
}
