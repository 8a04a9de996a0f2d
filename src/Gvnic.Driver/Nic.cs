using System;
using System.Collections.Generic;
using Gvnic.Admin;
using Gvnic.Driver.ControlPlane;
using Gvnic.Driver.DataPlane;
using Gvnic.Driver.Lifecycle;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>
/// A gVNIC brought up and ready for traffic. <see cref="Open"/> runs the upstream bring-up sequence;
/// <see cref="Dispose"/> tears it down in reverse order. The data path (<see cref="Transmit(ReadOnlySpan{byte}, int)"/>,
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
    /// <summary>The interrupt throttling interval DQO TX notification blocks get at turn-up in interrupt mode, in microseconds (upstream's default tx_coalesce_usecs); polling sets 0.</summary>
    public const int DqoTxItrMicroseconds = (int)GvnicConstants.TxIrqRatelimitUsDqo;

    /// <summary>The interrupt throttling interval DQO RX notification blocks get at turn-up in interrupt mode, in microseconds (upstream's default rx_coalesce_usecs); polling sets 0.</summary>
    public const int DqoRxItrMicroseconds = (int)GvnicConstants.RxIrqRatelimitUsDqo;

    private readonly IPciFunction _pci;
    private readonly NicOptions _options;
    private readonly Bar0Registers _bar0;
    private readonly Bar2Registers _bar2;
    private readonly TimeProvider _time;
    private readonly ProgressReporter _progress;
    private readonly AdminCounters _adminCounters = new();

    /// <summary>The device as brought up, in service; null once disposed (or while a recovery replaces it, or after it failed).</summary>
    private NicInstance? _instance;

    /// <summary>The instance last taken out of service: what the properties describe once the NIC is disposed.</summary>
    private NicInstance? _retired;

    /// <summary>The queues of <see cref="_instance"/>, for the data path (empty when there is none).</summary>
    private TxQueue[] _tx = [];
    private RxQueue[] _rx = [];

    /// <summary>The notification blocks of <see cref="_instance"/>, for the data path's re-arms (null when there is none).</summary>
    private NotificationBlocks? _blocks;

    private Nic(IPciFunction pci, NicOptions options)
    {
        _pci = pci;
        _options = options;
        _time = options.TimeProvider ?? TimeProvider.System; // a null provider is reported by validation, after this
        _progress = new ProgressReporter(options.Progress, _time);
        _bar0 = new Bar0Registers(pci.Bar0);
        _bar2 = new Bar2Registers(pci.Bar2);
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
        nic.PutInService(nic.BringUp());
        return nic;
    }

    /// <summary>The queue formats this driver implements, in upstream's order of preference (the first one the device offers is chosen when <see cref="NicOptions.QueueFormat"/> is null).</summary>
    public static IReadOnlyList<QueueFormat> ImplementedFormats => DeviceSetup.Implemented;

    /// <summary>The PCI address of the function.</summary>
    public string PciAddress => _pci.Address;

    /// <summary>The device's MAC address.</summary>
    public MacAddress MacAddress => Device.MacAddress;

    /// <summary>The MTU in use.</summary>
    public int Mtu => Plan.Mtu;

    /// <summary>The largest frame <see cref="Transmit(ReadOnlySpan{byte}, int)"/> takes and RX delivers (MTU + Ethernet header + one VLAN tag).</summary>
    public int MaxFrameSize => Plan.MaxFrame;

    /// <summary>The queue format in use.</summary>
    public QueueFormat QueueFormat => Plan.Format;

    /// <summary>What the device described about itself.</summary>
    public DeviceDescription Device => Described.Device;

    /// <summary>Whether the link is up (device_status, read now).</summary>
    public bool LinkUp => (_bar0.ReadDeviceStatus() & DeviceStatusFlags.LinkStatus) != 0;

    /// <summary>Whether the device asks the driver to reset (device_status RESET, read now). Call <see cref="Recover"/>.</summary>
    public bool ResetRequested => (_bar0.ReadDeviceStatus() & DeviceStatusFlags.Reset) != 0;

    /// <summary>The link speed REPORT_LINK_SPEED returned, in Mbit/s (0 when the device does not implement it).</summary>
    public ulong LinkSpeedMbps => Described.LinkSpeedMbps;

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

    /// <summary>The admin queue's counters over the NIC's life: commands, failures, tolerated failures of optional commands, timeouts, resets.</summary>
    public AdminQueueStatistics AdminStatistics => _adminCounters.Snapshot();

    private DevicePlan Plan => Described.Plan;

    /// <summary>The instance in service, or the one last taken out of service.</summary>
    private NicInstance Described => _instance ?? _retired ?? throw new InvalidOperationException("the NIC is not open");

    /// <summary>
    /// Tears the device down in reverse order: destroy RX then TX queues, unregister page lists,
    /// DECONFIGURE_DEVICE_RESOURCES, release the admin queue, disable bus mastering, and only then free DMA memory.
    /// Each step is reported to <see cref="NicOptions.Progress"/>. When the device shows it has reset (revision 0:
    /// adminq_pfn reads 0; revision ≥ 1: DEVICE_IS_RESET), or the admin queue fails on the way (no answer in time, a reset,
    /// a nonsense event counter), no further command is sent: teardown goes straight to the release.
    /// </summary>
    /// <exception cref="NicTeardownException">
    /// A step failed. When the device never confirmed the admin-queue release, the DMA memory is kept
    /// (<see cref="NicTeardownException.MemoryKept"/>): the device may still write it.
    /// </exception>
    public void Dispose()
    {
        if (TakeOutOfService() is NicInstance instance) TearDown(instance.Journal, DeviceShowsReset() ? TeardownCause.DeviceReset : TeardownCause.Orderly);
    }

    // ---- the lifecycle ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Brings the device up into a new instance. On failure what was done is undone (a teardown failure then is not
    /// reported over the bring-up error: memory the device may hold stays kept) and the bring-up error propagates.
    /// </summary>
    private NicInstance BringUp()
    {
        _progress.Begin(NicPhase.BringUp);
        var journal = new BringUpJournal(new DmaMemory(_pci.Dma));
        try
        {
            return new NicBringUp(_pci, _options, _time, _bar0, _bar2, _progress, journal, _adminCounters).Run();
        }
        catch (Exception)
        {
            try
            {
                TearDown(journal, TeardownCause.Orderly); // after a failed control plane: straight to the release
            }
            catch (NicTeardownException)
            {
                // The bring-up error is the one to report; memory the device may hold stays kept.
            }
            throw;
        }
    }

    private void TearDown(BringUpJournal journal, TeardownCause cause)
        => new NicTeardown(_pci, _options.AdminTimeout, _progress).Run(journal, cause);

    /// <summary>Makes <paramref name="instance"/> the one the data path uses.</summary>
    private void PutInService(NicInstance instance)
    {
        _deviceRunSeen = false;
        _inServiceAt = _time.GetTimestamp();
        _instance = instance;
        if (_txOwners.Length != instance.Tx.Length) _txOwners = new int[instance.Tx.Length];
        if (_rxOwners.Length != instance.Rx.Length) _rxOwners = new int[instance.Rx.Length];
        _tx = instance.Tx;
        _rx = instance.Rx;
        _blocks = instance.Blocks;
    }

    /// <summary>
    /// Takes the instance out of service (null when there is none): the data path finds no queue (and reports the NIC
    /// disposed), a lease or burst still open ends without touching the queue, whose memory goes with the device's state,
    /// and a TX buffer still lent is refused.
    /// </summary>
    private NicInstance? TakeOutOfService()
    {
        if (_instance is not NicInstance instance) return null;
        _instance = null;
        _retired = instance;
        _tx = [];
        _rx = [];
        _blocks = null;
        foreach (RxQueue rx in instance.Rx) rx.Retire();
        foreach (TxQueue tx in instance.Tx) tx.RetireLending(); // a TxBuffer still lent is refused from now on
        return instance;
    }

    // ---- queues -----------------------------------------------------------------------------------------------------

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
        ObjectDisposedException.ThrowIf(_instance is null, this);
        throw new ArgumentOutOfRangeException(nameof(queue), queue, "the NIC has " + count + " " + kind + " queues");
    }

    /// <summary>The counters of the DQO completion state machine of TX queue <paramref name="queue"/>: misses, re-injections, timeouts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The queue does not exist.</exception>
    /// <exception cref="InvalidOperationException">The NIC runs a GQI format (no miss or re-injection completions).</exception>
    public DqoTxStatistics GetDqoTxStatistics(int queue = 0)
    {
        TxQueue tx = TxAt(queue);
        if (tx is DqoTxQueue dqo) return dqo.DqoStatistics;
        throw new InvalidOperationException(tx.Name + " runs " + Plan.Format + ": DQO statistics exist only with QueueFormat.DqoRda or DqoQpl");
    }
}
