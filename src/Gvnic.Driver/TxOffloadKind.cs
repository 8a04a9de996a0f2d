namespace Gvnic.Driver;

/// <summary>What the device is asked to do to a frame on its way out (<see cref="TxOffload"/>).</summary>
public enum TxOffloadKind : byte
{
    /// <summary>Nothing: the frame goes out as it is.</summary>
    None,

    /// <summary>The device computes the TCP or UDP checksum (over IPv4 or IPv6).</summary>
    L4Checksum,

    /// <summary>TCP segmentation: the device cuts a TCP frame larger than the MTU into segments of at most <see cref="TxOffload.Mss"/> payload bytes, with their lengths, IPv4 ids, sequence numbers, flags and checksums.</summary>
    Tso,
}
