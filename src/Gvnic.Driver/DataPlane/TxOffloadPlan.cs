namespace Gvnic.Driver.DataPlane;

/// <summary>Where the headers of a frame sent with an offload are, and what the device will make of it (<see cref="TxOffloadPlanner"/>).</summary>
internal readonly struct TxOffloadPlan
{
    public TxOffloadPlan(TxOffloadKind kind, int l3Offset, int l4Offset, int headerLength, bool ipv6, bool tcp, int mss, int segments)
    {
        Kind = kind;
        L3Offset = l3Offset;
        L4Offset = l4Offset;
        HeaderLength = headerLength;
        Ipv6 = ipv6;
        Tcp = tcp;
        Mss = mss;
        Segments = segments;
    }

    public TxOffloadKind Kind { get; }

    /// <summary>Offset of the IP header from the start of the frame.</summary>
    public int L3Offset { get; }

    /// <summary>Offset of the TCP or UDP header from the start of the frame.</summary>
    public int L4Offset { get; }

    /// <summary>Bytes of the Ethernet, IP and L4 headers (TSO: what the device repeats in every segment).</summary>
    public int HeaderLength { get; }

    public bool Ipv6 { get; }

    public bool Tcp { get; }

    /// <summary>Offset of the L4 checksum field from the L4 header (TCP 16, UDP 6).</summary>
    public int ChecksumOffset => Tcp ? 16 : 6;

    /// <summary>The TSO maximum segment size; 0 without TSO.</summary>
    public int Mss { get; }

    /// <summary>Frames the device puts on the wire for this one (1 without TSO).</summary>
    public int Segments { get; }

    public bool IsTso => Kind == TxOffloadKind.Tso;
}
