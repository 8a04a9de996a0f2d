namespace Gvnic.Driver;

/// <summary>Counters of one TX queue since it was created (by <see cref="Nic.Open"/> or the last <see cref="Nic.Recover"/>).</summary>
/// <param name="Packets">Frames handed to the device.</param>
/// <param name="Bytes">Their bytes.</param>
/// <param name="Completed">Frames the device reported done (their buffer space was reclaimed).</param>
/// <param name="Descriptors">Descriptors posted.</param>
/// <param name="Full">Times a frame was refused because the ring or the buffer space was full.</param>
/// <param name="Doorbells">Doorbell writes.</param>
public readonly record struct TxQueueStatistics(long Packets, long Bytes, long Completed, long Descriptors, long Full, long Doorbells)
{
    /// <summary>
    /// Completions the device wrote that the driver ignored because they named nothing in flight: a DQO completion
    /// tag outside the queue's tags, or one whose packet was already completed (duplicate or stale). Counted and
    /// skipped, as upstream does; traffic goes on.
    /// </summary>
    public long DeviceFaults { get; init; }

    /// <summary>
    /// Frames counted dropped because the device never finished them: a DQO packet that took the miss path and whose
    /// re-injection completion did not come within <c>DqoTxQueue.ReinjectTimeout</c> (1 s), as upstream counts it.
    /// They are no longer in flight; a late re-injection does not count them again. Always 0 on GQI.
    /// </summary>
    public long TimedOut { get; init; }

    /// <summary>Bytes of the frames the device reported done (<see cref="Completed"/>'s bytes; a frame counted <see cref="TimedOut"/> is not).</summary>
    public long BytesCompleted { get; init; }

    /// <summary>Times a frame was accepted after the previous attempt was refused (<see cref="Full"/>): the queue "woke", as upstream's TX_WAKE_CNT counts.</summary>
    public long Wakes { get; init; }

    /// <summary>Frames sent with L4 checksum offload (<see cref="TxOffloadKind.L4Checksum"/>).</summary>
    public long ChecksumOffloads { get; init; }

    /// <summary>Frames sent with TCP segmentation offload (<see cref="TxOffloadKind.Tso"/>); each is one of <see cref="Packets"/>.</summary>
    public long TsoFrames { get; init; }

    /// <summary>The segments the device makes of the <see cref="TsoFrames"/> (what crosses the wire for them).</summary>
    public long TsoSegments { get; init; }
}
