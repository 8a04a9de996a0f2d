using System;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The RX steering step: flow rules first (<see cref="Flows"/>), then RSS: the Toeplitz hash of a frame over the fields
/// its hash types name, and the indirection table that maps the hash to an RX queue.
/// </summary>
/// <remarks>
/// Before CONFIGURE_RSS the device hashes every kind (TCP and UDP over their addresses and ports, other IP over its
/// addresses) under the well-known Microsoft key, and its table is the default one: entry i is the i-th live RX queue
/// modulo their count (what QUERY_RSS reports). A frame of no configured kind hashes to 0. The _EX hash types hash as
/// their plain counterparts (the model reads no IPv6 extension-header addresses).
/// </remarks>
internal sealed class RxSteering
{
    /// <summary>The 40-byte key of Microsoft's "Verifying the RSS Hash Calculation" (also the 82599's verification suite).</summary>
    public static readonly byte[] DefaultKey =
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
    private RssHashTypes _types = RssHashTypesInfo.All;
    private long _version;

    /// <summary>Changes whenever the hash might (CONFIGURE_RSS, a reset): a hash computed under another version is recomputed.</summary>
    public long Version => _version;

    /// <summary>The flow-steering rules, matched before RSS.</summary>
    public FlowSteering Flows { get; } = new();

    /// <summary>The indirection table's size when none was configured (the RSS_CONFIG option's hash_lut_size).</summary>
    public int DefaultTableSize { get; set; } = GvnicConstants.RssIndirSize;

    /// <summary>The hash types in force.</summary>
    public RssHashTypes HashTypes => _types;

    /// <summary>The key in force.</summary>
    public ReadOnlySpan<byte> Key => _key ?? DefaultKey;

    /// <summary>CONFIGURE_RSS: replaces the hash types (0: unchanged), the key and the indirection table that are given (null: unchanged).</summary>
    public void Configure(RssHashTypes types, byte[]? key, uint[]? lut)
    {
        _version++;
        if (types != 0) _types = types;
        if (key is not null)
        {
            _key = key;
            _table = null;
        }
        if (lut is not null) _lut = lut;
    }

    /// <summary>Back to the default key, hash types and table, and no flow rules.</summary>
    public void Clear()
    {
        _version++;
        _key = null;
        _lut = null;
        _table = null;
        _types = RssHashTypesInfo.All;
        Flows.Clear();
    }

    /// <summary>The table in force: the configured one, or the default over <paramref name="queues"/>' live queues (entry i: the (i mod live)-th).</summary>
    public uint[] Table(RxQueue?[] queues)
    {
        if (_lut is not null) return (uint[])_lut.Clone();
        int live = DeviceState.CountLive(queues);
        var table = new uint[DefaultTableSize];
        for (int i = 0; i < table.Length; i++) table[i] = live == 0 ? 0u : (uint)NthLive(queues, i % live);
        return table;
    }

    /// <summary>The RSS hash of <paramref name="frame"/> (0 when it is of no configured kind).</summary>
    public uint Hash(ReadOnlySpan<byte> frame) => Hash(frame, FrameInfo.Parse(frame));

    /// <summary>
    /// The Toeplitz hash (<see cref="FrameInfo.Toeplitz"/>) of what the hash types name: addresses then ports, addresses
    /// only, or nothing (0).
    /// </summary>
    public uint Hash(ReadOnlySpan<byte> frame, in FrameInfo info)
    {
        if (!HashedFields(info, _types, out bool withPorts)) return 0;
        uint[] table = _table ??= BuildTable(_key ?? DefaultKey);
        uint hash = HashBytes(table, frame.Slice(info.HashAddressOffset, info.HashAddressLength), 0);
        if (withPorts) hash ^= HashBytes(table, frame.Slice(info.HashPortsOffset, 4), info.HashAddressLength);
        return hash;
    }

    /// <summary>Whether <paramref name="types"/> hash <paramref name="info"/>'s frame, and whether with its ports as well as its addresses.</summary>
    internal static bool HashedFields(in FrameInfo info, RssHashTypes types, out bool withPorts)
    {
        withPorts = false;
        if (info.HashAddressLength == 0) return false;
        bool v4 = info.L3 == L3Type.Ipv4;
        withPorts = info.HashPortsOffset >= 0 && info.L4 switch
        {
            L4Type.Tcp => (types & (v4 ? RssHashTypes.Tcpv4 : RssHashTypes.Tcpv6 | RssHashTypes.Tcpv6Ex)) != 0,
            L4Type.Udp => (types & (v4 ? RssHashTypes.Udpv4 : RssHashTypes.Udpv6 | RssHashTypes.Udpv6Ex)) != 0,
            _ => false,
        };
        return withPorts || (types & (v4 ? RssHashTypes.Ipv4 : RssHashTypes.Ipv6 | RssHashTypes.Ipv6Ex)) != 0;
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

    /// <summary>
    /// The RX queue <paramref name="frame"/> (parsed: <paramref name="info"/>) goes to: a flow rule's, else the indirection
    /// table's; -1 when no queue exists. <paramref name="hash"/> is its RSS hash when <paramref name="hashed"/> (the
    /// indirection table was consulted), for the RX queue to reuse.
    /// </summary>
    public int Steer(byte[] frame, in FrameInfo info, RxQueue?[] queues, out uint hash, out bool hashed)
    {
        hash = 0;
        hashed = false;
        int live = DeviceState.CountLive(queues);
        if (live == 0) return -1;
        int ruled = Flows.Match(frame, info);
        if (ruled >= 0 && ruled < queues.Length && queues[ruled] is not null) return ruled;
        hash = Hash(frame, info);
        hashed = true;
        if (_lut is { Length: > 0 })
        {
            uint q = _lut[hash % (uint)_lut.Length];
            if (q < queues.Length && queues[q] is not null) return (int)q;
        }
        return NthLive(queues, (int)(hash % (uint)DefaultTableSize % (uint)live));
    }

    /// <summary>The index of the <paramref name="nth"/> (from 0) live queue of <paramref name="queues"/>, or -1.</summary>
    private static int NthLive(RxQueue?[] queues, int nth)
    {
        for (int i = 0; i < queues.Length; i++)
        {
            if (queues[i] is null) continue;
            if (nth-- == 0) return i;
        }
        return -1;
    }
}
