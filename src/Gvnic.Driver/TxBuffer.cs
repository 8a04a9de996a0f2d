using System;
using Gvnic.Driver.DataPlane;

namespace Gvnic.Driver;

/// <summary>
/// A transmit buffer lent out of a TX queue's own DMA memory (RDA: a buffer the driver registered for the queue; QPL:
/// a slot of the queue's page list), to build a frame in place: write it at the start of <see cref="Data"/>, set
/// <see cref="Length"/>, and hand the buffer back with <see cref="Nic.TransmitBuffers(ReadOnlySpan{TxBuffer}, int)"/> (sent, no copy) or
/// <see cref="Nic.ReleaseTxBuffers"/> (not sent). Get buffers with <see cref="Nic.AcquireTxBuffers"/>.
/// </summary>
/// <remarks>
/// A handle, copied by value: every copy names the same buffer, and once the buffer is handed back (or its NIC reset or
/// disposed) every copy is refused. Until it is handed back the device never reads it, and the queue does not lend it again.
/// A span taken from <see cref="Data"/> is valid while the buffer is lent: do not keep it across a call that may reset the NIC.
/// </remarks>
public struct TxBuffer
{
    private readonly TxQueue? _queue;
    private int _length;

    internal TxBuffer(TxQueue queue, int index, int token, int capacity)
    {
        _queue = queue;
        Index = index;
        Token = token;
        Capacity = capacity;
    }

    internal readonly TxQueue? Owner => _queue;

    internal readonly int Index { get; }

    internal readonly int Token { get; }

    /// <summary>The TX queue the buffer belongs to (-1 for a default value that names no buffer).</summary>
    public readonly int Queue => _queue?.Id ?? -1;

    /// <summary>The largest frame the buffer holds: the NIC's <see cref="Nic.MaxFrameSize"/>.</summary>
    public readonly int Capacity { get; }

    /// <summary>The bytes of the frame written at the start of <see cref="Data"/>: 1 … <see cref="Capacity"/> when handed back to send.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above <see cref="Capacity"/>.</exception>
    public int Length
    {
        readonly get => _length;
        set
        {
            if ((uint)value > (uint)Capacity) ThrowLength(value, Capacity);
            _length = value;
        }
    }

    /// <summary>The whole buffer (<see cref="Capacity"/> bytes, in the queue's DMA memory), while it is lent.</summary>
    /// <exception cref="InvalidOperationException">The buffer was handed back (sent or released), or this is a default value.</exception>
    /// <exception cref="ObjectDisposedException">The buffer's NIC was disposed or reset (its queues and their memory are gone).</exception>
    public readonly Span<byte> Data
    {
        get
        {
            if (_queue is not TxQueue queue) throw new InvalidOperationException("this TxBuffer names no buffer (a default value); get buffers with Nic.AcquireTxBuffers");
            return queue.LentData(Index, Token);
        }
    }

    /// <summary>The frame: the first <see cref="Length"/> bytes of <see cref="Data"/>.</summary>
    /// <exception cref="InvalidOperationException">As <see cref="Data"/>.</exception>
    /// <exception cref="ObjectDisposedException">As <see cref="Data"/>.</exception>
    public readonly Span<byte> Frame => Data.Slice(0, _length);

    private static void ThrowLength(int value, int capacity)
        => throw new ArgumentOutOfRangeException(nameof(Length), value, "a TX buffer holds 0 … " + capacity + " bytes (the NIC's MaxFrameSize)");
}
