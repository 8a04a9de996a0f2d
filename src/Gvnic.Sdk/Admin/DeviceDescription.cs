using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Admin;

/// <summary>
/// The device descriptor DESCRIBE_DEVICE returned, with its options decoded: a typed summary the driver
/// plans with. Made by <see cref="DeviceDescriptorParser.Parse"/>.
/// </summary>
public sealed class DeviceDescription
{
    internal DeviceDescription() { }

    /// <summary>Most pages the driver may register in all page lists together.</summary>
    public ulong MaxRegisteredPages { get; internal set; }

    /// <summary>Default (and, without modify-ring, fixed) TX ring size.</summary>
    public ushort TxQueueEntries { get; internal set; }

    /// <summary>Default RX ring size.</summary>
    public ushort RxQueueEntries { get; internal set; }

    /// <summary>The number of queues the device suggests.</summary>
    public ushort DefaultQueueCount { get; internal set; }

    /// <summary>The device's MTU.</summary>
    public ushort Mtu { get; internal set; }

    /// <summary>Event counters the device wants in the counter array.</summary>
    public ushort EventCounters { get; internal set; }

    /// <summary>Pages a TX queue page list holds (GQI QPL).</summary>
    public ushort TxPagesPerQpl { get; internal set; }

    /// <summary>Pages an RX queue page list holds (GQI QPL).</summary>
    public ushort RxPagesPerQpl { get; internal set; }

    /// <summary>The device's MAC address.</summary>
    public MacAddress MacAddress { get; internal set; }

    /// <summary>total_length from the descriptor.</summary>
    public ushort TotalLength { get; internal set; }

    /// <summary>Queue formats the device offers, in upstream's order of preference (DQO RDA, DQO QPL, GQI RDA, GQI QPL).</summary>
    public IReadOnlyList<QueueFormat> OfferedFormats => _offered;

    /// <summary>Whether the device sent the legacy GQI raw-addressing option (it means GQI RDA).</summary>
    public bool RawAddressing { get; internal set; }

    /// <summary>The jumbo-frames option's max MTU, when the option was present.</summary>
    public ushort? JumboMaxMtu { get; internal set; }

    /// <summary>The modify-ring option, when present.</summary>
    public RingSizeLimits? ModifyRing { get; internal set; }

    /// <summary>The buffer-sizes option (packet, header), when present.</summary>
    public (ushort PacketBufferSize, ushort HeaderBufferSize)? BufferSizes { get; internal set; }

    /// <summary>DQO QPL pages a TX and an RX page list hold, when the DQO QPL option was present.</summary>
    public (ushort TxPagesPerQpl, ushort RxPagesPerQpl)? DqoQplPages { get; internal set; }

    /// <summary>Flow-steering rule capacity, when the option was present.</summary>
    public uint? MaxFlowRules { get; internal set; }

    /// <summary>RSS key and lookup-table sizes, when the option was present.</summary>
    public (ushort HashKeySize, ushort HashLutSize)? RssConfig { get; internal set; }

    /// <summary>Whether the NIC-timestamp option was present.</summary>
    public bool NicTimestamp { get; internal set; }

    /// <summary>Options the parser skipped (unknown ids, wrong lengths, wrong required-features masks).</summary>
    public IReadOnlyList<SkippedDeviceOption> SkippedOptions => _skipped;

    internal readonly List<QueueFormat> _offered = new();
    internal readonly List<SkippedDeviceOption> _skipped = new();
    internal readonly Dictionary<QueueFormat, SupFeatureMask> _formatFeatures = new();

    /// <summary>Whether the device offers <paramref name="format"/>.</summary>
    public bool Offers(QueueFormat format) => _offered.Contains(format);

    /// <summary>What using <paramref name="format"/> gives, with upstream's feature gating applied.</summary>
    public FormatCapabilities CapabilitiesFor(QueueFormat format)
    {
        _formatFeatures.TryGetValue(format, out SupFeatureMask mask);
        int maxMtu = JumboMaxMtu is ushort jumbo && (mask & SupFeatureMask.JumboFrames) != 0 ? jumbo : Mtu;
        RingSizeLimits? limits = (mask & SupFeatureMask.ModifyRing) != 0 ? ModifyRing : null;
        bool dqo = format is QueueFormat.DqoRda or QueueFormat.DqoQpl;
        ushort packet = 0, header = 0;
        if (dqo && BufferSizes is { } sizes && (mask & SupFeatureMask.BufferSizes) != 0) (packet, header) = sizes;
        return new FormatCapabilities(format, mask, maxMtu, limits, packet, header);
    }

    /// <summary>The offered formats as text, e.g. <c>DqoRda, GqiQpl</c>.</summary>
    public string OfferedFormatsText() => _offered.Count == 0 ? "none" : string.Join(", ", _offered);
}
