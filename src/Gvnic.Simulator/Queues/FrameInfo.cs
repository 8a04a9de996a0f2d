using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    /// <summary>The ones'-complement sum (not complemented) of <paramref name="data"/> read as little-endian 16-bit words.</summary>
    /// <remarks>
    /// Summing little-endian words gives the byte-swapped network-order sum, so storing it little-endian leaves the
    /// network-order sum in memory. Computed a vector (or 64-bit word) at a time (<see cref="OnesComplementSum"/>); equal
    /// to <see cref="OnesComplementSumLeReference"/>.
    /// </remarks>
    public static ushort OnesComplementSumLe(ReadOnlySpan<byte> data, uint initial = 0)
    {
        if (!BitConverter.IsLittleEndian) return OnesComplementSumLeReference(data, initial);
        return Fold(OnesComplementSum(data, initial));
    }

    /// <summary>The ones'-complement sum of <paramref name="data"/> read as big-endian (network-order) 16-bit words.</summary>
    /// <remarks>
    /// The ones'-complement sum does not depend on byte order (RFC 1071, 2.(B)): the big-endian sum is the little-endian
    /// one with its bytes swapped, an odd last byte included (the high byte of a big-endian word, the low byte of a
    /// little-endian one). Equal to <see cref="OnesComplementSumBeReference"/>.
    /// </remarks>
    public static ushort OnesComplementSumBe(ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian) return OnesComplementSumBeReference(data);
        return BinaryPrimitives.ReverseEndianness(Fold(OnesComplementSum(data, 0)));
    }

    /// <summary>
    /// The sum of <paramref name="data"/>'s little-endian 16-bit words (an odd last byte as a low byte) and
    /// <paramref name="initial"/>, modulo 2⁶⁴ − 1 (end-around carry), which is the ones'-complement sum once folded to 16
    /// bits (2¹⁶ − 1 divides 2⁶⁴ − 1). Little-endian machines only.
    /// </summary>
    private static ulong OnesComplementSum(ReadOnlySpan<byte> data, uint initial)
    {
        ulong sum = initial;
        ref byte start = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && length >= 2 * Vector256<byte>.Count)
        {
            // 16-bit lanes widened into 32-bit accumulators: a lane takes at most 0xFFFF an iteration, so a block of
            // 65,535 iterations cannot overflow it.
            while (length - i >= Vector256<byte>.Count)
            {
                Vector256<uint> low = Vector256<uint>.Zero, high = Vector256<uint>.Zero;
                int block = Math.Min((length - i) / Vector256<byte>.Count, 65535);
                for (int n = 0; n < block; n++, i += Vector256<byte>.Count)
                {
                    (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(Vector256.LoadUnsafe(ref start, (nuint)i).AsUInt16());
                    low += a;
                    high += b;
                }
                (Vector256<ulong> l0, Vector256<ulong> l1) = Vector256.Widen(low);
                (Vector256<ulong> h0, Vector256<ulong> h1) = Vector256.Widen(high);
                sum = AddCarry(sum, Vector256.Sum(l0 + l1 + h0 + h1));
            }
        }
        else if (Vector128.IsHardwareAccelerated && length >= 2 * Vector128<byte>.Count)
        {
            while (length - i >= Vector128<byte>.Count)
            {
                Vector128<uint> low = Vector128<uint>.Zero, high = Vector128<uint>.Zero;
                int block = Math.Min((length - i) / Vector128<byte>.Count, 65535);
                for (int n = 0; n < block; n++, i += Vector128<byte>.Count)
                {
                    (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(Vector128.LoadUnsafe(ref start, (nuint)i).AsUInt16());
                    low += a;
                    high += b;
                }
                (Vector128<ulong> l0, Vector128<ulong> l1) = Vector128.Widen(low);
                (Vector128<ulong> h0, Vector128<ulong> h1) = Vector128.Widen(high);
                sum = AddCarry(sum, Vector128.Sum(l0 + l1 + h0 + h1));
            }
        }
        for (; length - i >= 8; i += 8) sum = AddCarry(sum, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        if (length - i >= 4)
        {
            sum = AddCarry(sum, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, i)));
            i += 4;
        }
        if (length - i >= 2)
        {
            sum = AddCarry(sum, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, i)));
            i += 2;
        }
        if (i < length) sum = AddCarry(sum, Unsafe.Add(ref start, i));
        return sum;
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/> with the carry out of bit 63 added back in.</summary>
    private static ulong AddCarry(ulong a, ulong b)
    {
        ulong s = a + b;
        return s + (s < b ? 1UL : 0UL);
    }

    /// <summary>A sum modulo 2⁶⁴ − 1 folded to 16 bits (0 only for 0).</summary>
    private static ushort Fold(ulong sum)
    {
        sum = (sum & 0xFFFFFFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>The reference for <see cref="OnesComplementSumLe"/>: a 16-bit word at a time.</summary>
    internal static ushort OnesComplementSumLeReference(ReadOnlySpan<byte> data, uint initial = 0)
    {
        ulong sum = initial;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] | data[i + 1] << 8);
        if (i < data.Length) sum += data[i];
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>The reference for <see cref="OnesComplementSumBe"/>: a 16-bit word at a time.</summary>
    internal static ushort OnesComplementSumBeReference(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) sum += (uint)data[i] << 8;
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

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
