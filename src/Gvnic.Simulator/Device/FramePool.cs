using System;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The device's frame buffers: arrays of exactly a frame's length (the queues and the wire read <c>frame.Length</c>), kept
/// by length once a frame has left the device and reused for the next frame of that length, so a steady flow of frames
/// allocates nothing. Used under the device lock only.
/// </summary>
/// <remarks>
/// A frame is given back only where the device knows nothing else holds it: after an RX queue wrote it into driver memory
/// (or dropped it), and after a wire of the model's own that keeps no reference (<see cref="VirtualWire.KeepsFrames"/>)
/// carried it. A frame never given back (a responder's wire, another <see cref="IWire"/>, a TSO super-frame, a reset) is
/// left to the garbage collector. Each length keeps at most <see cref="PerLength"/> frames.
/// </remarks>
internal sealed class FramePool
{
    /// <summary>The most frames kept of one length (a ring's worth of frames in flight between two steps, and more).</summary>
    public const int PerLength = 512;

    private Bucket?[] _byLength = Array.Empty<Bucket?>();

    private sealed class Bucket
    {
        public readonly byte[]?[] Frames = new byte[PerLength][];
        public int Count;
    }

    /// <summary>A frame of exactly <paramref name="length"/> bytes; its contents are undefined (the last frame's bytes).</summary>
    public byte[] Rent(int length)
    {
        if ((uint)length < (uint)_byLength.Length && _byLength[length] is { Count: > 0 } b)
        {
            byte[] frame = b.Frames[--b.Count]!;
            b.Frames[b.Count] = null;
            return frame;
        }
        return length == 0 ? Array.Empty<byte>() : new byte[length];
    }

    /// <summary>A frame holding a copy of <paramref name="data"/>.</summary>
    public byte[] Copy(ReadOnlySpan<byte> data)
    {
        byte[] frame = Rent(data.Length);
        data.CopyTo(frame);
        return frame;
    }

    /// <summary>Takes <paramref name="frame"/> back for reuse (the caller holds no reference to it any more).</summary>
    public void Return(byte[] frame)
    {
        int length = frame.Length;
        if (length == 0) return;
        if (length >= _byLength.Length)
        {
            if (length > MaxLength) return;
            Array.Resize(ref _byLength, Math.Min(MaxLength + 1, Math.Max(length + 1, _byLength.Length * 2)));
        }
        Bucket b = _byLength[length] ??= new Bucket();
        if (b.Count < PerLength) b.Frames[b.Count++] = frame;
    }

    /// <summary>The longest frame kept (a jumbo frame with room to spare); longer ones are left to the garbage collector.</summary>
    public const int MaxLength = 10 * 1024;

    /// <summary>Forgets every kept frame.</summary>
    public void Clear() => _byLength = Array.Empty<Bucket?>();
}
