using System;

namespace Gvnic.VfioUser.Server;

/// <summary>Limits and hooks of a <see cref="VfioUserServer"/>.</summary>
public sealed class VfioUserServerOptions
{
    /// <summary>Most data bytes the server takes in one region read or write (its max_data_xfer_size; default 1 MiB, at most 64 MiB).</summary>
    public uint MaxDataTransferSize { get; init; } = 1024 * 1024;

    /// <summary>Most descriptors the server takes in one message (its max_msg_fds; default and most 16).</summary>
    public int MaxMessageFds { get; init; } = 16;

    /// <summary>Most DMA mappings at once (default 65535, as QEMU's and Linux's limit).</summary>
    public int MaxDmaMappings { get; init; } = 65535;

    /// <summary>How long a DMA_READ or DMA_WRITE message waits for the client's reply (default 5 s).</summary>
    public TimeSpan DmaReplyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the server reports connections, errors it answered and device exceptions (default: nowhere).</summary>
    public Action<string>? Log { get; init; }

    internal void Validate()
    {
        if (MaxDataTransferSize is < 4096 or > 64 * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(MaxDataTransferSize), MaxDataTransferSize, "max_data_xfer_size must be 4 KiB to 64 MiB");
        if (MaxMessageFds is < 1 or > Interop.Posix.MaxFdsPerMessage)
            throw new ArgumentOutOfRangeException(nameof(MaxMessageFds), MaxMessageFds, "max_msg_fds must be 1 to 16");
        if (MaxDmaMappings is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(MaxDmaMappings), MaxDmaMappings, "max_dma_maps must be 1 to 65535");
        if (DmaReplyTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(DmaReplyTimeout), DmaReplyTimeout, "the DMA reply timeout must be positive");
    }
}
