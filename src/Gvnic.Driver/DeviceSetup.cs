using System;
using System.Text;
using Gvnic.Admin;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>The plan for one device: format, queue counts, ring and buffer sizes, chosen from what it offers and what the caller asked.</summary>
internal sealed record DevicePlan(QueueFormat Format, FormatCapabilities Capabilities, int TxQueues, int RxQueues, int TxRingSize, int RxRingSize,
    int Mtu, int MaxFrame, int RxBufferSize, int TxPagesPerQpl, int RxPagesPerQpl)
{
    /// <summary>Whether the format uses DQO descriptors.</summary>
    public bool IsDqo => Format is QueueFormat.DqoRda or QueueFormat.DqoQpl;

    /// <summary>Whether the format uses queue page lists.</summary>
    public bool IsQpl => Format is QueueFormat.GqiQpl or QueueFormat.DqoQpl;
}

/// <summary>Chooses the queue format and sizes from a <see cref="DeviceDescription"/> and <see cref="NicOptions"/>.</summary>
internal static class DeviceSetup
{
    /// <summary>Formats in upstream's order of preference.</summary>
    private static readonly QueueFormat[] Preference = [QueueFormat.DqoRda, QueueFormat.DqoQpl, QueueFormat.GqiRda, QueueFormat.GqiQpl];

    /// <summary>Whether this driver implements <paramref name="format"/>.</summary>
    public static bool Implements(QueueFormat format) => format is QueueFormat.GqiRda or QueueFormat.GqiQpl or QueueFormat.DqoRda or QueueFormat.DqoQpl;

    /// <summary>The format to use: the caller's, if offered and implemented; otherwise the most preferred one that is.</summary>
    public static QueueFormat ChooseFormat(DeviceDescription device, QueueFormat? requested)
    {
        if (requested is QueueFormat wanted)
        {
            if (!device.Offers(wanted))
                throw new NicConfigurationException("queue format " + wanted + " was requested but the device offers only " + device.OfferedFormatsText());
            if (!Implements(wanted))
                throw new NicConfigurationException("queue format " + wanted + " was requested but this driver does not implement it (the device offers " + device.OfferedFormatsText() + ")");
            return wanted;
        }
        foreach (QueueFormat f in Preference)
            if (device.Offers(f) && Implements(f)) return f;
        throw new NicConfigurationException("no usable queue format: the device offers " + device.OfferedFormatsText() + "; this driver implements DqoRda, DqoQpl, GqiRda and GqiQpl");
    }

    public static DevicePlan Plan(DeviceDescription device, NicOptions options, uint maxTxQueues, uint maxRxQueues)
    {
        QueueFormat format = ChooseFormat(device, options.QueueFormat);
        FormatCapabilities caps = device.CapabilitiesFor(format);

        if (options.TxQueues < 1 || options.TxQueues > maxTxQueues)
            throw new NicConfigurationException(options.TxQueues + " TX queues requested; the device allows 1 … " + maxTxQueues);
        if (options.RxQueues < 1 || options.RxQueues > maxRxQueues)
            throw new NicConfigurationException(options.RxQueues + " RX queues requested; the device allows 1 … " + maxRxQueues);

        int txRing = RingSize("TX", options.TxRingSize, device.TxQueueEntries, caps.RingLimits?.MinTxRingSize, caps.RingLimits?.MaxTxRingSize);
        int rxRing = RingSize("RX", options.RxRingSize, device.RxQueueEntries, caps.RingLimits?.MinRxRingSize, caps.RingLimits?.MaxRxRingSize);

        int mtu = options.Mtu ?? device.Mtu;
        if (mtu < 68 || mtu > caps.MaxMtu)
            throw new NicConfigurationException("MTU " + mtu + " is outside 68 … " + caps.MaxMtu + " for " + format
                + (device.JumboMaxMtu is ushort j && caps.MaxMtu < j ? " (the jumbo-frames option is not enabled for this format)" : ""));
        int maxFrame = mtu + 18; // Ethernet header and one VLAN tag
        int rxBuffer = maxFrame + (int)GvnicConstants.RxPad <= (int)GvnicConstants.DefaultRxBufferSize ? (int)GvnicConstants.DefaultRxBufferSize : (int)GvnicConstants.MaxRxBufferSize;
        if (maxFrame + (int)GvnicConstants.RxPad > rxBuffer)
            throw new NicConfigurationException("MTU " + mtu + " needs frames of " + maxFrame + " bytes; RX buffers hold at most " + (GvnicConstants.MaxRxBufferSize - GvnicConstants.RxPad));

        int txPages = device.TxPagesPerQpl;
        int rxPages = rxRing;
        if (format == QueueFormat.DqoQpl)
        {
            // DQO page lists hold buffers, not rings: register what the buffers need, within the device's limits.
            (ushort tx, ushort rx) = device.DqoQplPages ?? (0, 0);
            int txLimit = tx != 0 ? tx : (int)GvnicConstants.DqoQplDefaultTxPages;
            int rxLimit = rx != 0 ? rx : 4 * (int)GvnicConstants.DqoQplDefaultTxPages;
            int txChunks = (maxFrame + (int)GvnicConstants.TxBufSizeDqo - 1) / (int)GvnicConstants.TxBufSizeDqo;
            txPages = Math.Min(txLimit, (txRing * txChunks * (int)GvnicConstants.TxBufSizeDqo + (int)GvnicConstants.PageSize - 1) / (int)GvnicConstants.PageSize);
            rxPages = Math.Min(rxLimit, ((rxRing - 1) * rxBuffer + (int)GvnicConstants.PageSize - 1) / (int)GvnicConstants.PageSize);
            ulong pages = (ulong)options.TxQueues * (ulong)txPages + (ulong)options.RxQueues * (ulong)rxPages;
            if (pages > device.MaxRegisteredPages)
                throw new NicConfigurationException("the page lists need " + pages + " pages but the device allows " + device.MaxRegisteredPages + " registered pages");
        }
        if (format == QueueFormat.GqiQpl)
        {
            if (txPages == 0) throw new NicConfigurationException("the device reports tx_pages_per_qpl 0; a GQI QPL TX queue needs pages");
            if (rxRing > device.RxPagesPerQpl)
                throw new NicConfigurationException("an RX ring of " + rxRing + " needs " + rxRing + " QPL pages but the device allows " + device.RxPagesPerQpl + " a page list");
            ulong pages = (ulong)options.TxQueues * (ulong)txPages + (ulong)options.RxQueues * (ulong)rxRing;
            if (pages > device.MaxRegisteredPages)
                throw new NicConfigurationException("the page lists need " + pages + " pages but the device allows " + device.MaxRegisteredPages + " registered pages");
        }
        return new DevicePlan(format, caps, options.TxQueues, options.RxQueues, txRing, rxRing, mtu, maxFrame, rxBuffer, txPages, rxPages);
    }

    private static int RingSize(string which, int? requested, ushort deviceDefault, ushort? min, ushort? max)
    {
        if (requested is not int size) return deviceDefault;
        if (!Rings.Ring.IsValidSize(size))
            throw new NicConfigurationException(which + " ring size " + size + " is not a power of two");
        if (min is ushort lo && max is ushort hi)
        {
            if (size < lo || size > hi)
                throw new NicConfigurationException(which + " ring size " + size + " is outside the device's " + lo + " … " + hi);
        }
        else if (size != deviceDefault)
        {
            throw new NicConfigurationException(which + " ring size " + size + " requested, but the device does not allow changing it from " + deviceDefault + " (no modify-ring option)");
        }
        return size;
    }

    /// <summary>The bytes written to driver_version: "GVE-" + version + "\n".</summary>
    public static byte[] VersionString(Version version) => Encoding.ASCII.GetBytes("GVE-" + version + "\n");
}
