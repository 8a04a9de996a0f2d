using System;
using System.Collections.Generic;
using Gvnic.Simulator.Admin;
using Gvnic.Simulator.Device;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator;

/// <summary>What a test can read of the device: violations, status, counters, commands, notification blocks.</summary>
public sealed partial class SimulatedGvnic
{
    /// <summary>One admin command the device executed.</summary>
    /// <param name="Sequence">Its position in the free-running command count.</param>
    /// <param name="Opcode">The opcode as read.</param>
    /// <param name="Status">The status the device wrote.</param>
    /// <param name="Injected">Whether the status came from <see cref="FailNextCommand"/>.</param>
    public sealed record AdminCommandRecord(uint Sequence, AdminqOpcodes Opcode, AdminqStatuses Status, bool Injected);

    /// <summary>The state of one notification block as the device keeps it.</summary>
    /// <param name="Block">The block index.</param>
    /// <param name="DoorbellIndex">The BAR2 index the device assigned.</param>
    /// <param name="Vector">The MSI-X vector it raises.</param>
    /// <param name="Masked">Whether it is masked.</param>
    /// <param name="Pending">Whether work completed while it was masked.</param>
    /// <param name="Fired">How many interrupts it raised.</param>
    /// <param name="Suppressed">Fires that could not happen because its MSI-X vector was not enabled (nothing was written back).</param>
    /// <param name="Deferred">Fires the DQO throttling interval put off.</param>
    public sealed record NotificationBlockState(int Block, uint DoorbellIndex, int Vector, bool Masked, bool Pending, long Fired, long Suppressed, long Deferred);

    /// <summary>Every protocol violation the device saw, oldest first.</summary>
    public IReadOnlyList<ProtocolViolation> Violations => _violations.Snapshot();

    /// <summary>The shared violation log (also fed by the DMA allocator).</summary>
    public ViolationLog ViolationLog => _violations;

    /// <summary>Every complete line the driver wrote to driver_version (without the newline).</summary>
    public IReadOnlyList<string> DriverVersions
    {
        get { lock (_lock) return _bar0.DriverVersions; }
    }

    /// <summary>The last driver-version string written (complete or not), or empty.</summary>
    public string DriverVersion
    {
        get { lock (_lock) return _bar0.DriverVersion; }
    }

    /// <summary>The current device_status value.</summary>
    public DeviceStatusFlags Status
    {
        get { lock (_lock) return _state.Status; }
    }

    /// <summary>How many times the device was reset (by the driver: admin queue released or driver_status RESET; or on its own: <see cref="HostResets"/>).</summary>
    public long ResetCount
    {
        get { lock (_lock) return _state.ResetCount; }
    }

    /// <summary>Resets the device did on its own: <see cref="HostReset"/>, and the delayed resets a redundant reset schedules.</summary>
    public long HostResets
    {
        get { lock (_lock) return _state.HostResets; }
    }

    /// <summary>Revision 0: releases of the admin queue while the device was already reset (each scheduled a delayed reset).</summary>
    public long RedundantResets
    {
        get { lock (_lock) return _admin.RedundantResets; }
    }

    /// <summary>Doorbell and admin-queue writes ignored because the device had reset itself under the driver.</summary>
    public long IgnoredAfterHostReset
    {
        get { lock (_lock) return _state.IgnoredAfterHostReset; }
    }

    /// <summary>What the device read of the driver's stats report the last time it looked (every REPORT_STATS interval).</summary>
    public StatsReportRead StatsReport
    {
        get { lock (_lock) return _state.StatsReader.LastRead; }
    }

    /// <summary>The MTU in force (DESCRIBE_DEVICE's, or the last accepted SET_DRIVER_PARAMETER).</summary>
    public int Mtu
    {
        get { lock (_lock) return _state.Mtu; }
    }

    /// <summary>The queue format CONFIGURE_DEVICE_RESOURCES chose, or null before it.</summary>
    public QueueFormat? ConfiguredFormat
    {
        get { lock (_lock) return _state.Configured ? _state.Format : null; }
    }

    /// <summary>How many TX queues exist.</summary>
    public int TxQueueCount
    {
        get { lock (_lock) return DeviceState.CountLive(_state.Tx); }
    }

    /// <summary>How many RX queues exist.</summary>
    public int RxQueueCount
    {
        get { lock (_lock) return DeviceState.CountLive(_state.Rx); }
    }

    /// <summary>TX counters of queue <paramref name="queue"/>.</summary>
    public QueueStatistics TxStatistics(int queue)
    {
        lock (_lock) return _state.TxCounters[queue].Snapshot(queue);
    }

    /// <summary>RX counters of queue <paramref name="queue"/>.</summary>
    public QueueStatistics RxStatistics(int queue)
    {
        lock (_lock) return _state.RxCounters[queue].Snapshot(queue);
    }

    /// <summary>The ids of the page lists registered now.</summary>
    public IReadOnlyList<uint> RegisteredPageLists
    {
        get { lock (_lock) return new List<uint>(_state.PageLists.Keys); }
    }

    /// <summary>Every admin command executed since the device was created, in order.</summary>
    public IReadOnlyList<AdminCommandRecord> AdminCommands
    {
        get
        {
            ExecutedCommand[] log;
            lock (_lock) log = _admin.Log;
            var records = new AdminCommandRecord[log.Length];
            for (int i = 0; i < log.Length; i++) records[i] = new AdminCommandRecord(log[i].Sequence, log[i].Opcode, log[i].Status, log[i].Injected);
            return records;
        }
    }

    /// <summary>The driver-info block of the last accepted VERIFY_DRIVER_COMPATIBILITY, or null.</summary>
    public DriverInfo? LastDriverInfo
    {
        get { lock (_lock) return _admin.LastDriverInfo; }
    }

    /// <summary>The admin-queue event counter (commands completed since the queue was set up).</summary>
    public uint AdminEventCounter
    {
        get { lock (_lock) return _admin.EventCounter; }
    }

    /// <summary>The notification blocks CONFIGURE_DEVICE_RESOURCES set up (empty before).</summary>
    public IReadOnlyList<NotificationBlockState> NotificationBlocks
    {
        get
        {
            lock (_lock)
            {
                var list = new List<NotificationBlockState>();
                foreach (NotificationBlock b in _state.Blocks.All) list.Add(new NotificationBlockState(b.Id, b.DoorbellIndex, b.Vector, b.Masked, b.Pending, b.Fired, b.Suppressed, b.Deferred));
                return list;
            }
        }
    }

    /// <summary>The MSI-X vector used for device-status changes: the vector after the notification blocks (or vector 0 when the blocks start above 0); before CONFIGURE_DEVICE_RESOURCES the last vector.</summary>
    public int ManagementVector
    {
        get { lock (_lock) return _state.Blocks.ManagementVector; }
    }

    /// <summary>
    /// The interrupt throttling interval in microseconds the driver last set on notification block <paramref name="block"/>
    /// through its DQO IRQ doorbell (an ITR word whose no_update is not 3), or -1 when it never set one.
    /// </summary>
    public int DqoItrIntervalMicroseconds(int block)
    {
        lock (_lock)
        {
            IReadOnlyList<NotificationBlock> blocks = _state.Blocks.All;
            if ((uint)block >= (uint)blocks.Count)
                throw new ArgumentOutOfRangeException(nameof(block), block, "the device has " + blocks.Count + " notification blocks");
            return blocks[block].ItrIntervalUs;
        }
    }

    /// <summary>The completion counters of DQO TX queue <paramref name="queue"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No DQO TX queue <paramref name="queue"/> exists.</exception>
    public DqoTxCounters DqoTxCounters(int queue)
    {
        lock (_lock)
        {
            if ((uint)queue < (uint)_state.Tx.Length && _state.Tx[queue] is DqoTxQueue d) return d.DqoCounters;
            throw new ArgumentOutOfRangeException(nameof(queue), queue, "no DQO TX queue " + queue + " exists (is the device configured for DQO and the queue created?)");
        }
    }

    /// <summary>The completion counters of DQO RX queue <paramref name="queue"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No DQO RX queue <paramref name="queue"/> exists.</exception>
    public DqoRxCounters DqoRxCounters(int queue)
    {
        lock (_lock)
        {
            if ((uint)queue < (uint)_state.Rx.Length && _state.Rx[queue] is DqoRxQueue d) return d.DqoCounters;
            throw new ArgumentOutOfRangeException(nameof(queue), queue, "no DQO RX queue " + queue + " exists (is the device configured for DQO and the queue created?)");
        }
    }

    /// <summary>The packet-type index the model uses for an L3/L4 pair (the GET_PTYPE_MAP entry at that index holds them).</summary>
    public static int PacketTypeIndex(L3Type l3, L4Type l4) => PacketTypeMap.Index(l3, l4);
}
