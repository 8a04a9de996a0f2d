using System;
using Gvnic.Wire;

namespace Gvnic.Simulator;

/// <summary>What a simulated gVNIC advertises and how it behaves; the defaults follow what real GCE devices report.</summary>
public sealed record SimulatedDeviceConfig
{
    /// <summary>A human-readable PCI address.</summary>
    public string Address { get; init; } = "sim:0";

    /// <summary>PCI revision id: 0 selects the legacy PFN admin queue, 1 the base/length one with driver_status.</summary>
    public byte Revision { get; init; } = 1;

    /// <summary>The MAC address (6 bytes); GCE puts the VM's IPv4 address in the low 4 bytes.</summary>
    public byte[] Mac { get; init; } = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x02];

    /// <summary>The MTU DESCRIBE_DEVICE reports.</summary>
    public ushort Mtu { get; init; } = (ushort)GvnicConstants.DefaultMtu;

    /// <summary>Whether the jumbo-frames option is offered (then SET_DRIVER_PARAMETER may raise the MTU up to <see cref="MaxMtu"/>).</summary>
    public bool JumboFrames { get; init; } = true;

    /// <summary>The largest MTU the jumbo-frames option allows.</summary>
    public ushort MaxMtu { get; init; } = GvnicConstants.DefaultJumboMaxMtu;

    /// <summary>max_tx_queues in BAR0.</summary>
    public uint MaxTxQueues { get; init; } = 4;

    /// <summary>max_rx_queues in BAR0.</summary>
    public uint MaxRxQueues { get; init; } = 4;

    /// <summary>default_num_queues in the descriptor.</summary>
    public ushort DefaultNumQueues { get; init; } = 4;

    /// <summary>tx_queue_entries: the default and (without modify-ring) the largest TX ring.</summary>
    public ushort TxQueueEntries { get; init; } = GvnicConstants.DefaultTxQueueEntries;

    /// <summary>rx_queue_entries: the default and (without modify-ring) the largest RX ring.</summary>
    public ushort RxQueueEntries { get; init; } = GvnicConstants.DefaultRxQueueEntries;

    /// <summary>counters: how many event counters the driver may hand over.</summary>
    public ushort Counters { get; init; } = 16;

    /// <summary>tx_pages_per_qpl (GQI) and the DQO-QPL option's TX pages.</summary>
    public ushort TxPagesPerQpl { get; init; } = GvnicConstants.DefaultTxPagesPerQpl;

    /// <summary>rx_pages_per_qpl (GQI) and the DQO-QPL option's RX pages.</summary>
    public ushort RxPagesPerQpl { get; init; } = 256;

    /// <summary>max_registered_pages: the most pages all page lists together may hold.</summary>
    public ulong MaxRegisteredPages { get; init; } = 4096;

    /// <summary>The queue formats offered, each as its device option.</summary>
    public OfferedFormats Formats { get; init; } = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;

    /// <summary>Whether the modify-ring option is offered (ring sizes between the min and max below).</summary>
    public bool ModifyRing { get; init; } = true;

    /// <summary>Modify-ring: largest TX ring.</summary>
    public ushort MaxTxRingSize { get; init; } = 1024;

    /// <summary>Modify-ring: largest RX ring.</summary>
    public ushort MaxRxRingSize { get; init; } = 1024;

    /// <summary>Smallest TX ring the device accepts: a real device refused a 64-entry TX ring and accepted 256 (device-behaviour.md), so 256.</summary>
    public ushort MinTxRingSize { get; init; } = 256;

    /// <summary>Smallest RX ring the device accepts.</summary>
    public ushort MinRxRingSize { get; init; } = 64;

    /// <summary>Whether the buffer-sizes option is offered.</summary>
    public bool BufferSizes { get; init; } = true;

    /// <summary>Buffer-sizes option: the largest packet buffer.</summary>
    public ushort MaxPacketBufferSize { get; init; } = 4096;

    /// <summary>Buffer-sizes option: the header-split buffer size (0: no header split).</summary>
    public ushort HeaderBufferSize { get; init; } = 0;

    /// <summary>Whether the RSS-config option is offered (CONFIGURE_RSS answers UNIMPLEMENTED otherwise).</summary>
    public bool Rss { get; init; } = true;

    /// <summary>RSS key size in bytes.</summary>
    public ushort RssKeySize { get; init; } = GvnicConstants.RssKeySize;

    /// <summary>RSS indirection-table entries.</summary>
    public ushort RssLutSize { get; init; } = GvnicConstants.RssIndirSize;

    /// <summary>
    /// Whether the flow-steering option is offered (EXTENDED_COMMAND's CONFIGURE_FLOW_RULE and QUERY_FLOW_RULES answer
    /// UNIMPLEMENTED otherwise). The format options list flow_steering and rss_config among their supported features when
    /// these are offered, on every format.
    /// </summary>
    public bool FlowSteering { get; init; } = true;

    /// <summary>Flow-steering option: the most rules the device holds (max_flow_rules).</summary>
    public uint MaxFlowRules { get; init; } = 256;

    /// <summary>MSI-X vectors of the function.</summary>
    public int MsixVectors { get; init; } = 8;

    /// <summary>The length of BAR2 (doorbells) in bytes.</summary>
    public long Bar2Length { get; init; } = 0x4000;

    /// <summary>Whether the link is up at start.</summary>
    public bool LinkUp { get; init; } = true;

    /// <summary>The value REPORT_LINK_SPEED writes (upstream Linux reports it to ethtool as Mbps).</summary>
    public ulong LinkSpeed { get; init; } = 100_000;

    /// <summary>Whether VERIFY_DRIVER_COMPATIBILITY is implemented (otherwise it answers UNIMPLEMENTED, as older devices do).</summary>
    public bool VerifyDriverCompatibility { get; init; } = true;

    /// <summary>How doorbell work runs.</summary>
    public ExecutionMode Execution { get; init; } = ExecutionMode.Synchronous;

    /// <summary>Frames waiting per RX queue in manual mode before further arrivals are dropped.</summary>
    public int MaxPendingRxFrames { get; init; } = 1024;

    /// <summary>
    /// DQO TX: how many packet completions the device holds before writing one, picked at random (seeded by
    /// <see cref="DqoSeed"/>); 0 completes in order. Keep it below the driver's completion tags, or a driver that waits
    /// for a tag waits for ever; <see cref="SimulatedGvnic.ReleaseDqoTxCompletions"/> writes what is held.
    /// </summary>
    public int DqoReorderWindow { get; init; }

    /// <summary>The seed of every random choice of the DQO model (completion order, misses, RX buffer order).</summary>
    public int DqoSeed { get; init; } = 1;

    /// <summary>DQO TX (with a reorder window): the fraction (0..1) of packets that get a miss completion first and a re-injection completion when they leave the window.</summary>
    public double DqoMissRate { get; init; }

    /// <summary>DQO TX: the fraction (0..1) of missed packets whose re-injection completion never comes (the driver's timeouts free their tags).</summary>
    public double DqoLostReinjectionRate { get; init; }

    /// <summary>DQO TX: report misses as packet completions with alt_miss_compl_bit set in the tag (the alternative miss-completion scheme) instead of type miss.</summary>
    public bool DqoAltMissCompletions { get; init; }

    /// <summary>DQO RX: fill the posted buffers in a seeded random order instead of the posting order.</summary>
    public bool DqoShuffleRxBuffers { get; init; }

    // ---- real-device behaviours (docs/simulator.md, "Real-device behaviours"); Ideal switches them off ----

    /// <summary>
    /// The device's clock: interrupt spacing (DQO ITR), the stats-report reads, the delayed reset and the RX load window
    /// run by it. In <see cref="ExecutionMode.Synchronous"/> mode the device arms a timer through it for its next piece of
    /// timed work (with a fake clock the timer fires when the test advances it); in every mode due work also runs at each
    /// register or doorbell access, each frame arrival, <see cref="SimulatedGvnic.Step"/> and <see cref="SimulatedGvnic.RunDueWork"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// DQO: the device holds TX and RX completions in an internal line of this many bytes per completion ring (16 TX or 4 RX
    /// completions at 128) and writes them to host memory only when the line is full or when the ring's notification block
    /// fires through an enabled MSI-X vector (iPXE d2e1e591a, measured on GCE). 0 writes every completion at once.
    /// </summary>
    public int DqoCompletionLineBytes { get; init; } = 128;

    /// <summary>
    /// A notification block fires once and then stays masked until the driver re-arms it (GQI: a doorbell write without MASK,
    /// ACK | EVENT as upstream's poll loop writes; DQO: the ITR word's enable bit); work completed meanwhile is remembered and
    /// fires on the re-arm (upstream's comments as iPXE d2e1e591a reads them). False: a GQI block fires on every completion
    /// while unmasked (DQO blocks always mask themselves).
    /// </summary>
    public bool BlocksMaskWhenFiring { get; init; } = true;

    /// <summary>DQO: the throttling interval the driver sets in a block's ITR word spaces its interrupts (no two closer than it). False: recorded only.</summary>
    public bool DqoItrSpacing { get; init; } = true;

    /// <summary>
    /// Each created queue gets an event counter the device picks among all <see cref="Counters"/> it advertises (seeded by
    /// <see cref="DqoSeed"/>), and the create fails with FAILED_PRECONDITION when its pick lies outside the counters the
    /// driver configured (iPXE 59d123658, seen on c3d-standard-16). False: TX queue q uses counter q, RX queue q counter
    /// max_tx_queues + q (mod the configured count).
    /// </summary>
    public bool DeviceChoosesEventCounters { get; init; } = true;

    /// <summary>
    /// Revision 0: releasing the admin queue (adminq_pfn 0) of a device that is already reset schedules another reset this
    /// much later, which then resets the device under a driver that has brought it up again (iPXE gve_reset: "a delayed reset
    /// ... a few seconds later"). Null: no delayed reset.
    /// </summary>
    public TimeSpan? RedundantResetDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// An RX queue whose driver never kept at least this many buffers posted drops frames that arrive under load (see
    /// <see cref="RxLoadFrames"/>) although buffers are posted (iPXE d2d194bc6: fewer than 64 RX buffers gave excessive
    /// drops on c3-standard-4). 0: no such drops.
    /// </summary>
    public int MinRxBuffersUnderLoad { get; init; } = 64;

    /// <summary>A frame is "under load" when it is at least the <see cref="RxLoadFrames"/>-th to arrive on its RX queue within <see cref="RxLoadWindow"/>.</summary>
    public TimeSpan RxLoadWindow { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How many frames within <see cref="RxLoadWindow"/> make load (the reported drops came with real traffic, not single frames).</summary>
    public int RxLoadFrames { get; init; } = 8;

    /// <summary>
    /// Every DMA structure a command hands over (counter and IRQ-doorbell arrays, queue resources, rings, the stats report)
    /// must start on a 4 KiB page (iPXE gve.h GVE_ALIGN, inferred from upstream code and experiment); otherwise the command
    /// answers INVALID_ARGUMENT and a <see cref="ViolationKind.MisalignedDma"/> violation is recorded.
    /// </summary>
    public bool RequirePageAlignedDma { get; init; } = true;

    /// <summary>The device reads the driver's part of the stats report at the interval REPORT_STATS gave and checks it (<see cref="ViolationKind.StatsReport"/>).</summary>
    public bool ReadStatsReport { get; init; } = true;

    /// <summary>
    /// Offer the NIC_TIMESTAMP option (enabled by the DQO formats' options, the formats whose completions carry a time):
    /// REPORT_NIC_TIMESTAMP answers with the NIC clock, and DQO RX completions carry the low 32 bits of it at reception,
    /// marked valid. Without it REPORT_NIC_TIMESTAMP answers UNIMPLEMENTED and completions carry no time. Off by default,
    /// as on a device that predates the option (upstream added it in 2025), so a default device describes itself as before.
    /// </summary>
    public bool NicTimestamp { get; init; }

    /// <summary>The NIC clock, in nanoseconds, when the device is created; it then runs at the rate of <see cref="TimeProvider"/>.</summary>
    public ulong NicClockStart { get; init; }

    /// <summary>
    /// An ideal device: every real-device behaviour above switched off (completions written at once, blocks that fire on
    /// every completion while unmasked, no interrupt spacing, fixed event counters, no delayed reset, no load drops, no
    /// alignment rule, the stats report not read) and 64-entry TX rings accepted. For the few unit tests that need a device
    /// without timing (docs/simulator.md lists them); everything else runs the faithful defaults.
    /// </summary>
    public static SimulatedDeviceConfig Ideal => new()
    {
        MinTxRingSize = 64,
        DqoCompletionLineBytes = 0,
        BlocksMaskWhenFiring = false,
        DqoItrSpacing = false,
        DeviceChoosesEventCounters = false,
        RedundantResetDelay = null,
        MinRxBuffersUnderLoad = 0,
        RequirePageAlignedDma = false,
        ReadStatsReport = false,
    };

    /// <summary>The checks a device makes on its own configuration; throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public void Validate()
    {
        if (Revision > 1) throw new ArgumentException("Revision must be 0 or 1", nameof(Revision));
        if (Mac is null || Mac.Length != 6) throw new ArgumentException("Mac must be 6 bytes", nameof(Mac));
        if (MaxTxQueues is 0 or > 64 || MaxRxQueues is 0 or > 64) throw new ArgumentException("queue counts must be 1..64");
        if (!IsPow2(TxQueueEntries) || !IsPow2(RxQueueEntries)) throw new ArgumentException("queue entries must be powers of two");
        if (MsixVectors is < 1 or > 256) throw new ArgumentException("MsixVectors must be 1..256", nameof(MsixVectors));
        if (Bar2Length < 0x1000 || Bar2Length % 4 != 0) throw new ArgumentException("Bar2Length must be at least 4096 and a multiple of 4", nameof(Bar2Length));
        if (Counters < MaxTxQueues) throw new ArgumentException("Counters must cover every TX queue", nameof(Counters));
        if (DqoReorderWindow is < 0 or > 4096) throw new ArgumentException("DqoReorderWindow must be 0..4096 packets", nameof(DqoReorderWindow));
        if (DqoMissRate is < 0 or > 1 || double.IsNaN(DqoMissRate)) throw new ArgumentException("DqoMissRate must be a fraction 0..1", nameof(DqoMissRate));
        if (DqoLostReinjectionRate is < 0 or > 1 || double.IsNaN(DqoLostReinjectionRate)) throw new ArgumentException("DqoLostReinjectionRate must be a fraction 0..1", nameof(DqoLostReinjectionRate));
        if (DqoMissRate > 0 && DqoReorderWindow == 0) throw new ArgumentException("DqoMissRate needs a DqoReorderWindow of at least 1 (a re-injection completes when its packet leaves the window)", nameof(DqoMissRate));
        if (TimeProvider is null) throw new ArgumentException("TimeProvider must be set (TimeProvider.System for real time)", nameof(TimeProvider));
        if (DqoCompletionLineBytes is < 0 or > 4096 || (DqoCompletionLineBytes != 0 && (DqoCompletionLineBytes % 32 != 0 || !IsPow2((uint)DqoCompletionLineBytes))))
            throw new ArgumentException("DqoCompletionLineBytes must be 0 or a power of two of at least 32 bytes (a whole number of RX completions), at most 4096", nameof(DqoCompletionLineBytes));
        if (RedundantResetDelay is TimeSpan d && d <= TimeSpan.Zero) throw new ArgumentException("RedundantResetDelay must be positive (null switches it off)", nameof(RedundantResetDelay));
        if (MinRxBuffersUnderLoad < 0) throw new ArgumentException("MinRxBuffersUnderLoad must not be negative", nameof(MinRxBuffersUnderLoad));
        if (RxLoadFrames < 2) throw new ArgumentException("RxLoadFrames must be at least 2", nameof(RxLoadFrames));
        if (RxLoadWindow < TimeSpan.Zero) throw new ArgumentException("RxLoadWindow must not be negative", nameof(RxLoadWindow));
        if (MinTxRingSize == 0 || MinRxRingSize == 0) throw new ArgumentException("MinTxRingSize and MinRxRingSize must be at least 1");
        if (TxQueueEntries < MinTxRingSize) throw new ArgumentException("TxQueueEntries " + TxQueueEntries + " is below MinTxRingSize " + MinTxRingSize + ": the device's default TX ring would be one it refuses", nameof(TxQueueEntries));
        if (RxQueueEntries < MinRxRingSize) throw new ArgumentException("RxQueueEntries " + RxQueueEntries + " is below MinRxRingSize " + MinRxRingSize + ": the device's default RX ring would be one it refuses", nameof(RxQueueEntries));
        if (Rss && (RssKeySize < 4 || RssLutSize == 0 || 8 + RssKeySize + 4 * RssLutSize > 4096))
            throw new ArgumentException("RssKeySize must be at least 4 and RssLutSize at least 1, and the QUERY_RSS answer (8 + key + 4 × table bytes) must fit 4096 bytes", nameof(RssKeySize));
        if (FlowSteering && MaxFlowRules == 0) throw new ArgumentException("MaxFlowRules must be at least 1 when FlowSteering is offered", nameof(MaxFlowRules));
        if (TxPagesPerQpl == 0) throw new ArgumentException("TxPagesPerQpl must be non-zero (Linux cannot map a zero-page QPL)", nameof(TxPagesPerQpl));
    }

    internal static bool IsPow2(uint v) => v != 0 && (v & (v - 1)) == 0;
}
