using System;

namespace Gvnic.Driver;

/// <summary>What the device said about a received frame.</summary>
[Flags]
public enum RxFlags
{
    /// <summary>Nothing flagged.</summary>
    None = 0,

    /// <summary>An IPv4 packet.</summary>
    Ipv4 = 1,

    /// <summary>An IPv6 packet.</summary>
    Ipv6 = 2,

    /// <summary>Carries TCP.</summary>
    Tcp = 4,

    /// <summary>Carries UDP.</summary>
    Udp = 8,

    /// <summary>An IP fragment.</summary>
    Fragment = 16,
}
