using System;
using System.Threading;
using Gvnic.Admin;
using Gvnic.Driver.DataPlane;
using Gvnic.Platform;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver.ControlPlane;

/// <summary>
/// The admin queue: one page of 64 command slots. Commands are written into slot <c>produced &amp; 63</c>
/// (a free-running 32-bit count); <see cref="Flush"/> rings the doorbell with the count and waits, bounded,
/// until adminq_event_counter reaches it, then checks every completed command's status.
/// </summary>
/// <remarks>
/// Several commands may be reserved before one flush (queue creation does this). The producer never gets a
/// full ring ahead of the event counter: reserving the 65th unflushed command flushes first.
/// One command batch at a time: callers hold <see cref="Gate"/>.
/// <para>
/// A wait that fails (no answer in time, the device reset, an event counter outside the commands posted) fails the
/// queue for good (<see cref="Failure"/>): the device may or may not have run what was posted, and nothing more is sent.
/// DEVICE_IS_RESET is not polled while a command runs (a revision-1 device may clear it a little after RUN); it is read
/// only to explain a wait that failed, as upstream reads it only when waiting for the release.
/// </para>
/// </remarks>
internal sealed class AdminQueue
{
    private static readonly TimeSpan SleepStep = TimeSpan.FromMilliseconds(1);

    private readonly Bar0Registers _bar0;
    private readonly DmaRegion _page;
    private readonly byte _revision;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private uint _produced;
    private uint _completed;
    private readonly AdminqStatuses[] _batch = new AdminqStatuses[GvnicConstants.AdminqSlots];
    private int _batchCount;
    private readonly AdminCounters _counters;

    public AdminQueue(IPciFunction pci, DmaMemory memory, TimeSpan timeout, TimeProvider time, AdminCounters counters)
    {
        _counters = counters;
        _bar0 = new Bar0Registers(pci.Bar0);
        _revision = pci.RevisionId;
        _timeout = timeout;
        _time = time;
        _page = memory.Allocate((int)GvnicConstants.AdminqBufferSize);
    }

    /// <summary>Serialises command batches.</summary>
    public object Gate { get; } = new();

    /// <summary>Commands issued so far (the doorbell value).</summary>
    public uint Produced => _produced;

    /// <summary>
    /// Why the queue failed for good (a <see cref="DeviceTimeoutException"/>, <see cref="DeviceResetException"/> or a
    /// <see cref="DeviceFaultException"/> about the event counter), or null while it works. Once set, no command is sent.
    /// </summary>
    public GvnicException? Failure { get; private set; }

    /// <summary>The counters this queue adds to.</summary>
    public AdminCounters Counters => _counters;

    /// <summary>Hands the admin-queue page to the device.</summary>
    public void Start()
    {
        if (_revision == 0)
        {
            _bar0.WriteAdminqPfn(checked((uint)(_page.DeviceAddress / GvnicConstants.AdminqPageSize)));
        }
        else
        {
            _bar0.WriteAdminqLength((ushort)GvnicConstants.AdminqBufferSize);
            _bar0.WriteAdminqBaseAddressHi((uint)(_page.DeviceAddress >> 32));
            _bar0.WriteAdminqBaseAddressLo((uint)_page.DeviceAddress);
            _bar0.WriteDriverStatus(DriverStatusFlags.Run);
        }
        _produced = _bar0.ReadAdminqEventCounter();
        _completed = _produced;
    }

    /// <summary>Where the queue is and how the device was told: for the bring-up report.</summary>
    public string Describe()
        => GvnicConstants.AdminqSlots + " slots at 0x" + _page.DeviceAddress.ToString("x") + ", revision " + _revision + ": "
            + (_revision == 0 ? "adminq_pfn 0x" + (_page.DeviceAddress / GvnicConstants.AdminqPageSize).ToString("x") : "base address and length written, driver_status RUN")
            + ", event counter " + _completed;

    /// <summary>The next free command slot, cleared; flushes first when a whole ring is outstanding.</summary>
    public ref AdminqCommand Reserve()
    {
        if (Failure is not null) ThrowFailed();
        if (Ring.InUse(_produced, _completed) >= GvnicConstants.AdminqSlots) Flush();
        int slot = Ring.Slot(_produced, GvnicConstants.AdminqSlots - 1);
        Span<byte> bytes = _page.Span.Slice(slot * AdminqCommand.Size, AdminqCommand.Size);
        bytes.Clear();
        _produced++;
        return ref AdminqCommand.AsRef(bytes);
    }

    /// <summary>Rings the doorbell for every reserved command, waits for them, and checks their statuses.</summary>
    /// <exception cref="AdminCommandException">A command failed (the first failure in order).</exception>
    /// <exception cref="DeviceTimeoutException">The event counter did not reach the producer count in time.</exception>
    /// <exception cref="DeviceResetException">The device reset while the driver waited.</exception>
    /// <exception cref="DeviceFaultException">The event counter ran ahead of the commands posted.</exception>
    public void Flush()
    {
        if (Failure is not null) ThrowFailed();
        if (_produced == _completed) return;
        _counters.Commands += unchecked(_produced - _completed);
        Interlocked.MemoryBarrier();
        _bar0.WriteAdminqDoorbell(_produced);
        try
        {
            WaitForEventCounter();
        }
        catch (GvnicException e)
        {
            Failure = e;
            switch (e)
            {
                case DeviceTimeoutException: _counters.Timeouts++; break;
                case DeviceResetException: _counters.DeviceResets++; break;
                default: _counters.EventCounterFaults++; break;
            }
            throw;
        }
        uint first = _completed;
        _completed = _produced;
        _batchCount = 0;
        for (uint n = first; n != _produced; n++) _batch[_batchCount++] = SlotAt(n).Status;
        for (int i = 0; i < _batchCount; i++)
            if (_batch[i] != AdminqStatuses.CommandPassed) _counters.Failed++;
        for (int i = 0; i < _batchCount; i++)
        {
            if (_batch[i] == AdminqStatuses.CommandPassed) continue;
            ref AdminqCommand cmd = ref SlotAt(first + (uint)i);
            uint? queue = AdminCommands.TryGetQueueId(in cmd, out uint q) ? q : null;
            throw new AdminCommandException(cmd.Opcode, _batch[i], queue);
        }
    }

    /// <summary>The status of command <paramref name="index"/> of the last flushed batch (in the order reserved).</summary>
    public AdminqStatuses BatchStatus(int index) => index < _batchCount ? _batch[index] : AdminqStatuses.CommandUnset;

    /// <summary>Like <see cref="Flush"/>, but a command that fails with <paramref name="tolerated"/> returns that status instead of throwing.</summary>
    public AdminqStatuses FlushAllowing(AdminqStatuses tolerated)
    {
        try
        {
            Flush();
            return AdminqStatuses.CommandPassed;
        }
        catch (AdminCommandException e) when (e.Status == tolerated)
        {
            _counters.Tolerated++;
            return e.Status;
        }
    }

    /// <summary>
    /// Like <see cref="Flush"/> for an optional command: any status the device answers is returned (and a failure counted
    /// as tolerated) instead of thrown. A failing wait still throws: the queue itself is gone.
    /// </summary>
    public AdminqStatuses FlushOptional()
    {
        try
        {
            Flush();
            return AdminqStatuses.CommandPassed;
        }
        catch (AdminCommandException e)
        {
            _counters.Tolerated++;
            return e.Status;
        }
    }

    private void ThrowFailed()
        => throw new InvalidOperationException("the admin queue failed earlier (" + Failure!.Message + "); no further command may be sent");

    /// <summary>
    /// Takes the admin queue back from the device: revision 0 writes 0 to adminq_pfn and waits until it reads
    /// 0; revision ≥ 1 writes driver_status RESET and waits for DEVICE_IS_RESET. False when the device never confirmed.
    /// </summary>
    public bool Release()
    {
        long start = _time.GetTimestamp();
        if (_revision == 0) _bar0.WriteAdminqPfn(0);
        else _bar0.WriteDriverStatus(DriverStatusFlags.Reset);
        var spin = new SpinWait();
        while (true)
        {
            bool done = _revision == 0
                ? _bar0.ReadAdminqPfn() == 0
                : (_bar0.ReadDeviceStatus() & DeviceStatusFlags.DeviceIsReset) != 0;
            if (done) return true;
            if (_time.GetElapsedTime(start) > _timeout) return false;
            Pause(ref spin);
        }
    }

    /// <summary>
    /// Polls the event counter until it reaches the producer count. A counter outside the commands posted is a reset
    /// when the device shows one (a reset device's counter reads 0), else a fault; a wait that runs out is a reset when
    /// the device shows one, else a timeout. Revision 0 shows a reset unambiguously (adminq_pfn reads 0, which the driver
    /// never wrote), so that is looked at on every poll; DEVICE_IS_RESET only when the wait has already failed.
    /// </summary>
    private void WaitForEventCounter()
    {
        long start = _time.GetTimestamp();
        var spin = new SpinWait();
        while (true)
        {
            uint events = _bar0.ReadAdminqEventCounter();
            if (events == _produced) return;
            if (!Ring.IsWithin(events, _completed, _produced))
            {
                if (DeviceShowsReset()) throw Reset(events);
                throw new DeviceFaultException("admin queue", "adminq_event_counter", -1, events,
                    "the device reports " + unchecked(events - _completed) + " commands done but only " + unchecked(_produced - _completed) + " were posted (completed " + _completed + ", produced " + _produced + ")");
            }
            if (_revision == 0 && _bar0.ReadAdminqPfn() == 0) throw Reset(events);
            TimeSpan waited = _time.GetElapsedTime(start);
            if (waited > _timeout)
            {
                if (DeviceShowsReset()) throw Reset(events);
                throw new DeviceTimeoutException(Pending(events), waited, events, _produced);
            }
            Pause(ref spin);
        }
    }

    /// <summary>Whether the device shows it was reset: revision 0, adminq_pfn reads 0; revision ≥ 1, device_status has DEVICE_IS_RESET.</summary>
    private bool DeviceShowsReset()
        => _revision == 0 ? _bar0.ReadAdminqPfn() == 0 : (_bar0.ReadDeviceStatus() & DeviceStatusFlags.DeviceIsReset) != 0;

    private DeviceResetException Reset(uint events)
        => new("the device reset while the driver waited for " + Pending(Ring.IsWithin(events, _completed, _produced) ? events : _completed) + " (" +
            (_revision == 0 ? "adminq_pfn reads 0" : "device_status has DEVICE_IS_RESET") + "; event counter " + events + ", expected " + _produced + ")");

    private string Pending(uint events)
    {
        ref AdminqCommand cmd = ref SlotAt(events);
        string name = AdminNames.Describe(cmd.Opcode);
        if (AdminCommands.TryGetQueueId(in cmd, out uint q)) name += " for queue " + q;
        return name;
    }

    private ref AdminqCommand SlotAt(uint count)
        => ref AdminqCommand.AsRef(_page.Span.Slice(Ring.Slot(count, GvnicConstants.AdminqSlots - 1) * AdminqCommand.Size, AdminqCommand.Size));

    private static void Pause(ref SpinWait spin)
    {
        if (!spin.NextSpinWillYield) spin.SpinOnce();
        else Thread.Sleep(SleepStep);
    }
}
