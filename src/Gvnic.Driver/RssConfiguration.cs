using System;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>
/// An RSS configuration: which packet kinds the device hashes (<see cref="HashTypes"/>), the Toeplitz key, and the
/// indirection table that maps hash buckets to RX queues. Given to <see cref="Nic.ConfigureRss"/>, returned by
/// <see cref="Nic.QueryRss"/>.
/// </summary>
/// <remarks>
/// The device takes the key and the table in the sizes its RSS_CONFIG option gives (<see cref="Nic.RssKeySize"/>,
/// <see cref="Nic.RssIndirectionTableSize"/>; upstream's 40 and 128 on a DQO device without the option). The device
/// hashes a frame of a listed kind over its source and destination addresses (and, for the TCP and UDP kinds, its source
/// and destination ports) and sends it to the queue at <c>IndirectionTable[hash % IndirectionTable.Length]</c>.
/// </remarks>
public sealed record RssConfiguration
{
    /// <summary>What upstream Linux always asks for: TCP and UDP over IPv4 and IPv6 (gve_adminq_configure_rss).</summary>
    public const RssHashTypes DefaultHashTypes = RssHashTypes.Tcpv4 | RssHashTypes.Udpv4 | RssHashTypes.Tcpv6 | RssHashTypes.Udpv6;

    /// <summary>The packet kinds to hash (at least one; only the bits of <see cref="RssHashTypes"/>).</summary>
    public RssHashTypes HashTypes { get; init; } = DefaultHashTypes;

    /// <summary>The Toeplitz key, exactly <see cref="Nic.RssKeySize"/> bytes; null leaves the device's key unchanged.</summary>
    public byte[]? Key { get; init; }

    /// <summary>The indirection table, exactly <see cref="Nic.RssIndirectionTableSize"/> RX queue indexes; null leaves the device's table unchanged.</summary>
    public int[]? IndirectionTable { get; init; }

    /// <summary>The hash algorithm (what <see cref="Nic.QueryRss"/> reports; the driver always configures Toeplitz).</summary>
    public RssHashAlg HashAlgorithm { get; init; } = RssHashAlg.Toeplitz;

    /// <summary>A table of <paramref name="size"/> entries spreading the buckets over <paramref name="rxQueues"/> queues round-robin (entry i is i % rxQueues), as Linux's default.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="rxQueues"/> is not positive.</exception>
    public static int[] RoundRobin(int size, int rxQueues)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rxQueues);
        var table = new int[size];
        for (int i = 0; i < size; i++) table[i] = i % rxQueues;
        return table;
    }
}
