using System;
using System.Net;
using System.Net.NetworkInformation;
using Gvnic.Driver.Tests.EndToEnd;
using PacketDotNet;

namespace Gvnic.Driver.Tests.RxResults;

/// <summary>Frames for the RX-results tests, built with PacketDotNet (checksums computed by it), and the ways to spoil them.</summary>
internal static class RxFrames
{
    public static readonly PhysicalAddress Peer = new([0x42, 0x01, 0x0A, 0x80, 0x00, 0x01]);
    public static readonly PhysicalAddress Device = new(TestDevices.DeviceMac);

    private static readonly IPAddress V4Source = IPAddress.Parse("10.128.0.1");
    private static readonly IPAddress V4Destination = IPAddress.Parse("10.128.0.2");
    private static readonly IPAddress V6Source = IPAddress.Parse("fd00::1");
    private static readonly IPAddress V6Destination = IPAddress.Parse("fd00::2");

    public static byte[] Payload(int length, int seed)
    {
        var p = new byte[length];
        for (int i = 0; i < p.Length; i++) p[i] = (byte)(i * 7 + seed);
        return p;
    }

    public static byte[] Ipv4Tcp(int payload = 100, IPAddress? from = null, IPAddress? to = null, ushort sourcePort = 40000, ushort destinationPort = 80)
    {
        var tcp = new TcpPacket(sourcePort, destinationPort) { PayloadData = Payload(payload, 1), SequenceNumber = 1000, WindowSize = 1024, Acknowledgment = true };
        var ip = new IPv4Packet(from ?? V4Source, to ?? V4Destination) { PayloadPacket = tcp, TimeToLive = 64 };
        var eth = new EthernetPacket(Peer, Device, EthernetType.IPv4) { PayloadPacket = ip };
        tcp.UpdateTcpChecksum();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }

    public static byte[] Ipv4Udp(int payload = 100)
    {
        var udp = new UdpPacket(5000, 7) { PayloadData = Payload(payload, 2) };
        var ip = new IPv4Packet(V4Source, V4Destination) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new EthernetPacket(Peer, Device, EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }

    public static byte[] Ipv6Tcp(int payload = 100, IPAddress? from = null, IPAddress? to = null, ushort sourcePort = 40000, ushort destinationPort = 80)
    {
        var tcp = new TcpPacket(sourcePort, destinationPort) { PayloadData = Payload(payload, 3), SequenceNumber = 1000, WindowSize = 1024, Acknowledgment = true };
        var ip = new IPv6Packet(from ?? V6Source, to ?? V6Destination) { PayloadPacket = tcp, HopLimit = 64 };
        var eth = new EthernetPacket(Peer, Device, EthernetType.IPv6) { PayloadPacket = ip };
        tcp.UpdateTcpChecksum();
        return eth.Bytes;
    }

    public static byte[] Ipv6Udp(int payload = 100)
    {
        var udp = new UdpPacket(5000, 7) { PayloadData = Payload(payload, 4) };
        var ip = new IPv6Packet(V6Source, V6Destination) { PayloadPacket = udp, HopLimit = 64 };
        var eth = new EthernetPacket(Peer, Device, EthernetType.IPv6) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        return eth.Bytes;
    }

    /// <summary>An ICMPv4 echo request (checksum over the ICMP message, computed here: PacketDotNet builds ICMP only from bytes).</summary>
    public static byte[] Ipv4Icmp()
    {
        byte[] icmp = [8, 0, 0, 0, 0x12, 0x34, 0, 1, .. Payload(32, 5)];
        ushort c = (ushort)~Sum(icmp);
        icmp[2] = (byte)(c >> 8);
        icmp[3] = (byte)c;
        var ip = new IPv4Packet(V4Source, V4Destination) { PayloadData = icmp, Protocol = PacketDotNet.ProtocolType.Icmp, TimeToLive = 64 };
        var eth = new EthernetPacket(Peer, Device, EthernetType.IPv4) { PayloadPacket = ip };
        // With a raw payload PacketDotNet sets total_length only when the bytes are built: the header checksum after that.
        byte[] frame = eth.Bytes;
        frame[16] = (byte)((20 + icmp.Length) >> 8);
        frame[17] = (byte)(20 + icmp.Length);
        frame[24] = 0;
        frame[25] = 0;
        ushort h = (ushort)~Sum(frame.AsSpan(14, 20));
        frame[24] = (byte)(h >> 8);
        frame[25] = (byte)h;
        return frame;
    }

    /// <summary>The first fragment (more-fragments set, offset 0) of an IPv4/TCP datagram, or a later one (offset 1480 bytes).</summary>
    public static byte[] Ipv4Fragment(bool first)
    {
        var tcp = new TcpPacket(40000, 80) { PayloadData = Payload(200, 6), SequenceNumber = 1, WindowSize = 1024 };
        var ip = new IPv4Packet(V4Source, V4Destination) { PayloadPacket = tcp, TimeToLive = 64, FragmentFlags = 1, FragmentOffset = first ? 0 : 185 };
        var eth = new EthernetPacket(Peer, Device, EthernetType.IPv4) { PayloadPacket = ip };
        tcp.UpdateTcpChecksum();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }

    /// <summary>An IPv6/UDP datagram's first fragment: a fragment header (next header UDP, offset 0, more fragments) after the IPv6 header.</summary>
    public static byte[] Ipv6Fragment()
    {
        byte[] whole = Ipv6Udp(200);
        var frame = new byte[whole.Length + 8];
        whole.AsSpan(0, 54).CopyTo(frame);
        whole.AsSpan(54).CopyTo(frame.AsSpan(62));
        frame[54] = 17;      // next header: UDP
        frame[57] = 1;       // offset 0, more fragments
        frame[58] = 0x12;    // identification
        frame[20] = 44;      // IPv6 next header: fragment
        int payload = (frame[18] << 8 | frame[19]) + 8;
        frame[18] = (byte)(payload >> 8);
        frame[19] = (byte)payload;
        return frame;
    }

    /// <summary>An ARP request: not IP.</summary>
    public static byte[] Arp()
    {
        var arp = new ArpPacket(ArpOperation.Request, PhysicalAddress.Parse("00-00-00-00-00-00"), V4Destination, Peer, V4Source);
        var eth = new EthernetPacket(Peer, PhysicalAddress.Parse("FF-FF-FF-FF-FF-FF"), EthernetType.Arp) { PayloadPacket = arp };
        return eth.Bytes;
    }

    /// <summary>Offset of the transport header (no VLAN, IPv4 without options or IPv6 without extension headers).</summary>
    public static int L4Offset(byte[] frame) => frame[12] == 0x86 ? 54 : 14 + (frame[14] & 0xF) * 4;

    /// <summary>The frame with its TCP or UDP checksum (ICMP's for ICMP) off by one.</summary>
    public static byte[] BadL4(byte[] frame)
    {
        byte[] f = (byte[])frame.Clone();
        int l4 = L4Offset(f);
        int proto = f[12] == 0x86 ? f[20] : f[23];
        int field = l4 + (proto == 6 ? 16 : proto == 17 ? 6 : 2);
        f[field + 1] ^= 0x01;
        return f;
    }

    /// <summary>The frame with a payload byte changed (every checksum field left as it was): the transport checksum no longer matches.</summary>
    public static byte[] CorruptPayload(byte[] frame, int fromEnd = 1)
    {
        byte[] f = (byte[])frame.Clone();
        f[^fromEnd] ^= 0x5A;
        return f;
    }

    /// <summary>The IPv4 frame with its header checksum off by one.</summary>
    public static byte[] BadIpHeader(byte[] frame)
    {
        byte[] f = (byte[])frame.Clone();
        f[25] ^= 0x01;
        return f;
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if ((data.Length & 1) != 0) sum += (uint)data[^1] << 8;
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum;
    }
}
