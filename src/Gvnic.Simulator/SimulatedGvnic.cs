using System;
using System.Collections.Generic;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Simulator.Admin;
using Gvnic.Simulator.Device;
using Gvnic.Simulator.Faults;
using Gvnic.Simulator.Queues;
using Gvnic.Simulator.Registers;
using Gvnic.Wire;

namespace Gvnic.Simulator;

/// <summary>
/// A simulated gVNIC (PCI 1ae0:0042): BAR0 registers, BAR2 doorbells, the admin queue, GQI and DQO data paths,
/// notification blocks and MSI-X, attached to a <see cref="VirtualWire"/>. It checks everything a driver hands it:
/// bad commands get the status a device would answer, and protocol mistakes are recorded in <see cref="Violations"/>.
/// </summary>
/// <remarks>
/// This class is the PCI function and the test surface; the device behind it is built of parts (docs/simulator.md
/// draws them). One lock guards the device state. Frames leave for the wire after that lock is released, so two
/// devices on one cable never hold both locks. In <see cref="ExecutionMode.Synchronous"/> mode a doorbell write returns
/// after the work it started is done; in <see cref="ExecutionMode.Manual"/> mode data-path work waits for <see cref="Step"/>.
/// </remarks>
public sealed partial class SimulatedGvnic : IPciFunction, IWireEndpoint
{
    /// <summary>The first BAR2 index of notification-block doorbells (block i is at this + i); 0 belongs to nothing, so a driver that ignores the IRQ-doorbell array is caught.</summary>
    public const uint IrqDoorbellBase = DoorbellLayout.IrqBase;

    /// <summary>The BAR2 index of TX queue 0's doorbell (queue q is at this + q).</summary>
    public const uint TxDoorbellBase = DoorbellLayout.TxBase;

    /// <summary>The BAR2 index of RX queue 0's doorbell (queue q is at this + q).</summary>
    public const uint RxDoorbellBase = DoorbellLayout.RxBase;

    private readonly Lock _lock = new(); // System.Threading.Lock: a cheaper enter and exit than a monitor on an object
    private readonly SimulatedDeviceConfig _config;
    private readonly ViolationLog _violations = new();
    private readonly FaultInjector _faults = new();
    private readonly SimulatedDmaAllocator? _allocator;
    private readonly SimulatedInterruptController? _interrupts;
    private readonly DeviceState _state;
    private readonly DataPath _dataPath;
    private readonly AdminQueueEngine _admin;
    private readonly Bar0RegisterFile _bar0;
    private readonly Bar2DoorbellFile _bar2;
    private readonly DeviceClock _clock;

    /// <summary>Creates a device with <paramref name="config"/> (defaults when null), unplugged from any wire.</summary>
    public SimulatedGvnic(SimulatedDeviceConfig? config = null)
        : this(config, null, null)
    {
    }

    /// <summary>
    /// Creates a device whose DMA reaches driver memory through <paramref name="memory"/> and whose MSI-X messages go to
    /// <paramref name="msix"/>: the device for a driver in another process or machine, such as a guest kernel behind a
    /// vfio-user server (Gvnic.VfioUser's <c>SimulatedGvnicDevice</c>), whose memory and interrupts are not this process's.
    /// Null selects the in-process side (<see cref="DmaAllocator"/>, <see cref="InterruptController"/>), which a driver in
    /// this process uses; with one given, the matching in-process side is absent (its property throws).
    /// </summary>
    /// <remarks>
    /// The device calls <paramref name="memory"/> and <paramref name="msix"/> with its lock held, from the thread of the
    /// register access, frame arrival or timer that caused the DMA or interrupt, and uses a resolved span only until that
    /// lock is released: an implementation that unmaps memory must first wait for the device to leave its lock (any
    /// locked member, such as <see cref="BusMasterEnabled"/>, does that). docs/simulator.md, "Ports".
    /// </remarks>
    public SimulatedGvnic(SimulatedDeviceConfig? config, IDeviceMemory? memory, IMsixSink? msix)
    {
        _config = config ?? new SimulatedDeviceConfig();
        _config.Validate();
        if (memory is null) memory = _allocator = new SimulatedDmaAllocator(_violations);
        if (msix is null) msix = _interrupts = new SimulatedInterruptController(_config.MsixVectors);
        _clock = new DeviceClock(_config.TimeProvider, _config.Execution == ExecutionMode.Synchronous ? OnTimer : null);
        var blocks = new NotificationBlocks(_config.MsixVectors, msix, _violations, _clock, _config);
        _state = new DeviceState(_config, new DeviceDma(memory, _violations), blocks, new WirePort(_lock, this), _clock, _violations);
        _dataPath = new DataPath(_state, _faults, _violations);
        _admin = new AdminQueueEngine(_state, _violations, _faults, _dataPath);
        _bar0 = new Bar0RegisterFile(_lock, _state, _admin, _faults, _violations);
        _bar2 = new Bar2DoorbellFile(_lock, _state, _violations);
    }

    // ---- the PCI function ----

    /// <summary>The configuration the device was built with.</summary>
    public SimulatedDeviceConfig Config => _config;

    /// <inheritdoc/>
    public string Address => _config.Address;

    /// <inheritdoc/>
    public string Name => _config.Address;

    /// <inheritdoc/>
    public ushort VendorId => PciIds.GoogleVendor;

    /// <inheritdoc/>
    public ushort DeviceId => PciIds.GvnicDevice;

    /// <inheritdoc/>
    public byte RevisionId => _config.Revision;

    /// <inheritdoc/>
    public IMmioRegion Bar0 => _bar0;

    /// <inheritdoc/>
    public IMmioRegion Bar2 => _bar2;

    /// <inheritdoc/>
    public long Bar2Length => _config.Bar2Length;

    /// <inheritdoc/>
    public IDmaAllocator Dma => DmaAllocator;

    /// <summary>The DMA allocator with its device-side view (<see cref="SimulatedDmaAllocator.TryResolve"/>).</summary>
    /// <exception cref="InvalidOperationException">The device was built over another <see cref="IDeviceMemory"/>.</exception>
    public SimulatedDmaAllocator DmaAllocator => _allocator ?? throw new InvalidOperationException("this device does DMA through the IDeviceMemory it was built with; it has no allocator for an in-process driver");

    /// <inheritdoc/>
    public IInterruptController Interrupts => InterruptController;

    /// <summary>The MSI-X vectors with their device-side view (raise counts).</summary>
    /// <exception cref="InvalidOperationException">The device was built over another <see cref="IMsixSink"/>.</exception>
    public SimulatedInterruptController InterruptController => _interrupts ?? throw new InvalidOperationException("this device raises MSI-X through the IMsixSink it was built with; it has no interrupt controller for an in-process driver");

    /// <summary>Whether bus mastering is on (the device performs DMA only then).</summary>
    public bool BusMasterEnabled
    {
        get { lock (_lock) return _state.Dma.BusMaster; }
    }

    /// <inheritdoc/>
    public void EnableBusMaster()
    {
        lock (_lock) _state.Dma.BusMaster = true;
    }

    /// <inheritdoc/>
    public void DisableBusMaster()
    {
        lock (_lock) _state.Dma.BusMaster = false;
    }

    /// <summary>
    /// A function-level reset (PCI FLR, or a vfio-user client's DEVICE_RESET): the device returns to its power-on state:
    /// the admin queue released, every queue, page list and resource gone, device_status as at power-on (link state kept,
    /// no RESET or DEVICE_IS_RESET), bus mastering off. What the device recorded (violations, driver versions, statistics,
    /// fired faults) is kept; <see cref="ResetCount"/> counts it.
    /// </summary>
    public void ResetFunction()
    {
        lock (_lock)
        {
            if (_state.Disposed) return;
            _admin.ResetDevice();
            _state.Status &= ~DeviceStatusFlags.DeviceIsReset;
            _state.Dma.BusMaster = false;
        }
    }

    /// <summary>Resets the device and frees every DMA region still outstanding.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_state.Disposed) return;
            _state.Disposed = true;
            _admin.ResetDevice();
            _clock.Dispose();
        }
        _state.Wire.Detach();
        _allocator?.Dispose();
    }

    // ---- the wire ----

    /// <summary>The wire the device is plugged into (an unplugged recording wire by default).</summary>
    public IWire Wire
    {
        get { lock (_lock) return _state.Wire.Wire; }
    }

    /// <summary>Plugs the device into <paramref name="wire"/> (unplugging it from the previous one).</summary>
    public void AttachWire(IWire wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        _state.Wire.Attach(wire);
    }

    /// <summary>
    /// Hands <paramref name="frame"/> to the device as if it came off the wire (to RX queue <paramref name="queue"/>, or
    /// the queue RSS chooses when -1), and records it on the wire.
    /// </summary>
    public RxResult InjectFrame(byte[] frame, int queue = -1)
    {
        ArgumentNullException.ThrowIfNull(frame);
        IWire wire = Wire;
        if (queue < 0 && wire is VirtualWire vw) return vw.Inject(this, frame);
        lock (_lock) return _dataPath.Receive(_state.Wire.Frames.Copy(frame), queue);
    }

    /// <inheritdoc/>
    public RxResult ReceiveFromWire(ReadOnlySpan<byte> frame)
    {
        lock (_lock) return _dataPath.Receive(_state.Wire.Frames.Copy(frame), -1);
    }

    // ---- time ----

    /// <summary>The device's clock (<see cref="SimulatedDeviceConfig.TimeProvider"/>).</summary>
    public TimeProvider Clock => _config.TimeProvider;

    /// <summary>
    /// Runs the timed work that is due on the device's clock (a deferred interrupt, a stats-report read, a delayed reset);
    /// returns how many pieces ran. Register and doorbell accesses, frame arrivals and <see cref="Step"/> do this too; with
    /// <see cref="ExecutionMode.Synchronous"/> a timer on the clock does it as well (with a fake clock: when it is advanced).
    /// </summary>
    public int RunDueWork()
    {
        int n;
        lock (_lock) n = _state.Disposed ? 0 : _clock.RunDue();
        _state.Wire.Flush();
        return n;
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            if (_state.Disposed) return;
            _clock.TimerFired();
        }
        _state.Wire.Flush();
    }

    // ---- manual execution ----

    /// <summary>Whether data-path work is waiting (manual mode).</summary>
    public bool HasPendingWork
    {
        get { lock (_lock) return _dataPath.HasWork; }
    }

    /// <summary>Runs one unit of waiting work: one TX packet or one RX frame, lowest queue first (TX before RX). False when nothing waits.</summary>
    public bool Step()
    {
        bool did;
        WirePort.Batch? batch;
        lock (_lock)
        {
            did = _dataPath.Step();
            batch = _state.Wire.TakeBatch(); // the frames the step finished leave in the step's own lock
        }
        if (batch is not null) _state.Wire.Send(batch);
        return did;
    }

    /// <summary>Runs waiting work until none is left; returns how many units ran.</summary>
    public int RunPending()
    {
        int n = 0;
        while (Step()) n++;
        return n;
    }

    // ---- device events and fault injection ----

    /// <summary>Whether the link is up.</summary>
    public bool LinkUp
    {
        get { lock (_lock) return _state.LinkUp; }
    }

    /// <summary>Changes the link state: device_status LINK_STATUS follows and the management vector fires.</summary>
    public void SetLink(bool up)
    {
        lock (_lock) _state.SetLink(up);
    }

    /// <summary>The device asks the driver to reset: device_status RESET is set (until the driver resets the device) and the management vector fires.</summary>
    public void RequestReset()
    {
        lock (_lock) _state.RequestReset();
    }

    /// <summary>
    /// The host resets the device without the driver asking (as on live migration): every queue, page list and resource is
    /// gone and the admin queue is released, so adminq_pfn reads 0 (revision 0) and device_status shows DEVICE_IS_RESET
    /// (revision 1). Doorbells of the driver's old state are ignored (counted in <see cref="IgnoredAfterHostReset"/>) until
    /// it sets the admin queue up again. No interrupt tells the driver: it finds out by reading those registers.
    /// </summary>
    public void HostReset()
    {
        lock (_lock)
        {
            if (!_state.Disposed) _admin.HostReset();
        }
    }

    /// <summary>
    /// Fault injection: switches <paramref name="fault"/> on. Device events (<see cref="DeviceFaultKind.ResetRequest"/>,
    /// <see cref="DeviceFaultKind.LinkFlap"/>, <see cref="DeviceFaultKind.AdminEventCounterStalled"/>) act at once; every
    /// other kind waits for its chance (the command, the queue creation or the data-path entry it rewrites).
    /// </summary>
    public void InjectFault(DeviceFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        switch (fault.Kind)
        {
            case DeviceFaultKind.ResetRequest:
                RequestReset();
                lock (_lock) _faults.Record(fault.Kind, -1, -1, "device_status RESET raised");
                return;
            case DeviceFaultKind.LinkFlap:
                SetLink(false);
                SetLink(true);
                lock (_lock) _faults.Record(fault.Kind, -1, -1, "link down, then up");
                return;
            case DeviceFaultKind.DeviceSelfReset:
                lock (_lock)
                {
                    _admin.SelfReset();
                    _faults.Record(fault.Kind, -1, -1, "the device reset itself");
                }
                return;
            case DeviceFaultKind.AdminEventCounterStalled:
                StallAdminQueue();
                lock (_lock) _faults.Record(fault.Kind, -1, -1, "admin event counter stalled at " + _admin.EventCounter);
                return;
            case DeviceFaultKind.ZeroQueues:
                lock (_lock)
                {
                    _faults.ZeroQueuesActive = true; // max_tx_queues and max_rx_queues are read before DESCRIBE_DEVICE
                    _faults.Record(fault.Kind, -1, -1, "max_tx_queues and max_rx_queues read 0");
                    _faults.Arm(fault);
                }
                return;
            default:
                lock (_lock) _faults.Arm(fault);
                return;
        }
    }

    /// <summary>Switches every armed fault off (and ends <see cref="DeviceFaultKind.ZeroQueues"/>); a stalled admin queue stays stalled until <see cref="ResumeAdminQueue"/>.</summary>
    public void ClearFaults()
    {
        lock (_lock)
        {
            _faults.Clear();
            _faults.ZeroQueuesActive = false;
        }
    }

    /// <summary>The faults that fired so far, oldest first.</summary>
    public IReadOnlyList<FiredFault> FiredFaults
    {
        get { lock (_lock) return _faults.Fired; }
    }

    /// <summary>Fault injection: the next command with <paramref name="opcode"/> is not executed and answers <paramref name="status"/> (several calls queue up).</summary>
    public void FailNextCommand(AdminqOpcodes opcode, AdminqStatuses status)
    {
        lock (_lock) _admin.FailNext(opcode, status);
    }

    /// <summary>Fault injection: the device stops answering: admin commands, and the admin-queue release/reset handshake, wait until <see cref="ResumeAdminQueue"/>.</summary>
    public void StallAdminQueue()
    {
        lock (_lock) _admin.Stall();
    }

    /// <summary>Ends <see cref="StallAdminQueue"/>: runs the commands and release that were waiting.</summary>
    public void ResumeAdminQueue()
    {
        lock (_lock) _admin.Resume();
        _state.Wire.Flush();
    }

    /// <summary>
    /// DQO ring-full pressure: while <paramref name="hold"/> is true, every TX packet completion (and re-injection) waits in
    /// the device, so the driver's tags and ring run out; <see cref="ReleaseDqoTxCompletions"/> writes them. Turning it off
    /// releases what waits beyond <see cref="SimulatedDeviceConfig.DqoReorderWindow"/>.
    /// </summary>
    public void HoldDqoTxCompletions(bool hold)
    {
        lock (_lock) _dataPath.HoldDqoTxCompletions(hold);
    }

    /// <summary>Writes the completion of every TX packet the DQO device holds (reorder window or pressure mode), in a seeded random order; returns how many.</summary>
    public int ReleaseDqoTxCompletions()
    {
        lock (_lock) return _dataPath.ReleaseDqoTxCompletions();
    }
}
