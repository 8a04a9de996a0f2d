using System;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Threading;
using Gvnic.Cli.Scenario;
using Gvnic.Driver;
using PacketDotNet;
using PacketDotNet.DhcpV4;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// What <c>gvnic gen</c> on a real device needs before sending: its own address (a DHCP DISCOVER and the OFFER) and
/// the MAC to send to (the router's, by ARP: a VPC routes every packet through its gateway). Setup, not the data path:
/// frames are built and parsed with PacketDotNet, on queue 0.
/// </summary>
internal static class AddressDiscovery
{
    private const uint Xid = 0x67766e67; // "gvng"

    /// <summary>The addresses found.</summary>
    /// <param name="Self">The address offered to the NIC.</param>
    /// <param name="Router">The router.</param>
    /// <param name="RouterMac">The router's MAC.</param>
    /// <param name="Text">What happened, for the output.</param>
    public sealed record Found(IPAddress Self, IPAddress Router, PhysicalAddress RouterMac, string Text);

    /// <summary>Asks DHCP and ARP on <paramref name="nic"/>, waiting up to <paramref name="timeout"/> for each answer.</summary>
    /// <exception cref="TimeoutException">No offer, or no ARP reply, came in time.</exception>
    public static Found Run(TrafficNic nic, TimeSpan timeout, CancellationToken cancellation)
    {
        var discover = Packets.Dhcp(nic.Mac, Packets.Broadcast, IPAddress.Any, IPAddress.Broadcast, 68, 67, DhcpV4Operation.BootRequest, Xid, nic.Mac, null, null,
            [
                new MessageTypeOption(DhcpV4MessageType.Discover),
                new ParameterListOption([DhcpV4OptionType.SubnetMask, DhcpV4OptionType.Router]),
            ]);
        long start = Stopwatch.GetTimestamp();
        DhcpOffer? offer = null;
        Exchange(nic.Nic, discover, frame => (offer = Packets.ReadOffer(frame, Xid)) is not null, timeout, cancellation);
        if (offer is null)
            throw new TimeoutException(nic.Name + ": no DHCP OFFER came in " + timeout.TotalSeconds + " s; gen needs the NIC's own address (is the VPC's DHCP server reachable on this network?)");
        var router = offer.Router ?? offer.Server;
        string dhcp = "DHCP: " + offer.YourAddress + " from " + offer.Server + ", router " + router + " (" + Millis(start) + ")";

        var request = Packets.Arp(ArpOperation.Request, nic.Mac, offer.YourAddress, PhysicalAddress.Parse("00-00-00-00-00-00"), router, Packets.Broadcast);
        start = Stopwatch.GetTimestamp();
        PhysicalAddress? routerMac = null;
        Exchange(nic.Nic, request, frame =>
        {
            var arp = Packets.Parse(frame)?.Extract<ArpPacket>();
            if (arp is null || arp.Operation != ArpOperation.Response || !arp.SenderProtocolAddress.Equals(router)) return false;
            routerMac = arp.SenderHardwareAddress;
            return true;
        }, timeout, cancellation);
        if (routerMac is null) throw new TimeoutException(nic.Name + ": no ARP reply from the router " + router + " in " + timeout.TotalSeconds + " s");
        return new Found(offer.YourAddress, router, routerMac, dhcp + "; ARP: " + router + " is-at " + routerMac + " (" + Millis(start) + ")");
    }

    private static void Exchange(Nic nic, byte[] request, Func<byte[], bool> answer, TimeSpan timeout, CancellationToken cancellation)
    {
        var buffer = new byte[nic.MaxFrameSize];
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!nic.Transmit(request, 0))
        {
            nic.ReclaimTransmitted(0);
            if (Stopwatch.GetTimestamp() > deadline) return;
            Thread.Yield();
        }
        while (Stopwatch.GetTimestamp() < deadline)
        {
            cancellation.ThrowIfCancellationRequested();
            nic.ReclaimTransmitted(0);
            for (int q = 0; q < nic.RxQueueCount; q++)
                while (nic.TryReceive(buffer, out int length, out _, q))
                    if (answer(buffer.AsSpan(0, length).ToArray())) return;
            Thread.Sleep(1);
        }
    }

    private static string Millis(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " ms";
}
