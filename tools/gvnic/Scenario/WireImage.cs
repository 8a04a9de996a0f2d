using System;
using System.Collections.Generic;
using PacketDotNet;

namespace Gvnic.Cli.Scenario;

/// <summary>
/// What a gVNIC puts on the wire for a frame sent with an offload, for the capture (<c>--pcap</c> holds what crossed the
/// wire, not what the driver was given): the frame with its L4 checksum computed, or the TCP segments TSO makes of it
/// (the headers repeated, sequence numbers advanced, IPv4 ids incremented, FIN and PSH on the last segment only, CWR on
/// the first only, lengths and checksums recomputed), built with PacketDotNet.
/// </summary>
internal static class WireImage
{
    /// <summary><paramref name="frame"/> (IPv4 with TCP or UDP) with its L4 checksum computed.</summary>
    public static byte[] Checksummed(byte[] frame)
    {
        var eth = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, (byte[])frame.Clone());
        if (eth.Extract<TcpPacket>() is { } tcp) tcp.UpdateTcpChecksum();
        else if (eth.Extract<UdpPacket>() is { } udp) udp.UpdateUdpChecksum();
        else throw new ArgumentException("the frame is neither TCP nor UDP over IP", nameof(frame));
        return eth.Bytes;
    }

    /// <summary>The segments of at most <paramref name="mss"/> payload bytes TSO makes of TCP/IPv4 frame <paramref name="frame"/>.</summary>
    public static List<byte[]> Segments(byte[] frame, int mss)
    {
        var eth = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, frame);
        var ip = eth.Extract<IPv4Packet>() ?? throw new ArgumentException("the frame is not IPv4", nameof(frame));
        var tcp = eth.Extract<TcpPacket>() ?? throw new ArgumentException("the frame is not TCP", nameof(frame));
        int header = 14 + ip.HeaderLength * 4 + tcp.DataOffset * 4;
        int payload = frame.Length - header;
        var segments = new List<byte[]>();
        for (int i = 0, at = 0; at < payload; i++, at += mss)
        {
            int length = Math.Min(mss, payload - at);
            var bytes = new byte[header + length];
            frame.AsSpan(0, header).CopyTo(bytes);
            frame.AsSpan(header + at, length).CopyTo(bytes.AsSpan(header));
            var segment = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, bytes);
            var segmentIp = segment.Extract<IPv4Packet>();
            var segmentTcp = segment.Extract<TcpPacket>();
            bool last = at + length == payload;
            segmentTcp.SequenceNumber = unchecked(tcp.SequenceNumber + (uint)at);
            segmentTcp.Finished = tcp.Finished && last;
            segmentTcp.Push = tcp.Push && last;
            segmentTcp.CongestionWindowReduced = tcp.CongestionWindowReduced && i == 0;
            segmentIp.Id = unchecked((ushort)(ip.Id + i));
            segmentIp.TotalLength = bytes.Length - 14;
            segmentTcp.UpdateTcpChecksum();
            segmentIp.UpdateIPChecksum();
            segments.Add(segment.Bytes);
        }
        return segments;
    }
}
