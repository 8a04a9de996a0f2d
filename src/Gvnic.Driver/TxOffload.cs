using System;

namespace Gvnic.Driver;

/// <summary>
/// What to offload to the device for one frame sent with <see cref="Nic.Transmit(ReadOnlySpan{byte}, int, in TxOffload)"/>
/// or <see cref="Nic.TransmitBuffers(ReadOnlySpan{TxBuffer}, int, in TxOffload)"/>: nothing, the L4 checksum, or TCP
/// segmentation (TSO) with a maximum segment size. The driver finds the headers itself (Ethernet with at most one VLAN tag,
/// IPv4 without fragments or IPv6 without extension headers, TCP or UDP) and checks the frame against the format's limits
/// before it touches the ring.
/// </summary>
public readonly struct TxOffload : IEquatable<TxOffload>
{
    private TxOffload(TxOffloadKind kind, int mss)
    {
        Kind = kind;
        Mss = mss;
    }

    /// <summary>No offload.</summary>
    public static TxOffload None => default;

    /// <summary>The device computes the TCP or UDP checksum. The driver writes the pseudo-header sum into the checksum field, as the Linux stack does for upstream's driver; leave any value there.</summary>
    public static TxOffload L4Checksum => new(TxOffloadKind.L4Checksum, 0);

    /// <summary>TCP segmentation into segments of at most <paramref name="mss"/> payload bytes (the device also computes every segment's checksums).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mss"/> is below 1 or above 65535.</exception>
    public static TxOffload Tso(int mss)
    {
        if (mss < 1 || mss > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(mss), mss, "a TSO maximum segment size is 1 … 65535 bytes (the device's own limits are checked when the frame is sent)");
        return new(TxOffloadKind.Tso, mss);
    }

    /// <summary>What is offloaded.</summary>
    public TxOffloadKind Kind { get; }

    /// <summary>The maximum segment size (TCP payload bytes a segment) of <see cref="TxOffloadKind.Tso"/>; 0 otherwise.</summary>
    public int Mss { get; }

    /// <inheritdoc/>
    public bool Equals(TxOffload other) => Kind == other.Kind && Mss == other.Mss;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TxOffload other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Mss);

    /// <inheritdoc/>
    public override string ToString() => Kind == TxOffloadKind.Tso ? "TSO, MSS " + Mss : Kind.ToString();

    /// <summary>Whether both ask for the same offload.</summary>
    public static bool operator ==(TxOffload left, TxOffload right) => left.Equals(right);

    /// <summary>Whether they ask for different offloads.</summary>
    public static bool operator !=(TxOffload left, TxOffload right) => !left.Equals(right);
}
