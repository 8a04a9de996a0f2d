using System;
using System.Collections.Generic;
using System.Net;
using Gvnic.Driver.Tests.EndToEnd;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.RxResults;

/// <summary>
/// What the device says about received frames reaches <see cref="RxInfo"/> decoded, in every format: frames built with
/// PacketDotNet (good and spoiled checksums, IPv4/IPv6, TCP/UDP/ICMP, fragments, not IP) go through the model, which
/// checks them itself, and the driver's decoding of its descriptors and completions is compared with what the frame is.
/// </summary>
public class RxResultsTests
{
    public static readonly TheoryData<QueueFormat> Formats = new() { QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl };

    private const OfferedFormats All = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;

    private static SimulatedGvnic Device() => new(new SimulatedDeviceConfig { Formats = All, Mac = TestDevices.DeviceMac });

    private static bool IsDqo(QueueFormat f) => f is QueueFormat.DqoRda or QueueFormat.DqoQpl;

    private static RxInfo Receive(SimulatedGvnic device, Nic nic, byte[] frame)
    {
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(frame).Outcome);
        var buffer = new byte[nic.MaxFrameSize];
        Assert.True(nic.TryReceive(buffer, out int length, out RxInfo info));
        Assert.Equal(frame, buffer[..length]);
        Assert.Equal(frame.Length, info.Length);
        return info;
    }

    /// <summary>One case: the frame and what each family of formats must say about it.</summary>
    private sealed record Case(string Name, byte[] Frame, RxL3Type L3, RxL4Type GqiL4, RxL4Type DqoL4, RxChecksum L3Sum, RxChecksum GqiL4Sum, RxChecksum DqoL4Sum, RxFlags GqiFlags, RxFlags DqoFlags)
    {
        public RxFlags Flags(bool dqo) => dqo ? DqoFlags : GqiFlags;
    }

    private static IEnumerable<Case> Cases()
    {
        const RxChecksum G = RxChecksum.Good, B = RxChecksum.Bad, U = RxChecksum.Unknown;
        byte[] v4tcp = RxFrames.Ipv4Tcp(), v4udp = RxFrames.Ipv4Udp(), v6tcp = RxFrames.Ipv6Tcp(), v6udp = RxFrames.Ipv6Udp(), icmp = RxFrames.Ipv4Icmp();
        RxFlags v4t = RxFlags.Ipv4 | RxFlags.Tcp, v4u = RxFlags.Ipv4 | RxFlags.Udp, v6t = RxFlags.Ipv6 | RxFlags.Tcp, v6u = RxFlags.Ipv6 | RxFlags.Udp;
        yield return new("IPv4/TCP", v4tcp, RxL3Type.Ipv4, RxL4Type.Tcp, RxL4Type.Tcp, G, G, G, v4t, v4t);
        yield return new("IPv4/TCP bad TCP checksum", RxFrames.BadL4(v4tcp), RxL3Type.Ipv4, RxL4Type.Tcp, RxL4Type.Tcp, G, B, B, v4t, v4t);
        yield return new("IPv4/TCP corrupted payload", RxFrames.CorruptPayload(v4tcp), RxL3Type.Ipv4, RxL4Type.Tcp, RxL4Type.Tcp, G, B, B, v4t, v4t);
        yield return new("IPv4/TCP bad IP header", RxFrames.BadIpHeader(v4tcp), RxL3Type.Ipv4, RxL4Type.Tcp, RxL4Type.Tcp, B, G, G, v4t, v4t);
        yield return new("IPv4/UDP", v4udp, RxL3Type.Ipv4, RxL4Type.Udp, RxL4Type.Udp, G, G, G, v4u, v4u);
        yield return new("IPv4/UDP bad UDP checksum", RxFrames.BadL4(v4udp), RxL3Type.Ipv4, RxL4Type.Udp, RxL4Type.Udp, G, B, B, v4u, v4u);
        yield return new("IPv6/TCP", v6tcp, RxL3Type.Ipv6, RxL4Type.Tcp, RxL4Type.Tcp, U, G, G, v6t, v6t);
        yield return new("IPv6/TCP bad TCP checksum", RxFrames.BadL4(v6tcp), RxL3Type.Ipv6, RxL4Type.Tcp, RxL4Type.Tcp, U, B, B, v6t, v6t);
        yield return new("IPv6/UDP", v6udp, RxL3Type.Ipv6, RxL4Type.Udp, RxL4Type.Udp, U, G, G, v6u, v6u);
        yield return new("IPv6/UDP corrupted payload", RxFrames.CorruptPayload(v6udp), RxL3Type.Ipv6, RxL4Type.Udp, RxL4Type.Udp, U, B, B, v6u, v6u);
        // GQI flags only IP versions, TCP and UDP; DQO's packet type names ICMP, and the device checks its checksum.
        yield return new("IPv4/ICMP", icmp, RxL3Type.Ipv4, RxL4Type.Unknown, RxL4Type.Icmp, G, U, G, RxFlags.Ipv4, RxFlags.Ipv4);
        yield return new("IPv4/ICMP bad checksum", RxFrames.BadL4(icmp), RxL3Type.Ipv4, RxL4Type.Unknown, RxL4Type.Icmp, G, U, B, RxFlags.Ipv4, RxFlags.Ipv4);
        // Fragments: nobody vouches for a transport checksum; DQO's packet type says L4 Other.
        yield return new("IPv4 first fragment", RxFrames.Ipv4Fragment(first: true), RxL3Type.Ipv4, RxL4Type.Tcp, RxL4Type.Other, G, U, U, v4t | RxFlags.Fragment, RxFlags.Ipv4);
        yield return new("IPv4 later fragment", RxFrames.Ipv4Fragment(first: false), RxL3Type.Ipv4, RxL4Type.Unknown, RxL4Type.Other, G, U, U, RxFlags.Ipv4 | RxFlags.Fragment, RxFlags.Ipv4);
        yield return new("IPv6 first fragment", RxFrames.Ipv6Fragment(), RxL3Type.Ipv6, RxL4Type.Udp, RxL4Type.Other, U, U, U, v6u | RxFlags.Fragment, RxFlags.Ipv6);
        yield return new("ARP", RxFrames.Arp(), RxL3Type.Unknown, RxL4Type.Unknown, RxL4Type.Unknown, U, U, U, RxFlags.None, RxFlags.None);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryFrameKindIsDecodedIntoTypesAndChecksumVerdicts(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        bool dqo = IsDqo(format);
        foreach (Case c in Cases())
        {
            RxInfo info = Receive(device, nic, c.Frame);
            string at = c.Name + " on " + format;
            Assert.True(c.Flags(dqo) == info.Flags, at + ": flags " + info.Flags);
            RxL3Type l3 = dqo && c.L3 == RxL3Type.Unknown ? RxL3Type.Other : c.L3; // DQO's map says "other" for a frame that is not IP
            Assert.True(l3 == info.L3Type, at + ": L3 " + info.L3Type);
            Assert.True((dqo ? c.DqoL4 : c.GqiL4) == info.L4Type, at + ": L4 " + info.L4Type);
            Assert.True(c.L3Sum == info.L3Checksum, at + ": L3 checksum " + info.L3Checksum);
            Assert.True((dqo ? c.DqoL4Sum : c.GqiL4Sum) == info.L4Checksum, at + ": L4 checksum " + info.L4Checksum);
            Assert.Equal(0, info.HeaderLength);
            Assert.Null(info.Timestamp);
        }
        Assert.Empty(device.Violations);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void AChecksumSpoiledDeepInAJumboFrameIsCaught(QueueFormat format)
    {
        // The frame spans several buffers: GQI's sum covers them all, DQO's device checks the whole frame.
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { Mtu = JumboFrameTests.JumboMtu });
        byte[] good = RxFrames.Ipv4Udp(7000);
        Assert.Equal(RxChecksum.Good, Receive(device, nic, good).L4Checksum);
        Assert.Equal(RxChecksum.Bad, Receive(device, nic, RxFrames.CorruptPayload(good, fromEnd: 3)).L4Checksum);
        byte[] good6 = RxFrames.Ipv6Tcp(5000);
        Assert.Equal(RxChecksum.Good, Receive(device, nic, good6).L4Checksum);
        Assert.Equal(RxChecksum.Bad, Receive(device, nic, RxFrames.CorruptPayload(good6, fromEnd: 10)).L4Checksum);
    }

    /// <summary>The Microsoft RSS verification suite's first entries: the default key, these flows, these hashes.</summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public void TheRssHashIsTheToeplitzHashOfTheFlow_InEveryFormatsByteOrder(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        RxInfo v4 = Receive(device, nic, RxFrames.Ipv4Tcp(from: IPAddress.Parse("66.9.149.187"), to: IPAddress.Parse("161.142.100.80"), sourcePort: 2794, destinationPort: 1766));
        Assert.Equal(0x51ccc178u, v4.RssHash);
        Assert.Equal(RssHashType.L4, v4.RssHashType);
        Assert.True(v4.RssHashValid);
        RxInfo v6 = Receive(device, nic, RxFrames.Ipv6Tcp(from: IPAddress.Parse("3ffe:2501:200:1fff::7"), to: IPAddress.Parse("3ffe:2501:200:3::1"), sourcePort: 2794, destinationPort: 1766));
        Assert.Equal(0x40207d3du, v6.RssHash);
        Assert.Equal(RssHashType.L4, v6.RssHashType);
        RxInfo arp = Receive(device, nic, RxFrames.Arp());
        // GQI: no IP flag, no hash (upstream gve_needs_rss); DQO reports an L2 hash for every frame, and the model hashes nothing.
        Assert.Equal(IsDqo(format) ? RssHashType.L3 : RssHashType.None, arp.RssHashType);
        Assert.Equal(0u, arp.RssHash);
        Assert.Equal(IsDqo(format), arp.RssHashValid);
    }

    [Fact]
    public void HeaderSplitReportsTheHeaderLength()
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.DqoRda, Mac = TestDevices.DeviceMac, HeaderBufferSize = 128 });
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { HeaderSplit = true });
        Assert.Equal(14 + 20 + 20, Receive(device, nic, RxFrames.Ipv4Tcp(300)).HeaderLength);
        Assert.Equal(14 + 40 + 8, Receive(device, nic, RxFrames.Ipv6Udp(300)).HeaderLength);
        Assert.Equal(0, Receive(device, nic, RxFrames.Arp()).HeaderLength);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ByLeaseAndByBurstTheInfoIsTheSame(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        byte[] bad = RxFrames.BadL4(RxFrames.Ipv4Udp());
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(bad).Outcome);
        Assert.True(nic.TryReceive(out RxLease lease));
        using (lease)
        {
            Assert.Equal(RxChecksum.Bad, lease.Info.L4Checksum);
            Assert.Equal(RxL4Type.Udp, lease.Info.L4Type);
        }
    }
}
