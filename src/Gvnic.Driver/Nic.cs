using System;
using System.Threading;
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

    private Nic(IPciFunction pci, NicOptions options)
    {
        _pci = pci;
        _options = options;
        _bar0 = new Bar0Registers(pci.Bar0);
        _bar2 = new Bar2Registers(pci.Bar2);
        _memory = new DmaMemory(pci.Dma);
    }

    /// <summary>Brings the device up: admin queue, description, resources, page lists, queues, RX buffers, notification blocks.</summary>
    /// <exception cref="NicConfigurationException">Not a gVNIC, no usable queue format, or options the device cannot meet.</exception>
    /// <exception cref="AdminCommandException">An admin command failed.</exception>
    /// <exception cref="DeviceTimeoutException">The device did not answer an admin command in time.</exception>
    /// <exception cref="DeviceResetException">The device reset during bring-up.</exception>
    /// <exception cref="DeviceFaultException">The device supplied a value the driver cannot accept.</exception>
    /// <remarks>On failure everything done so far is undone before the exception propagates.</remarks>
    public static Nic Open(IPciFunction pci, NicOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pci);
        var nic = new Nic(pci, options ?? new NicOptions());
        try
        {
            nic.BringUp();
            return nic;
        }
        catch (Exception)
        {
            nic._disposed = true;
            try { nic.TearDown(); }
            catch (NicTeardownException) { /* the bring-up error is the one to report; memory the device may hold stays kept */ }
            throw;
        }
    }

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

    /// <summary>Whether the device asks the driver to reset (device_status RESET, read now). Dispose and open again.</summary>
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
        if (_pci.VendorId != PciIds.GoogleVendor || _pci.DeviceId != PciIds.GvnicDevice)
            throw new NicConfigurationException(_pci.Address + " is " + _pci.VendorId.ToString("x4") + ":" + _pci.DeviceId.ToString("x4") + ", not a gVNIC (1ae0:0042)");

        _pci.EnableBusMaster();
        _busMaster = true;
        foreach (byte b in DeviceSetup.VersionString(_options.DriverVersion)) _bar0.WriteDriverVersion(b);
        uint maxTx = _bar0.ReadMaxTxQueues();
        uint maxRx = _bar0.ReadMaxRxQueues();

        _admin = new AdminQueue(_pci, _memory, _options.AdminTimeout, _options.TimeProvider);
        _admin.Start();
        lock (_admin.Gate)
        {
            VerifyDriverCompatibility(_admin);
            _device = DescribeDevice(_admin);
            _plan = DeviceSetup.Plan(_device, _options, maxTx, maxRx);
            if (_plan.Mtu != _device.Mtu)
            {
                AdminCommands.SetDriverParameter(ref _admin.Reserve(), SetDriverParamTypes.Mtu, (ulong)_plan.Mtu);
                _admin.Flush();
            }
            ConfigureDeviceResources(_admin, _plan, _device);
            if (_plan.IsDqo) _ptypeFlags = GetPtypeMap(_admin);
            ReportLinkSpeed(_admin);
            ReportStats(_admin, _plan);
            CreateQueues(_admin, _plan, maxTx);
        }
        foreach (RxQueue rx in _rx) rx.PostAll();

        if (_options.WaitMode == NicWaitMode.Interrupts)
        {
            _pci.Interrupts.Enable(_resources!.BlockCount + 1);
            _interruptsEnabled = true;
        }
        foreach (int doorbell in _irqDoorbells) Unmask(doorbell); // every notification block, polling mode too
    }

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

    /// <summary>Masks a notification block.</summary>
    private void Mask(int doorbell)
    {
        if (Plan.IsDqo) _bar2.WriteIrqDoorbellDqo(doorbell, default);
        else _bar2.WriteIrqDoorbell(doorbell, IrqDoorbellBits.Mask);
    }

    /// <summary>GET_PTYPE_MAP (DQO): which L3/L4 protocols each completion packet_type means, as RX flags.</summary>
    private RxFlags[] GetPtypeMap(AdminQueue admin)
    {
        DmaRegion region = _memory.Allocate(PtypeMap.Size);
        AdminCommands.GetPtypeMap(ref admin.Reserve(), region.DeviceAddress);
        admin.Flush();
        ref readonly PtypeMap map = ref PtypeMap.AsReadOnly(region.Span);
        var flags = new RxFlags[PtypeMap.PtypesLength];
        for (int i = 0; i < flags.Length; i++)
        {
            PtypeEntry e = map.GetPtypes(i);
            flags[i] = (e.L3Type == L3Type.Ipv4 ? RxFlags.Ipv4 : 0) | (e.L3Type == L3Type.Ipv6 ? RxFlags.Ipv6 : 0)
                | (e.L4Type == L4Type.Tcp ? RxFlags.Tcp : 0) | (e.L4Type == L4Type.Udp ? RxFlags.Udp : 0);
        }
        _memory.Free(region);
        return flags;
    }

    private static void VerifyDriverCompatibility(AdminQueue admin, DmaMemory memory, Version version)
    {
        DmaRegion info = memory.Allocate(DriverInfo.Size);
        string versionText = version.ToString();
        AdminCommands.FillDriverInfo(ref DriverInfo.AsRef(info.Span), (byte)version.Major, (byte)Math.Max(0, version.Minor), (byte)Math.Max(0, version.Build),
            Environment.OSVersion.VersionString, "gvnic-dotnet " + versionText);
        AdminCommands.VerifyDriverCompatibility(ref admin.Reserve(), info.DeviceAddress);
        admin.FlushAllowing(AdminqStatuses.CommandErrorUnimplemented);
        memory.Free(info);
    }

    private void VerifyDriverCompatibility(AdminQueue admin) => VerifyDriverCompatibility(admin, _memory, _options.DriverVersion);

    private DeviceDescription DescribeDevice(AdminQueue admin)
    {
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
        return description;
    }

    private void ConfigureDeviceResources(AdminQueue admin, DevicePlan plan, DeviceDescription device)
    {
        int blocks = 2 * Math.Max(plan.TxQueues, plan.RxQueues);
        if (device.EventCounters < plan.TxQueues)
            throw new NicConfigurationException("the device offers " + device.EventCounters + " event counters, fewer than the " + plan.TxQueues + " TX queues");
        if (_options.WaitMode == NicWaitMode.Interrupts && _pci.Interrupts.VectorCount < blocks + 1)
            throw new NicConfigurationException(plan.TxQueues + " TX and " + plan.RxQueues + " RX queues need " + (blocks + 1) + " MSI-X vectors (" + blocks + " notification blocks and management); the function has " + _pci.Interrupts.VectorCount);
        _resources = new DeviceResources(_memory, device.EventCounters, blocks, _pci.Bar2Length);
        AdminCommands.ConfigureDeviceResources(ref admin.Reserve(), _resources.CounterArrayAddress, (uint)_resources.CounterCount,
            _resources.IrqDoorbellArrayAddress, (uint)blocks, DeviceResources.IrqDoorbellStride, 0, plan.Format);
        admin.Flush();
        _configured = true;
        _irqDoorbells = new int[blocks];
        for (int b = 0; b < blocks; b++) _irqDoorbells[b] = _resources.IrqDoorbellIndex(b);
    }

    private void ReportLinkSpeed(AdminQueue admin)
    {
        DmaRegion speed = _memory.Allocate(sizeof(ulong));
        AdminCommands.ReportLinkSpeed(ref admin.Reserve(), speed.DeviceAddress);
        if (admin.FlushAllowing(AdminqStatuses.CommandErrorUnimplemented) == AdminqStatuses.CommandPassed)
            LinkSpeedMbps = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(speed.Span); // a bare be64; the schema has no struct for it
        _memory.Free(speed);
    }

    private void ReportStats(AdminQueue admin, DevicePlan plan)
    {
        int length = StatsReport.Size + Stats.Size * (TxStatsPerQueue * plan.TxQueues + RxStatsPerQueue * plan.RxQueues);
        DmaRegion report = _memory.Allocate(length); // zeroed by the allocator; the device reads it until teardown
        report.Span.Clear();
        AdminCommands.ReportStats(ref admin.Reserve(), report.DeviceAddress, (ulong)length, StatsIntervalMs);
        admin.FlushAllowing(AdminqStatuses.CommandErrorUnimplemented);
    }

    private void CreateQueues(AdminQueue admin, DevicePlan plan, uint maxTxQueues)
    {
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
                ? new DqoTxQueue(i, _memory, _bar2, plan.TxRingSize, list, plan.MaxFrame)
                : new GqiTxQueue(i, _memory, _bar2, plan.TxRingSize, list, _options.RdaTxBufferBytes, plan.MaxFrame);
            _tx[i].Block = _resources!.TxBlock(i);
        }
        _rx = new RxQueue[plan.RxQueues];
        for (int i = 0; i < plan.RxQueues; i++)
        {
            QueuePageList? list = qpl ? _rxQpls[i] : null;
            _rx[i] = plan.IsDqo
                ? new DqoRxQueue(i, _memory, _bar2, plan.RxRingSize, plan.RxBufferSize, list, _ptypeFlags)
                : new GqiRxQueue(i, _memory, _bar2, plan.RxRingSize, plan.RxBufferSize, list);
            _rx[i].Block = _resources!.RxBlock(i);
        }

        if (qpl)
        {
            QueuePageList[] lists = [.. _txQpls, .. _rxQpls];
            _qplLive = new bool[lists.Length];
            RunBatch(admin, _qplLive, (ref AdminqCommand cmd, int i) =>
                AdminCommands.RegisterPageList(ref cmd, lists[i].Id, (uint)lists[i].PageCount, lists[i].AddressList.DeviceAddress));
        }
        _txLive = new bool[_tx.Length];
        RunBatch(admin, _txLive, (ref AdminqCommand cmd, int i) => _tx[i].FillCreate(ref cmd, (uint)_tx[i].Block));
        _rxLive = new bool[_rx.Length];
        RunBatch(admin, _rxLive, (ref AdminqCommand cmd, int i) => _rx[i].FillCreate(ref cmd, (uint)_rx[i].Block));

        foreach (TxQueue tx in _tx) tx.Bind(_resources!);
        foreach (RxQueue rx in _rx) rx.Bind(_resources!);
    }

    private delegate void FillCommand(ref AdminqCommand cmd, int index);

    /// <summary>
    /// Issues one command per entry of <paramref name="done"/>, up to a ring's worth per doorbell, and records
    /// which ones the device carried out (so teardown undoes exactly those).
    /// </summary>
    private static void RunBatch(AdminQueue admin, bool[] done, FillCommand fill)
    {
        int slots = (int)GvnicConstants.AdminqSlots;
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
                throw;
            }
            for (int i = 0; i < count; i++) done[start + i] = true;
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
