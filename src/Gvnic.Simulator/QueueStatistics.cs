namespace Gvnic.Simulator;

/// <summary>Counters of one simulated queue.</summary>
/// <param name="Queue">The queue id.</param>
/// <param name="Frames">Frames sent (TX) or delivered (RX).</param>
/// <param name="Bytes">Bytes of those frames.</param>
/// <param name="NoBufferDrops">RX: frames dropped because no buffer was posted (rx_no_buffers).</param>
/// <param name="OverMruDrops">RX: frames dropped for being longer than the buffers or MTU allow.</param>
/// <param name="Errors">Packets dropped because of bad descriptors or DMA failures.</param>
/// <param name="LinkDownDrops">Frames dropped because the link was down.</param>
public sealed record QueueStatistics(int Queue, long Frames, long Bytes, long NoBufferDrops, long OverMruDrops, long Errors, long LinkDownDrops)
{
    /// <summary>RX: frames dropped under load because the driver keeps fewer buffers posted than <see cref="SimulatedDeviceConfig.MinRxBuffersUnderLoad"/>.</summary>
    public long LoadDrops { get; init; }
}
