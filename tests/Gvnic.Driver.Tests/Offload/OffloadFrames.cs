using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;
using Xunit;

namespace Gvnic.Driver.Tests.Offload;

/// <summary>Frames for the offload tests, built and checked with PacketDotNet: what the driver is given, and what the wire must carry.</summary>
internal static class OffloadFrames
{
    private static readonly PhysicalAddress From = PhysicalAddress.Parse("42-01-0A-80-00-01");
    private static readonly PhysicalAddress To = PhysicalAddress.Parse("42-01-0A-80-00-02");
    private static readonly IPAddress V4From = IPAddress.Parse("10.128.0.1"), V4To = IPAddress.Parse("10.128.0.2");
    private static readonly IPAddress V6From = IPAddress.Parse("fd00::1"), V6To = IPAddress.Parse("fd00::2:1");

    public const uint Sequence = 0xFFFF_F000; // wraps within the first frames of a large TSO
    public const ushort IpId = 0xFFFE;        // wraps at the third segment

    /// <summary>A payload pattern of <paramref name="length"/> bytes seeded by <paramref name="seed"/>.</summary>
    public static byte[] Payload(int length, int seed)
    {
        var payload = new byte[length];
        for (int i = 0; i < length; i++) payload[i] = (byte)(i * 31 + seed * 7 + (i >> 9));
        return payload;
    }

    /// <summary>
    /// A TCP frame with correct checksums (PacketDotNet's): IPv4 (DF, id <see cref="IpId"/>) or IPv6, with
    /// <paramref name="options"/> TCP option bytes (a multiple of 4, NOPs), flags PSH|ACK (|FIN with <paramref name="fin"/>, |CWR with <paramref name="cwr"/>).
    /// </summary>
    public static byte[] Tcp(bool ipv6, byte[] payload, int options = 0, bool fin = false, bool cwr = false)
    {
        var data = new byte[options + payload.Length];
        data.AsSpan(0, options).Fill(1); // NOP options
        payload.CopyTo(data, options);
        var tcp = new TcpPacket(40000, 5201)
        {
            SequenceNumber = Sequence,
            AcknowledgmentNumber = 0x01020304,
            WindowSize = 502,
            PayloadData = data,
        };
        tcp.Acknowledgment = true;
        tcp.Push = true;
        tcp.Finished = fin;
        tcp.CongestionWindowReduced = cwr;
        tcp.DataOffset = 5 + options / 4;
        return Finish(ipv6, tcp);
    }

    /// <summary>A UDP frame with a correct checksum (PacketDotNet's).</summary>
    public static byte[] Udp(bool ipv6, byte[] payload)
        => Finish(ipv6, new UdpPacket(40001, 5353) { PayloadData = payload });

    private static byte[] Finish(bool ipv6, TransportPacket l4)
    {
        IPPacket ip = ipv6
            ? new IPv6Packet(V6From, V6To) { HopLimit = 64 }
            : new IPv4Packet(V4From, V4To) { TimeToLive = 64, Id = IpId, FragmentFlags = 2 };
        ip.PayloadPacket = l4;
        var eth = new EthernetPacket(From, To, ipv6 ? EthernetType.IPv6 : EthernetType.IPv4) { PayloadPacket = ip };
        eth.UpdateCalculatedValues();
        if (l4 is TcpPacket tcp) tcp.UpdateTcpChecksum();
        else ((UdpPacket)l4).UpdateUdpChecksum();
        if (ip is IPv4Packet v4) v4.UpdateIPChecksum();
        return eth.Bytes;
    }

    /// <summary>Where the TCP or UDP header of a frame built here starts.</summary>
    public static int L4Offset(byte[] frame) => frame[12] == 0x86 ? 14 + 40 : 14 + 20;

    /// <summary><paramref name="frame"/> with its L4 checksum field overwritten by <paramref name="value"/> (what the driver must not rely on).</summary>
    public static byte[] WithChecksumField(byte[] frame, ushort value)
    {
        byte[] copy = (byte[])frame.Clone();
        bool tcp = (frame[12] == 0x86 ? frame[14 + 6] : frame[14 + 9]) == 6;
        int field = L4Offset(frame) + (tcp ? 16 : 6);
        copy[field] = (byte)(value >> 8);
        copy[field + 1] = (byte)value;
        return copy;
    }

    /// <summary>
    /// The segments a device makes of TCP frame <paramref name="frame"/> with <paramref name="mss"/>, each built with
    /// PacketDotNet from the frame's headers and its share of the payload: sequence numbers advanced, IPv4 ids
    /// incremented, FIN and PSH on the last segment only, CWR on the first only, lengths and checksums recomputed.
    /// </summary>
    public static List<byte[]> Segments(byte[] frame, int mss)
    {
        var parsed = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, frame);
        var tcp = parsed.Extract<TcpPacket>();
        int header = L4Offset(frame) + tcp.DataOffset * 4;
        int payload = frame.Length - header;
        var list = new List<byte[]>();
        for (int i = 0, at = 0; at < payload; i++, at += mss)
        {
            int length = Math.Min(mss, payload - at);
            var bytes = new byte[header + length];
            frame.AsSpan(0, header).CopyTo(bytes);
            frame.AsSpan(header + at, length).CopyTo(bytes.AsSpan(header));
            var eth = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, bytes);
            var ip = eth.Extract<IPPacket>();
            var seg = eth.Extract<TcpPacket>();
            bool last = at + length == payload;
            seg.SequenceNumber = unchecked(tcp.SequenceNumber + (uint)at);
            seg.Finished = tcp.Finished && last;
            seg.Push = tcp.Push && last;
            seg.CongestionWindowReduced = tcp.CongestionWindowReduced && i == 0;
            if (ip is IPv4Packet v4)
            {
                v4.Id = unchecked((ushort)(IpId + i));
                v4.TotalLength = bytes.Length - 14;
            }
            else
            {
                ((IPv6Packet)ip).PayloadLength = (ushort)(bytes.Length - 14 - 40);
            }
            seg.UpdateTcpChecksum();
            if (ip is IPv4Packet v4b) v4b.UpdateIPChecksum();
            list.Add(eth.Bytes);
        }
        return list;
    }

    /// <summary>Asserts with PacketDotNet that <paramref name="frame"/>'s IPv4 header and TCP/UDP checksums are correct.</summary>
    public static void AssertChecksumsValid(byte[] frame, string what)
    {
        var eth = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, frame);
        if (eth.Extract<IPv4Packet>() is IPv4Packet v4) Assert.True(v4.ValidIPChecksum, what + ": IPv4 header checksum");
        if (eth.Extract<TcpPacket>() is TcpPacket tcp) Assert.True(tcp.ValidTcpChecksum, what + ": TCP checksum");
        else if (eth.Extract<UdpPacket>() is UdpPacket udp) Assert.True(udp.ValidUdpChecksum, what + ": UDP checksum");
        else Assert.Fail(what + ": neither TCP nor UDP");
    }
}
