using System;
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

    /// <summary>The longest hash input: two IPv6 addresses and two ports.</summary>
    private const int MaxInput = 36;

    private byte[]? _key;
    private uint[]? _lut;
    private uint[]? _table;

    /// <summary>CONFIGURE_RSS: replaces the key and the indirection table that are given (null: unchanged).</summary>
    public void Configure(byte[]? key, uint[]? lut)
    {
        if (key is not null)
        {
            _key = key;
            _table = null;
        }
        if (lut is not null) _lut = lut;
    }

    /// <summary>Back to the default key and no indirection table.</summary>
    public void Clear()
    {
        _key = null;
        _lut = null;
        _table = null;
    }

    /// <summary>The RSS hash of <paramref name="frame"/> (0 when it is not IP): the Toeplitz hash (<see cref="FrameInfo.Toeplitz"/>) of its addresses, then its ports.</summary>
    public uint Hash(ReadOnlySpan<byte> frame)
    {
        FrameInfo info = FrameInfo.Parse(frame);
        if (info.HashAddressLength == 0) return 0;
        uint[] table = _table ??= BuildTable(_key ?? DefaultKey);
        uint hash = HashBytes(table, frame.Slice(info.HashAddressOffset, info.HashAddressLength), 0);
        if (info.HashPortsOffset >= 0) hash ^= HashBytes(table, frame.Slice(info.HashPortsOffset, 4), info.HashAddressLength);
        return hash;
    }

    /// <summary>The Toeplitz contributions of <paramref name="bytes"/> placed from byte <paramref name="position"/> of the hash input.</summary>
    private static uint HashBytes(uint[] table, ReadOnlySpan<byte> bytes, int position)
    {
        uint hash = 0;
        for (int i = 0; i < bytes.Length; i++) hash ^= table[(position + i) * 256 + bytes[i]];
        return hash;
    }

    /// <summary>
    /// The Toeplitz hash as a table: the hash is linear (XOR) in the input's bits, so the contribution of each byte value
    /// at each input position is computed once per key, and a hash is one lookup a byte instead of 32 steps a byte.
    /// </summary>
    private static uint[] BuildTable(byte[] key)
    {
        var table = new uint[MaxInput * 256];
        Span<byte> one = stackalloc byte[MaxInput];
        for (int position = 0; position < MaxInput; position++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                one.Clear();
                one[position] = (byte)(1 << bit);
                uint single = FrameInfo.Toeplitz(key, one[..(position + 1)]);
                for (int value = 1 << bit; value < 256; value = (value + 1) | (1 << bit))
                    table[position * 256 + value] ^= single;
            }
        }
        return table;
    }

    /// <summary>The RX queue <paramref name="frame"/> goes to: the indirection table's, else the hash over the live queues; -1 when none exists.</summary>
    public int Steer(byte[] frame, RxQueue?[] queues)
    {
        int live = DeviceState.CountLive(queues);
        if (live == 0) return -1;
        uint hash = Hash(frame);
        if (_lut is { Length: > 0 })
        {
            uint q = _lut[hash % (uint)_lut.Length];
            if (q < queues.Length && queues[q] is not null) return (int)q;
        }
        // The (hash mod live)-th live queue.
        int nth = (int)(hash % (uint)live);
        for (int i = 0; i < queues.Length; i++)
        {
            if (queues[i] is null) continue;
            if (nth-- == 0) return i;
        }
        return -1;
    }
}
