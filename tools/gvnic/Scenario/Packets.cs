using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;
using PacketDotNet.DhcpV4;
using PacketDotNet.Utils;

namespace Gvnic.Cli.Scenario;

/// <summary>Builds and reads the frames of the scenario (Ethernet II, IPv4, UDP, DHCP, ARP, ICMP) with PacketDotNet.</summary>
internal static class Packets
{
    /// <summary>The DHCP magic cookie.</summary>
    public const uint DhcpMagic = 0x63825363;

    /// <summary>ff:ff:ff:ff:ff:ff.</summary>
    public static readonly PhysicalAddress Broadcast = PhysicalAddress.Parse("FF-FF-FF-FF-FF-FF");

    /// <summary>A DHCP message from <paramref name="srcMac"/> as a whole Ethernet frame (BOOTP padded to 300 bytes, checksums set).</summary>
    public static byte[] Dhcp(PhysicalAddress srcMac, PhysicalAddress dstMac, IPAddress srcIp, IPAddress dstIp, ushort srcPort, ushort dstPort,
        DhcpV4Operation operation, uint xid, PhysicalAddress clientMac, IPAddress? yourAddress, IPAddress? serverAddress, IReadOnlyList<DhcpV4Option> options)
    {
        // The BOOTP body: 236 fixed bytes, the magic cookie, then options; PacketDotNet rewrites options in place,
        // so the buffer starts with a message-type option and END and leaves room (300 bytes, the BOOTP minimum).
        var raw = new byte[300];
        raw[236] = 0x63; raw[237] = 0x82; raw[238] = 0x53; raw[239] = 0x63;
        raw[240] = 53; raw[241] = 1; raw[242] = 1; raw[243] = 255;
        // PacketDotNet writes SetOptions only through a packet that has a parent; the UDP header is built below.
        var dhcp = new DhcpV4Packet(new ByteArraySegment(raw), new UdpPacket(srcPort, dstPort))
        {
            Operation = operation,
            HardwareType = DhcpV4HardwareType.Ethernet,
            HardwareLength = 6,
            Xid = xid,
            ClientHardwareAddress = clientMac,
            MagicNumber = DhcpMagic,
            Broadcast = operation == DhcpV4Operation.BootRequest,
        };
        if (yourAddress is not null) dhcp.YourAddress = yourAddress;
        if (serverAddress is not null) dhcp.ServerAddress = serverAddress;
        dhcp.SetOptions(new List<DhcpV4Option>(options));
        return Udp(srcMac, dstMac, srcIp, dstIp, srcPort, dstPort, dhcp.Bytes);
    }

    /// <summary>A UDP datagram as a whole Ethernet frame, checksums set.</summary>
    public static byte[] Udp(PhysicalAddress srcMac, PhysicalAddress dstMac, IPAddress srcIp, IPAddress dstIp, ushort srcPort, ushort dstPort, byte[] payload)
    {
        var udp = new UdpPacket(srcPort, dstPort) { PayloadData = payload };
        var ip = new IPv4Packet(srcIp, dstIp) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new EthernetPacket(srcMac, dstMac, EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        udp.UpdateUdpChecksum();
        return eth.Bytes;
    }

    /// <summary>A TCP segment (flags PSH and ACK) as a whole Ethernet frame, IPv4 id <paramref name="ipId"/>, checksums set.</summary>
    public static byte[] Tcp(PhysicalAddress srcMac, PhysicalAddress dstMac, IPAddress srcIp, IPAddress dstIp, ushort srcPort, ushort dstPort, uint sequence, ushort ipId, byte[] payload)
    {
        var tcp = new TcpPacket(srcPort, dstPort) { SequenceNumber = sequence, AcknowledgmentNumber = 1, WindowSize = 64240, PayloadData = payload };
        tcp.Push = true;
        tcp.Acknowledgment = true;
        var ip = new IPv4Packet(srcIp, dstIp) { PayloadPacket = tcp, TimeToLive = 64, Id = ipId, FragmentFlags = 2 };
        var eth = new EthernetPacket(srcMac, dstMac, EthernetType.IPv4) { PayloadPacket = ip };
        tcp.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        tcp.UpdateTcpChecksum();
        return eth.Bytes;
    }

    /// <summary>An ARP request or reply as a whole Ethernet frame.</summary>
    public static byte[] Arp(ArpOperation operation, PhysicalAddress senderMac, IPAddress senderIp, PhysicalAddress targetMac, IPAddress targetIp, PhysicalAddress ethernetDestination)
    {
        var arp = new ArpPacket(operation, targetMac, targetIp, senderMac, senderIp);
        var eth = new EthernetPacket(senderMac, ethernetDestination, EthernetType.Arp) { PayloadPacket = arp };
        return eth.Bytes;
    }

    /// <summary>An ICMP echo request or reply as a whole Ethernet frame, checksums set.</summary>
    public static byte[] Echo(IcmpV4TypeCode type, PhysicalAddress srcMac, PhysicalAddress dstMac, IPAddress srcIp, IPAddress dstIp, ushort id, ushort sequence, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[8 + data.Length];
        data.CopyTo(bytes.AsSpan(8));
        var icmp = new IcmpV4Packet(new ByteArraySegment(bytes)) { TypeCode = type, Id = id, Sequence = sequence };
        icmp.UpdateIcmpChecksum();
        var ip = new IPv4Packet(srcIp, dstIp) { PayloadPacket = icmp, TimeToLive = 64 };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        var eth = new EthernetPacket(srcMac, dstMac, EthernetType.IPv4) { PayloadPacket = ip };
        return eth.Bytes;
    }

    /// <summary>Parses an Ethernet frame; null when PacketDotNet cannot.</summary>
    public static EthernetPacket? Parse(ReadOnlySpan<byte> frame)
    {
        try
        {
            return Packet.ParsePacket(LinkLayers.Ethernet, frame.ToArray()) as EthernetPacket;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The DHCP offer in <paramref name="frame"/> answering <paramref name="xid"/>, or null.</summary>
    public static DhcpOffer? ReadOffer(ReadOnlySpan<byte> frame, uint xid)
    {
        var eth = Parse(frame);
        var dhcp = eth?.Extract<DhcpV4Packet>();
        if (eth is null || dhcp is null || dhcp.Operation != DhcpV4Operation.BootReply || dhcp.Xid != xid) return null;
        var options = dhcp.GetOptions();
        bool isOffer = false;
        IPAddress? server = null, router = null, mask = null;
        TimeSpan? lease = null;
        foreach (var option in options)
        {
            switch (option)
            {
                case MessageTypeOption type: isOffer = type.MessageType == DhcpV4MessageType.Offer; break;
                case ServerIdOption id: server = id.ServerId; break;
                case RouterOption r when r.Routers.Count > 0: router = r.Routers[0]; break;
                case SubnetMaskOption m: mask = m.SubnetMask; break;
                case AddressTimeOption t: lease = t.AddressTime; break;
            }
        }
        if (!isOffer) return null;
        return new DhcpOffer(dhcp.Xid, dhcp.YourAddress, server ?? eth.Extract<IPv4Packet>()?.SourceAddress ?? IPAddress.Any, router, mask, lease, eth.SourceHardwareAddress);
    }
}
