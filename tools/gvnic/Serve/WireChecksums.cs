using System;
using Gvnic.Cli.Scenario;
using PacketDotNet;

namespace Gvnic.Cli.Serve;

/// <summary>
/// Checks the IPv4 header checksum and the UDP, TCP or ICMP checksum of a frame a device put on the wire. A guest's
/// kernel hands the L4 checksum of its UDP and TCP frames to the device (checksum offload), so a wrong one on the wire is
/// the device's mistake. A UDP checksum of 0 (none) is accepted, as IPv4 allows.
/// </summary>
internal static class WireChecksums
{
    /// <summary>True when the frame is not IPv4 or its checksums hold; otherwise false with which one failed.</summary>
    public static bool Valid(ReadOnlySpan<byte> frame, out string problem)
    {
        problem = "";
        EthernetPacket? eth = Packets.Parse(frame);
        if (eth?.Extract<IPv4Packet>() is not { } ip) return true;
        if (ip.FragmentOffset != 0 || ip.FragmentFlags != 0 && (ip.FragmentFlags & 1) != 0) return ValidIp(ip, ref problem); // a fragment: its L4 checksum spans others
        if (!ValidIp(ip, ref problem)) return false;
        switch (ip.PayloadPacket)
        {
            case UdpPacket udp when udp.Checksum != 0 && !udp.ValidUdpChecksum:
                problem = "UDP checksum 0x" + udp.Checksum.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + " is wrong (" + ip.SourceAddress + ":" + udp.SourcePort + " to " + ip.DestinationAddress + ":" + udp.DestinationPort + ")";
                return false;
            case TcpPacket tcp when !tcp.ValidTcpChecksum:
                problem = "TCP checksum 0x" + tcp.Checksum.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + " is wrong (" + ip.SourceAddress + ":" + tcp.SourcePort + " to " + ip.DestinationAddress + ":" + tcp.DestinationPort + ")";
                return false;
            case IcmpV4Packet icmp when !icmp.ValidIcmpChecksum:
                problem = "ICMP checksum 0x" + icmp.Checksum.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + " is wrong (" + ip.SourceAddress + " to " + ip.DestinationAddress + ")";
                return false;
            default:
                return true;
        }
    }

    private static bool ValidIp(IPv4Packet ip, ref string problem)
    {
        if (ip.ValidIPChecksum) return true;
        problem = "IPv4 header checksum 0x" + ip.Checksum.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + " is wrong (" + ip.SourceAddress + " to " + ip.DestinationAddress + ")";
        return false;
    }
}
