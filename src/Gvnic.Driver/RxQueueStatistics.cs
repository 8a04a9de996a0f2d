namespace Gvnic.Driver;

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
