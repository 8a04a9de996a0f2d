using Gvnic.Admin;
using Gvnic.Driver.DataPlane;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// One brought-up device, as <see cref="NicBringUp"/> built it: what the device described, the plan, the device
/// resources, the page lists and queues, the notification blocks, and the journal teardown undoes. Nothing in it is
/// replaced while it lives (the queues are state machines, not replaced either); a recovery tears it down and builds
/// a new one.
/// </summary>
internal sealed class NicInstance(BringUpJournal journal, DeviceDescription device, DevicePlan plan, ulong linkSpeedMbps, DeviceResources resources,
    NotificationBlocks blocks, QueuePageList[] txPageLists, QueuePageList[] rxPageLists, TxQueue[] tx, RxQueue[] rx, StatsReportWriter? stats)
{
    /// <summary>What bring-up did, for teardown.</summary>
    public BringUpJournal Journal { get; } = journal;

    /// <summary>What the device described about itself.</summary>
    public DeviceDescription Device { get; } = device;

    /// <summary>The format, queue counts, ring and buffer sizes in use.</summary>
    public DevicePlan Plan { get; } = plan;

    /// <summary>What REPORT_LINK_SPEED returned (0 when the device does not implement it).</summary>
    public ulong LinkSpeedMbps { get; } = linkSpeedMbps;

    /// <summary>The event counters and notification-block array handed to the device.</summary>
    public DeviceResources Resources { get; } = resources;

    /// <summary>The notification blocks, driven in the format's way.</summary>
    public NotificationBlocks Blocks { get; } = blocks;

    /// <summary>The TX queues' page lists (empty for RDA formats).</summary>
    public QueuePageList[] TxPageLists { get; } = txPageLists;

    /// <summary>The RX queues' page lists (empty for RDA formats).</summary>
    public QueuePageList[] RxPageLists { get; } = rxPageLists;

    /// <summary>The TX queues, by id.</summary>
    public TxQueue[] Tx { get; } = tx;

    /// <summary>The RX queues, by id.</summary>
    public RxQueue[] Rx { get; } = rx;

    /// <summary>The driver's part of the stats report, or null when the device did not take REPORT_STATS.</summary>
    public StatsReportWriter? Stats { get; } = stats;

    /// <summary>The NIC clock, when <see cref="NicOptions.Timestamps"/> is on.</summary>
    public NicClock? Clock { get; init; }
}
