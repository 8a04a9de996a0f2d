using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gvnic.Checksums;

/// <summary>
/// The Internet checksum's ones'-complement sum (RFC 1071) over bytes, a vector at a time: what the device computes for
/// GQI RX (<c>rx_desc.csum</c>), TX checksum offload and TSO, and what a driver sums to judge them.
/// </summary>
public static class InternetChecksum
{
    /// <summary>The ones'-complement sum (not complemented) of <paramref name="data"/> read as little-endian 16-bit words.</summary>
    /// <remarks>
    /// Summing little-endian words gives the byte-swapped network-order sum, so storing it little-endian leaves the
    /// network-order sum in memory. Computed a vector (or 64-bit word) at a time ; equal
    /// to a sum a 16-bit word at a time.
    /// </remarks>
    public static ushort SumLittleEndian(ReadOnlySpan<byte> data, uint initial = 0)
    {
        if (!BitConverter.IsLittleEndian) return SumLittleEndianByWords(data, initial);
        return Fold(OnesComplementSum(data, initial));
    }

    /// <summary>The ones'-complement sum of <paramref name="data"/> read as big-endian (network-order) 16-bit words.</summary>
    /// <remarks>
    /// The ones'-complement sum does not depend on byte order (RFC 1071, 2.(B)): the big-endian sum is the little-endian
    /// one with its bytes swapped, an odd last byte included (the high byte of a big-endian word, the low byte of a
    /// little-endian one). Equal to a sum a 16-bit word at a time.
    /// </remarks>
    public static ushort SumBigEndian(ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian) return SumBigEndianByWords(data);
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

    /// <summary>
    /// <see cref="SumLittleEndian"/> a 16-bit word at a time: the path on big-endian machines, and the reference the
    /// vectorised sum is tested against.
    /// </summary>
    public static ushort SumLittleEndianByWords(ReadOnlySpan<byte> data, uint initial = 0)
    {
        ulong sum = initial;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] | data[i + 1] << 8);
        if (i < data.Length) sum += data[i];
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>
    /// <see cref="SumBigEndian"/> a 16-bit word at a time: the path on big-endian machines, and the reference the
    /// vectorised sum is tested against.
    /// </summary>
    public static ushort SumBigEndianByWords(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) sum += (uint)data[i] << 8;
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }
}
