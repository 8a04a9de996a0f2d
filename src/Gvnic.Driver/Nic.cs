using System;
using System.Collections.Generic;
using Gvnic.Admin;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>
/// A gVNIC brought up and ready for traffic. <see cref="Open"/> runs the upstream bring-up sequence;
/// <see cref="Dispose"/> tears it down in reverse order. The data path (<see cref="Transmit"/>,
/// <see cref="TryReceive(Span{byte}, out int, out RxInfo, int)"/>) allocates nothing.
/// </summary>
/// <remarks>
/// Thread safety: each queue belongs to one thread at a time; different queues may be used from different
/// threads. Teardown must not race traffic.
/// </remarks>
/// <example><code>
/// using var nic = Nic.Open(pci, new NicOptions { TxQueues = 2, RxQueues = 2 });
/// nic.Transmit(frame);
/// Span&lt;byte&gt; buffer = stackalloc byte[nic.MaxFrameSize];
/// if (nic.WaitForReceive(TimeSpan.FromSeconds(1)) &amp;&amp; nic.TryReceive(buffer, out int length, out RxInfo info))
///     Handle(buffer[..length]);
/// </code></example>
public sealed partial class Nic : IDisposable
{
    private const int StatsIntervalMs = 20_000;
    private const int TxStatsPerQueue = 6;
    private const int RxStatsPerQueue = 6;

    private readonly IPciFunction _pci;
    private readonly NicOptions _options;
    private readonly Bar0Registers _bar0;
    private readonly Bar2Registers _bar2;
    private readonly DmaMemory _memory;
    private AdminQueue? _admin;
    private DeviceResources? _resources;
    private DevicePlan? _plan;
    private DeviceDescription? _device;
    private QueuePageList[] _txQpls = [];
    private QueuePageList[] _rxQpls = [];
    private TxQueue[] _tx = [];
    private RxQueue[] _rx = [];
    private bool[] _txLive = [];
    private bool[] _rxLive = [];
    private bool[] _qplLive = [];
    private int[] _irqDoorbells = [];
    private RxFlags[] _ptypeFlags = [];
    private bool _configured;
    private bool _interruptsEnabled;
    private bool _busMaster;
    private bool _disposed;
    private readonly Action<NicBringUpStep>? _progress;
    private readonly TimeProvider _time;
    private NicPhase _phase = NicPhase.BringUp;
    private long _stepStart;
    private string? _step;

    private Nic(IPciFunction pci, NicOptions options)
    {
        _pci = pci;
        _options = options;
        _progress = options.Progress;
        _time = options.TimeProvider ?? TimeProvider.System; // a null provider is reported by validation, after this
        _stepStart = _time.GetTimestamp();
        _bar0 = new Bar0Registers(pci.Bar0);
        _bar2 = new Bar2Registers(pci.Bar2);
        _memory = new DmaMemory(pci.Dma);
    }

    /// <summary>Brings the device up: admin queue, description, resources, page lists, queues, RX buffers, notification blocks.</summary>
    /// <remarks>
    /// Options are checked first, before the device is touched, as far as the check needs no device description.
    /// Each step is reported to <see cref="NicOptions.Progress"/> as it finishes. On failure everything done so far is
    /// undone (reported as teardown steps) before the exception propagates.
    /// </remarks>
    /// <exception cref="NicConfigurationException">Not a gVNIC, no usable queue format, or options invalid or beyond what the device can meet (<see cref="NicConfigurationException.Option"/> names the option).</exception>
    /// <exception cref="AdminCommandException">An admin command failed.</exception>
    /// <exception cref="DeviceTimeoutException">The device did not answer an admin command in time.</exception>
    /// <exception cref="DeviceResetException">The device reset during bring-up.</exception>
    /// <exception cref="DeviceFaultException">The device supplied a value the driver cannot accept.</exception>
    public static Nic Open(IPciFunction pci, NicOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pci);
        var nic = new Nic(pci, options ?? new NicOptions());
        try
        {
            nic.BringUp();
            return nic;
        }
        catch (Exception e)
        {
            nic.Fail(e);
            nic._disposed = true;
            try { nic.TearDown(); }
            catch (NicTeardownException) { /* the bring-up error is the one to report; memory the device may hold stays kept */ }
            throw;
        }
    }

    /// <summary>The queue formats this driver implements, in upstream's order of preference (the first one the device offers is chosen when <see cref="NicOptions.QueueFormat"/> is null).</summary>
    public static IReadOnlyList<QueueFormat> ImplementedFormats => DeviceSetup.Implemented;

    /// <summary>The PCI address of the function.</summary>
    public string PciAddress => _pci.Address;

    /// <summary>The device's MAC address.</summary>
    public MacAddress MacAddress => Device.MacAddress;

    /// <summary>The MTU in use.</summary>
    public int Mtu => Plan.Mtu;

    /// <summary>The largest frame <see cref="Transmit"/> takes and RX delivers (MTU + Ethernet header + one VLAN tag).</summary>
    public int MaxFrameSize => Plan.MaxFrame;

    /// <summary>The queue format in use.</summary>
    public QueueFormat QueueFormat => Plan.Format;

    /// <summary>What the device described about itself.</summary>
    public DeviceDescription Device => _device ?? throw new InvalidOperationException("the NIC is not open");

    /// <summary>Whether the link is up (device_status, read now).</summary>
    public bool LinkUp => (_bar0.ReadDeviceStatus() & DeviceStatusFlags.LinkStatus) != 0;

    /// <summary>Whether the device asks the driver to reset (device_status RESET, read now). Call <see cref="Recover"/>.</summary>
    public bool ResetRequested => (_bar0.ReadDeviceStatus() & DeviceStatusFlags.Reset) != 0;

    /// <summary>The link speed REPORT_LINK_SPEED returned, in Mbit/s (0 when the device does not implement it).</summary>
    public ulong LinkSpeedMbps { get; private set; }

    /// <summary>TX queues.</summary>
    public int TxQueueCount => _tx.Length;

    /// <summary>RX queues.</summary>
    public int RxQueueCount => _rx.Length;

    /// <summary>TX ring entries per queue.</summary>
    public int TxRingSize => Plan.TxRingSize;

    /// <summary>RX ring entries per queue.</summary>
    public int RxRingSize => Plan.RxRingSize;

    /// <summary>Polling or interrupts.</summary>
    public NicWaitMode WaitMode => _options.WaitMode;

    private DevicePlan Plan => _plan ?? throw new InvalidOperationException("the NIC is not open");

    private void BringUp()
    {
        Begin("options");
        DeviceSetup.Validate(_options, _pci);
        Done((_options.QueueFormat is QueueFormat f ? f + " requested" : "format: the driver's choice") + ", " + _options.TxQueues + " TX + " + _options.RxQueues + " RX queues, "
            + (_options.WaitMode == NicWaitMode.Interrupts ? "interrupts" : "polling") + ", admin timeout " + _options.AdminTimeout.TotalMilliseconds + " ms");

        Begin("PCI function");
        if (_pci.VendorId != PciIds.GoogleVendor || _pci.DeviceId != PciIds.GvnicDevice)
            throw new NicConfigurationException(_pci.Address + " is " + _pci.VendorId.ToString("x4") + ":" + _pci.DeviceId.ToString("x4") + ", not a gVNIC (1ae0:0042)");
        _pci.EnableBusMaster();
        _busMaster = true;
        Done(_pci.Address + ": " + _pci.VendorId.ToString("x4") + ":" + _pci.DeviceId.ToString("x4") + " revision " + _pci.RevisionId + ", bus mastering on");

        Begin("driver version");
        byte[] version = DeviceSetup.VersionString(_options.DriverVersion);
        foreach (byte b in version) _bar0.WriteDriverVersion(b);
        Done(System.Text.Encoding.ASCII.GetString(version, 0, version.Length - 1) + " written to driver_version");

        Begin("queue limits");
        uint maxTx = _bar0.ReadMaxTxQueues();
        uint maxRx = _bar0.ReadMaxRxQueues();
        Done("up to " + maxTx + " TX and " + maxRx + " RX queues");

        Begin("admin queue");
        _admin = new AdminQueue(_pci, _memory, _options.AdminTimeout, _options.TimeProvider);
        _admin.Start();
        Done(_admin.Describe());
        lock (_admin.Gate)
        {
            VerifyDriverCompatibility(_admin);
            _device = DescribeDevice(_admin);

            Begin("plan");
            _plan = DeviceSetup.Plan(_device, _options, maxTx, maxRx);
            Done(_plan.Format + ", " + _plan.TxQueues + " TX + " + _plan.RxQueues + " RX queues, rings " + _plan.TxRingSize + "/" + _plan.RxRingSize
                + ", MTU " + _plan.Mtu + ", " + _plan.RxBufferSize + "-byte RX buffers"
                + (_plan.IsQpl ? ", page lists of " + _plan.TxPagesPerQpl + "/" + _plan.RxPagesPerQpl + " pages" : ""));

            if (_plan.Mtu != _device.Mtu)
            {
                BeginCommand(AdminqOpcodes.SetDriverParameter);
                AdminCommands.SetDriverParameter(ref _admin.Reserve(), SetDriverParamTypes.Mtu, (ulong)_plan.Mtu);
                _admin.Flush();
                Done("MTU " + _plan.Mtu + " (the device's is " + _device.Mtu + ")");
            }
            ConfigureDeviceResources(_admin, _plan, _device);
            if (_plan.IsDqo) _ptypeFlags = GetPtypeMap(_admin);
            ReportLinkSpeed(_admin);
            ReportStats(_admin, _plan);
            CreateQueues(_admin, _plan, maxTx);
        }

        Begin("RX buffers");
        int buffers = 0;
        foreach (RxQueue rx in _rx) buffers += rx.PostAll();
        Done(buffers + " buffers posted on " + _rx.Length + " RX queue" + (_rx.Length == 1 ? "" : "s") + ", doorbells rung");

        if (_options.WaitMode == NicWaitMode.Interrupts)
        {
            Begin("interrupts");
            _pci.Interrupts.Enable(_resources!.BlockCount + 1);
            _interruptsEnabled = true;
            Done((_resources.BlockCount + 1) + " MSI-X vectors enabled (" + _resources.BlockCount + " notification blocks and management)");
        }
        Begin("notification blocks");
        for (int b = 0; b < _irqDoorbells.Length; b++) TurnUpBlock(b); // every notification block, polling mode too
        Done(_irqDoorbells.Length + " unmasked" + (Plan.IsDqo ? " (DQO interrupt throttling " + DqoTxItrMicroseconds + " µs TX, " + DqoRxItrMicroseconds + " µs RX)" : "") + (_options.WaitMode == NicWaitMode.Polling ? " (polling: the driver does not wait on their vectors)" : ""));
    }

    // ---- progress -------------------------------------------------------------------------------------------------

    /// <summary>Starts a step: its time runs from the end of the previous one.</summary>
    private void Begin(string name) => _step = name;

    private void BeginCommand(AdminqOpcodes opcode) => _step = AdminNames.Of(opcode);

    /// <summary>Reports the step under way as done.</summary>
    private void Done(string detail)
    {
        string name = _step ?? throw new InvalidOperationException("no step under way");
        _step = null;
        Report(name, detail, failed: false);
    }

    /// <summary>Reports the step under way (if any) as failed with <paramref name="error"/>'s message.</summary>
    private void Fail(Exception error)
    {
        if (_step is not string name) return;
        _step = null;
        Report(name, error.Message, failed: true);
    }

    /// <summary>Reports one finished step; its time is what passed since the previous report.</summary>
    private void Report(string name, string detail, bool failed)
    {
        long now = _time.GetTimestamp();
        TimeSpan elapsed = _time.GetElapsedTime(_stepStart, now);
        _stepStart = now;
        if (_progress is not { } progress) return;
        var step = new NicBringUpStep(_phase, name, detail, elapsed, failed);
        if (_phase == NicPhase.BringUp)
        {
            progress(step);
            return;
        }
        try
        {
            progress(step);
        }
        catch (Exception)
        {
            // Documented: a failing progress callback must not stop teardown (the device could keep DMA memory).
        }
    }

    /// <summary><c>PASSED</c>, or the tolerated status's name.</summary>
    private static string Outcome(AdminqStatuses status, string passed)
        => status == AdminqStatuses.CommandPassed ? passed : AdminNames.Of(status) + " (tolerated: the device does not implement the command)";

    // ---- notification blocks ----------------------------------------------------------------------------------------

    /// <summary>Unmasks (re-arms) a notification block: GQI writes ACK | EVENT (0 at turn-up), DQO enables its ITR word without changing the interval.</summary>
    private void Unmask(int doorbell, bool acknowledge = false)
    {
        if (Plan.IsDqo)
        {
            ItrDoorbellDqo itr = default;
            itr.Enable = true;
            itr.NoUpdate = 3;
            _bar2.WriteIrqDoorbellDqo(doorbell, itr);
        }
        else
        {
            _bar2.WriteIrqDoorbell(doorbell, acknowledge ? IrqDoorbellBits.Ack | IrqDoorbellBits.Event : 0);
        }
    }

    /// <summary>Masks a notification block (DQO: enable clear, no_update = 3 so the throttling interval stays).</summary>
    private void Mask(int doorbell)
    {
        if (Plan.IsDqo)
        {
            ItrDoorbellDqo itr = default;
            itr.NoUpdate = 3;
            _bar2.WriteIrqDoorbellDqo(doorbell, itr);
        }
        else _bar2.WriteIrqDoorbell(doorbell, IrqDoorbellBits.Mask);
    }

    // ---- admin commands of bring-up ---------------------------------------------------------------------------------

    /// <summary>GET_PTYPE_MAP (DQO): which L3/L4 protocols each completion packet_type means, as RX flags.</summary>
    private RxFlags[] GetPtypeMap(AdminQueue admin)
    {
        BeginCommand(AdminqOpcodes.GetPtypeMap);
        DmaRegion region = _memory.Allocate(PtypeMap.Size);
        AdminCommands.GetPtypeMap(ref admin.Reserve(), region.DeviceAddress);
        admin.Flush();
        ref readonly PtypeMap map = ref PtypeMap.AsReadOnly(region.Span);
        var flags = new RxFlags[PtypeMap.PtypesLength];
        int known = 0;
        for (int i = 0; i < flags.Length; i++)
        {
            PtypeEntry e = map.GetPtypes(i);
            flags[i] = (e.L3Type == L3Type.Ipv4 ? RxFlags.Ipv4 : 0) | (e.L3Type == L3Type.Ipv6 ? RxFlags.Ipv6 : 0)
                | (e.L4Type == L4Type.Tcp ? RxFlags.Tcp : 0) | (e.L4Type == L4Type.Udp ? RxFlags.Udp : 0);
            if (flags[i] != 0) known++;
        }
        _memory.Free(region);
        Done(known + " of " + flags.Length + " packet types carry IPv4/IPv6/TCP/UDP flags");
        return flags;
    }

    private static AdminqStatuses VerifyDriverCompatibility(AdminQueue admin, DmaMemory memory, Version version)
    {
        DmaRegion info = memory.Allocate(DriverInfo.Size);
        string versionText = version.ToString();
        AdminCommands.FillDriverInfo(ref DriverInfo.AsRef(info.Span), (byte)version.Major, (byte)Math.Max(0, version.Minor), (byte)Math.Max(0, version.Build),
            Environment.OSVersion.VersionString, "gvnic-dotnet " + versionText);
        AdminCommands.VerifyDriverCompatibility(ref admin.Reserve(), info.DeviceAddress);
        AdminqStatuses status = admin.FlushAllowing(AdminqStatuses.CommandErrorUnimplemented);
        memory.Free(info);
        return status;
    }

    private void VerifyDriverCompatibility(AdminQueue admin)
    {
        BeginCommand(AdminqOpcodes.VerifyDriverCompatibility);
        AdminqStatuses status = VerifyDriverCompatibility(admin, _memory, _options.DriverVersion);
        Done(Outcome(status, "driver gvnic-dotnet " + _options.DriverVersion + " accepted"));
    }

    private DeviceDescription DescribeDevice(AdminQueue admin)
    {
        BeginCommand(AdminqOpcodes.DescribeDevice);
        DmaRegion page = _memory.Allocate((int)GvnicConstants.PageSize);
        AdminCommands.DescribeDevice(ref admin.Reserve(), page.DeviceAddress, (uint)page.Length);
        admin.Flush();
        DeviceDescription description;
        try
        {
            description = DeviceDescriptorParser.Parse(page.Span);
        }
        catch (DeviceDescriptorException e)
        {
            throw new DeviceFaultException("device descriptor", "total_length", -1, DeviceDescriptor.AsReadOnly(page.Span).TotalLength, e.Message);
        }
        _memory.Free(page);
        Done("MAC " + description.MacAddress + ", MTU " + description.Mtu + ", " + description.EventCounters + " event counters, rings "
            + description.TxQueueEntries + "/" + description.RxQueueEntries + ", formats " + description.OfferedFormatsText());
        return description;
    }

    private void ConfigureDeviceResources(AdminQueue admin, DevicePlan plan, DeviceDescription device)
    {
        BeginCommand(AdminqOpcodes.ConfigureDeviceResources);
        int blocks = DeviceSetup.NotificationBlocks(plan.TxQueues, plan.RxQueues);
        if (device.EventCounters < plan.TxQueues)
            throw new NicConfigurationException("the device offers " + device.EventCounters + " event counters, fewer than the " + plan.TxQueues + " TX queues", nameof(NicOptions.TxQueues));
        _resources = new DeviceResources(_memory, device.EventCounters, blocks, _pci.Bar2Length);
        AdminCommands.ConfigureDeviceResources(ref admin.Reserve(), _resources.CounterArrayAddress, (uint)_resources.CounterCount,
            _resources.IrqDoorbellArrayAddress, (uint)blocks, DeviceResources.IrqDoorbellStride, 0, plan.Format);
        admin.Flush();
        _configured = true;
        _irqDoorbells = new int[blocks];
        for (int b = 0; b < blocks; b++) _irqDoorbells[b] = _resources.IrqDoorbellIndex(b);
        Done(_resources.CounterCount + " event counters, " + blocks + " notification blocks (doorbells " + string.Join(", ", _irqDoorbells) + "), format " + plan.Format);
    }

    private void ReportLinkSpeed(AdminQueue admin)
    {
        BeginCommand(AdminqOpcodes.ReportLinkSpeed);
        DmaRegion speed = _memory.Allocate(LinkSpeedReport.Size);
        AdminCommands.ReportLinkSpeed(ref admin.Reserve(), speed.DeviceAddress);
        AdminqStatuses status = admin.FlushAllowing(AdminqStatuses.CommandErrorUnimplemented);
        if (status == AdminqStatuses.CommandPassed)
            LinkSpeedMbps = LinkSpeedReport.AsReadOnly(speed.Span).LinkSpeed;
        _memory.Free(speed);
        Done(Outcome(status, LinkSpeedMbps + " Mbit/s"));
    }

    private void ReportStats(AdminQueue admin, DevicePlan plan)
    {
        BeginCommand(AdminqOpcodes.ReportStats);
        int length = StatsReport.Size + Stats.Size * (TxStatsPerQueue * plan.TxQueues + RxStatsPerQueue * plan.RxQueues);
        DmaRegion report = _memory.Allocate(length); // zeroed by the allocator; the device reads it until teardown
        report.Span.Clear();
        AdminCommands.ReportStats(ref admin.Reserve(), report.DeviceAddress, (ulong)length, StatsIntervalMs);
        AdminqStatuses status = admin.FlushAllowing(AdminqStatuses.CommandErrorUnimplemented);
        Done(Outcome(status, length + "-byte report, written every " + StatsIntervalMs / 1000 + " s"));
    }

    private void CreateQueues(AdminQueue admin, DevicePlan plan, uint maxTxQueues)
    {
        Begin("queue memory");
        int regions = _memory.Count;
        long bytes = _memory.Bytes;
        bool qpl = plan.IsQpl;
        if (qpl)
        {
            _txQpls = new QueuePageList[plan.TxQueues];
            _rxQpls = new QueuePageList[plan.RxQueues];
            for (int i = 0; i < plan.TxQueues; i++) _txQpls[i] = new QueuePageList(_memory, (uint)i, plan.TxPagesPerQpl);
            for (int i = 0; i < plan.RxQueues; i++) _rxQpls[i] = new QueuePageList(_memory, maxTxQueues + (uint)i, plan.RxPagesPerQpl);
        }

        _tx = new TxQueue[plan.TxQueues];
        for (int i = 0; i < plan.TxQueues; i++)
        {
            QueuePageList? list = qpl ? _txQpls[i] : null;
            _tx[i] = plan.IsDqo
                ? new DqoTxQueue(i, _memory, _bar2, plan.TxRingSize, list, plan.MaxFrame, _time)
                : new GqiTxQueue(i, _memory, _bar2, plan.TxRingSize, list, _options.RdaTxBufferBytes, plan.MaxFrame);
            _tx[i].Block = _resources!.TxBlock(i);
        }
        _rx = new RxQueue[plan.RxQueues];
        for (int i = 0; i < plan.RxQueues; i++)
        {
            QueuePageList? list = qpl ? _rxQpls[i] : null;
            _rx[i] = plan.IsDqo
                ? new DqoRxQueue(i, _memory, _bar2, plan.RxRingSize, plan.RxBufferSize, list, _ptypeFlags, plan.MaxFrame, _options.HeaderSplit ? plan.Capabilities.HeaderBufferSize : 0)
                : new GqiRxQueue(i, _memory, _bar2, plan.RxRingSize, plan.RxBufferSize, list, plan.MaxFrame);
            _rx[i].Block = _resources!.RxBlock(i);
        }
        Done((_memory.Count - regions) + " DMA regions, " + (_memory.Bytes - bytes) + " bytes: rings, queue resources, "
            + (qpl ? "page lists" : "buffers") + " for " + _tx.Length + " TX and " + _rx.Length + " RX queues");

        if (qpl)
        {
            QueuePageList[] lists = [.. _txQpls, .. _rxQpls];
            _qplLive = new bool[lists.Length];
            RunBatch(admin, _qplLive, AdminqOpcodes.RegisterPageList, i => lists[i].Id,
                (ref AdminqCommand cmd, int i) => AdminCommands.RegisterPageList(ref cmd, lists[i].Id, (uint)lists[i].PageCount, lists[i].AddressList.DeviceAddress),
                i => lists[i].PageCount + " pages for " + (i < _txQpls.Length ? _tx[i].Name : _rx[i - _txQpls.Length].Name));
        }
        _txLive = new bool[_tx.Length];
        RunBatch(admin, _txLive, AdminqOpcodes.CreateTxQueue, i => (uint)i,
            (ref AdminqCommand cmd, int i) => _tx[i].FillCreate(ref cmd, (uint)_tx[i].Block),
            i =>
            {
                _tx[i].Bind(_resources!);
                return "ring " + plan.TxRingSize + ", notification block " + _tx[i].Block + (qpl ? ", page list " + _txQpls[i].Id : ", raw addressing");
            });
        _rxLive = new bool[_rx.Length];
        RunBatch(admin, _rxLive, AdminqOpcodes.CreateRxQueue, i => (uint)i,
            (ref AdminqCommand cmd, int i) => _rx[i].FillCreate(ref cmd, (uint)_rx[i].Block),
            i =>
            {
                _rx[i].Bind(_resources!);
                return "ring " + plan.RxRingSize + ", " + plan.RxBufferSize + "-byte buffers, notification block " + _rx[i].Block + (qpl ? ", page list " + _rxQpls[i].Id : ", raw addressing");
            });
    }

    private delegate void FillCommand(ref AdminqCommand cmd, int index);

    /// <summary>
    /// Issues one command per entry of <paramref name="done"/>, up to a ring's worth per doorbell, records which
    /// ones the device carried out (so teardown undoes exactly those), and reports each as a step
    /// (<c>CREATE_TX_QUEUE 3</c>). <paramref name="complete"/> finishes a command the device carried out (binding
    /// its queue, for example) and returns the step's detail.
    /// </summary>
    private void RunBatch(AdminQueue admin, bool[] done, AdminqOpcodes opcode, Func<int, uint> id, FillCommand fill, Func<int, string> complete)
    {
        int slots = (int)GvnicConstants.AdminqSlots;
        string command = AdminNames.Of(opcode);
        for (int start = 0; start < done.Length; start += slots)
        {
            int count = Math.Min(done.Length - start, slots);
            admin.Flush();
            for (int i = 0; i < count; i++) fill(ref admin.Reserve(), start + i);
            try
            {
                admin.Flush();
            }
            catch (AdminCommandException)
            {
                for (int i = 0; i < count; i++) done[start + i] = admin.BatchStatus(i) == AdminqStatuses.CommandPassed;
                ReportBatch(admin, command, start, count, id, null);
                throw;
            }
            catch (GvnicException e)
            {
                ReportBatch(admin, command, start, count, id, e);
                throw;
            }
            for (int i = 0; i < count; i++) done[start + i] = true;
            for (int i = 0; i < count; i++)
            {
                Begin(command + " " + id(start + i));
                Done(complete(start + i));
            }
        }
    }

    /// <summary>
    /// Reports every command of a failed batch: by its status after a command error, or all as failed with
    /// <paramref name="error"/> when the device gave no statuses (a timeout or a reset).
    /// </summary>
    private void ReportBatch(AdminQueue admin, string command, int start, int count, Func<int, uint> id, Exception? error)
    {
        for (int i = 0; i < count; i++)
        {
            string name = command + " " + id(start + i);
            if (error is not null)
            {
                Report(name, error.Message, failed: true);
                continue;
            }
            AdminqStatuses status = admin.BatchStatus(i);
            if (status == AdminqStatuses.CommandPassed) Report(name, "passed (the batch failed)", failed: false);
            else Report(name, "failed: " + AdminNames.Describe(status), failed: true);
        }
    }

    private TxQueue TxAt(int queue)
    {
        if ((uint)queue >= (uint)_tx.Length) ThrowQueue(queue, _tx.Length, "TX");
        return _tx[queue];
    }

    private RxQueue RxAt(int queue)
    {
        if ((uint)queue >= (uint)_rx.Length) ThrowQueue(queue, _rx.Length, "RX");
        return _rx[queue];
    }

    private void ThrowQueue(int queue, int count, string kind)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        throw new ArgumentOutOfRangeException(nameof(queue), queue, "the NIC has " + count + " " + kind + " queues");
    }
}
