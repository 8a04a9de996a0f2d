using System;
using System.Collections.Generic;
using Gvnic.Simulator.Device;
using Gvnic.Simulator.Faults;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>
/// The admin queue: its registers (both revisions), the driver_status handshake that starts it or resets the device,
/// and the engine that reads each command from its slot, routes the opcode to the handler group that owns it, writes the
/// status back and advances the event counter. The handlers change <see cref="DeviceState"/>; the engine keeps only the
/// queue's own state, so another control plane can sit beside it over the same device state. Called with the device lock held.
/// </summary>
internal sealed class AdminQueueEngine
{
    private readonly SimulatedDeviceConfig _config;
    private readonly DeviceState _state;
    private readonly ViolationLog _violations;
    private readonly FaultInjector _faults;
    private readonly AdminCommandContext _context;
    private readonly DescribeCommands _describe;
    private readonly ResourceCommands _resources;
    private readonly PageListCommands _pageLists;
    private readonly QueueCommands _queues;
    private readonly SteeringAndReportCommands _steering;
    private readonly FlowRuleCommands _flowRules;
    private readonly Dictionary<AdminqOpcodes, Queue<AdminqStatuses>> _failNext = new();
    private readonly List<ExecutedCommand> _log = new();
    private uint _pfn;
    private uint _baseHi;
    private uint _baseLo;
    private ushort _length;
    private ulong _base;
    private bool _live;
    private uint _producer;
    private uint _eventCounter;
    private bool _stalled;
    private bool _releasePending;
    private uint _counterAhead;

    public AdminQueueEngine(DeviceState state, ViolationLog violations, FaultInjector faults, IQueueHost host)
    {
        _config = state.Config;
        _state = state;
        _violations = violations;
        _faults = faults;
        _context = new AdminCommandContext(state, violations, faults);
        _describe = new DescribeCommands(_context);
        _resources = new ResourceCommands(_context);
        _pageLists = new PageListCommands(_context);
        _queues = new QueueCommands(_context, host);
        _steering = new SteeringAndReportCommands(_context);
        _flowRules = new FlowRuleCommands(_context);
    }

    /// <summary>adminq_pfn as last written (revision 0).</summary>
    public uint Pfn => _pfn;

    /// <summary>adminq_event_counter: commands completed since the queue was set up (5 more after an <see cref="DeviceFaultKind.AdminEventCounterAhead"/> lie).</summary>
    public uint EventCounter => _eventCounter + _counterAhead;

    /// <summary>The driver-info block of the last accepted VERIFY_DRIVER_COMPATIBILITY, or null.</summary>
    public DriverInfo? LastDriverInfo => _describe.LastDriverInfo;

    /// <summary>Every command executed since the device was created, in order.</summary>
    public ExecutedCommand[] Log => _log.ToArray();

    public void WriteLength(ushort length) => _length = length;

    public void WriteBaseHi(uint value) => _baseHi = value;

    public void WriteBaseLo(uint value) => _baseLo = value;

    /// <summary>Fault injection: the next command with <paramref name="opcode"/> answers <paramref name="status"/> without running.</summary>
    public void FailNext(AdminqOpcodes opcode, AdminqStatuses status)
    {
        if (!_failNext.TryGetValue(opcode, out Queue<AdminqStatuses>? q)) _failNext[opcode] = q = new Queue<AdminqStatuses>();
        q.Enqueue(status);
    }

    /// <summary>Fault injection: commands and the release/reset handshake wait until <see cref="Resume"/>.</summary>
    public void Stall() => _stalled = true;

    /// <summary>Runs what waited: the release (or reset) if one was asked for, else the commands.</summary>
    public void Resume()
    {
        _stalled = false;
        _counterAhead = 0;
        if (_releasePending)
        {
            ResetDevice();
            if (_config.Revision >= 1) _state.Status |= DeviceStatusFlags.DeviceIsReset;
        }
        else
        {
            Run();
        }
    }

    /// <summary>driver_status (revision 1): RUN starts the queue at the base and length written; RESET resets the device.</summary>
    public void WriteDriverStatus(DriverStatusFlags value)
    {
        if ((value & ~DriverStatusFlagsInfo.All) != 0)
            Violate(ViolationKind.RegisterAccess, Bar0Registers.Offsets.DriverStatus, "driver_status 0x" + ((uint)value).ToString("X") + " has undefined bits");
        bool run = (value & DriverStatusFlags.Run) != 0;
        bool reset = (value & DriverStatusFlags.Reset) != 0;
        if (run && reset)
        {
            Violate(ViolationKind.RegisterAccess, Bar0Registers.Offsets.DriverStatus, "driver_status has both RUN and RESET set");
            return;
        }
        if (reset)
        {
            if (_stalled) { _releasePending = true; return; }
            ResetDevice();
            _state.Status |= DeviceStatusFlags.DeviceIsReset;
            return;
        }
        if (!run) return;
        if (_live)
        {
            Violate(ViolationKind.AdminQueueState, Bar0Registers.Offsets.DriverStatus, "driver_status RUN while the admin queue is already running");
            return;
        }
        ulong baseAddr = (ulong)_baseHi << 32 | _baseLo;
        if (baseAddr == 0 || _length < GvnicConstants.AdminqBufferSize || (baseAddr & (GvnicConstants.AdminqPageSize - 1)) != 0)
        {
            Violate(ViolationKind.AdminQueueState, Bar0Registers.Offsets.DriverStatus,
                "driver_status RUN with admin-queue base 0x" + baseAddr.ToString("X") + " and length " + _length + ": the base must be a non-zero, 4096-aligned address and the length at least " + GvnicConstants.AdminqBufferSize);
            return;
        }
        Start(baseAddr);
        if (!_faults.DeviceIsResetLingers()) _state.Status &= ~DeviceStatusFlags.DeviceIsReset;
    }

    /// <summary>Resets the device ordered to reset while it was already reset (revision 0); each schedules one delayed reset.</summary>
    public long RedundantResets { get; private set; }

    /// <summary>
    /// adminq_pfn (every revision: newer devices keep the legacy interface, which Linux 6.1 drives): a page number starts the queue there; 0 releases it and resets the device. Writing 0 while
    /// the device is already reset (adminq_pfn reads 0) schedules another reset <see cref="SimulatedDeviceConfig.RedundantResetDelay"/>
    /// later (iPXE gve_reset).
    /// </summary>
    public void WritePfn(uint pfn)
    {
        if (pfn == 0)
        {
            if (_stalled) { _releasePending = true; return; }
            if (!_live && _pfn == 0 && _config.RedundantResetDelay is TimeSpan delay)
            {
                RedundantResets++;
                _state.Clock.Schedule(_state.Clock.After(_state.Clock.Now, delay), HostReset);
            }
            ResetDevice();
            return;
        }
        if (_live)
        {
            Violate(ViolationKind.AdminQueueState, Bar0Registers.Offsets.AdminqPfn, "adminq_pfn written while the admin queue is already set up (release it with 0 first)");
            return;
        }
        _pfn = pfn;
        Start((ulong)pfn * GvnicConstants.AdminqPageSize);
    }

    private void Start(ulong baseAddr)
    {
        _state.ResetByHost = false;
        _base = baseAddr;
        _live = true;
        _producer = 0;
        _eventCounter = 0;
        if (!_state.Dma.TryResolve(baseAddr, GvnicConstants.AdminqBufferSize, out _, out ViolationKind kind, out string reason))
            _violations.Add(kind, -1, -1, "admin queue set up at 0x" + baseAddr.ToString("X") + ": " + reason);
    }

    /// <summary>Returns the device to its power-on state (the driver released the admin queue or asked for a reset, or the device is disposed).</summary>
    public void ResetDevice()
    {
        _live = false;
        _base = 0;
        _baseHi = 0;
        _baseLo = 0;
        _length = 0;
        _pfn = 0;
        _producer = 0;
        _eventCounter = 0;
        _counterAhead = 0;
        _releasePending = false;
        _faults.OnDeviceReset();
        _state.Reset();
    }

    /// <summary>
    /// The device resets on its own, without the driver asking (live migration, or the delayed reset): everything the
    /// driver set up is gone, adminq_pfn reads 0 (revision 0) or device_status shows DEVICE_IS_RESET (revision 1). Until the
    /// driver sets the admin queue up again, its doorbells land on nothing and are ignored without a violation.
    /// </summary>
    public void HostReset()
    {
        _stalled = false;
        ResetDevice();
        if (_config.Revision >= 1) _state.Status |= DeviceStatusFlags.DeviceIsReset;
        _state.ResetByHost = true;
        _state.HostResets++;
    }

    /// <summary>
    /// The device resets itself (fault injection: a function-level reset nobody asked for): everything is dropped as by a
    /// release, and the device shows it as after one (adminq_pfn 0, or DEVICE_IS_RESET on revision 1).
    /// </summary>
    public void SelfReset()
    {
        ResetDevice();
        if (_config.Revision >= 1) _state.Status |= DeviceStatusFlags.DeviceIsReset;
    }

    /// <summary>adminq_doorbell: the free-running count of commands the driver produced.</summary>
    public void WriteDoorbell(uint producer)
    {
        if (!_live && _state.ResetByHost)
        {
            _state.IgnoredAfterHostReset++;
            return;
        }
        if (!_live)
        {
            Violate(ViolationKind.AdminQueueState, Bar0Registers.Offsets.AdminqDoorbell, "adminq_doorbell written (" + producer + ") before the admin queue was set up");
            return;
        }
        if ((int)(producer - _producer) < 0)
        {
            Violate(ViolationKind.AdminQueueOverrun, producer, "adminq_doorbell went backwards from " + _producer + " to " + producer + " (it is a free-running count)");
            return;
        }
        if (producer - _eventCounter > GvnicConstants.AdminqSlots)
        {
            Violate(ViolationKind.AdminQueueOverrun, producer, "adminq_doorbell " + producer + " is more than " + GvnicConstants.AdminqSlots + " commands ahead of the event counter " + _eventCounter);
            return;
        }
        _producer = producer;
        if (!_stalled) Run();
    }

    private void Violate(ViolationKind kind, long index, string detail) => _violations.Add(kind, -1, index, detail);

    private void Run()
    {
        while (_live && _eventCounter != _producer)
        {
            uint slot = _eventCounter & (GvnicConstants.AdminqSlots - 1);
            if (!_state.Dma.TryAccess(_base + slot * GvnicConstants.AdminqCommandSize, AdminqCommand.Size, -1, slot, "admin command slot " + slot, out Span<byte> span))
                return; // the device cannot reach its queue: it stops answering
            AdminqCommand cmd = AdminqCommand.Read(span);
            if (_faults.SelfResetsOn(cmd.Opcode, _eventCounter))
            {
                SelfReset();
                return;
            }
            AdminqStatuses status;
            bool injected = false;
            if (_failNext.TryGetValue(cmd.Opcode, out Queue<AdminqStatuses>? q) && q.Count > 0)
            {
                status = q.Dequeue();
                injected = true;
            }
            else if (_faults.AdminStatus(cmd.Opcode, _eventCounter) is AdminqStatuses faulted)
            {
                status = faulted;
                injected = true;
            }
            else
            {
                _context.Sequence = _eventCounter;
                status = Execute(ref cmd);
            }
            // The command's memory may have been freed by the command itself only in a broken driver; re-resolve.
            if (_state.Dma.TryAccess(_base + slot * GvnicConstants.AdminqCommandSize, AdminqCommand.Size, -1, slot, "admin command status", out span))
                AdminqCommand.AsRef(span).Status = status;
            _log.Add(new ExecutedCommand(_eventCounter, cmd.Opcode, status, injected));
            switch (_faults.AfterCommand(cmd.Opcode, _eventCounter))
            {
                case AdminCounterLie.Stall:
                    _eventCounter++;
                    _counterAhead = unchecked(0u - 1); // the command took effect; the counter never says so
                    _stalled = true;
                    return;
                case AdminCounterLie.Ahead:
                    _counterAhead = 5;
                    break;
            }
            _eventCounter++;
        }
    }

    private AdminqStatuses Execute(ref AdminqCommand cmd) => cmd.Opcode switch
    {
        AdminqOpcodes.DescribeDevice => _describe.DescribeDevice(ref cmd.DescribeDevice),
        AdminqOpcodes.ConfigureDeviceResources => _resources.Configure(ref cmd.ConfigureDeviceResources),
        AdminqOpcodes.RegisterPageList => _pageLists.Register(ref cmd.RegisterPageList),
        AdminqOpcodes.UnregisterPageList => _pageLists.Unregister(cmd.UnregisterPageList.PageListId),
        AdminqOpcodes.CreateTxQueue => _queues.CreateTx(ref cmd.CreateTxQueue),
        AdminqOpcodes.CreateRxQueue => _queues.CreateRx(ref cmd.CreateRxQueue),
        AdminqOpcodes.DestroyTxQueue => _queues.DestroyTx(cmd.DestroyTxQueue.QueueId),
        AdminqOpcodes.DestroyRxQueue => _queues.DestroyRx(cmd.DestroyRxQueue.QueueId),
        AdminqOpcodes.DeconfigureDeviceResources => _resources.Deconfigure(),
        AdminqOpcodes.ConfigureRss => _steering.ConfigureRss(ref cmd.ConfigureRss),
        AdminqOpcodes.SetDriverParameter => _describe.SetDriverParameter(ref cmd.SetDriverParameter),
        AdminqOpcodes.ReportStats => _steering.ReportStats(ref cmd.ReportStats),
        AdminqOpcodes.ReportLinkSpeed => _steering.ReportLinkSpeed(cmd.ReportLinkSpeed.LinkSpeedAddress),
        AdminqOpcodes.GetPtypeMap => _describe.GetPtypeMap(ref cmd.GetPtypeMap),
        AdminqOpcodes.VerifyDriverCompatibility => _describe.VerifyDriverCompatibility(ref cmd.VerifyDriverCompatibility),
        AdminqOpcodes.ReportNicTimestamp => _steering.ReportNicTimestamp(ref cmd.ReportNicTimestamp),
        AdminqOpcodes.QueryRss => _steering.QueryRss(ref cmd.QueryRss),
        AdminqOpcodes.ExtendedCommand => _flowRules.Extended(ref cmd.ExtendedCommand),
        AdminqOpcodes.QueryFlowRules => _flowRules.Query(ref cmd.QueryFlowRules),
        _ => AdminqStatuses.CommandErrorUnimplemented,
    };
}
