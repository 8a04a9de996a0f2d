using System;
using System.Buffers.Binary;

namespace Gvnic.Benchmarks.DataPath;

/// <summary>Builds the IPv4/UDP frames the data-path sweep sends (built by hand: the bench has no packet library).</summary>
internal static class Frames
{
    /// <summary>The source MAC of every frame (a locally administered address).</summary>
    private static readonly byte[] Source = [0x02, 0x00, 0x0A, 0x80, 0x00, 0x01];

    /// <summary>
    /// An Ethernet II / IPv4 / UDP frame of exactly <paramref name="length"/> bytes (FCS excluded) to
    /// <paramref name="destination"/>, from UDP port <paramref name="sourcePort"/> to port 7; valid IPv4 header checksum,
    /// UDP checksum 0 (none, allowed over IPv4); the payload is a counting pattern.
    /// </summary>
    public static byte[] Udp(ReadOnlySpan<byte> destination, int length, ushort sourcePort)
    {
        const int headers = 14 + 20 + 8;
        if (length < headers) throw new ArgumentOutOfRangeException(nameof(length), length, "a frame needs at least " + headers + " bytes for its Ethernet, IPv4 and UDP headers");
        var f = new byte[length];
        destination.CopyTo(f);
        Source.CopyTo(f, 6);
        f[12] = 0x08; // EtherType IPv4
        Span<byte> ip = f.AsSpan(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(length - 14));
        ip[8] = 64;   // TTL
        ip[9] = 17;   // UDP
        ip[12] = 10; ip[13] = 128; ip[14] = 0; ip[15] = 1;
        ip[16] = 10; ip[17] = 128; ip[18] = 0; ip[19] = 2;
        uint sum = 0;
        for (int i = 0; i < 20; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
        Span<byte> udp = f.AsSpan(34, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 7);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(length - 34));
        for (int i = headers; i < length; i++) f[i] = (byte)i;
        return f;
    }
}
