namespace Gvnic.Driver;

/// <summary>A received frame's metadata.</summary>
/// <param name="Length">Frame length in bytes (the 2-byte pad removed).</param>
/// <param name="Flags">Protocol flags from the descriptor.</param>
/// <param name="Checksum">The device's 16-bit ones'-complement partial checksum (GQI: over the L3 header and everything after it, as Linux's CHECKSUM_COMPLETE; DQO: raw_cs).</param>
/// <param name="RssHash">The Toeplitz RSS hash (see <see cref="RssHashType"/> for whether it means anything).</param>
/// <param name="Queue">The RX queue the frame came from.</param>
/// <remarks>
/// The results of the device's receive offloads, decoded (docs/driver.md, "RX results"): <see cref="L3Type"/> and
/// <see cref="L4Type"/>, the checksum verdicts <see cref="L3Checksum"/> and <see cref="L4Checksum"/>,
/// <see cref="RssHashType"/>, <see cref="HeaderLength"/> (header split) and <see cref="Timestamp"/> (hardware RX timestamps).
/// </remarks>
public readonly record struct RxInfo(int Length, RxFlags Flags, ushort Checksum, uint RssHash, int Queue)
{
    /// <summary>The network-layer protocol.</summary>
    public RxL3Type L3Type { get; init; }

    /// <summary>The transport-layer protocol.</summary>
    public RxL4Type L4Type { get; init; }

    /// <summary>The IPv4 header checksum: <see cref="RxChecksum.Unknown"/> for IPv6 (it has none) and frames that are not IP.</summary>
    public RxChecksum L3Checksum { get; init; }

    /// <summary>The TCP, UDP (ICMP, SCTP on DQO) checksum: <see cref="RxChecksum.Unknown"/> for fragments and other protocols.</summary>
    public RxChecksum L4Checksum { get; init; }

    /// <summary>What <see cref="RxInfo.RssHash"/> covers; <see cref="Driver.RssHashType.None"/> when it is not a hash at all.</summary>
    public RssHashType RssHashType { get; init; }

    /// <summary>Whether <see cref="RxInfo.RssHash"/> is a hash the device computed (<see cref="RssHashType"/> is not None).</summary>
    public bool RssHashValid => RssHashType != RssHashType.None;

    /// <summary>With header split (DQO RDA): the bytes of headers the device wrote to the header buffer (the first segment); 0 otherwise.</summary>
    public int HeaderLength { get; init; }

    /// <summary>
    /// With <see cref="NicOptions.Timestamps"/>: when the device received the frame, in nanoseconds of the NIC clock (the
    /// completion's 32-bit time extended to 64 bits against the last read of the NIC clock); null when the device gave no
    /// valid time or timestamps are off.
    /// </summary>
    public ulong? Timestamp { get; init; }
}
