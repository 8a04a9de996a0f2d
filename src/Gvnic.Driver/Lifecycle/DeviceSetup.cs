using System;
using System.Collections.ObjectModel;
using System.Text;
using Gvnic.Admin;
using Gvnic.Driver.DataPlane;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>Chooses the queue format and sizes from a <see cref="DeviceDescription"/> and <see cref="NicOptions"/>.</summary>
internal static class DeviceSetup
{
    /// <summary>The formats this driver implements, in upstream's order of preference.</summary>
    public static readonly ReadOnlyCollection<QueueFormat> Implemented = Array.AsReadOnly([QueueFormat.DqoRda, QueueFormat.DqoQpl, QueueFormat.GqiRda, QueueFormat.GqiQpl]);

    /// <summary>Whether this driver implements <paramref name="format"/>.</summary>
    public static bool Implements(QueueFormat format) => Implemented.Contains(format);

    /// <summary>The implemented formats as text: <c>DqoRda, DqoQpl, GqiRda, GqiQpl</c>.</summary>
    public static string ImplementedText => string.Join(", ", Implemented);

    /// <summary>
    /// Checks every option that can be checked without the device's description, before the device is touched.
    /// </summary>
    /// <exception cref="NicConfigurationException">An option is invalid; <see cref="NicConfigurationException.Option"/> names it.</exception>
    public static void Validate(NicOptions options, IPciFunction pci)
    {
        if (options.QueueFormat is QueueFormat wanted && !Implements(wanted))
            throw new NicConfigurationException("queue format " + wanted + " was requested but this driver does not implement it (it implements " + ImplementedText + ")", nameof(NicOptions.QueueFormat));
        if (options.TxQueues < 1)
            throw new NicConfigurationException(options.TxQueues + " TX queues requested; at least 1 is needed", nameof(NicOptions.TxQueues));
        if (options.RxQueues < 1)
            throw new NicConfigurationException(options.RxQueues + " RX queues requested; at least 1 is needed", nameof(NicOptions.RxQueues));
        CheckRingSize("TX", options.TxRingSize, nameof(NicOptions.TxRingSize));
        CheckRingSize("RX", options.RxRingSize, nameof(NicOptions.RxRingSize));
        RxBufferSizes.Validate(options.RxBufferSize);
        if (options.Mtu is int mtu)
        {
            if (mtu < MinMtu)
                throw new NicConfigurationException("MTU " + mtu + " is below the minimum of " + MinMtu, nameof(NicOptions.Mtu));
            if (mtu > MaxMtu)
                throw new NicConfigurationException("MTU " + mtu + " is above " + MaxMtu + ": a frame (MTU + " + FrameOverhead + ") must fit the 16-bit length fields", nameof(NicOptions.Mtu));
        }
        if (options.WaitMode is not (NicWaitMode.Polling or NicWaitMode.Interrupts))
            throw new NicConfigurationException("wait mode " + (int)options.WaitMode + " is neither Polling nor Interrupts", nameof(NicOptions.WaitMode));
        CheckVectors(options.TxQueues, options.RxQueues, pci.Interrupts.VectorCount);
        if (options.AdminTimeout <= TimeSpan.Zero)
            throw new NicConfigurationException("admin timeout " + options.AdminTimeout + " is not positive", nameof(NicOptions.AdminTimeout));
        if (options.TxTimeout <= TimeSpan.Zero && options.TxTimeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new NicConfigurationException("TX timeout " + options.TxTimeout + " is not positive (Timeout.InfiniteTimeSpan turns the watchdog off)", nameof(NicOptions.TxTimeout));
        if (options.RxTimeout <= TimeSpan.Zero && options.RxTimeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new NicConfigurationException("RX timeout " + options.RxTimeout + " is not positive (Timeout.InfiniteTimeSpan turns the watchdog off)", nameof(NicOptions.RxTimeout));
        if (options.TimeProvider is null)
            throw new NicConfigurationException("no time provider given", nameof(NicOptions.TimeProvider));
        if (options.RdaTxBufferBytes <= 0)
            throw new NicConfigurationException("RDA TX buffer of " + options.RdaTxBufferBytes + " bytes requested; it must be positive", nameof(NicOptions.RdaTxBufferBytes));
        if (options.DriverVersion is not Version v || v.Major > byte.MaxValue || v.Minor > byte.MaxValue || v.Build > byte.MaxValue)
            throw new NicConfigurationException("driver version " + (options.DriverVersion?.ToString() ?? "null") + " does not fit DriverInfo (major, minor and build are bytes)", nameof(NicOptions.DriverVersion));
    }

    /// <summary>The smallest MTU the driver accepts (IPv4's minimum).</summary>
    public const int MinMtu = 68;

    /// <summary>Bytes a frame carries beyond the MTU: the Ethernet header and one VLAN tag.</summary>
    public const int FrameOverhead = (int)GvnicConstants.FrameOverhead;

    /// <summary>The largest MTU whose frames fit the 16-bit length fields of the descriptors.</summary>
    public const int MaxMtu = ushort.MaxValue - FrameOverhead;

    /// <summary>
    /// The RX buffer size: 2048 bytes, the default every device accepts in every format (GQI takes 2048 or 4096,
    /// DQO 1024 … 16256 in steps of 128). Frames longer than one buffer span several (jumbo frames).
    /// </summary>
    public const int RxBufferSize = (int)GvnicConstants.DefaultRxBufferSize;

    /// <summary>Notification blocks for a queue count: 2 × max(TX, RX), as upstream.</summary>
    public static int NotificationBlocks(int txQueues, int rxQueues) => 2 * Math.Max(txQueues, rxQueues);

    /// <summary>
    /// The most queues of each kind whose notification blocks and the management vector fit in <paramref name="vectors"/>
    /// MSI-X vectors: (vectors − 1) / 2; 0 when not even one TX and one RX queue fit.
    /// </summary>
    public static int QueuesForVectors(int vectors) => vectors < 3 ? 0 : (vectors - 1) / 2;

    /// <summary>
    /// Checks that the function has an MSI-X vector for every notification block and one for management, in both wait
    /// modes: bring-up enables them all (step <c>interrupts</c>) even when the driver polls, since a device fires a block
    /// (and a DQO device writes back the completions it holds) only through an enabled vector (iPXE d2e1e591a).
    /// </summary>
    /// <exception cref="NicConfigurationException">Too few vectors; names the larger queue count (TX when they are equal).</exception>
    private static void CheckVectors(int txQueues, int rxQueues, int vectors)
    {
        long blocks = 2L * Math.Max(txQueues, rxQueues); // long: a huge queue count must not wrap past the check
        if (blocks + 1 <= vectors) return;
        int fit = QueuesForVectors(vectors);
        string option = rxQueues > txQueues ? nameof(NicOptions.RxQueues) : nameof(NicOptions.TxQueues);
        throw new NicConfigurationException(txQueues + " TX and " + rxQueues + " RX queues need " + (blocks + 1) + " MSI-X vectors (" + blocks
            + " notification blocks, 2 × max(TX, RX), and 1 for management; polling enables them too, as a device writes DQO completions back only through an enabled vector); the function has "
            + vectors + (fit == 0 ? ", too few for even 1 TX and 1 RX queue (3 vectors)" : ", enough for at most " + fit + " TX and " + fit + " RX queues"), option);
    }

    private static void CheckRingSize(string which, int? requested, string option)
    {
        if (requested is int size && !Rings.Ring.IsValidSize(size))
            throw new NicConfigurationException(which + " ring size " + size + " is not a power of two", option);
    }

    /// <summary>The format to use: the caller's, if offered and implemented; otherwise the most preferred one that is.</summary>
    public static QueueFormat ChooseFormat(DeviceDescription device, QueueFormat? requested)
    {
        if (requested is QueueFormat wanted)
        {
            if (!device.Offers(wanted))
                throw new NicConfigurationException("queue format " + wanted + " was requested but the device offers only " + device.OfferedFormatsText(), nameof(NicOptions.QueueFormat));
            if (!Implements(wanted))
                throw new NicConfigurationException("queue format " + wanted + " was requested but this driver does not implement it (the device offers " + device.OfferedFormatsText() + ")", nameof(NicOptions.QueueFormat));
            return wanted;
        }
        foreach (QueueFormat f in Implemented)
            if (device.Offers(f)) return f;
        throw new NicConfigurationException("no usable queue format: the device offers " + device.OfferedFormatsText() + "; this driver implements " + ImplementedText);
    }

    public static DevicePlan Plan(DeviceDescription device, NicOptions options, uint maxTxQueues, uint maxRxQueues)
    {
        QueueFormat format = ChooseFormat(device, options.QueueFormat);
        FormatCapabilities caps = device.CapabilitiesFor(format);

        if (options.TxQueues < 1 || options.TxQueues > maxTxQueues)
            throw new NicConfigurationException(options.TxQueues + " TX queues requested; the device allows 1 … " + maxTxQueues, nameof(NicOptions.TxQueues));
        if (options.RxQueues < 1 || options.RxQueues > maxRxQueues)
            throw new NicConfigurationException(options.RxQueues + " RX queues requested; the device allows 1 … " + maxRxQueues, nameof(NicOptions.RxQueues));

        int txRing = RingSize("TX", options.TxRingSize, device.TxQueueEntries, caps.RingLimits?.MinTxRingSize, caps.RingLimits?.MaxTxRingSize, nameof(NicOptions.TxRingSize), format);
        int rxRing = RingSize("RX", options.RxRingSize, device.RxQueueEntries, caps.RingLimits?.MinRxRingSize, caps.RingLimits?.MaxRxRingSize, nameof(NicOptions.RxRingSize), format);

        int mtu = options.Mtu ?? device.Mtu;
        int maxMtu = DeviceValues.MtuLimit(caps, device);
        if (mtu < MinMtu || mtu > maxMtu)
            throw new NicConfigurationException("MTU " + mtu + " is outside " + MinMtu + " … " + maxMtu + " for " + format
                + (device.JumboMaxMtu is ushort j && maxMtu < j ? " (the jumbo-frames option is not enabled for this format)" : ""), nameof(NicOptions.Mtu));
        if (options.HeaderSplit && (format != QueueFormat.DqoRda || !DeviceValues.IsHeaderBufferSize(caps.HeaderBufferSize)))
            throw new NicConfigurationException("header split needs the DqoRda format and a header buffer of 1 … " + DeviceValues.MaxHeaderBuffer
                + " bytes from the device's buffer-sizes option; the device runs " + format + " and offers "
                + (caps.HeaderBufferSize == 0 ? "no header buffer" : caps.HeaderBufferSize + "-byte header buffers (header_buffer_size)"), nameof(NicOptions.HeaderSplit));
        if (options.Timestamps) CheckTimestamps(device, format, caps);
        int maxFrame = mtu + FrameOverhead;
        int rxBuffer = RxBufferSizes.Choose(options.RxBufferSize, format, caps);
        bool dqo = format is QueueFormat.DqoRda or QueueFormat.DqoQpl;
        int perFrame = RxQueue.BuffersPerFrame(maxFrame, dqo, rxBuffer);
        if (perFrame > rxRing / 2)
        {
            string need = "MTU " + mtu + " needs " + perFrame + " RX buffers of " + rxBuffer + " bytes a frame; an RX ring of " + rxRing + " must hold at least two such frames";
            if (options.RxRingSize is null && options.Mtu is null)
                throw new DeviceFaultException("device descriptor", "rx_queue_entries", -1, (ulong)rxRing, need);
            throw new NicConfigurationException(need, options.Mtu is null ? nameof(NicOptions.RxRingSize) : nameof(NicOptions.Mtu));
        }
        // A TX ring must take the largest frame with one slot to spare: GQI a packet and up to two segment descriptors,
        // DQO a context descriptor and a packet descriptor per 2 KiB.
        int txDescriptors = dqo ? 1 + (maxFrame + (int)GvnicConstants.TxBufSizeDqo - 1) / (int)GvnicConstants.TxBufSizeDqo : 3;
        if (txRing <= txDescriptors)
        {
            string need = "a TX ring of " + txRing + " cannot take one " + maxFrame + "-byte frame (" + txDescriptors + " descriptors and one to spare)";
            if (options.TxRingSize is null && options.Mtu is null)
                throw new DeviceFaultException("device descriptor", "tx_queue_entries", -1, (ulong)txRing, need);
            throw new NicConfigurationException(need, options.Mtu is null ? nameof(NicOptions.TxRingSize) : nameof(NicOptions.Mtu));
        }

        int txPages = DeviceValues.QplPages(device.TxPagesPerQpl);
        int rxPages = rxRing;
        if (format == QueueFormat.DqoQpl)
        {
            // DQO page lists hold buffers, not rings: register what the buffers need, within the device's limits.
            (ushort tx, ushort rx) = device.DqoQplPages ?? (0, 0);
            int txLimit = tx != 0 ? DeviceValues.QplPages(tx) : (int)GvnicConstants.DqoQplDefaultTxPages;
            int rxLimit = rx != 0 ? DeviceValues.QplPages(rx) : 4 * (int)GvnicConstants.DqoQplDefaultTxPages;
            int txChunks = (maxFrame + (int)GvnicConstants.TxBufSizeDqo - 1) / (int)GvnicConstants.TxBufSizeDqo;
            txPages = Math.Min(txLimit, (txRing * txChunks * (int)GvnicConstants.TxBufSizeDqo + (int)GvnicConstants.PageSize - 1) / (int)GvnicConstants.PageSize);
            rxPages = Math.Min(rxLimit, ((rxRing - 1) * rxBuffer + (int)GvnicConstants.PageSize - 1) / (int)GvnicConstants.PageSize);
            ulong pages = (ulong)options.TxQueues * (ulong)txPages + (ulong)options.RxQueues * (ulong)rxPages;
            if (pages > device.MaxRegisteredPages)
                throw new NicConfigurationException("the page lists need " + pages + " pages but the device allows " + device.MaxRegisteredPages + " registered pages", nameof(NicOptions.TxQueues));
        }
        if (format == QueueFormat.GqiQpl)
        {
            if (txPages == 0) throw new NicConfigurationException("the device reports tx_pages_per_qpl 0; a GQI QPL TX queue needs pages");
            if (rxRing > device.RxPagesPerQpl)
                throw new NicConfigurationException("an RX ring of " + rxRing + " needs " + rxRing + " QPL pages but the device allows " + device.RxPagesPerQpl + " a page list", nameof(NicOptions.RxRingSize));
            ulong pages = (ulong)options.TxQueues * (ulong)txPages + (ulong)options.RxQueues * (ulong)rxRing;
            if (pages > device.MaxRegisteredPages)
                throw new NicConfigurationException("the page lists need " + pages + " pages but the device allows " + device.MaxRegisteredPages + " registered pages", nameof(NicOptions.TxQueues));
        }
        return new DevicePlan(format, caps, options.TxQueues, options.RxQueues, txRing, rxRing, mtu, maxFrame, rxBuffer, txPages, rxPages);
    }

    private static int RingSize(string which, int? requested, ushort deviceDefault, ushort? min, ushort? max, string option, QueueFormat format)
    {
        bool tx = which == "TX";
        if (requested is not int size) return DeviceValues.DefaultRing(tx ? "tx_queue_entries" : "rx_queue_entries", deviceDefault, format, tx);
        CheckRingSize(which, size, option);
        if (size > DeviceValues.MaxRingSize(format, tx))
            throw new NicConfigurationException(which + " ring size " + size + " is above " + DeviceValues.MaxRingSize(format, tx) + ", the largest " + format + " allows", option);
        if (min is ushort lo && max is ushort deviceMax)
        {
            int hi = DeviceValues.RingLimit(deviceMax, format, tx);
            if (size < lo || size > hi)
                throw new NicConfigurationException(which + " ring size " + size + " is outside the device's " + lo + " … " + hi, option);
        }
        else if (size != deviceDefault)
        {
            throw new NicConfigurationException(which + " ring size " + size + " requested, but the device does not allow changing it from " + deviceDefault + " (no modify-ring option)", option);
        }
        return size;
    }

    /// <summary>The bytes written to driver_version: "GVE-" + version + "\n".</summary>
    public static byte[] VersionString(Version version) => Encoding.ASCII.GetBytes("GVE-" + version + "\n");

    /// <summary>Timestamps need the NIC_TIMESTAMP option, enabled by the chosen format's option (upstream's gating), and DQO (only its completions carry a time).</summary>
    /// <exception cref="NicConfigurationException">One of the three is missing; the message says which.</exception>
    private static void CheckTimestamps(DeviceDescription device, QueueFormat format, FormatCapabilities caps)
    {
        string? missing = !device.NicTimestamp ? "the device does not offer the NIC_TIMESTAMP option"
            : (caps.SupportedFeatures & SupFeatureMask.NicTimestamp) == 0 ? "the " + format + " option does not enable NIC timestamps (no nic_timestamp bit in its supported_features_mask)"
            : format is not (QueueFormat.DqoRda or QueueFormat.DqoQpl) ? "only DQO RX completions carry a timestamp and the device runs " + format
            : null;
        if (missing is not null)
            throw new NicConfigurationException("hardware timestamps were requested but " + missing + "; open without NicOptions.Timestamps"
                + (format is QueueFormat.DqoRda or QueueFormat.DqoQpl ? "" : ", or choose a DQO format the device offers with timestamps"), nameof(NicOptions.Timestamps));
    }
}
