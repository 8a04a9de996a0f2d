using System;
using Gvnic.Driver.DataPlane;

namespace Gvnic.Driver;

/// <summary>
/// A received frame lent straight out of the queue's DMA buffers (no copy). The buffers go back to the
/// device when the lease is disposed; until then the queue delivers nothing else. Use with <c>using</c>.
/// </summary>
/// <remarks>
/// A frame up to one RX buffer long (every frame at the device's default MTU) lies in one buffer: read it as
/// <see cref="Frame"/>. A longer frame (jumbo frames) spans <see cref="SegmentCount"/> buffers: read them in order
/// with <see cref="Segment"/>, or copy the whole frame with <see cref="CopyTo"/>; <see cref="Frame"/> then throws.
/// </remarks>
public ref struct RxLease
{
    private RxQueue? _queue;
    private readonly int _token;
    private ReadOnlySpan<byte> _first;

    internal RxLease(RxQueue queue, int token, RxInfo info)
    {
        _queue = queue;
        _token = token;
        Info = info;
        SegmentCount = queue.PeekedSegments;
        _first = queue.PeekedSegment(0);
    }

    /// <summary>The frame's bytes when it lies in one buffer (valid until <see cref="Dispose"/>).</summary>
    /// <exception cref="InvalidOperationException">The frame spans several buffers (use <see cref="Segment"/> or <see cref="CopyTo"/>).</exception>
    public readonly ReadOnlySpan<byte> Frame
    {
        get
        {
            if (SegmentCount > 1) ThrowSpansBuffers(SegmentCount);
            return _first;
        }
    }

    /// <summary>How many RX buffers the frame spans (1 unless it is longer than one buffer; 0 after <see cref="Dispose"/>).</summary>
    public int SegmentCount { get; private set; }

    /// <summary>The frame's metadata (<see cref="RxInfo.Length"/>: the whole frame).</summary>
    public RxInfo Info { get; }

    /// <summary>The frame's bytes in its <paramref name="index"/>-th buffer, in order (valid until <see cref="Dispose"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="SegmentCount"/>.</exception>
    /// <exception cref="ObjectDisposedException">The lease was disposed.</exception>
    public readonly ReadOnlySpan<byte> Segment(int index)
    {
        RxQueue queue = Live();
        if (index == 0) return _first;
        return queue.PeekedSegment(index);
    }

    /// <summary>Copies the whole frame into <paramref name="destination"/>; returns its length.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the frame.</exception>
    /// <exception cref="ObjectDisposedException">The lease was disposed.</exception>
    public readonly int CopyTo(Span<byte> destination)
    {
        RxQueue queue = Live();
        if (destination.Length < Info.Length)
            throw new ArgumentException("the frame has " + Info.Length + " bytes but the buffer only " + destination.Length, nameof(destination));
        return queue.CopyPeeked(destination);
    }

    /// <summary>Gives the buffers back to the device. A second call does nothing.</summary>
    public void Dispose()
    {
        _queue?.EndLease(_token);
        _queue = null;
        _first = default;
        SegmentCount = 0;
    }

    private readonly RxQueue Live()
    {
        if (_queue is not RxQueue queue || !queue.IsLeaseLive(_token)) throw new ObjectDisposedException(nameof(RxLease), "the lease was disposed (or its NIC torn down)");
        return queue;
    }

    private static void ThrowSpansBuffers(int count)
        => throw new InvalidOperationException("the frame spans " + count + " RX buffers; read it with Segment(i) or CopyTo");
}
