using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace Gvnic.Cli.Pcap;

/// <summary>
/// Reads classic libpcap files of either byte order, with microsecond or nanosecond timestamps, and checks them
/// as strictly as a capture tool does (header, version, lengths, truncation).
/// </summary>
public static class PcapReader
{
    /// <summary>The link type and records of <paramref name="bytes"/>; <see cref="InvalidDataException"/> when malformed.</summary>
    public static IReadOnlyList<PcapRecord> Read(ReadOnlySpan<byte> bytes, out uint linkType)
    {
        if (bytes.Length < 24) throw new InvalidDataException("pcap: " + bytes.Length + " bytes is shorter than the 24-byte file header");
        uint magicLe = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        bool little;
        bool nanos;
        switch (magicLe)
        {
            case 0xa1b2c3d4: little = true; nanos = false; break;
            case 0xa1b23c4d: little = true; nanos = true; break;
            case 0xd4c3b2a1: little = false; nanos = false; break;
            case 0x4d3cb2a1: little = false; nanos = true; break;
            default: throw new InvalidDataException("pcap: bad magic 0x" + magicLe.ToString("x8"));
        }
        ushort major = U16(bytes[4..], little);
        ushort minor = U16(bytes[6..], little);
        if (major != 2 || minor != 4) throw new InvalidDataException("pcap: version " + major + "." + minor + ", expected 2.4");
        uint snapLength = U32(bytes[16..], little);
        linkType = U32(bytes[20..], little);
        var records = new List<PcapRecord>();
        int at = 24;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 16) throw new InvalidDataException("pcap: truncated record header at byte " + at);
            uint seconds = U32(bytes[at..], little);
            uint fraction = U32(bytes[(at + 4)..], little);
            int included = (int)U32(bytes[(at + 8)..], little);
            int original = (int)U32(bytes[(at + 12)..], little);
            if (fraction >= (nanos ? 1_000_000_000u : 1_000_000u)) throw new InvalidDataException("pcap: record at byte " + at + " has a sub-second part of " + fraction);
            if (included < 0 || included > snapLength || included > original) throw new InvalidDataException("pcap: record at byte " + at + " stores " + included + " bytes (original " + original + ", snaplen " + snapLength + ")");
            at += 16;
            if (bytes.Length - at < included) throw new InvalidDataException("pcap: record data truncated at byte " + at);
            long ticks = seconds * TimeSpan.TicksPerSecond + (nanos ? fraction / 100 : fraction * 10L);
            records.Add(new PcapRecord(DateTimeOffset.UnixEpoch.AddTicks(ticks), bytes.Slice(at, included).ToArray(), original));
            at += included;
        }
        return records;
    }

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<PcapRecord> ReadFile(string path, out uint linkType) => Read(File.ReadAllBytes(path), out linkType);

    private static ushort U16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint U32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
}
