using System;
using System.Net;
using System.Net.NetworkInformation;
using Gvnic.Simulator;
using Gvnic.Wire;
using PacketDotNet;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Devices, options and frames the end-to-end tests share.</summary>
internal static class TestDevices
{
    public static readonly byte[] DeviceMac = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x02];

    public static SimulatedGvnic Create(byte revision = 1, OfferedFormats formats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda,
        ExecutionMode execution = ExecutionMode.Synchronous, string address = "sim:0", byte[]? mac = null, ushort mtu = 1460, int msixVectors = 8)
        => new(new SimulatedDeviceConfig { Revision = revision, Formats = formats, Execution = execution, Address = address, Mac = mac ?? DeviceMac, Mtu = mtu, MsixVectors = msixVectors });

    public static NicOptions Options(QueueFormat format, int queues = 1) => new()
    {
        QueueFormat = format,
        TxQueues = queues,
        RxQueues = queues,
        AdminTimeout = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>A DHCP DISCOVER from <paramref name="mac"/>, built with PacketDotNet (BOOTP body by hand: op, htype, hlen, xid, chaddr, cookie, options).</summary>
    public static byte[] DhcpDiscover(byte[] mac, uint xid = 0x3903F326)
    {
        var bootp = new byte[240 + 4];
        bootp[0] = 1; bootp[1] = 1; bootp[2] = 6;
        bootp[4] = (byte)(xid >> 24); bootp[5] = (byte)(xid >> 16); bootp[6] = (byte)(xid >> 8); bootp[7] = (byte)xid;
        bootp[10] = 0x80; // broadcast flag
        mac.CopyTo(bootp, 28);
        bootp[236] = 99; bootp[237] = 130; bootp[238] = 83; bootp[239] = 99; // magic cookie
        bootp[240] = 53; bootp[241] = 1; bootp[242] = 1;                   // DHCP message type: DISCOVER
        bootp[243] = 255;
        var udp = new UdpPacket(68, 67) { PayloadData = bootp };
        var ip = new IPv4Packet(IPAddress.Any, IPAddress.Broadcast) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new EthernetPacket(new PhysicalAddress(mac), PhysicalAddress.Parse("FF-FF-FF-FF-FF-FF"), EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }

    /// <summary>An IPv4/UDP frame to <paramref name="to"/> carrying <paramref name="payload"/> from source port <paramref name="sourcePort"/>.</summary>
    public static byte[] Udp(byte[] to, byte[] payload, ushort sourcePort = 5000, byte[]? from = null)
    {
        var udp = new UdpPacket(sourcePort, 7) { PayloadData = payload };
        var ip = new IPv4Packet(IPAddress.Parse("10.128.0.1"), IPAddress.Parse("10.128.0.2")) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new EthernetPacket(new PhysicalAddress(from ?? [0x42, 0x01, 0x0A, 0x80, 0x00, 0x01]), new PhysicalAddress(to), EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }
}
