using System;

namespace Gvnic.VfioUser.Device;

/// <summary>
/// Carries DMA to memory the client gave without a file descriptor: DMA_READ and DMA_WRITE messages to the client
/// (implemented by the connection). Each call is at most the client's max_data_xfer_size and returns 0 or -errno
/// (<see cref="Protocol.Errno.ETIMEDOUT"/> when the client did not answer in time).
/// </summary>
internal interface IDmaMessenger
{
    /// <summary>Most bytes one message may carry.</summary>
    int MaxTransfer { get; }

    /// <summary>Reads client memory at <paramref name="address"/> into <paramref name="destination"/>.</summary>
    int Read(ulong address, Span<byte> destination);

    /// <summary>Writes <paramref name="source"/> to client memory at <paramref name="address"/>.</summary>
    int Write(ulong address, ReadOnlySpan<byte> source);
}
