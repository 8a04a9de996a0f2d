using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using Gvnic.Cli.Scenario;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// A generated frame built once with PacketDotNet (<see cref="Packets.Udp"/>) at the largest size used, then patched in
/// place for every frame: lengths, IPv4 checksum, UDP source port (the flow), and the payload header (stream, sequence
/// number, timestamp, flow). <see cref="TrafficFrame"/> describes the layout. Writing allocates nothing.
/// </summary>
internal sealed class FrameTemplate
{
    private readonly byte[] _frame;
    private readonly uint _ipSumWithoutLength;

    /// <summary>Builds the template for frames of up to <paramref name="maxSize"/> bytes.</summary>
    public FrameTemplate(PhysicalAddress source, PhysicalAddress destination, IPAddress sourceIp, IPAddress destinationIp, int maxSize, byte run)
    {
        if (maxSize < TrafficFrame.MinFrame) throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize, "frames are at least " + TrafficFrame.MinFrame + " bytes");
        Source = source;
        Destination = destination;
        SourceIp = sourceIp;
        DestinationIp = destinationIp;
        Run = run;
        var payload = new byte[maxSize - TrafficFrame.HeadersLength];
        TrafficFrame.Pattern.AsSpan(0, payload.Length).CopyTo(payload);
        payload[0] = TrafficFrame.Magic0;
        payload[1] = TrafficFrame.Magic1;
        payload[2] = run;
        payload.AsSpan(3, TrafficFrame.PayloadHeaderLength - 3).Clear();
        _frame = Packets.Udp(source, destination, sourceIp, destinationIp, TrafficFrame.FirstSourcePort, TrafficFrame.DestinationPort, payload);
        if (_frame.Length != maxSize) throw new InvalidOperationException("the template is " + _frame.Length + " bytes, not " + maxSize);
        // Identification 0, don't fragment; no UDP checksum (the payload changes with every frame).
        BinaryPrimitives.WriteUInt16BigEndian(_frame.AsSpan(18), 0);
        BinaryPrimitives.WriteUInt16BigEndian(_frame.AsSpan(20), 0x4000);
        BinaryPrimitives.WriteUInt16BigEndian(_frame.AsSpan(40), 0);
        Span<byte> header = stackalloc byte[20];
        _frame.AsSpan(14, 20).CopyTo(header);
        header[2] = 0; header[3] = 0;     // total length: added per frame
        header[10] = 0; header[11] = 0;   // checksum
        _ipSumWithoutLength = TrafficFrame.Sum(header);
    }

    /// <summary>The source MAC.</summary>
    public PhysicalAddress Source { get; }

    /// <summary>The destination MAC.</summary>
    public PhysicalAddress Destination { get; }

    /// <summary>The source address.</summary>
    public IPAddress SourceIp { get; }

    /// <summary>The destination address.</summary>
    public IPAddress DestinationIp { get; }

    /// <summary>The run id in every frame.</summary>
    public byte Run { get; }

    /// <summary>The largest frame.</summary>
    public int MaxSize => _frame.Length;

    /// <summary>The whole template at its largest size (headers of the largest frame, then the payload header and the pattern).</summary>
    public ReadOnlySpan<byte> Bytes => _frame;

    /// <summary>
    /// Writes one frame of <paramref name="size"/> bytes into <paramref name="frame"/>. With <paramref name="headersOnly"/>
    /// only the first <see cref="TrafficFrame.MinFrame"/> bytes are written: the buffer already holds the template's
    /// pattern (a buffer that keeps its contents, filled once from <see cref="Bytes"/>).
    /// </summary>
    public void Write(Span<byte> frame, int size, int flow, byte stream, uint sequence, long timestamp, bool headersOnly)
    {
        if (headersOnly) _frame.AsSpan(0, TrafficFrame.MinFrame).CopyTo(frame);
        else _frame.AsSpan(0, size).CopyTo(frame);
        int ipLength = size - 14;
        BinaryPrimitives.WriteUInt16BigEndian(frame[16..], (ushort)ipLength);
        BinaryPrimitives.WriteUInt16BigEndian(frame[24..], (ushort)~TrafficFrame.Fold(_ipSumWithoutLength + (uint)ipLength));
        BinaryPrimitives.WriteUInt16BigEndian(frame[34..], (ushort)(TrafficFrame.FirstSourcePort + flow));
        BinaryPrimitives.WriteUInt16BigEndian(frame[38..], (ushort)(ipLength - 20));
        frame[TrafficFrame.StreamOffset] = stream;
        BinaryPrimitives.WriteUInt32LittleEndian(frame[TrafficFrame.SequenceOffset..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(frame[TrafficFrame.TimestampOffset..], timestamp);
        BinaryPrimitives.WriteUInt16LittleEndian(frame[TrafficFrame.FlowOffset..], (ushort)flow);
    }
}
