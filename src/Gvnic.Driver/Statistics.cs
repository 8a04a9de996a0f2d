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
}

/// <summary>Counters of one RX queue since it was created (by <see cref="Nic.Open"/> or the last <see cref="Nic.Recover"/>).</summary>
/// <param name="Packets">Frames delivered to the caller.</param>
/// <param name="Bytes">Their bytes (without the 2-byte pad).</param>
/// <param name="Dropped">Frames dropped because the device flagged an error (a multi-buffer frame counts once).</param>
/// <param name="BuffersPosted">Buffers posted to the device (including the initial fill; a frame gives back every buffer it spanned).</param>
/// <param name="Doorbells">Doorbell writes.</param>
public readonly record struct RxQueueStatistics(long Packets, long Bytes, long Dropped, long BuffersPosted, long Doorbells)
{
    /// <summary>
    /// Frames dropped because the device described them wrongly (a length of 0 or beyond the buffer, a chain longer
    /// than the largest frame, a DQO buffer id outside the posted buffers or not posted): counted here and not in
    /// <see cref="Dropped"/>; their buffers go back to the device and traffic goes on.
    /// </summary>
    public long DeviceFaults { get; init; }
}
