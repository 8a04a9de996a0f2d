using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using System.Threading;
using PacketDotNet;
using PacketDotNet.DhcpV4;

namespace Gvnic.Cli.Scenario;

/// <summary>
/// The other end of the simulated wire: a router at 10.128.0.1 that answers DHCP DISCOVER with an OFFER and REQUEST
/// with an ACK (10.128.0.2/20, as a GCE subnet would), ARP requests for its address, ICMP echo requests and UDP echo
/// (port 7). Frames are built and parsed with PacketDotNet. Safe to call from several threads.
/// </summary>
internal sealed class Responder
{
    /// <summary>The router's MAC.</summary>
    public static readonly PhysicalAddress RouterMac = PhysicalAddress.Parse("42-01-0A-80-00-01");

    /// <summary>The router's (and DHCP server's) address.</summary>
    public static readonly IPAddress RouterIp = IPAddress.Parse("10.128.0.1");

    /// <summary>The address offered to the NIC.</summary>
    public static readonly IPAddress OfferedIp = IPAddress.Parse("10.128.0.2");

    /// <summary>The subnet mask offered.</summary>
    public static readonly IPAddress SubnetMask = IPAddress.Parse("255.255.240.0");

    /// <summary>The lease offered.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromHours(1);

    /// <summary>The UDP echo port (RFC 862).</summary>
    public const ushort EchoPort = 7;

    /// <summary>The TCP discard port (RFC 863): segments to it are counted and dropped.</summary>
    public const ushort DiscardPort = 9;

    private int _offers, _acks, _arpReplies, _echoReplies, _udpEchoes, _ignored, _tcpSegments, _badChecksums;
    private long _tcpBytes;

    /// <summary>DHCP OFFERs sent.</summary>
    public int Offers => Volatile.Read(ref _offers);

    /// <summary>DHCP ACKs sent (a client that REQUESTs the offered address, as udhcpc does, gets the lease).</summary>
    public int Acks => Volatile.Read(ref _acks);

    /// <summary>ARP replies sent.</summary>
    public int ArpReplies => Volatile.Read(ref _arpReplies);

    /// <summary>ICMP echo replies sent.</summary>
    public int EchoReplies => Volatile.Read(ref _echoReplies);

    /// <summary>UDP datagrams echoed.</summary>
    public int UdpEchoes => Volatile.Read(ref _udpEchoes);

    /// <summary>TCP segments to the discard port with correct checksums (the TSO run's segments).</summary>
    public int TcpSegments => Volatile.Read(ref _tcpSegments);

    /// <summary>Their TCP payload bytes.</summary>
    public long TcpBytes => Interlocked.Read(ref _tcpBytes);

    /// <summary>UDP echo requests and TCP segments dropped for a wrong IPv4, UDP or TCP checksum (as a host's stack drops them).</summary>
    public int BadChecksums => Volatile.Read(ref _badChecksums);

    /// <summary>Frames it saw and did not answer.</summary>
    public int Ignored => Volatile.Read(ref _ignored);

    /// <summary>The replies to one frame the NIC sent (none for frames it does not answer).</summary>
    public IEnumerable<byte[]>? Respond(ReadOnlyMemory<byte> frame)
    {
        var reply = Answer(frame.Span);
        if (reply is null)
        {
            Interlocked.Increment(ref _ignored);
            return null;
        }
        return [reply];
    }

    private byte[]? Answer(ReadOnlySpan<byte> frame)
    {
        var eth = Packets.Parse(frame);
        if (eth is null) return null;
        if (eth.Extract<ArpPacket>() is { } arp)
        {
            if (arp.Operation != ArpOperation.Request || !arp.TargetProtocolAddress.Equals(RouterIp)) return null;
            Interlocked.Increment(ref _arpReplies);
            return Packets.Arp(ArpOperation.Response, RouterMac, RouterIp, arp.SenderHardwareAddress, arp.SenderProtocolAddress, arp.SenderHardwareAddress);
        }
        var ip = eth.Extract<IPv4Packet>();
        if (ip is null) return null;
        if (eth.Extract<DhcpV4Packet>() is { } dhcp)
        {
            if (dhcp.Operation != DhcpV4Operation.BootRequest) return null;
            DhcpV4MessageType answer;
            if (dhcp.MessageType == DhcpV4MessageType.Discover)
            {
                answer = DhcpV4MessageType.Offer;
                Interlocked.Increment(ref _offers);
            }
            else if (dhcp.MessageType == DhcpV4MessageType.Request)
            {
                answer = DhcpV4MessageType.Ack;
                Interlocked.Increment(ref _acks);
            }
            else
            {
                return null;
            }
            var options = new List<DhcpV4Option>
            {
                new MessageTypeOption(answer),
                new ServerIdOption(RouterIp),
                new AddressTimeOption(Lease),
                new SubnetMaskOption(SubnetMask),
                new RouterOption([RouterIp]),
                new MtuInterfaceOption(1460),
            };
            return Packets.Dhcp(RouterMac, Packets.Broadcast, RouterIp, IPAddress.Broadcast, 67, 68, DhcpV4Operation.BootReply,
                dhcp.Xid, dhcp.ClientHardwareAddress, OfferedIp, RouterIp, options);
        }
        if (!ip.DestinationAddress.Equals(RouterIp)) return null;
        if (eth.Extract<IcmpV4Packet>() is { } icmp)
        {
            if (icmp.TypeCode != IcmpV4TypeCode.EchoRequest) return null;
            Interlocked.Increment(ref _echoReplies);
            return Packets.Echo(IcmpV4TypeCode.EchoReply, RouterMac, eth.SourceHardwareAddress, RouterIp, ip.SourceAddress, icmp.Id, icmp.Sequence, icmp.Data);
        }
        if (eth.Extract<TcpPacket>() is { } tcp && tcp.DestinationPort == DiscardPort)
        {
            if (!Serve.WireChecksums.Valid(frame, out _))
            {
                Interlocked.Increment(ref _badChecksums);
                return null;
            }
            Interlocked.Increment(ref _tcpSegments);
            Interlocked.Add(ref _tcpBytes, tcp.PayloadData?.Length ?? 0);
            return null;
        }
        if (eth.Extract<UdpPacket>() is { } udp && udp.DestinationPort == EchoPort)
        {
            if (!Serve.WireChecksums.Valid(frame, out _))
            {
                Interlocked.Increment(ref _badChecksums);
                return null;
            }
            Interlocked.Increment(ref _udpEchoes);
            return Packets.Udp(RouterMac, eth.SourceHardwareAddress, RouterIp, ip.SourceAddress, EchoPort, udp.SourcePort, udp.PayloadData ?? []);
        }
        return null;
    }
}
