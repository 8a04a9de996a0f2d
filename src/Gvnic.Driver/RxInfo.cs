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

/// <summary>A received frame's metadata.</summary>
/// <param name="Length">Frame length in bytes (the 2-byte pad removed).</param>
/// <param name="Flags">Protocol flags from the descriptor.</param>
/// <param name="Checksum">The device's 16-bit ones'-complement partial checksum.</param>
/// <param name="RssHash">The Toeplitz RSS hash.</param>
/// <param name="Queue">The RX queue the frame came from.</param>
public readonly record struct RxInfo(int Length, RxFlags Flags, ushort Checksum, uint RssHash, int Queue);
