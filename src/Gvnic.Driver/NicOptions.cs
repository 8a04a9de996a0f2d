using System;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>Options for <see cref="Nic.Open"/>. Every property has a sensible default.</summary>
public sealed record NicOptions
{
    /// <summary>Force a queue format instead of upstream's preference (DQO RDA, DQO QPL, GQI RDA, GQI QPL). It must be offered by the device and implemented by the driver.</summary>
    public QueueFormat? QueueFormat { get; init; }

    /// <summary>
    /// TX queues to create (1 … max_tx_queues). In either wait mode the PCI function needs 2 × max(TX, RX) + 1 MSI-X
    /// vectors (a notification block each and management); <see cref="Nic.Open"/> refuses more queues than that allows.
    /// </summary>
    public int TxQueues { get; init; } = 1;

    /// <summary>RX queues to create (1 … max_rx_queues); the MSI-X vectors must allow them, as for <see cref="TxQueues"/>.</summary>
    public int RxQueues { get; init; } = 1;

    /// <summary>TX ring entries (a power of two); null for the device default.</summary>
    public int? TxRingSize { get; init; }

    /// <summary>RX ring entries (a power of two); null for the device default.</summary>
    public int? RxRingSize { get; init; }

    /// <summary>MTU; null for the device's. Larger values need the jumbo-frames option; a value other than the device's is sent with SET_DRIVER_PARAMETER.</summary>
    public int? Mtu { get; init; }

    /// <summary>
    /// RX packet buffer size in bytes; null for the 2048-byte default every device accepts. Other sizes need a DQO format
    /// and the device's buffer-sizes option (BUFFER_SIZES): DQO RDA takes 1024 … the option's packet_buffer_size (at most
    /// 16256) in steps of 128, DQO QPL a size that divides a 4096-byte page (1024, 2048, 4096). GQI formats run 2048-byte
    /// buffers only (as upstream, which refuses to change them). Frames longer than one buffer span several.
    /// </summary>
    public int? RxBufferSize { get; init; }

    /// <summary>Polling (default) or interrupts.</summary>
    public NicWaitMode WaitMode { get; init; } = NicWaitMode.Polling;

    /// <summary>How long an admin command (or the admin-queue release) may take. Upstream: 100 polls of 20 ms.</summary>
    public TimeSpan AdminTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The TX watchdog (upstream: the network stack's 5 s transmit timeout, answered by <c>gve_tx_timeout</c>): when a TX
    /// queue has frames in flight and the device has completed none of them for this long, as seen by
    /// <see cref="Nic.Service"/>, the queue is stuck and the device is reset (with <see cref="AutoRecover"/>).
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns the watchdog off.
    /// </summary>
    public TimeSpan TxTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The RX watchdog: when the head of an RX queue holds an entry the device wrote that does not become a frame the
    /// driver can take (a GQI descriptor written with the sequence number of one not yet written, a frame whose last
    /// entry never comes) for this long, as seen by <see cref="Nic.Service"/>, the queue is stuck and the device is reset
    /// (with <see cref="AutoRecover"/>). Default 5 s, as <see cref="TxTimeout"/>; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// turns the watchdog off. (Entries written behind such a head are found at once, without waiting.)
    /// </summary>
    public TimeSpan RxTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock the driver measures timeouts with (tests inject their own).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Bytes of driver-owned TX buffer space per queue in RDA mode (QPL uses the device's page-list size).</summary>
    public int RdaTxBufferBytes { get; init; } = 512 * 1024;

    /// <summary>
    /// DQO RDA header split: each RX buffer gets a header buffer of the size the buffer-sizes device option offers, and
    /// the device puts a frame's Ethernet, IP and TCP/UDP headers there and the payload in the packet buffers; a
    /// received frame is then the header segment followed by the payload segments (<see cref="RxLease.SegmentCount"/>).
    /// Needs <see cref="QueueFormat.DqoRda"/> and a device that offers a header buffer size (as upstream's tcp-data-split).
    /// </summary>
    public bool HeaderSplit { get; init; }

    /// <summary>
    /// Hardware RX timestamps: the driver reads the NIC clock at bring-up (REPORT_NIC_TIMESTAMP), again every 250 ms from
    /// <see cref="Nic.Service"/> and on <see cref="Nic.RefreshNicClock"/>, and gives each received frame the time the device
    /// stamped it with, extended to 64 bits (<see cref="RxInfo.Timestamp"/>). Needs a DQO format and a device whose
    /// NIC_TIMESTAMP option that format's option enables (as upstream); otherwise <see cref="Nic.Open"/> throws a
    /// <see cref="NicConfigurationException"/> naming this option.
    /// </summary>
    public bool Timestamps { get; init; }

    /// <summary>The driver version written to driver_version (as "GVE-" + version + "\n") and reported in VERIFY_DRIVER_COMPATIBILITY.</summary>
    public Version DriverVersion { get; init; } = new(1, 0, 0);

    /// <summary>
    /// Called once for every finished step of bring-up (<see cref="Nic.Open"/>) and teardown (<see cref="Nic.Dispose"/>,
    /// and the undo of a failed open), in order; null for no report.
    /// </summary>
    /// <remarks>
    /// Called synchronously on the thread running <see cref="Nic.Open"/> or <see cref="Nic.Dispose"/>, never on the data
    /// path. An exception it throws during bring-up fails <see cref="Nic.Open"/> (which then tears down); during
    /// teardown it is ignored, so that teardown always completes.
    /// </remarks>
    public Action<NicBringUpStep>? Progress { get; init; }

    /// <summary>
    /// Reset and bring the device up again by itself, from the data-path call that finds a fault the device cannot be
    /// trusted after (a <see cref="DeviceFaultException"/> from a queue), or that sees device_status RESET
    /// (<see cref="Nic.ReclaimTransmitted"/>, <see cref="Nic.Service"/>, a <see cref="Nic.WaitForReceive"/> that times
    /// out). Default true. When false those calls throw the <see cref="DeviceFaultException"/> and the caller decides
    /// when to call <see cref="Nic.Recover"/>.
    /// </summary>
    /// <remarks>
    /// While an <see cref="RxLease"/> is open the reset waits (its bytes live in memory the reset frees): data-path calls
    /// return nothing until the lease is disposed, and the next call after that recovers. A reset replaces every queue:
    /// when queues run on several threads, turn this off and call <see cref="Nic.Recover"/> with all of them stopped.
    /// </remarks>
    public bool AutoRecover { get; init; } = true;

    /// <summary>Called after every recovery (automatic or <see cref="Nic.Recover"/>) with what it cost; null for no report.</summary>
    /// <remarks>Called on the thread of the data-path call (or <see cref="Nic.Recover"/>) that recovered. An exception it throws propagates from that call.</remarks>
    public Action<NicResetReport>? OnReset { get; init; }
}
