using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator;

public sealed partial class SimulatedGvnic
{
    private readonly Dictionary<AdminqOpcodes, Queue<AdminqStatuses>> _failNext = new();
    private readonly List<AdminCommandRecord> _commandLog = new();
    private readonly Dictionary<uint, QueuePageList> _qpls = new();
    private readonly TxQueue?[] _tx;
    private readonly RxQueue?[] _rx;
    private readonly QueueCounters[] _txCounters;
    private readonly QueueCounters[] _rxCounters;
    private bool _stalled;
    private bool _configured;
    private ulong _counterArray;
    private uint _numCounters;
    private ulong _irqDbAddr;
    private uint _numIrqDbs;
    private uint _irqDbStride;
    private uint _msixBase;
    private QueueFormat _format;
    private ushort _mtu;
    private ulong _registeredPages;
    private ulong _statsAddr;
    private ulong _statsLen;
    private byte[]? _rssKey;
    private uint[]? _rssLut;
    private DriverInfo? _driverInfo;

    /// <summary>One admin command the device executed.</summary>
    /// <param name="Sequence">Its position in the free-running command count.</param>
    /// <param name="Opcode">The opcode as read.</param>
    /// <param name="Status">The status the device wrote.</param>
    /// <param name="Injected">Whether the status came from <see cref="FailNextCommand"/>.</param>
    public sealed record AdminCommandRecord(uint Sequence, AdminqOpcodes Opcode, AdminqStatuses Status, bool Injected);

    /// <summary>Every admin command executed since the device was created, in order.</summary>
    public IReadOnlyList<AdminCommandRecord> AdminCommands
    {
        get { lock (_lock) return _commandLog.ToArray(); }
    }

    /// <summary>The driver-info block of the last accepted VERIFY_DRIVER_COMPATIBILITY, or null.</summary>
    public DriverInfo? LastDriverInfo
    {
        get { lock (_lock) return _driverInfo; }
    }

    /// <summary>The admin-queue event counter (commands completed since the queue was set up).</summary>
    public uint AdminEventCounter
    {
        get { lock (_lock) return _eventCounter; }
    }

    /// <summary>Fault injection: the next command with <paramref name="opcode"/> is not executed and answers <paramref name="status"/> (several calls queue up).</summary>
    public void FailNextCommand(AdminqOpcodes opcode, AdminqStatuses status)
    {
        lock (_lock)
        {
            if (!_failNext.TryGetValue(opcode, out Queue<AdminqStatuses>? q)) _failNext[opcode] = q = new Queue<AdminqStatuses>();
            q.Enqueue(status);
        }
    }

    /// <summary>Fault injection: the device stops answering: admin commands, and the admin-queue release/reset handshake, wait until <see cref="ResumeAdminQueue"/>.</summary>
    public void StallAdminQueue()
    {
        lock (_lock) _stalled = true;
    }

    /// <summary>Ends <see cref="StallAdminQueue"/>: runs the commands and release that were waiting.</summary>
    public void ResumeAdminQueue()
    {
        lock (_lock)
        {
            _stalled = false;
            if (_releasePending)
            {
                ResetDeviceState();
                if (_config.Revision >= 1) _status |= DeviceStatusFlags.DeviceIsReset;
            }
            else
            {
                RunAdminQueue();
            }
        }
        FlushOutbox();
    }

    private void WriteAdminDoorbell(uint producer)
    {
        if (!_aqLive)
        {
            Violate(ViolationKind.AdminQueueState, -1, Bar0Registers.Offsets.AdminqDoorbell, "adminq_doorbell written (" + producer + ") before the admin queue was set up");
            return;
        }
        if ((int)(producer - _aqProducer) < 0)
        {
            Violate(ViolationKind.AdminQueueOverrun, -1, producer, "adminq_doorbell went backwards from " + _aqProducer + " to " + producer + " (it is a free-running count)");
            return;
        }
        if (producer - _eventCounter > GvnicConstants.AdminqSlots)
        {
            Violate(ViolationKind.AdminQueueOverrun, -1, producer, "adminq_doorbell " + producer + " is more than " + GvnicConstants.AdminqSlots + " commands ahead of the event counter " + _eventCounter);
            return;
        }
        _aqProducer = producer;
        if (!_stalled) RunAdminQueue();
    }

    private void RunAdminQueue()
    {
        while (_aqLive && _eventCounter != _aqProducer)
        {
            uint slot = _eventCounter & (GvnicConstants.AdminqSlots - 1);
            if (!TryDma(_aqBase + slot * GvnicConstants.AdminqCommandSize, AdminqCommand.Size, -1, slot, "admin command slot " + slot, out Span<byte> span))
                return; // the device cannot reach its queue: it stops answering
            AdminqCommand cmd = AdminqCommand.Read(span);
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
                status = Execute(ref cmd, slot);
            }
            // The command's memory may have been freed by the command itself only in a broken driver; re-resolve.
            if (TryDma(_aqBase + slot * GvnicConstants.AdminqCommandSize, AdminqCommand.Size, -1, slot, "admin command status", out span))
                AdminqCommand.AsRef(span).Status = status;
            _commandLog.Add(new AdminCommandRecord(_eventCounter, cmd.Opcode, status, injected));
            _eventCounter++;
        }
    }

    private AdminqStatuses Execute(ref AdminqCommand cmd, uint slot)
    {
        switch (cmd.Opcode)
        {
            case AdminqOpcodes.DescribeDevice: return DescribeDevice(ref cmd.DescribeDevice);
            case AdminqOpcodes.ConfigureDeviceResources: return ConfigureDeviceResources(ref cmd.ConfigureDeviceResources);
            case AdminqOpcodes.RegisterPageList: return RegisterPageList(ref cmd.RegisterPageList);
            case AdminqOpcodes.UnregisterPageList: return UnregisterPageList(cmd.UnregisterPageList.PageListId);
            case AdminqOpcodes.CreateTxQueue: return CreateTxQueue(ref cmd.CreateTxQueue);
            case AdminqOpcodes.CreateRxQueue: return CreateRxQueue(ref cmd.CreateRxQueue);
            case AdminqOpcodes.DestroyTxQueue: return DestroyTxQueue(cmd.DestroyTxQueue.QueueId);
            case AdminqOpcodes.DestroyRxQueue: return DestroyRxQueue(cmd.DestroyRxQueue.QueueId);
            case AdminqOpcodes.DeconfigureDeviceResources: return DeconfigureDeviceResources();
            case AdminqOpcodes.ConfigureRss: return ConfigureRss(ref cmd.ConfigureRss);
            case AdminqOpcodes.SetDriverParameter: return SetDriverParameter(ref cmd.SetDriverParameter);
            case AdminqOpcodes.ReportStats: return ReportStats(ref cmd.ReportStats);
            case AdminqOpcodes.ReportLinkSpeed: return ReportLinkSpeed(cmd.ReportLinkSpeed.LinkSpeedAddress);
            case AdminqOpcodes.GetPtypeMap: return GetPtypeMap(ref cmd.GetPtypeMap);
            case AdminqOpcodes.VerifyDriverCompatibility: return VerifyDriverCompatibility(ref cmd.VerifyDriverCompatibility);
            default:
                // EXTENDED_COMMAND (flow rules), QUERY_FLOW_RULES, REPORT_NIC_TIMESTAMP and QUERY_RSS belong to options this model does not offer.
                return AdminqStatuses.CommandErrorUnimplemented;
        }
    }

    private AdminqStatuses NotConfigured(string command)
    {
        Violate(ViolationKind.CommandOutOfOrder, -1, _eventCounter, command + " before CONFIGURE_DEVICE_RESOURCES");
        return AdminqStatuses.CommandErrorFailedPrecondition;
    }

    // ---- DESCRIBE_DEVICE ----

    private int OptionsLength(out int count)
    {
        int n = 0;
        int len = 0;
        void Add(int payload) { n++; len += DeviceOption.Size + payload; }
        if ((_config.Formats & OfferedFormats.GqiRda) != 0) Add(DeviceOptionGqiRda.Size);
        if ((_config.Formats & OfferedFormats.GqiQpl) != 0) Add(DeviceOptionGqiQpl.Size);
        if ((_config.Formats & OfferedFormats.DqoRda) != 0) Add(DeviceOptionDqoRda.Size);
        if ((_config.Formats & OfferedFormats.DqoQpl) != 0) Add(DeviceOptionDqoQpl.Size);
        if (_config.JumboFrames) Add(DeviceOptionJumboFrames.Size);
        if (_config.ModifyRing) Add(DeviceOptionModifyRing.Size);
        if (_config.BufferSizes) Add(DeviceOptionBufferSizes.Size);
        if (_config.Rss) Add(DeviceOptionRssConfig.Size);
        count = n;
        return len;
    }

    private AdminqStatuses DescribeDevice(ref AdminqDescribeDevice d)
    {
        if (d.DeviceDescriptorVersion != GvnicConstants.AdminqDeviceDescriptorVersion) return AdminqStatuses.CommandErrorInvalidArgument;
        int total = DeviceDescriptor.Size + OptionsLength(out int count);
        if (d.AvailableLength < total) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!TryDma(d.DeviceDescriptorAddr, total, -1, _eventCounter, "DESCRIBE_DEVICE descriptor", out Span<byte> buf)) return AdminqStatuses.CommandErrorInvalidArgument;
        buf.Clear();
        ref DeviceDescriptor desc = ref DeviceDescriptor.AsRef(buf);
        desc.MaxRegisteredPages = _config.MaxRegisteredPages;
        desc.TxQueueEntries = _config.TxQueueEntries;
        desc.RxQueueEntries = _config.RxQueueEntries;
        desc.DefaultNumQueues = _config.DefaultNumQueues;
        desc.Mtu = _config.Mtu;
        desc.Counters = _config.Counters;
        desc.TxPagesPerQpl = _config.TxPagesPerQpl;
        desc.RxPagesPerQpl = _config.RxPagesPerQpl;
        _config.Mac.AsSpan().CopyTo(desc.Mac);
        desc.NumDeviceOptions = (ushort)count;
        desc.TotalLength = (ushort)total;

        int off = DeviceDescriptor.Size;
        Span<byte> Option(Span<byte> b, DevOptId id, int payload, ref int at)
        {
            ref DeviceOption h = ref DeviceOption.AsRef(b.Slice(at));
            h.OptionId = id;
            h.OptionLength = (ushort)payload;
            h.RequiredFeaturesMask = 0;
            Span<byte> body = b.Slice(at + DeviceOption.Size, payload);
            at += DeviceOption.Size + payload;
            return body;
        }
        // Upstream enables the jumbo-frames option only when the chosen format's option lists it among its supported features.
        uint formatFeatures = _config.JumboFrames ? (uint)SupFeatureMask.JumboFrames : 0;
        if ((_config.Formats & OfferedFormats.GqiRda) != 0)
            DeviceOptionGqiRda.AsRef(Option(buf, DevOptId.GqiRda, DeviceOptionGqiRda.Size, ref off)).SupportedFeaturesMask = formatFeatures;
        if ((_config.Formats & OfferedFormats.GqiQpl) != 0)
            DeviceOptionGqiQpl.AsRef(Option(buf, DevOptId.GqiQpl, DeviceOptionGqiQpl.Size, ref off)).SupportedFeaturesMask = formatFeatures;
        // The buffer-sizes option (header split, larger buffers) applies to DQO only, when the DQO format option lists it.
        uint dqoFeatures = formatFeatures | (_config.BufferSizes ? (uint)SupFeatureMask.BufferSizes : 0);
        if ((_config.Formats & OfferedFormats.DqoRda) != 0)
            DeviceOptionDqoRda.AsRef(Option(buf, DevOptId.DqoRda, DeviceOptionDqoRda.Size, ref off)).SupportedFeaturesMask = dqoFeatures;
        if ((_config.Formats & OfferedFormats.DqoQpl) != 0)
        {
            ref DeviceOptionDqoQpl o = ref DeviceOptionDqoQpl.AsRef(Option(buf, DevOptId.DqoQpl, DeviceOptionDqoQpl.Size, ref off));
            o.SupportedFeaturesMask = dqoFeatures;
            o.TxPagesPerQpl = _config.TxPagesPerQpl;
            o.RxPagesPerQpl = _config.RxPagesPerQpl;
        }
        if (_config.JumboFrames)
        {
            ref DeviceOptionJumboFrames o = ref DeviceOptionJumboFrames.AsRef(Option(buf, DevOptId.JumboFrames, DeviceOptionJumboFrames.Size, ref off));
            o.SupportedFeaturesMask = (uint)SupFeatureMask.JumboFrames;
            o.MaxMtu = _config.MaxMtu;
        }
        if (_config.ModifyRing)
        {
            ref DeviceOptionModifyRing o = ref DeviceOptionModifyRing.AsRef(Option(buf, DevOptId.ModifyRing, DeviceOptionModifyRing.Size, ref off));
            o.SupportedFeaturedMask = (uint)SupFeatureMask.ModifyRing;
            o.MaxRxRingSize = _config.MaxRxRingSize;
            o.MaxTxRingSize = _config.MaxTxRingSize;
            o.MinRxRingSize = _config.MinRxRingSize;
            o.MinTxRingSize = _config.MinTxRingSize;
        }
        if (_config.BufferSizes)
        {
            ref DeviceOptionBufferSizes o = ref DeviceOptionBufferSizes.AsRef(Option(buf, DevOptId.BufferSizes, DeviceOptionBufferSizes.Size, ref off));
            o.SupportedFeaturesMask = (uint)SupFeatureMask.BufferSizes;
            o.PacketBufferSize = _config.MaxPacketBufferSize;
            o.HeaderBufferSize = _config.HeaderBufferSize;
        }
        if (_config.Rss)
        {
            ref DeviceOptionRssConfig o = ref DeviceOptionRssConfig.AsRef(Option(buf, DevOptId.RssConfig, DeviceOptionRssConfig.Size, ref off));
            o.SupportedFeaturesMask = (uint)SupFeatureMask.RssConfig;
            o.HashKeySize = _config.RssKeySize;
            o.HashLutSize = _config.RssLutSize;
        }
        _faults.OnDescribeDevice(buf, total, (int)d.AvailableLength);
        return AdminqStatuses.CommandPassed;
    }

    // ---- CONFIGURE / DECONFIGURE_DEVICE_RESOURCES ----

    private bool FormatOffered(QueueFormat f) => f switch
    {
        QueueFormat.GqiQpl => (_config.Formats & OfferedFormats.GqiQpl) != 0 || _config.Formats == OfferedFormats.None,
        QueueFormat.GqiRda => (_config.Formats & OfferedFormats.GqiRda) != 0,
        QueueFormat.DqoRda => (_config.Formats & OfferedFormats.DqoRda) != 0,
        QueueFormat.DqoQpl => (_config.Formats & OfferedFormats.DqoQpl) != 0,
        _ => false,
    };

    private AdminqStatuses ConfigureDeviceResources(ref AdminqConfigureDeviceResources c)
    {
        if (_configured)
        {
            Violate(ViolationKind.CommandOutOfOrder, -1, _eventCounter, "CONFIGURE_DEVICE_RESOURCES while already configured (DECONFIGURE first)");
            return AdminqStatuses.CommandErrorFailedPrecondition;
        }
        QueueFormat format = c.QueueFormat;
        if (format == QueueFormat.Unspecified)
            format = FormatOffered(QueueFormat.GqiQpl) ? QueueFormat.GqiQpl : QueueFormat.GqiRda; // drivers older than DQO leave it 0: GQI
        if (!FormatOffered(format)) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.NumCounters == 0 || c.NumCounters > _config.Counters) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.NumIrqDbs == 0 || c.NumIrqDbs > (uint)_config.MsixVectors || (ulong)c.NtfyBlkMsixBaseIdx + c.NumIrqDbs > (ulong)_config.MsixVectors)
            return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.IrqDbStride < IrqDb.Size || c.IrqDbStride % 4 != 0 || c.IrqDbStride > GvnicConstants.PageSize) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!TryDma(c.CounterArray, (long)c.NumCounters * EventCounter.Size, -1, _eventCounter, "event-counter array", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
        long irqLen = (long)(c.NumIrqDbs - 1) * c.IrqDbStride + IrqDb.Size;
        if (!TryDma(c.IrqDbAddr, irqLen, -1, _eventCounter, "IRQ-doorbell array", out Span<byte> irq)) return AdminqStatuses.CommandErrorInvalidArgument;

        _counterArray = c.CounterArray;
        _numCounters = c.NumCounters;
        _irqDbAddr = c.IrqDbAddr;
        _numIrqDbs = c.NumIrqDbs;
        _irqDbStride = c.IrqDbStride;
        _msixBase = c.NtfyBlkMsixBaseIdx;
        _format = format;
        _blocks = new NotificationBlock[_numIrqDbs];
        for (int i = 0; i < _blocks.Length; i++)
        {
            var b = new NotificationBlock { Id = i, DoorbellIndex = IrqDoorbellBase + (uint)i, Vector = (int)_msixBase + i };
            _blocks[i] = b;
            new IrqDb { Index = b.DoorbellIndex }.Write(irq.Slice((int)(i * _irqDbStride)));
            _doorbellOwners[b.DoorbellIndex] = b;
        }
        _configured = true;
        return AdminqStatuses.CommandPassed;
    }

    private AdminqStatuses DeconfigureDeviceResources()
    {
        if (!_configured) return NotConfigured("DECONFIGURE_DEVICE_RESOURCES");
        if (CountLive(_tx) + CountLive(_rx) > 0)
        {
            Violate(ViolationKind.CommandOutOfOrder, -1, _eventCounter, "DECONFIGURE_DEVICE_RESOURCES while " + CountLive(_tx) + " TX and " + CountLive(_rx) + " RX queues still exist");
            return AdminqStatuses.CommandErrorFailedPrecondition;
        }
        if (_qpls.Count > 0)
        {
            Violate(ViolationKind.CommandOutOfOrder, -1, _eventCounter, "DECONFIGURE_DEVICE_RESOURCES while " + _qpls.Count + " page lists are still registered");
            return AdminqStatuses.CommandErrorFailedPrecondition;
        }
        foreach (NotificationBlock b in _blocks) _doorbellOwners.Remove(b.DoorbellIndex);
        _blocks = Array.Empty<NotificationBlock>();
        _configured = false;
        _rssKey = null;
        _rssLut = null;
        return AdminqStatuses.CommandPassed;
    }

    // ---- page lists ----

    private bool IsQplFormat => _format is QueueFormat.GqiQpl or QueueFormat.DqoQpl;

    private AdminqStatuses RegisterPageList(ref AdminqRegisterPageList r)
    {
        if (!_configured) return NotConfigured("REGISTER_PAGE_LIST");
        if (!IsQplFormat) return AdminqStatuses.CommandErrorFailedPrecondition;
        if (r.PageListId == GvnicConstants.RawAddressingQplId) return AdminqStatuses.CommandErrorInvalidArgument;
        if (_qpls.ContainsKey(r.PageListId)) return AdminqStatuses.CommandErrorAlreadyExists;
        ulong pageSize = r.PageSize == 0 ? GvnicConstants.PageSize : r.PageSize;
        if (pageSize != GvnicConstants.PageSize) return AdminqStatuses.CommandErrorInvalidArgument;
        if (r.NumPages == 0) return AdminqStatuses.CommandErrorInvalidArgument;
        uint perQpl = Math.Min(Math.Max((uint)_config.TxPagesPerQpl, _config.RxPagesPerQpl), GvnicConstants.MaxQplPages);
        if (r.NumPages > perQpl) return AdminqStatuses.CommandErrorOutOfRange;
        if (_registeredPages + r.NumPages > _config.MaxRegisteredPages) return AdminqStatuses.CommandErrorResourceExhausted;
        if (!TryDma(r.PageAddressListAddr, (long)r.NumPages * PageListEntry.Size, -1, _eventCounter, "page-address list of page list " + r.PageListId, out Span<byte> list))
            return AdminqStatuses.CommandErrorInvalidArgument;
        var pages = new ulong[r.NumPages];
        for (int i = 0; i < pages.Length; i++)
        {
            ulong addr = PageListEntry.Read(list.Slice(i * PageListEntry.Size)).PageAddress;
            if ((addr & (GvnicConstants.PageSize - 1)) != 0)
            {
                Violate(ViolationKind.DmaOutOfBounds, -1, i, "page " + i + " of page list " + r.PageListId + " is at 0x" + addr.ToString("X") + ", not 4096-aligned");
                return AdminqStatuses.CommandErrorInvalidArgument;
            }
            if (!TryDma(addr, GvnicConstants.PageSize, -1, i, "page " + i + " of page list " + r.PageListId, out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            pages[i] = addr;
        }
        _qpls[r.PageListId] = new QueuePageList(r.PageListId, pages);
        _registeredPages += r.NumPages;
        return AdminqStatuses.CommandPassed;
    }

    private AdminqStatuses UnregisterPageList(uint id)
    {
        if (!_configured) return NotConfigured("UNREGISTER_PAGE_LIST");
        if (!_qpls.TryGetValue(id, out QueuePageList? qpl)) return AdminqStatuses.CommandErrorNotFound;
        if (qpl.Owner is not null)
        {
            Violate(ViolationKind.CommandOutOfOrder, -1, _eventCounter, "UNREGISTER_PAGE_LIST " + id + " while " + qpl.Owner + " still uses it");
            return AdminqStatuses.CommandErrorFailedPrecondition;
        }
        _qpls.Remove(id);
        _registeredPages -= (ulong)qpl.PageCount;
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>The ids of the page lists registered now.</summary>
    public IReadOnlyList<uint> RegisteredPageLists
    {
        get { lock (_lock) return new List<uint>(_qpls.Keys); }
    }

    // ---- queues ----

    private static bool RingSizeOk(uint size, uint min, uint max) => SimulatedDeviceConfig.IsPow2(size) && size >= min && size <= max;

    private AdminqStatuses ResolveQpl(uint id, string owner, out QueuePageList? qpl)
    {
        qpl = null;
        if (!IsQplFormat) return id == GvnicConstants.RawAddressingQplId ? AdminqStatuses.CommandPassed : AdminqStatuses.CommandErrorInvalidArgument;
        if (id == GvnicConstants.RawAddressingQplId) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!_qpls.TryGetValue(id, out qpl)) return AdminqStatuses.CommandErrorNotFound;
        if (qpl.Owner is not null)
        {
            Violate(ViolationKind.CommandOutOfOrder, -1, _eventCounter, owner + " given page list " + id + ", which " + qpl.Owner + " already uses");
            qpl = null;
            return AdminqStatuses.CommandErrorFailedPrecondition;
        }
        return AdminqStatuses.CommandPassed;
    }

    private void WriteQueueResources(Span<byte> at, uint dbIndex, uint counterIndex, bool tx, int queue)
    {
        _faults.OnQueueResources(tx, queue, ref dbIndex, ref counterIndex, _config.Bar2Length / 4, _numCounters);
        at.Slice(0, QueueResources.Size).Clear();
        ref QueueResources r = ref QueueResources.AsRef(at);
        r.DbIndex = dbIndex;
        r.CounterIndex = counterIndex;
    }

    private AdminqStatuses CreateTxQueue(ref AdminqCreateTxQueue c)
    {
        if (!_configured) return NotConfigured("CREATE_TX_QUEUE");
        uint id = c.QueueId;
        if (id >= _config.MaxTxQueues) return AdminqStatuses.CommandErrorInvalidArgument;
        if (_tx[id] is not null) return AdminqStatuses.CommandErrorAlreadyExists;
        if (c.NtfyId >= _numIrqDbs) return AdminqStatuses.CommandErrorInvalidArgument;
        uint size = c.TxRingSize == 0 ? _config.TxQueueEntries : c.TxRingSize;
        uint max = _config.ModifyRing ? _config.MaxTxRingSize : _config.TxQueueEntries;
        if (!RingSizeOk(size, _config.MinTxRingSize, max)) return AdminqStatuses.CommandErrorInvalidArgument;
        uint counter = id;
        if (counter >= _numCounters) return AdminqStatuses.CommandErrorResourceExhausted;
        string name = "TX queue " + id;
        AdminqStatuses st = ResolveQpl(c.QueuePageListId, name, out QueuePageList? qpl);
        if (st != AdminqStatuses.CommandPassed) return st;
        if (!TryDma(c.QueueResourcesAddr, QueueResources.Size, (int)id, -1, name + " queue resources", out Span<byte> res)) return AdminqStatuses.CommandErrorInvalidArgument;
        TxQueue q;
        if (IsDqo)
        {
            uint compSize = c.TxCompRingSize == 0 ? size : c.TxCompRingSize;
            if (!SimulatedDeviceConfig.IsPow2(compSize) || compSize < size || compSize > 4u * max) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!TryDma(c.TxRingAddr, (long)size * TxDescDqo.Size, (int)id, -1, name + " descriptor ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!TryDma(c.TxCompRingAddr, (long)compSize * TxComplDesc.Size, (int)id, -1, name + " completion ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new DqoTxQueue(this, (int)id, c.NtfyId, TxDoorbellBase + id, counter, qpl, c.TxRingAddr, (int)size, c.TxCompRingAddr, (int)compSize);
        }
        else
        {
            if (!TryDma(c.TxRingAddr, (long)size * TxDesc.Size, (int)id, -1, name + " descriptor ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new GqiTxQueue(this, (int)id, c.NtfyId, TxDoorbellBase + id, counter, qpl, c.TxRingAddr, (int)size);
        }
        if (qpl is not null) qpl.Owner = name;
        WriteQueueResources(res, q.DoorbellIndex, counter, tx: true, (int)id);
        _tx[id] = q;
        _doorbellOwners[q.DoorbellIndex] = q;
        WriteEventCounter(counter, 0, (int)id);
        return AdminqStatuses.CommandPassed;
    }

    private AdminqStatuses CreateRxQueue(ref AdminqCreateRxQueue c)
    {
        if (!_configured) return NotConfigured("CREATE_RX_QUEUE");
        uint id = c.QueueId;
        if (id >= _config.MaxRxQueues) return AdminqStatuses.CommandErrorInvalidArgument;
        if (_rx[id] is not null) return AdminqStatuses.CommandErrorAlreadyExists;
        if (c.NtfyId >= _numIrqDbs) return AdminqStatuses.CommandErrorInvalidArgument;
        uint size = c.RxRingSize == 0 ? _config.RxQueueEntries : c.RxRingSize;
        uint max = _config.ModifyRing ? _config.MaxRxRingSize : _config.RxQueueEntries;
        if (!RingSizeOk(size, _config.MinRxRingSize, max)) return AdminqStatuses.CommandErrorInvalidArgument;
        uint buf = c.PacketBufferSize;
        if (buf == 0) return AdminqStatuses.CommandErrorInvalidArgument;
        uint maxBuf = _config.BufferSizes ? _config.MaxPacketBufferSize : GvnicConstants.DefaultRxBufferSize;
        if (IsDqo)
        {
            if (buf < 1024 || buf > Math.Min(maxBuf, 16384u - 128) || buf % 128 != 0) return AdminqStatuses.CommandErrorInvalidArgument;
        }
        else if (buf < GvnicConstants.DefaultRxBufferSize || buf > maxBuf || buf % GvnicConstants.DefaultRxBufferSize != 0)
        {
            return AdminqStatuses.CommandErrorInvalidArgument;
        }
        uint counter = (RxCounterBase + id) % _numCounters;
        string name = "RX queue " + id;
        AdminqStatuses st = ResolveQpl(c.QueuePageListId, name, out QueuePageList? qpl);
        if (st != AdminqStatuses.CommandPassed) return st;
        if (!TryDma(c.QueueResourcesAddr, QueueResources.Size, (int)id, -1, name + " queue resources", out Span<byte> res)) return AdminqStatuses.CommandErrorInvalidArgument;
        RxQueue q;
        if (IsDqo)
        {
            uint bufqSize = c.RxBuffRingSize == 0 ? size : c.RxBuffRingSize;
            if (!RingSizeOk(bufqSize, 1, 4u * max)) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!TryDma(c.RxDescRingAddr, (long)size * RxComplDescDqo.Size, (int)id, -1, name + " completion queue", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!TryDma(c.RxDataRingAddr, (long)bufqSize * RxDescDqo.Size, (int)id, -1, name + " buffer queue", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            // Header split: only with the buffer-sizes option's header size, and not with page lists (as upstream).
            uint header = c.HeaderBufferSize;
            if (header != 0 && (!_config.BufferSizes || header != _config.HeaderBufferSize || qpl is not null)) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new DqoRxQueue(this, (int)id, c.NtfyId, RxDoorbellBase + id, counter, qpl, c.RxDescRingAddr, (int)size, c.RxDataRingAddr, (int)bufqSize, (int)buf, (int)header);
        }
        else
        {
            if (!TryDma(c.RxDescRingAddr, (long)size * RxDesc.Size, (int)id, -1, name + " descriptor ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!TryDma(c.RxDataRingAddr, (long)size * RxDataSlot.Size, (int)id, -1, name + " data ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new GqiRxQueue(this, (int)id, c.NtfyId, RxDoorbellBase + id, counter, qpl, c.RxDescRingAddr, c.RxDataRingAddr, (int)size, (int)buf);
        }
        if (qpl is not null) qpl.Owner = name;
        WriteQueueResources(res, q.DoorbellIndex, counter, tx: false, (int)id);
        _rx[id] = q;
        _doorbellOwners[q.DoorbellIndex] = q;
        return AdminqStatuses.CommandPassed;
    }

    private AdminqStatuses DestroyTxQueue(uint id)
    {
        if (!_configured) return NotConfigured("DESTROY_TX_QUEUE");
        if (id >= _tx.Length || _tx[id] is null) return AdminqStatuses.CommandErrorNotFound;
        TxQueue q = _tx[id]!;
        if (q.Qpl is not null) q.Qpl.Owner = null;
        _doorbellOwners.Remove(q.DoorbellIndex);
        _tx[id] = null;
        return AdminqStatuses.CommandPassed;
    }

    private AdminqStatuses DestroyRxQueue(uint id)
    {
        if (!_configured) return NotConfigured("DESTROY_RX_QUEUE");
        if (id >= _rx.Length || _rx[id] is null) return AdminqStatuses.CommandErrorNotFound;
        RxQueue q = _rx[id]!;
        if (q.Qpl is not null) q.Qpl.Owner = null;
        _doorbellOwners.Remove(q.DoorbellIndex);
        _rx[id] = null;
        return AdminqStatuses.CommandPassed;
    }

    // ---- the rest ----

    private AdminqStatuses ConfigureRss(ref AdminqConfigureRss c)
    {
        if (!_config.Rss) return AdminqStatuses.CommandErrorUnimplemented;
        if (!_configured) return NotConfigured("CONFIGURE_RSS");
        if (c.HashAlg != RssHashAlg.Toeplitz && c.HashAlg != RssHashAlg.NoChange) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.HashKeySize != 0 && c.HashKeySize != _config.RssKeySize) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.HashLutSize != 0 && c.HashLutSize != _config.RssLutSize) return AdminqStatuses.CommandErrorInvalidArgument;
        byte[]? key = null;
        uint[]? lut = null;
        if (c.HashKeySize != 0)
        {
            if (!TryDma(c.HashKeyAddr, c.HashKeySize, -1, _eventCounter, "RSS key", out Span<byte> k)) return AdminqStatuses.CommandErrorInvalidArgument;
            key = k.ToArray();
        }
        if (c.HashLutSize != 0)
        {
            if (!TryDma(c.HashLutAddr, (long)c.HashLutSize * RssLutEntry.Size, -1, _eventCounter, "RSS indirection table", out Span<byte> l)) return AdminqStatuses.CommandErrorInvalidArgument;
            lut = new uint[c.HashLutSize];
            for (int i = 0; i < lut.Length; i++)
            {
                lut[i] = RssLutEntry.Read(l.Slice(i * RssLutEntry.Size)).Queue;
                if (lut[i] >= _config.MaxRxQueues) return AdminqStatuses.CommandErrorInvalidArgument;
            }
        }
        if (key is not null) _rssKey = key;
        if (lut is not null) _rssLut = lut;
        return AdminqStatuses.CommandPassed;
    }

    private AdminqStatuses SetDriverParameter(ref AdminqSetDriverParameter p)
    {
        if (p.ParameterType != SetDriverParamTypes.Mtu) return AdminqStatuses.CommandErrorInvalidArgument;
        ulong max = _config.JumboFrames ? _config.MaxMtu : _config.Mtu;
        if (p.ParameterValue < 68 || p.ParameterValue > max) return AdminqStatuses.CommandErrorInvalidArgument;
        _mtu = (ushort)p.ParameterValue;
        return AdminqStatuses.CommandPassed;
    }

    private AdminqStatuses ReportStats(ref AdminqReportStats r)
    {
        if (r.StatsReportLen < (ulong)StatsReport.Size || r.StatsReportLen > int.MaxValue) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!TryDma(r.StatsReportAddr, (long)r.StatsReportLen, -1, _eventCounter, "stats report", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
        _statsAddr = r.StatsReportAddr;
        _statsLen = r.StatsReportLen;
        _status &= ~DeviceStatusFlags.ReportStats;
        UpdateNicStats();
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>
    /// Writes the device's RX statistics into the stats report after the driver's part (upstream: 6 entries per TX
    /// queue and 2 per RX queue), four entries per RX queue, as far as the report is long enough.
    /// </summary>
    private void UpdateNicStats()
    {
        if (_statsAddr == 0) return;
        if (!_dma.TryResolve(_statsAddr, (long)_statsLen, out Span<byte> report, out _, out _) || !_busMaster) return;
        int index = 6 * CountLive(_tx) + 2 * CountLive(_rx);
        for (int q = 0; q < _rx.Length; q++)
        {
            if (_rx[q] is null) continue;
            QueueCounters c = _rxCounters[q];
            ReadOnlySpan<(StatNames, long)> entries =
            [
                (StatNames.RxQueueDropCnt, c.NoBufferDrops + c.OverMruDrops + c.Errors),
                (StatNames.RxNoBuffersPosted, c.NoBufferDrops),
                (StatNames.RxDropsPacketOverMru, c.OverMruDrops),
                (StatNames.RxDropsInvalidChecksum, 0),
            ];
            foreach ((StatNames name, long value) in entries)
            {
                int at = StatsReport.Size + index * Stats.Size;
                if (at + Stats.Size > report.Length) return;
                ref Stats s = ref Stats.AsRef(report.Slice(at));
                s.StatName = name;
                s.QueueId = (uint)q;
                s.Value = (ulong)value;
                index++;
            }
        }
    }

    private AdminqStatuses ReportLinkSpeed(ulong address)
    {
        if (!TryDma(address, LinkSpeedReport.Size, -1, _eventCounter, "link speed", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        new LinkSpeedReport { LinkSpeed = _config.LinkSpeed }.Write(at);
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>The packet-type index the model uses for an L3/L4 pair (the GET_PTYPE_MAP entry at that index holds them).</summary>
    public static int PacketTypeIndex(L3Type l3, L4Type l4) => (int)l3 << 3 | (int)l4;

    private AdminqStatuses GetPtypeMap(ref AdminqGetPtypeMap g)
    {
        if (g.PtypeMapLen < (ulong)PtypeMap.Size) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!TryDma(g.PtypeMapAddr, PtypeMap.Size, -1, _eventCounter, "ptype map", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        at.Clear();
        ref PtypeMap map = ref PtypeMap.AsRef(at);
        foreach (L3Type l3 in new[] { L3Type.Unknown, L3Type.Other, L3Type.Ipv4, L3Type.Ipv6 })
        {
            foreach (L4Type l4 in new[] { L4Type.Unknown, L4Type.Other, L4Type.Tcp, L4Type.Udp, L4Type.Icmp, L4Type.Sctp })
            {
                var e = new PtypeEntry { L3Type = l3, L4Type = l4 };
                map.SetPtypes(PacketTypeIndex(l3, l4), e);
            }
        }
        return AdminqStatuses.CommandPassed;
    }

    private AdminqStatuses VerifyDriverCompatibility(ref AdminqVerifyDriverCompatibility v)
    {
        if (!_config.VerifyDriverCompatibility) return AdminqStatuses.CommandErrorUnimplemented;
        if (v.DriverInfoLen < (ulong)DriverInfo.Size) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!TryDma(v.DriverInfoAddr, DriverInfo.Size, -1, _eventCounter, "driver info", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        _driverInfo = DriverInfo.Read(at);
        return AdminqStatuses.CommandPassed;
    }
}
