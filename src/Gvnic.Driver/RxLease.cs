using System;

namespace Gvnic.Driver;

/// <summary>
/// A received frame lent straight out of the queue's DMA buffer (no copy). The buffer goes back to the
/// device when the lease is disposed; until then the queue delivers nothing else. Use with <c>using</c>.
/// </summary>
public ref struct RxLease
{
    private RxQueue? _queue;
    private readonly int _token;

    internal RxLease(RxQueue queue, int token, ReadOnlySpan<byte> frame, RxInfo info)
    {
        _queue = queue;
        _token = token;
        Frame = frame;
        Info = info;
    }

    /// <summary>The frame's bytes (valid until <see cref="Dispose"/>).</summary>
    public ReadOnlySpan<byte> Frame { get; private set; }

    /// <summary>The frame's metadata.</summary>
    public RxInfo Info { get; }

    /// <summary>Gives the buffer back to the device. A second call does nothing.</summary>
    public void Dispose()
    {
        _queue?.EndLease(_token);
        _queue = null;
        Frame = default;
    }
}
