using System;
using System.Buffers.Binary;

namespace Gvnic.Fuzz.Tests;

/// <summary>
/// Self-describing test frames: an Ethernet header (ethertype 0x88B5, local experimental), then a magic word,
/// the frame's id and length, then bytes derived from the id. <see cref="Check"/> tells an intact frame from a
/// damaged one without a table.
/// </summary>
internal static class Frames
{
    private const uint Magic = 0x6776_6E63; // "gvnc"
    private const int Header = 14 + 4 + 4 + 2;

    public const int MinLength = Header + 4;

    public static byte[] Make(int id, int length, byte[] destination)
    {
        var f = new byte[Math.Max(MinLength, length)];
        destination.CopyTo(f, 0);
        f[6] = 0x02; f[7] = 0x00; f[8] = 0x5E; f[9] = 0x10; f[10] = (byte)(id >> 8); f[11] = (byte)id;
        f[12] = 0x88; f[13] = 0xB5;
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(14), Magic);
        BinaryPrimitives.WriteInt32BigEndian(f.AsSpan(18), id);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(22), (ushort)f.Length);
        for (int i = Header; i < f.Length; i++) f[i] = Pattern(id, i);
        return f;
    }

    private static byte Pattern(int id, int i) => (byte)(id * 31 + i * 7 + (i >> 8));

    /// <summary>The frame's id when <paramref name="frame"/> is intact, or -1.</summary>
    public static int Check(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < MinLength || BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(14)) != Magic) return -1;
        int id = BinaryPrimitives.ReadInt32BigEndian(frame.Slice(18));
        if (BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(22)) != frame.Length) return -1;
        for (int i = Header; i < frame.Length; i++)
            if (frame[i] != Pattern(id, i)) return -1;
        return id;
    }
}
