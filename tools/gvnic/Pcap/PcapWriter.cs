using System;
using System.Buffers.Binary;
using System.IO;

namespace Gvnic.Cli.Pcap;

/// <summary>
/// Writes a classic libpcap capture file (magic 0xa1b2c3d4, version 2.4, microsecond timestamps,
/// LINKTYPE_ETHERNET) that Wireshark, tshark and tcpdump read. Little-endian, as libpcap writes on x86.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    /// <summary>The classic pcap magic number (microsecond timestamps).</summary>
    public const uint Magic = 0xa1b2c3d4;

    /// <summary>LINKTYPE_ETHERNET: every record is an Ethernet II frame.</summary>
    public const uint LinkTypeEthernet = 1;

    /// <summary>The snapshot length written in the header: frames up to this size are stored whole.</summary>
    public const int SnapLength = 262144;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly byte[] _recordHeader = new byte[16];

    /// <summary>Writes the file header to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="ownsStream">Whether <see cref="Dispose"/> closes the stream.</param>
    public PcapWriter(Stream stream, bool ownsStream = false)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0); // thiszone: UTC
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        _stream.Write(header);
    }

    /// <summary>Creates <paramref name="path"/> (replacing it) and writes the header.</summary>
    public static PcapWriter Create(string path) => new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), ownsStream: true);

    /// <summary>Frames written so far.</summary>
    public int Count { get; private set; }

    /// <summary>Appends one frame captured at <paramref name="timestamp"/>.</summary>
    public void Write(DateTimeOffset timestamp, ReadOnlySpan<byte> frame)
    {
        long micros = (timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        if (micros < 0) micros = 0;
        int stored = Math.Min(frame.Length, SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(_recordHeader, (uint)(micros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(_recordHeader.AsSpan(4), (uint)(micros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(_recordHeader.AsSpan(8), (uint)stored);
        BinaryPrimitives.WriteUInt32LittleEndian(_recordHeader.AsSpan(12), (uint)frame.Length);
        _stream.Write(_recordHeader);
        _stream.Write(frame[..stored]);
        Count++;
    }

    /// <summary>Flushes, and closes the stream when this writer owns it.</summary>
    public void Dispose()
    {
        _stream.Flush();
        if (_ownsStream) _stream.Dispose();
    }
}
