using System;
using System.Net;
using System.Net.NetworkInformation;

namespace Gvnic.Cli.Scenario;

/// <summary>A DHCP OFFER as the client reads it.</summary>
/// <param name="TransactionId">The xid it answers.</param>
/// <param name="YourAddress">The address offered.</param>
/// <param name="Server">The DHCP server (option 54, or the sender).</param>
/// <param name="Router">The first router (option 3), or null.</param>
/// <param name="SubnetMask">Option 1, or null.</param>
/// <param name="Lease">Option 51, or null.</param>
/// <param name="ServerMac">The Ethernet source of the offer.</param>
internal sealed record DhcpOffer(uint TransactionId, IPAddress YourAddress, IPAddress Server, IPAddress? Router, IPAddress? SubnetMask, TimeSpan? Lease, PhysicalAddress ServerMac);
