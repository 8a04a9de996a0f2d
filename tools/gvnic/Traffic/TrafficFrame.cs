using System;
using System.Buffers.Binary;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// The frames of <c>gvnic gen</c>: Ethernet II, IPv4 (20-byte header, DF, TTL 64), UDP (checksum 0: none, as IPv4
/// allows), and an 18-byte payload header followed by a fixed pattern. All lengths exclude the FCS.
/// </summary>
/// <remarks>
/// Payload header (little-endian): bytes 0–1 the magic <c>"gv"</c>; 2 the generator run's id (1 … 255, random per run);
/// 3 the stream (the generator's TX queue); 4–7 the flow's sequence number; 8–15 the sender's
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp; 16–17 the flow index. Then byte k of the payload is
/// <c>(byte)k</c>. docs/cli.md describes it too.
/// </remarks>
internal static class TrafficFrame
{
    /// <summary>Ethernet (14), IPv4 (20) and UDP (8) headers.</summary>
    public const int HeadersLength = 42;

    /// <summary>The payload header's length.</summary>
    public const int PayloadHeaderLength = 18;

    /// <summary>The smallest frame: the smallest Ethernet frame without FCS (DPDK's 64-byte frame), which the headers and the payload header fill exactly.</summary>
    public const int MinFrame = HeadersLength + PayloadHeaderLength;

    /// <summary>The UDP destination port of generated frames (discard).</summary>
    public const ushort DestinationPort = 9;

    /// <summary>The UDP source port of flow 0; flow f uses this + f.</summary>
    public const ushort FirstSourcePort = 10000;

    /// <summary>The most flows (source ports 10000 … 42767).</summary>
    public const int MaxFlows = 32768;

    /// <summary>First magic byte.</summary>
    public const byte Magic0 = (byte)'g';

    /// <summary>Second magic byte.</summary>
    public const byte Magic1 = (byte)'v';

    /// <summary>Frame offset of the payload (and of the payload header).</summary>
    public const int Payload = HeadersLength;

    /// <summary>Frame offset of the run id.</summary>
    public const int RunOffset = Payload + 2;

    /// <summary>Frame offset of the stream.</summary>
    public const int StreamOffset = Payload + 3;

    /// <summary>Frame offset of the sequence number.</summary>
    public const int SequenceOffset = Payload + 4;

    /// <summary>Frame offset of the timestamp.</summary>
    public const int TimestampOffset = Payload + 8;

    /// <summary>Frame offset of the flow index.</summary>
    public const int FlowOffset = Payload + 16;

    /// <summary>Frame offset of the pattern.</summary>
    public const int PatternOffset = Payload + PayloadHeaderLength;

    /// <summary>Payload byte k is (byte)k: 65,536 bytes, longer than any payload.</summary>
    public static readonly byte[] Pattern = BuildPattern();

    private static byte[] BuildPattern()
    {
        var pattern = new byte[65536];
        for (int k = 0; k < pattern.Length; k++) pattern[k] = (byte)k;
        return pattern;
    }

    /// <summary>What the payload header of a received frame says.</summary>
    /// <param name="Run">The generator run.</param>
    /// <param name="Stream">The generator's TX queue.</param>
    /// <param name="Sequence">The flow's sequence number.</param>
    /// <param name="Timestamp">The sender's timestamp (Stopwatch ticks).</param>
    /// <param name="Flow">The flow index.</param>
    public readonly record struct Header(byte Run, byte Stream, uint Sequence, long Timestamp, ushort Flow);

    /// <summary>What a received frame is.</summary>
    public enum Kind
    {
        /// <summary>Not a generated frame: not IPv4/UDP, or no magic.</summary>
        Foreign,

        /// <summary>A generated frame whose headers, checksum, lengths or pattern are wrong.</summary>
        Bad,

        /// <summary>A generated frame, intact.</summary>
        Good,
    }

    /// <summary>Classifies <paramref name="frame"/> and, for a generated one, reads its payload header. Allocates nothing.</summary>
    public static Kind Check(ReadOnlySpan<byte> frame, out Header header)
    {
        header = default;
        if (frame.Length < MinFrame) return Kind.Foreign;
        if (frame[12] != 0x08 || frame[13] != 0x00 || frame[14] != 0x45 || frame[23] != 17) return Kind.Foreign; // IPv4, no options, UDP
        if (frame[Payload] != Magic0 || frame[Payload + 1] != Magic1) return Kind.Foreign;
        header = new Header(frame[RunOffset], frame[StreamOffset], BinaryPrimitives.ReadUInt32LittleEndian(frame[SequenceOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(frame[TimestampOffset..]), BinaryPrimitives.ReadUInt16LittleEndian(frame[FlowOffset..]));
        int ipLength = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
        if (ipLength < 28 + PayloadHeaderLength || 14 + ipLength > frame.Length) return Kind.Bad;
        if (BinaryPrimitives.ReadUInt16BigEndian(frame[38..]) != ipLength - 20) return Kind.Bad;
        if (!Ipv4ChecksumValid(frame.Slice(14, 20))) return Kind.Bad;
        int patternLength = ipLength - 28 - PayloadHeaderLength;
        if (!frame.Slice(PatternOffset, patternLength).SequenceEqual(Pattern.AsSpan(PayloadHeaderLength, patternLength))) return Kind.Bad;
        return Kind.Good;
    }

    /// <summary>Whether the ones'-complement sum of the 20-byte IPv4 header, its checksum included, is 0xffff.</summary>
    public static bool Ipv4ChecksumValid(ReadOnlySpan<byte> header) => Fold(Sum(header)) == 0xffff;

    /// <summary>The 16-bit big-endian words of <paramref name="bytes"/> (even length) added up, not folded.</summary>
    public static uint Sum(ReadOnlySpan<byte> bytes)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < bytes.Length; i += 2) sum += (uint)((bytes[i] << 8) | bytes[i + 1]);
        return sum;
    }

    /// <summary>Folds the carries of a ones'-complement sum into 16 bits.</summary>
    public static ushort Fold(uint sum)
    {
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)sum;
    }
}
