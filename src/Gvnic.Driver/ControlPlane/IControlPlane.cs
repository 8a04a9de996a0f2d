using System;
using Gvnic.Admin;
using Gvnic.Driver.DataPlane;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.ControlPlane;

/// <summary>
/// The device's control plane as bring-up and teardown use it: the commands that describe the device, hand it memory,
/// and create and destroy queues, and the handshake that takes everything back. <see cref="AdminQueueControlPlane"/>
/// speaks it over upstream's admin queue; another transport (a mailbox) fits the same seam. The data path never uses
/// it: once created, queues run on their own doorbells and rings.
/// </summary>
/// <remarks>
/// A command that fails throws (<see cref="AdminCommandException"/>, or <see cref="DeviceTimeoutException"/>,
/// <see cref="DeviceResetException"/>, <see cref="DeviceFaultException"/> when the control plane itself fails), except
/// where a method says it tolerates a status, and except the per-queue batches, which return what the device answered
/// for each command (<see cref="CommandBatch"/>) so the caller records exactly what the device accepted. Calls are
/// serialised: one command batch at a time.
/// <para>
/// A control plane that failed (<see cref="Failure"/>: no answer in time, a reset, a nonsense event counter) is not used
/// again: whether the device ran what it was last sent is unknown, and teardown goes straight to <see cref="Release"/>.
/// </para>
/// </remarks>
internal interface IControlPlane
{
    /// <summary>How many per-queue commands one batch may hold (what the device takes behind one doorbell).</summary>
    int MaxBatch { get; }

    /// <summary>
    /// Null while the control plane works; once a wait failed, why (<see cref="DeviceTimeoutException"/>,
    /// <see cref="DeviceResetException"/>, or a <see cref="DeviceFaultException"/> about the event counter). Nothing more is
    /// sent after that, except the release.
    /// </summary>
    GvnicException? Failure { get; }

    /// <summary>Hands the control plane to the device (once, first).</summary>
    void Start();

    /// <summary>Where the control plane is and how the device was told about it (the bring-up report's detail).</summary>
    string Describe();

    /// <summary>Tells the device which driver it talks to. UNIMPLEMENTED is tolerated (returned, not thrown).</summary>
    AdminqStatuses VerifyDriverCompatibility(Version version);

    /// <summary>Asks the device to describe itself, and parses (and checks) the answer.</summary>
    /// <exception cref="DeviceFaultException">The description is malformed.</exception>
    DeviceDescription DescribeDevice();

    /// <summary>Sets the MTU the driver runs (SET_DRIVER_PARAMETER).</summary>
    void SetMtu(int mtu);

    /// <summary>Hands the device the event counters and notification blocks, and the queue format.</summary>
    void ConfigureDeviceResources(DeviceResources resources, QueueFormat format);

    /// <summary>The device's packet-type map, decoded (DQO).</summary>
    PacketTypes GetPacketTypes();

    /// <summary>Reads the NIC clock (REPORT_NIC_TIMESTAMP) into <paramref name="report"/>, a <see cref="NicTsReport"/>-sized region; returns it in nanoseconds.</summary>
    ulong ReportNicTimestamp(DmaRegion report);

    /// <summary>The link speed in Mbit/s (0 unless passed). Optional: any status the device answers is returned, not thrown.</summary>
    AdminqStatuses ReportLinkSpeed(out ulong mbps);

    /// <summary>Gives the device <paramref name="report"/> to write its statistics into every <paramref name="intervalMs"/> ms. Optional: any status is returned, not thrown.</summary>
    AdminqStatuses ReportStats(DmaRegion report, int intervalMs);

    /// <summary>Registers page lists (at most <see cref="MaxBatch"/>), one command each.</summary>
    CommandBatch RegisterPageLists(ReadOnlySpan<QueuePageList> lists);

    /// <summary>Creates TX queues (at most <see cref="MaxBatch"/>), one command each.</summary>
    CommandBatch CreateTxQueues(ReadOnlySpan<TxQueueDefinition> queues);

    /// <summary>Creates RX queues (at most <see cref="MaxBatch"/>), one command each.</summary>
    CommandBatch CreateRxQueues(ReadOnlySpan<RxQueueDefinition> queues);

    /// <summary>Destroys RX queues by id (at most <see cref="MaxBatch"/>), one command each.</summary>
    CommandBatch DestroyRxQueues(ReadOnlySpan<uint> ids);

    /// <summary>Destroys TX queues by id (at most <see cref="MaxBatch"/>), one command each.</summary>
    CommandBatch DestroyTxQueues(ReadOnlySpan<uint> ids);

    /// <summary>Unregisters page lists by id (at most <see cref="MaxBatch"/>), one command each.</summary>
    CommandBatch UnregisterPageLists(ReadOnlySpan<uint> ids);

    /// <summary>
    /// CONFIGURE_RSS: hash <paramref name="hashTypes"/> with Toeplitz under <paramref name="key"/> and steer by
    /// <paramref name="table"/> (an empty key or table leaves the device's unchanged).
    /// </summary>
    void ConfigureRss(RssHashTypes hashTypes, ReadOnlySpan<byte> key, ReadOnlySpan<int> table);

    /// <summary>QUERY_RSS into one admin buffer; a copy of the buffer as the device left it.</summary>
    byte[] QueryRss();

    /// <summary>EXTENDED_COMMAND with CONFIGURE_FLOW_RULE: <paramref name="opcode"/> at <paramref name="location"/>, with <paramref name="rule"/> (used by add).</summary>
    void ConfigureFlowRule(FlowRuleCfgOpcode opcode, uint location, in AdminqFlowRule rule);

    /// <summary>QUERY_FLOW_RULES into one admin buffer, from <paramref name="startingLocation"/>; a copy of the buffer as the device left it.</summary>
    byte[] QueryFlowRules(FlowRuleQueryOpcode opcode, uint startingLocation);

    /// <summary>Takes the event counters and notification blocks back.</summary>
    void DeconfigureDeviceResources();

    /// <summary>
    /// Takes the control plane back from the device (for the admin queue: the device lets go of it and resets), bounded
    /// by the command timeout. False when the device never confirmed: it may still write any memory it was given.
    /// </summary>
    bool Release();

    /// <summary>What the device showed when it confirmed <see cref="Release"/> (the teardown report's detail).</summary>
    string ReleaseConfirmed { get; }

    /// <summary>What the device never showed when <see cref="Release"/> returned false (<c>adminq_pfn never read back 0</c>).</summary>
    string ReleaseMissing { get; }
}
