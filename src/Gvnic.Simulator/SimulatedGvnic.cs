using System;
using System.Collections.Generic;
using System.Text;
using Gvnic.Platform;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;

namespace Gvnic.Simulator;

/// <summary>
/// A simulated gVNIC (PCI 1ae0:0042): BAR0 registers, BAR2 doorbells, the admin queue, GQI and DQO data paths,
/// notification blocks and MSI-X, attached to a <see cref="VirtualWire"/>. It checks everything a driver hands it:
/// bad commands get the status a device would answer, and protocol mistakes are recorded in <see cref="Violations"/>.
/// </summary>
/// <remarks>
/// One lock guards the device state. Frames leave for the wire after that lock is released, so two devices on one
/// cable never hold both locks. In <see cref="ExecutionMode.Synchronous"/> mode a doorbell write returns after the
/// work it started is done; in <see cref="ExecutionMode.Manual"/> mode data-path work waits for <see cref="Step"/>.
/// </remarks>
public sealed partial class SimulatedGvnic : IPciFunction, IWireEndpoint
{
    private readonly object _lock = new();
    private readonly SimulatedDeviceConfig _config;
    private readonly ViolationLog _violations = new();
    private readonly FaultInjector _faults = new();
    private readonly SimulatedDmaAllocator _dma;
    private readonly SimulatedInterruptController _interrupts;
    private readonly Bar0Region _bar0;
    private readonly Bar2Region _bar2;
    private readonly List<(byte[] Frame, int Queue)> _outbox = new();
    private readonly StringBuilder _versionBytes = new();
    private readonly List<string> _driverVersions = new();
    private IWire _wire;
    private bool _busMaster;
    private bool _linkUp;
    private bool _disposed;

    /// <summary>Creates a device with <paramref name="config"/> (defaults when null), unplugged from any wire.</summary>
    public SimulatedGvnic(SimulatedDeviceConfig? config = null)
    {
        _config = config ?? new SimulatedDeviceConfig();
        _config.Validate();
        _dma = new SimulatedDmaAllocator(_violations);
        _interrupts = new SimulatedInterruptController(_config.MsixVectors);
        _bar0 = new Bar0Region(this);
        _bar2 = new Bar2Region(this);
        _wire = VirtualWire.Unplugged();
        _wire.Attach(this);
        _linkUp = _config.LinkUp;
        _mtu = _config.Mtu;
        _tx = new TxQueue?[_config.MaxTxQueues];
        _rx = new RxQueue?[_config.MaxRxQueues];
        _txCounters = NewCounters((int)_config.MaxTxQueues);
        _rxCounters = NewCounters((int)_config.MaxRxQueues);
        _status = _linkUp ? DeviceStatusFlags.LinkStatus : 0;
    }

    private static QueueCounters[] NewCounters(int n)
    {
        var a = new QueueCounters[n];
        for (int i = 0; i < n; i++) a[i] = new QueueCounters();
        return a;
    }

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
    public IDmaAllocator Dma => _dma;

    /// <summary>The DMA allocator with its device-side view (<see cref="SimulatedDmaAllocator.TryResolve"/>).</summary>
    public SimulatedDmaAllocator DmaAllocator => _dma;

    /// <inheritdoc/>
    public IInterruptController Interrupts => _interrupts;

    /// <summary>The MSI-X vectors with their device-side view (raise counts, pending state).</summary>
    public SimulatedInterruptController InterruptController => _interrupts;

    /// <summary>Every protocol violation the device saw, oldest first.</summary>
    public IReadOnlyList<ProtocolViolation> Violations => _violations.Snapshot();

    /// <summary>The shared violation log (also fed by the DMA allocator).</summary>
    public ViolationLog ViolationLog => _violations;

    /// <summary>The wire the device is plugged into (an unplugged recording wire by default).</summary>
    public IWire Wire
    {
        get { lock (_lock) return _wire; }
    }

    /// <summary>Every complete line the driver wrote to driver_version (without the newline).</summary>
    public IReadOnlyList<string> DriverVersions
    {
        get { lock (_lock) return _driverVersions.ToArray(); }
    }

    /// <summary>The last driver-version string written (complete or not), or empty.</summary>
    public string DriverVersion
    {
        get
        {
            lock (_lock) return _versionBytes.Length > 0 ? _versionBytes.ToString() : _driverVersions.Count > 0 ? _driverVersions[^1] : "";
        }
    }

    /// <summary>Whether bus mastering is on (the device performs DMA only then).</summary>
    public bool BusMasterEnabled
    {
        get { lock (_lock) return _busMaster; }
    }

    /// <inheritdoc/>
    public void EnableBusMaster()
    {
        lock (_lock) _busMaster = true;
    }

    /// <inheritdoc/>
    public void DisableBusMaster()
    {
        lock (_lock) _busMaster = false;
    }

    /// <summary>Plugs the device into <paramref name="wire"/> (unplugging it from the previous one).</summary>
    public void AttachWire(IWire wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        IWire old;
        lock (_lock)
        {
            old = _wire;
            _wire = wire;
        }
        old.Detach(this);
        wire.Attach(this);
    }

    /// <summary>Whether the link is up.</summary>
    public bool LinkUp
    {
        get { lock (_lock) return _linkUp; }
    }

    /// <summary>Changes the link state: device_status LINK_STATUS follows and the management vector fires.</summary>
    public void SetLink(bool up)
    {
        lock (_lock)
        {
            if (_linkUp == up) return;
            _linkUp = up;
            if (up) _status |= DeviceStatusFlags.LinkStatus;
            else _status &= ~DeviceStatusFlags.LinkStatus;
            RaiseManagement();
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
            case DeviceFaultKind.AdminEventCounterStalled:
                StallAdminQueue();
                lock (_lock) _faults.Record(fault.Kind, -1, -1, "admin event counter stalled at " + _eventCounter);
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

    internal FaultInjector Faults => _faults;

    /// <summary>The device asks the driver to reset: device_status RESET is set (until the driver resets the device) and the management vector fires.</summary>
    public void RequestReset()
    {
        lock (_lock)
        {
            _status |= DeviceStatusFlags.Reset;
            RaiseManagement();
        }
    }

    /// <summary>The device asks the driver to refresh the stats report (device_status REPORT_STATS) and fires the management vector.</summary>
    public void RequestStatsReport()
    {
        lock (_lock)
        {
            _status |= DeviceStatusFlags.ReportStats;
            RaiseManagement();
        }
    }

    /// <summary>The current device_status value.</summary>
    public DeviceStatusFlags Status
    {
        get { lock (_lock) return _status; }
    }

    /// <summary>TX counters of queue <paramref name="queue"/>.</summary>
    public QueueStatistics TxStatistics(int queue)
    {
        lock (_lock) return _txCounters[queue].Snapshot(queue);
    }

    /// <summary>RX counters of queue <paramref name="queue"/>.</summary>
    public QueueStatistics RxStatistics(int queue)
    {
        lock (_lock) return _rxCounters[queue].Snapshot(queue);
    }

    /// <summary>The MTU in force (DESCRIBE_DEVICE's, or the last accepted SET_DRIVER_PARAMETER).</summary>
    public int Mtu
    {
        get { lock (_lock) return _mtu; }
    }

    /// <summary>The queue format CONFIGURE_DEVICE_RESOURCES chose, or null before it.</summary>
    public QueueFormat? ConfiguredFormat
    {
        get { lock (_lock) return _configured ? _format : null; }
    }

    /// <summary>How many TX queues exist.</summary>
    public int TxQueueCount
    {
        get { lock (_lock) return CountLive(_tx); }
    }

    /// <summary>How many RX queues exist.</summary>
    public int RxQueueCount
    {
        get { lock (_lock) return CountLive(_rx); }
    }

    private static int CountLive<T>(T?[] queues) where T : class
    {
        int n = 0;
        foreach (T? q in queues) if (q is not null) n++;
        return n;
    }

    /// <summary>
    /// Hands <paramref name="frame"/> to the device as if it came off the wire (to RX queue <paramref name="queue"/>, or
    /// the queue RSS chooses when -1), and records it on the wire.
    /// </summary>
    public RxResult InjectFrame(byte[] frame, int queue = -1)
    {
        ArgumentNullException.ThrowIfNull(frame);
        IWire wire;
        lock (_lock) wire = _wire;
        if (queue < 0 && wire is VirtualWire vw) return vw.Inject(this, frame);
        lock (_lock) return ReceiveLocked(frame, queue);
    }

    /// <inheritdoc/>
    public RxResult ReceiveFromWire(ReadOnlySpan<byte> frame)
    {
        lock (_lock) return ReceiveLocked(frame.ToArray(), -1);
    }

    /// <summary>Whether data-path work is waiting (manual mode).</summary>
    public bool HasPendingWork
    {
        get
        {
            lock (_lock)
            {
                foreach (TxQueue? q in _tx) if (q is not null && q.HasWork) return true;
                foreach (RxQueue? q in _rx) if (q is not null && q.HasWork) return true;
                return false;
            }
        }
    }

    /// <summary>Runs one unit of waiting work: one TX packet or one RX frame, lowest queue first (TX before RX). False when nothing waits.</summary>
    public bool Step()
    {
        bool did;
        lock (_lock) did = StepLocked();
        FlushOutbox();
        return did;
    }

    /// <summary>Runs waiting work until none is left; returns how many units ran.</summary>
    public int RunPending()
    {
        int n = 0;
        while (true)
        {
            bool did;
            lock (_lock) did = StepLocked();
            FlushOutbox();
            if (!did) return n;
            n++;
        }
    }

    private bool StepLocked()
    {
        foreach (TxQueue? q in _tx)
        {
            if (q is not null && q.HasWork && q.ProcessOne()) return true;
        }
        foreach (RxQueue? q in _rx)
        {
            if (q is not null && q.HasWork && q.ProcessPendingFrame()) return true;
        }
        return false;
    }

    /// <summary>Resets the device and frees every DMA region still outstanding.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            ResetDeviceState();
        }
        _wire.Detach(this);
        _dma.Dispose();
    }

    // ---- helpers used by the queues ----

    internal bool Synchronous => _config.Execution == ExecutionMode.Synchronous;

    internal void Violate(ViolationKind kind, int queue, long index, string detail) => _violations.Add(kind, queue, index, detail);

    /// <summary>The device's view of DMA memory; a failure is recorded as a violation and nothing is touched.</summary>
    internal bool TryDma(ulong address, long length, int queue, long index, string what, out Span<byte> span)
    {
        span = default;
        if (!_busMaster)
        {
            Violate(ViolationKind.DmaWithoutBusMaster, queue, index, what + ": the device needed DMA at 0x" + address.ToString("X") + " but bus mastering is off");
            return false;
        }
        if (_dma.TryResolve(address, length, out span, out ViolationKind kind, out string reason)) return true;
        Violate(kind, queue, index, what + ": " + reason);
        return false;
    }

    /// <summary>Writes the event counter <paramref name="index"/> (checked when the queue was created).</summary>
    internal void WriteEventCounter(uint index, uint value, int queue)
    {
        if (!_configured || index >= _numCounters) return;
        if (TryDma(_counterArray + (ulong)index * EventCounter.Size, EventCounter.Size, queue, index, "event counter", out Span<byte> at))
            new EventCounter { Count = value }.Write(at);
    }

    internal void QueueFrameForWire(byte[] frame, int queue) => _outbox.Add((frame, queue));

    internal int CurrentMtu => _mtu;

    internal bool IsLinkUp => _linkUp;

    internal QueueCounters TxCounters(int q) => _txCounters[q];

    internal QueueCounters RxCounters(int q) => _rxCounters[q];

    private void FlushOutbox()
    {
        while (true)
        {
            (byte[] Frame, int Queue)[] batch;
            IWire wire;
            lock (_lock)
            {
                if (_outbox.Count == 0) return;
                batch = _outbox.ToArray();
                _outbox.Clear();
                wire = _wire;
            }
            foreach ((byte[] frame, int queue) in batch) wire.Transmit(this, frame, queue);
        }
    }

    private RxResult ReceiveLocked(byte[] frame, int queue)
    {
        if (!_linkUp || !_configured)
        {
            int q = queue >= 0 && queue < _rxCounters.Length ? queue : 0;
            if (!_linkUp) _rxCounters[q].LinkDownDrops++;
            return new RxResult(-1, RxOutcome.DroppedNotReady);
        }
        int target = queue >= 0 ? queue : SteerRx(frame);
        if (target < 0 || target >= _rx.Length || _rx[target] is null) return new RxResult(-1, RxOutcome.DroppedNotReady);
        RxQueue rxq = _rx[target]!;
        RxOutcome outcome = Synchronous ? rxq.Deliver(frame) : rxq.Enqueue(frame);
        UpdateNicStats();
        return new RxResult(target, outcome);
    }

    private int SteerRx(byte[] frame)
    {
        var live = new List<int>();
        for (int i = 0; i < _rx.Length; i++) if (_rx[i] is not null) live.Add(i);
        if (live.Count == 0) return -1;
        uint hash = RssHash(frame);
        if (_rssLut is { Length: > 0 })
        {
            uint q = _rssLut[hash % (uint)_rssLut.Length];
            if (q < _rx.Length && _rx[q] is not null) return (int)q;
        }
        return live[(int)(hash % (uint)live.Count)];
    }

    internal uint RssHash(ReadOnlySpan<byte> frame)
    {
        FrameInfo info = FrameInfo.Parse(frame);
        if (info.HashInput.IsEmpty) return 0;
        return FrameInfo.Toeplitz(_rssKey ?? DefaultRssKey, info.HashInput.Span);
    }

    private static readonly byte[] DefaultRssKey =
    [
        0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
        0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
        0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
    ];
}
