using System;
using Gvnic.Driver.DataPlane;

namespace Gvnic.Driver;

/// <summary>
/// Several received frames lent at once straight out of the queue's DMA buffers (no copy): <see cref="Count"/> frames,
/// each read as an <see cref="RxLease"/> is. Every buffer goes back to the device when the burst is disposed; until then
/// the queue delivers nothing else. Use with <c>using</c>. Get one with <see cref="Nic.TryReceiveBurst"/>.
/// </summary>
/// <remarks>
/// A frame up to one RX buffer long lies in one buffer: read it as <see cref="Frame"/>. A longer frame spans
/// <see cref="SegmentCount"/> buffers: read them in order with <see cref="Segment"/>, or copy it with <see cref="CopyTo"/>.
/// </remarks>
public ref struct RxBurst
{
    private RxQueue? _queue;
    private readonly int _token;

    internal RxBurst(RxQueue queue, int token)
    {
        _queue = queue;
        _token = token;
        Count = queue.HeldFrames;
    }

    /// <summary>How many frames the burst holds (0 after <see cref="Dispose"/>).</summary>
    public int Count { get; private set; }

    /// <summary>The metadata of frame <paramref name="index"/> (<see cref="RxInfo.Length"/>: the whole frame).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    /// <exception cref="ObjectDisposedException">The burst was disposed (or its NIC torn down).</exception>
    public readonly RxInfo Info(int index) => Live(index).HeldInfo(index);

    /// <summary>How many RX buffers frame <paramref name="index"/> spans.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    /// <exception cref="ObjectDisposedException">The burst was disposed (or its NIC torn down).</exception>
    public readonly int SegmentCount(int index) => Live(index).HeldSegmentCount(index);

    /// <summary>The bytes of frame <paramref name="index"/> when it lies in one buffer (valid until <see cref="Dispose"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    /// <exception cref="InvalidOperationException">The frame spans several buffers (use <see cref="Segment"/> or <see cref="CopyTo"/>).</exception>
    /// <exception cref="ObjectDisposedException">The burst was disposed (or its NIC torn down).</exception>
    public readonly ReadOnlySpan<byte> Frame(int index)
    {
        RxQueue queue = Live(index);
        int segments = queue.HeldSegmentCount(index);
        if (segments > 1) ThrowSpansBuffers(index, segments);
        return queue.HeldSegment(index, 0);
    }

    /// <summary>The bytes of frame <paramref name="index"/> in its <paramref name="segment"/>-th buffer, in order (valid until <see cref="Dispose"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The burst was disposed (or its NIC torn down).</exception>
    public readonly ReadOnlySpan<byte> Segment(int index, int segment)
    {
        RxQueue queue = Live(index);
        int segments = queue.HeldSegmentCount(index);
        if ((uint)segment >= (uint)segments)
            throw new ArgumentOutOfRangeException(nameof(segment), segment, "frame " + index + " spans " + segments + " buffers");
        return queue.HeldSegment(index, segment);
    }

    /// <summary>Copies the whole of frame <paramref name="index"/> into <paramref name="destination"/>; returns its length.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the frame.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    /// <exception cref="ObjectDisposedException">The burst was disposed (or its NIC torn down).</exception>
    public readonly int CopyTo(int index, Span<byte> destination)
    {
        RxQueue queue = Live(index);
        int length = queue.HeldInfo(index).Length;
        if (destination.Length < length)
            throw new ArgumentException("frame " + index + " has " + length + " bytes but the buffer only " + destination.Length, nameof(destination));
        int at = 0;
        int segments = queue.HeldSegmentCount(index);
        for (int s = 0; s < segments; s++)
        {
            ReadOnlySpan<byte> part = queue.HeldSegment(index, s);
            part.CopyTo(destination.Slice(at));
            at += part.Length;
        }
        return at;
    }

    /// <summary>Gives every buffer of every frame back to the device. A second call does nothing.</summary>
    public void Dispose()
    {
        _queue?.EndLease(_token);
        _queue = null;
        Count = 0;
    }

    private readonly RxQueue Live(int index)
    {
        if (_queue is not RxQueue queue || !queue.IsLeaseLive(_token)) throw new ObjectDisposedException(nameof(RxBurst), "the burst was disposed (or its NIC torn down)");
        if ((uint)index >= (uint)Count) ThrowIndex(index, Count);
        return queue;
    }

    private static void ThrowIndex(int index, int count)
        => throw new ArgumentOutOfRangeException(nameof(index), index, "the burst holds " + count + " frames");

    private static void ThrowSpansBuffers(int index, int count)
        => throw new InvalidOperationException("frame " + index + " spans " + count + " RX buffers; read it with Segment(index, i) or CopyTo");
}
