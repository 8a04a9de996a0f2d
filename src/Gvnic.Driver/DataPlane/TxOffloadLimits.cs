namespace Gvnic.Driver.DataPlane;

/// <summary>
/// What a TX queue's format allows of an offloaded frame: <paramref name="Dqo"/> (DQO rules: a minimum MSS, a largest
/// header, data descriptors a segment, over buffers of <paramref name="Chunk"/> bytes) or GQI (offsets in 2-byte units);
/// the MTU every segment must fit; the largest frame without TSO and the largest a TSO frame may be on this queue.
/// </summary>
internal readonly record struct TxOffloadLimits(bool Dqo, int Mtu, int MaxFrame, int MaxTsoFrame, int Chunk);
