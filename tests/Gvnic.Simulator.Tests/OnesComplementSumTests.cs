using System;
using Gvnic.Simulator.Queues;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// The model's vectorised ones'-complement sums (the GQI RX checksum, the DQO RX checks, the TX offloads) against the
/// word-at-a-time references, over random data of every length up to a jumbo frame and beyond, odd lengths and
/// misaligned starts included.
/// </summary>
public sealed class OnesComplementSumTests
{
    [Fact]
    public void EqualsTheReferenceOverRandomDataOfEveryLength()
    {
        var random = new Random(1071);
        byte[] buffer = new byte[9300];
        random.NextBytes(buffer);
        for (int length = 0; length <= 600; length++)
        {
            for (int start = 0; start < 4; start++) Check(buffer.AsSpan(start, length), (uint)random.Next());
        }
        for (int i = 0; i < 400; i++)
        {
            int start = random.Next(64);
            int length = random.Next(buffer.Length - start + 1);
            Check(buffer.AsSpan(start, length), i % 2 == 0 ? 0 : (uint)random.Next());
        }
    }

    [Fact]
    public void EqualsTheReferenceAtTheExtremes()
    {
        // All ones: every lane near its limit, and the 64-bit sum wrapping many times; all zeros: the sum 0 stays 0.
        foreach (byte fill in new byte[] { 0xFF, 0x00, 0x80, 0x01 })
        {
            byte[] data = new byte[70_000];
            Array.Fill(data, fill);
            foreach (int length in new[] { 0, 1, 2, 7, 63, 64, 65, 1023, 9001, 70_000 })
            {
                Check(data.AsSpan(0, length), 0);
                Check(data.AsSpan(0, length), uint.MaxValue);
            }
        }
    }

    [Fact]
    public void KnownSums()
    {
        // RFC 1071's example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 (network order).
        byte[] rfc = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Assert.Equal(0xddf2, FrameInfo.OnesComplementSumBe(rfc));
        Assert.Equal(0xf2dd, FrameInfo.OnesComplementSumLe(rfc));
        Assert.Equal(0x0100, FrameInfo.OnesComplementSumBe([0x01])); // an odd last byte is the high byte of its word
        Assert.Equal(0, FrameInfo.OnesComplementSumBe([]));
        Assert.Equal(0xFFFF, FrameInfo.OnesComplementSumBe([0xFF, 0xFF, 0x00, 0x00]));
    }

    private static void Check(ReadOnlySpan<byte> data, uint initial)
    {
        Assert.Equal(FrameInfo.OnesComplementSumBeReference(data), FrameInfo.OnesComplementSumBe(data));
        Assert.Equal(FrameInfo.OnesComplementSumLeReference(data, initial), FrameInfo.OnesComplementSumLe(data, initial));
        Assert.Equal(FrameInfo.OnesComplementSumLeReference(data), FrameInfo.OnesComplementSumLe(data));
    }
}
