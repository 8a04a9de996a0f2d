using System;
using System.Collections.Generic;
using Gvnic.Simulator.Queues;
using Gvnic.Simulator.Registers;
using Gvnic.Wire;

namespace Gvnic.Simulator.Device;

/// <summary>
/// What the device is, apart from how the driver reaches it: device_status and link, the chosen format and MTU, the
/// notification blocks, the doorbell owners, the event counters, the page lists, the queues and their counters, RSS,
/// the stats report and the frames on their way to the wire. A control plane (the admin queue) changes it; the data
/// path and the queues read it. Guarded by the device lock.
/// </summary>
internal sealed class DeviceState
{
    public DeviceState(SimulatedDeviceConfig config, DeviceDma dma, NotificationBlocks blocks, WirePort wire, DeviceClock clock, ViolationLog violations)
    {
        Config = config;
        Dma = dma;
        Blocks = blocks;
        Wire = wire;
        Clock = clock;
        StatsReader = new StatsReportReader(this, violations);
        _counterChoice = new Random(config.DqoSeed * 31337 + 17);
        EventCounters = new EventCounterArray(dma);
        LinkUp = config.LinkUp;
        Status = LinkUp ? DeviceStatusFlags.LinkStatus : 0;
        Mtu = config.Mtu;
        Tx = new TxQueue?[config.MaxTxQueues];
        Rx = new RxQueue?[config.MaxRxQueues];
        TxCounters = NewCounters((int)config.MaxTxQueues);
        RxCounters = NewCounters((int)config.MaxRxQueues);
    }

    private static QueueCounters[] NewCounters(int n)
    {
        var a = new QueueCounters[n];
        for (int i = 0; i < n; i++) a[i] = new QueueCounters();
        return a;
    }

    private readonly Random _counterChoice;

    public SimulatedDeviceConfig Config { get; }

    /// <summary>The device's clock and its timed work.</summary>
    public DeviceClock Clock { get; }

    /// <summary>The reads and checks of the driver's part of the stats report.</summary>
    public StatsReportReader StatsReader { get; }

    /// <summary>The event counters live queues use (the device's picks).</summary>
    public HashSet<uint> CountersInUse { get; } = new();

    /// <summary>
    /// The device reset itself (host-initiated, or the delayed reset): until the driver sets the admin queue up again,
    /// doorbells and admin-queue writes of the driver's old state are ignored without counting as protocol violations.
    /// </summary>
    public bool ResetByHost { get; set; }

    /// <summary>Doorbell and admin-queue writes ignored because the device had reset itself under the driver.</summary>
    public long IgnoredAfterHostReset { get; set; }

    /// <summary>Resets the device did on its own (host-initiated and delayed).</summary>
    public long HostResets { get; set; }

    /// <summary>Picks one of the <paramref name="advertised"/> event counters no live queue uses, at random (seeded); -1 when all are taken.</summary>
    public int PickCounter(uint advertised)
    {
        int free = (int)advertised - CountersInUse.Count;
        if (free <= 0) return -1;
        int skip = _counterChoice.Next(free);
        for (uint c = 0; c < advertised; c++)
        {
            if (CountersInUse.Contains(c)) continue;
            if (skip-- == 0) return (int)c;
        }
        return -1;
    }

    public DeviceDma Dma { get; }

    public NotificationBlocks Blocks { get; }

    public WirePort Wire { get; }

    public DoorbellTable Doorbells { get; } = new();

    public EventCounterArray EventCounters { get; }

    public RxSteering Steering { get; } = new();

    public StatsReportWriter StatsReport { get; } = new();

    /// <summary>The registered page lists by id, and how many pages they hold together.</summary>
    public Dictionary<uint, QueuePageList> PageLists { get; } = new();

    public ulong RegisteredPages { get; set; }

    public TxQueue?[] Tx { get; }

    public RxQueue?[] Rx { get; }

    /// <summary>Counters by queue index, kept for the device's lifetime.</summary>
    public QueueCounters[] TxCounters { get; }

    public QueueCounters[] RxCounters { get; }

    public DeviceStatusFlags Status { get; set; }

    public bool LinkUp { get; private set; }

    public bool Configured { get; set; }

    /// <summary>The format CONFIGURE_DEVICE_RESOURCES chose (meaningful while <see cref="Configured"/>).</summary>
    public QueueFormat Format { get; set; }

    public bool IsDqo => Configured && Format is QueueFormat.DqoRda or QueueFormat.DqoQpl;

    public bool IsQplFormat => Format is QueueFormat.GqiQpl or QueueFormat.DqoQpl;

    /// <summary>The MTU in force (DESCRIBE_DEVICE's, or the last accepted SET_DRIVER_PARAMETER).</summary>
    public ushort Mtu { get; set; }

    /// <summary>How many times the device was reset.</summary>
    public long ResetCount { get; private set; }

    /// <summary>Whether the device was disposed (it ignores MMIO from then on).</summary>
    public bool Disposed { get; set; }

    public static int CountLive<T>(T?[] queues) where T : class
    {
        int n = 0;
        foreach (T? q in queues) if (q is not null) n++;
        return n;
    }

    /// <summary>Changes the link state: device_status LINK_STATUS follows and the management vector fires.</summary>
    public void SetLink(bool up)
    {
        if (LinkUp == up) return;
        LinkUp = up;
        if (up) Status |= DeviceStatusFlags.LinkStatus;
        else Status &= ~DeviceStatusFlags.LinkStatus;
        Blocks.RaiseManagement();
    }

    /// <summary>The device asks the driver to reset: device_status RESET (until the driver resets the device) and the management vector.</summary>
    public void RequestReset()
    {
        Status |= DeviceStatusFlags.Reset;
        Blocks.RaiseManagement();
    }

    /// <summary>Rewrites the device's part of the stats report, if the driver handed one over.</summary>
    public void UpdateStatsReport() => StatsReport.Write(Dma, Tx, Rx, RxCounters);

    /// <summary>Back to the power-on state, apart from the link, the counters and what the control plane keeps itself.</summary>
    public void Reset()
    {
        Status &= ~(DeviceStatusFlags.Reset | DeviceStatusFlags.ReportStats);
        Array.Clear(Tx);
        Array.Clear(Rx);
        PageLists.Clear();
        RegisteredPages = 0;
        Doorbells.Clear();
        Blocks.Clear();
        EventCounters.Clear();
        Configured = false;
        Mtu = Config.Mtu;
        StatsReport.Clear();
        StatsReader.Clear();
        CountersInUse.Clear();
        Steering.Clear();
        Wire.DropQueued();
        ResetCount++;
    }
}
