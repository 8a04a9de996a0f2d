namespace Gvnic.Driver;

/// <summary>What a received frame's <see cref="RxInfo.RssHash"/> was computed over, as upstream tells the stack (<c>pkt_hash_types</c>).</summary>
public enum RssHashType
{
    /// <summary>No hash: the value is not meaningful (GQI: a frame flagged neither IP nor TCP/UDP, as upstream's <c>gve_needs_rss</c>).</summary>
    None = 0,

    /// <summary>A hash of a frame the device did not classify as IP (DQO reports one for every frame).</summary>
    L2 = 1,

    /// <summary>A hash over the IP addresses.</summary>
    L3 = 2,

    /// <summary>A hash over the IP addresses and the transport ports.</summary>
    L4 = 3,
}
