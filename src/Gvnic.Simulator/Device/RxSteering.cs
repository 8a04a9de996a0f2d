using System;
using System.Collections.Generic;
using Gvnic.Simulator.Queues;

namespace Gvnic.Simulator.Device;

/// <summary>The RX steering step: the RSS hash of a frame (Toeplitz over its addresses and ports) and the RX queue it goes to.</summary>
internal sealed class RxSteering
{
    private static readonly byte[] DefaultKey =
    [
        0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
        0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
        0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
    ];

    private byte[]? _key;
    private uint[]? _lut;

    /// <summary>CONFIGURE_RSS: replaces the key and the indirection table that are given (null: unchanged).</summary>
    public void Configure(byte[]? key, uint[]? lut)
    {
        if (key is not null) _key = key;
        if (lut is not null) _lut = lut;
    }

    /// <summary>Back to the default key and no indirection table.</summary>
    public void Clear()
    {
        _key = null;
        _lut = null;
    }

    /// <summary>The RSS hash of <paramref name="frame"/> (0 when it is not IP).</summary>
    public uint Hash(ReadOnlySpan<byte> frame)
    {
        FrameInfo info = FrameInfo.Parse(frame);
        if (info.HashInput.IsEmpty) return 0;
        return FrameInfo.Toeplitz(_key ?? DefaultKey, info.HashInput.Span);
    }

    /// <summary>The RX queue <paramref name="frame"/> goes to: the indirection table's, else the hash over the live queues; -1 when none exists.</summary>
    public int Steer(byte[] frame, RxQueue?[] queues)
    {
        var live = new List<int>();
        for (int i = 0; i < queues.Length; i++) if (queues[i] is not null) live.Add(i);
        if (live.Count == 0) return -1;
        uint hash = Hash(frame);
        if (_lut is { Length: > 0 })
        {
            uint q = _lut[hash % (uint)_lut.Length];
            if (q < queues.Length && queues[q] is not null) return (int)q;
        }
        return live[(int)(hash % (uint)live.Count)];
    }
}
