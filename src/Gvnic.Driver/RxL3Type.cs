namespace Gvnic.Driver;

/// <summary>The network-layer protocol of a received frame, as the device classified it (upstream <c>gve_l3_type</c>).</summary>
public enum RxL3Type
{
    /// <summary>The device did not say (GQI: neither IPv4 nor IPv6 flagged; DQO: a packet type the map calls unknown, or a value the driver does not know).</summary>
    Unknown = 0,

    /// <summary>A protocol other than IP (DQO only).</summary>
    Other = 1,

    /// <summary>IPv4.</summary>
    Ipv4 = 2,

    /// <summary>IPv6.</summary>
    Ipv6 = 3,
}
