namespace Gvnic.Simulator;

/// <summary>What happened to a frame handed to a device.</summary>
public enum RxOutcome
{
    /// <summary>Written into a posted buffer and its descriptor or completion.</summary>
    Delivered,
    /// <summary>Waiting in the device (manual execution mode) until <see cref="SimulatedGvnic.Step"/> runs.</summary>
    Queued,
    /// <summary>Dropped: no buffer was posted (counted in rx_no_buffers).</summary>
    DroppedNoBuffers,
    /// <summary>Dropped: longer than the posted buffer or the MTU (counted in rx_drops_over_mru).</summary>
    DroppedTooLong,
    /// <summary>Dropped: the queue's driver keeps fewer buffers posted than the device needs under load (<see cref="SimulatedDeviceConfig.MinRxBuffersUnderLoad"/>).</summary>
    DroppedUnderLoad,
    /// <summary>Dropped: no RX queue exists, or the link is down, or the device is not running.</summary>
    DroppedNotReady,
}
