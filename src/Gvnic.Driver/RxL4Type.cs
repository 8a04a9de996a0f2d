namespace Gvnic.Driver;

/// <summary>The transport-layer protocol of a received frame, as the device classified it (upstream <c>gve_l4_type</c>).</summary>
public enum RxL4Type
{
    /// <summary>The device did not say (GQI: neither TCP nor UDP flagged; DQO: a packet type the map calls unknown, or a value the driver does not know).</summary>
    Unknown = 0,

    /// <summary>Another protocol, or a fragment that does not carry the transport header (DQO only).</summary>
    Other = 1,

    /// <summary>TCP.</summary>
    Tcp = 2,

    /// <summary>UDP.</summary>
    Udp = 3,

    /// <summary>ICMP or ICMPv6 (DQO only).</summary>
    Icmp = 4,

    /// <summary>SCTP (DQO only).</summary>
    Sctp = 5,
}
