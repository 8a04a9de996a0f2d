using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Gvnic.Checksums;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>What the device's parser finds in an Ethernet frame (for RX flags, packet types, checksums and RSS).</summary>
internal readonly struct FrameInfo
{
    public L3Type L3 { get; init; }
    public L4Type L4 { get; init; }
    public bool Fragment { get; init; }
    public int L3Offset { get; init; }
    public int L4Offset { get; init; }
    public int L3HeaderLength { get; init; }

    /// <summary>Where the addresses hashed for RSS lie in the frame (source then destination), and how many bytes; 0 bytes when the frame is not IP.</summary>
    public int HashAddressOffset { get; init; }
    public int HashAddressLength { get; init; }

    /// <summary>Where the ports hashed for RSS after the addresses lie (4 bytes), or -1 when none are (not TCP or UDP, or cut short).</summary>
    public int HashPortsOffset { get; init; }

    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeIpv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;

    public static FrameInfo Parse(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 14) return new FrameInfo { L3 = L3Type.Unknown, L4 = L4Type.Unknown, L3Offset = -1, L4Offset = -1 };
        int off = 12;
        ushort type = (ushort)(frame[off] << 8 | frame[off + 1]);
        off += 2;
        if (type == EtherTypeVlan && frame.Length >= off + 4)
        {
            type = (ushort)(frame[off + 2] << 8 | frame[off + 3]);
            off += 4;
        }
        if (type == EtherTypeIpv4 && frame.Length >= off + 20 && frame[off] >> 4 == 4)
        {
            int ihl = (frame[off] & 0xF) * 4;
            if (ihl < 20 || frame.Length < off + ihl) return Other(off);
            int flagsFrag = frame[off + 6] << 8 | frame[off + 7];
            bool more = (flagsFrag & 0x2000) != 0;
            int fragOffset = flagsFrag & 0x1FFF;
            bool frag = more || fragOffset != 0;
            byte proto = frame[off + 9];
            L4Type l4 = fragOffset != 0 ? L4Type.Other : ProtoToL4(proto);
            int l4Off = off + ihl;
            return new FrameInfo { L3 = L3Type.Ipv4, L4 = l4, Fragment = frag, L3Offset = off, L4Offset = l4Off, L3HeaderLength = ihl, HashAddressOffset = off + 12, HashAddressLength = 8, HashPortsOffset = PortsAt(l4, frame, l4Off) };
        }
        if (type == EtherTypeIpv6 && frame.Length >= off + 40 && frame[off] >> 4 == 6)
        {
            byte next = frame[off + 6];
            int l4Off = off + 40;
            bool frag = false;
            if (next == 44 && frame.Length >= l4Off + 8)
            {
                frag = true;
                int fragOffset = (frame[l4Off + 2] << 8 | frame[l4Off + 3]) >> 3;
                next = fragOffset != 0 ? (byte)59 : frame[l4Off];
                l4Off += 8;
            }
            L4Type l4 = ProtoToL4(next);
            return new FrameInfo { L3 = L3Type.Ipv6, L4 = l4, Fragment = frag, L3Offset = off, L4Offset = l4Off, L3HeaderLength = 40, HashAddressOffset = off + 8, HashAddressLength = 32, HashPortsOffset = PortsAt(l4, frame, l4Off) };
        }
        return Other(off);
    }

    private static FrameInfo Other(int l3Offset) => new() { L3 = L3Type.Other, L4 = L4Type.Unknown, L3Offset = l3Offset, L4Offset = -1 };

    private static L4Type ProtoToL4(byte proto) => proto switch
    {
        6 => L4Type.Tcp,
        17 => L4Type.Udp,
        1 or 58 => L4Type.Icmp,
        132 => L4Type.Sctp,
        _ => L4Type.Other,
    };

    private static int PortsAt(L4Type l4, ReadOnlySpan<byte> frame, int l4Off) => (l4 is L4Type.Tcp or L4Type.Udp) && frame.Length >= l4Off + 4 ? l4Off : -1;

    /// <summary>The ones'-complement sum (not complemented) of <paramref name="data"/> read as little-endian 16-bit words (<see cref="InternetChecksum.SumLittleEndian"/>).</summary>
    public static ushort OnesComplementSumLe(ReadOnlySpan<byte> data, uint initial = 0) => InternetChecksum.SumLittleEndian(data, initial);

    /// <summary>The ones'-complement sum of <paramref name="data"/> read as big-endian (network-order) 16-bit words (<see cref="InternetChecksum.SumBigEndian"/>).</summary>
    public static ushort OnesComplementSumBe(ReadOnlySpan<byte> data) => InternetChecksum.SumBigEndian(data);

    /// <summary>The reference for <see cref="OnesComplementSumLe"/>: a 16-bit word at a time.</summary>
    internal static ushort OnesComplementSumLeReference(ReadOnlySpan<byte> data, uint initial = 0) => InternetChecksum.SumLittleEndianByWords(data, initial);

    /// <summary>The reference for <see cref="OnesComplementSumBe"/>: a 16-bit word at a time.</summary>
    internal static ushort OnesComplementSumBeReference(ReadOnlySpan<byte> data) => InternetChecksum.SumBigEndianByWords(data);

    /// <summary>The Toeplitz hash of <paramref name="input"/> under <paramref name="key"/> (the RSS hash).</summary>
    public static uint Toeplitz(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input)
    {
        if (key.Length < 4) return 0;
        uint result = 0;
        uint window = (uint)(key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3]);
        int nextKeyBit = 32;
        for (int i = 0; i < input.Length; i++)
        {
            for (int b = 7; b >= 0; b--)
            {
                if ((input[i] >> b & 1) != 0) result ^= window;
                int byteIndex = nextKeyBit >> 3;
                int bit = byteIndex < key.Length ? key[byteIndex] >> (7 - (nextKeyBit & 7)) & 1 : 0;
                window = window << 1 | (uint)bit;
                nextKeyBit++;
            }
        }
        return result;
    }
}
