using System;

namespace Gvnic.Cli.Traffic;

/// <summary>The in-place rewrites of <c>gvnic fwd</c>'s macswap and 5tswap modes. Checksums stay valid: a swap does not change a ones'-complement sum.</summary>
internal static class FrameSwap
{
    /// <summary>
    /// Swaps the Ethernet source and destination; with <paramref name="fiveTuple"/>, also the IPv4 addresses and, for TCP
    /// and UDP (first fragment or unfragmented), the ports. Frames too short for a header are left as they are past it.
    /// </summary>
    public static void Swap(Span<byte> frame, bool fiveTuple)
    {
        if (frame.Length < 12) return;
        SwapBytes(frame[..6], frame.Slice(6, 6));
        if (!fiveTuple || frame.Length < 34 || frame[12] != 0x08 || frame[13] != 0x00 || frame[14] >> 4 != 4) return;
        SwapBytes(frame.Slice(26, 4), frame.Slice(30, 4));
        int ihl = (frame[14] & 0x0f) * 4;
        byte protocol = frame[23];
        bool laterFragment = ((frame[20] & 0x1f) | frame[21]) != 0; // fragment offset ≠ 0: no L4 header here
        int l4 = 14 + ihl;
        if (ihl < 20 || laterFragment || protocol is not (6 or 17) || frame.Length < l4 + 4) return;
        SwapBytes(frame.Slice(l4, 2), frame.Slice(l4 + 2, 2));
    }

    private static void SwapBytes(Span<byte> a, Span<byte> b)
    {
        for (int i = 0; i < a.Length; i++) (a[i], b[i]) = (b[i], a[i]);
    }
}
