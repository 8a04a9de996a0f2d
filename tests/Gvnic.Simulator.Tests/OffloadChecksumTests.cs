using System;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;
using PacketDotNet;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// The TX checksum offloads (GQI partial completion, DQO computation from scratch) against PacketDotNet 1.4.8: the sum
/// covers the L4 bytes up to the end of the IP packet, never Ethernet padding after it, and a UDP result of 0 goes out
/// as 0xFFFF (RFC 768; RFC 8200 section 8.1).
/// </summary>
public class OffloadChecksumTests
{
    private static readonly PhysicalAddress Src = new([0x42, 0x01, 0x0A, 0x80, 0x00, 0x01]);
    private static readonly PhysicalAddress Dst = new([0x42, 0x01, 0x0A, 0x80, 0x00, 0x02]);

    /// <summary>A frame built by PacketDotNet, its checksum (PacketDotNet's), and where its L4 header and checksum field lie.</summary>
    private sealed record Built(byte[] Frame, ushort Checksum, int L4, int Field, bool Udp);

    private static Built Build(bool ipv6, bool udp, byte[] payload)
    {
        TransportPacket l4 = udp
            ? new UdpPacket(5000, 7) { PayloadData = payload }
            : new TcpPacket(40000, 80) { SequenceNumber = 0x01020304, AcknowledgmentNumber = 0x0A0B0C0D, WindowSize = 1024, PayloadData = payload };
        if (!udp) ((TcpPacket)l4).Push = true;
        IPPacket ip = ipv6
            ? new IPv6Packet(IPAddress.Parse("fd00::1"), IPAddress.Parse("fd00::2:3")) { PayloadPacket = l4, HopLimit = 64 }
            : new IPv4Packet(IPAddress.Parse("10.128.0.1"), IPAddress.Parse("10.128.0.2")) { PayloadPacket = l4, TimeToLive = 64 };
        var eth = new EthernetPacket(Src, Dst, ipv6 ? EthernetType.IPv6 : EthernetType.IPv4) { PayloadPacket = ip };
        if (l4 is UdpPacket u) u.UpdateUdpChecksum(); else ((TcpPacket)l4).UpdateTcpChecksum();
        if (ip is IPv4Packet v4) v4.UpdateIPChecksum();
        byte[] frame = eth.Bytes;
        int l4Offset = 14 + (ipv6 ? 40 : 20);
        Assert.Equal(l4Offset + (udp ? 8 : 20) + payload.Length, frame.Length); // PacketDotNet set the IP length fields
        ushort checksum = udp ? ((UdpPacket)l4).Checksum : ((TcpPacket)l4).Checksum;
        return new Built(frame, checksum, l4Offset, l4Offset + (udp ? 6 : 16), udp);
    }

    private static byte[] Payload(int length, int seed)
    {
        var p = new byte[length];
        for (int i = 0; i < length; i++) p[i] = (byte)(i * 31 + seed * 7 + 3);
        return p;
    }

    /// <summary><paramref name="frame"/> followed by nonzero bytes up to <paramref name="length"/> (Ethernet padding, at least <paramref name="extra"/> bytes).</summary>
    private static byte[] Padded(byte[] frame, int length, int extra = 0)
    {
        var f = new byte[Math.Max(length, frame.Length + extra)];
        frame.CopyTo(f, 0);
        for (int i = frame.Length; i < f.Length; i++) f[i] = (byte)(0xA5 + i * 13);
        return f;
    }

    /// <summary>RFC 1071 ones'-complement sum of big-endian words (an odd last byte padded with zero), folded.</summary>
    private static uint Sum(ReadOnlySpan<byte> data, uint sum = 0)
    {
        for (int i = 0; i < data.Length; i += 2) sum += (uint)(data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0));
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum;
    }

    /// <summary>The pseudo-header sum (addresses, protocol, L4 length), as a driver leaves it for a partial checksum.</summary>
    private static ushort Pseudo(byte[] frame, bool ipv6, bool udp, int l4Length)
    {
        uint s = ipv6 ? Sum(frame.AsSpan(14 + 8, 32)) : Sum(frame.AsSpan(14 + 12, 8));
        return (ushort)Sum([], s + (udp ? 17u : 6u) + (uint)(l4Length >> 16) + (uint)(l4Length & 0xFFFF));
    }

    /// <summary>The checksum of <paramref name="l4Length"/> L4 bytes from <paramref name="l4"/>, the field taken as 0, computed here independently of the model.</summary>
    private static ushort Reference(byte[] frame, bool ipv6, bool udp, int l4, int field, int l4Length)
    {
        byte[] copy = frame.ToArray();
        copy[field] = 0;
        copy[field + 1] = 0;
        ushort c = (ushort)~Sum(copy.AsSpan(l4, l4Length), Pseudo(copy, ipv6, udp, l4Length));
        return c == 0 && udp ? (ushort)0xFFFF : c;
    }

    private static ushort At(byte[] f, int offset) => (ushort)(f[offset] << 8 | f[offset + 1]);

    private static void Put(byte[] f, int offset, ushort value)
    {
        f[offset] = (byte)(value >> 8);
        f[offset + 1] = (byte)value;
    }

    /// <summary>DQO: the field zeroed, the device computes the checksum from scratch.</summary>
    private static byte[] Dqo(byte[] frame, int field)
    {
        byte[] f = frame.ToArray();
        Put(f, field, 0);
        Assert.True(Offloads.ComputeL4Checksum(f));
        return f;
    }

    /// <summary>GQI: the driver leaves the pseudo-header sum in the field; the device completes it.</summary>
    private static byte[] Gqi(byte[] frame, bool ipv6, Built b)
    {
        byte[] f = frame.ToArray();
        Put(f, b.Field, Pseudo(f, ipv6, b.Udp, b.Frame.Length - b.L4));
        Offloads.CompletePartialChecksum(f, b.L4, b.Field);
        return f;
    }

    public static TheoryData<bool, bool, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int>();
        foreach (bool ipv6 in new[] { false, true })
            foreach (bool udp in new[] { true, false })
                foreach (int payload in new[] { 0, 1, 5, 6, 7, 18, 101, 1000, 1401 })
                    data.Add(ipv6, udp, payload);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BothOffloads_MatchPacketDotNet_AndIgnoreEthernetPadding(bool ipv6, bool udp, int payload)
    {
        Built b = Build(ipv6, udp, Payload(payload, payload));
        // Padded to the 60-byte minimum when short, and in every case with at least 3 more nonzero bytes after the IP packet.
        byte[] padded = Padded(b.Frame, 60, extra: 3);
        // Summing the padding as well would give another checksum: the comparison below can fail.
        Assert.NotEqual(b.Checksum, Reference(padded, ipv6, udp, b.L4, b.Field, padded.Length - b.L4));

        foreach (byte[] input in new[] { b.Frame, padded })
        {
            byte[] dqo = Dqo(input, b.Field);
            Assert.Equal(b.Checksum, At(dqo, b.Field));
            byte[] gqi = Gqi(input, ipv6, b);
            Assert.Equal(b.Checksum, At(gqi, b.Field));
            // Nothing else changed, the padding least of all.
            Put(dqo, b.Field, At(input, b.Field));
            Assert.Equal(input, dqo);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AUdpChecksumOf0_GoesOutAs0xFFFF_InGqiAndDqo(bool ipv6)
    {
        // A payload word equal to the checksum of the datagram with that word 0 makes the sum 0xFFFF: the checksum is 0.
        byte[] payload = Payload(10, 9);
        payload[4] = 0;
        payload[5] = 0;
        Built first = Build(ipv6, udp: true, payload);
        Assert.NotEqual(0, first.Checksum);
        payload[4] = (byte)(first.Checksum >> 8);
        payload[5] = (byte)first.Checksum;
        Built b = Build(ipv6, udp: true, payload);
        byte[] field0 = b.Frame.ToArray();
        Put(field0, b.Field, 0);
        Assert.Equal(0xFFFFu, Sum(field0.AsSpan(b.L4), Pseudo(field0, ipv6, true, b.Frame.Length - b.L4))); // the complement is 0

        byte[] padded = Padded(b.Frame, 60, extra: 3);
        foreach (byte[] input in new[] { b.Frame, padded })
        {
            byte[] dqo = Dqo(input, b.Field);
            byte[] gqi = Gqi(input, ipv6, b);
            Assert.Equal(0xFFFF, At(dqo, b.Field));
            Assert.Equal(0xFFFF, At(gqi, b.Field));
            // PacketDotNet reads 0xFFFF as a valid checksum.
            var parsed = Packet.ParsePacket(LinkLayers.Ethernet, dqo.AsSpan(0, b.Frame.Length).ToArray()).Extract<UdpPacket>();
            Assert.Equal(0xFFFF, parsed.Checksum);
            Assert.True(parsed.ValidUdpChecksum);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ATcpChecksumOf0_StaysZero(bool ipv6)
    {
        byte[] payload = Payload(10, 4);
        payload[4] = 0;
        payload[5] = 0;
        Built first = Build(ipv6, udp: false, payload);
        payload[4] = (byte)(first.Checksum >> 8);
        payload[5] = (byte)first.Checksum;
        Built b = Build(ipv6, udp: false, payload);
        Assert.Equal(0, b.Checksum); // PacketDotNet: 0
        Assert.Equal(0, At(Dqo(Padded(b.Frame, 60, 3), b.Field), b.Field));
        Assert.Equal(0, At(Gqi(Padded(b.Frame, 60, 3), ipv6, b), b.Field));
    }

    [Fact]
    public void ThroughTheGqiQueue_APaddedShortUdpFrame_GetsPacketDotNetsChecksum_AndKeepsItsPadding()
    {
        foreach (int payload in new[] { 1, 7, 10 })
        {
            using var dev = new SimulatedGvnic();
            var drv = new RawDriver(dev);
            var (tx, _) = drv.BringUpGqiRda();
            Built b = Build(false, true, Payload(payload, 2));
            byte[] frame = Padded(b.Frame, 60);
            Assert.Equal(60, frame.Length);
            Put(frame, b.Field, Pseudo(frame, false, true, b.Frame.Length - b.L4));
            drv.PostGqiTx(tx, frame, l4Csum: true, l4HdrOffset: b.L4, l4CsumOffset: 6);
            drv.RingTx(tx);
            byte[] wire = Assert.Single(dev.Wire.Frames).Data;
            Assert.Equal(b.Checksum, At(wire, b.Field));
            Assert.Equal(frame.AsSpan(b.Field + 2).ToArray(), wire.AsSpan(b.Field + 2).ToArray());
            Assert.Empty(dev.Violations);
        }
    }

    [Fact]
    public void ThroughTheGqiQueue_AUdpChecksumOf0_GoesOutAs0xFFFF()
    {
        byte[] payload = Payload(10, 9);
        payload[4] = payload[5] = 0;
        ushort c = Build(false, true, payload).Checksum;
        payload[4] = (byte)(c >> 8);
        payload[5] = (byte)c;
        Built b = Build(false, true, payload);
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiRda();
        byte[] frame = Padded(b.Frame, 60);
        Put(frame, b.Field, Pseudo(frame, false, true, b.Frame.Length - b.L4));
        drv.PostGqiTx(tx, frame, l4Csum: true, l4HdrOffset: b.L4, l4CsumOffset: 6);
        drv.RingTx(tx);
        Assert.Equal(0xFFFF, At(Assert.Single(dev.Wire.Frames).Data, b.Field));
    }

    [Theory]
    [InlineData(false, true, 3)]
    [InlineData(false, false, 0)]
    [InlineData(true, true, 1)]
    [InlineData(true, false, 9)]
    public void ThroughTheDqoQueue_APaddedFrame_GetsPacketDotNetsChecksum_AndKeepsItsPadding(bool ipv6, bool udp, int payload)
    {
        Built b = Build(ipv6, udp, Payload(payload, 5));
        byte[] frame = Padded(b.Frame, 60, extra: 4);
        Put(frame, b.Field, 0);
        byte[] wire = SendDqo(frame);
        Assert.Equal(b.Checksum, At(wire, b.Field));
        Assert.Equal(frame.AsSpan(b.Field + 2).ToArray(), wire.AsSpan(b.Field + 2).ToArray());
    }

    [Fact]
    public void ThroughTheDqoQueue_AUdpChecksumOf0_GoesOutAs0xFFFF()
    {
        byte[] payload = Payload(10, 9);
        payload[4] = payload[5] = 0;
        ushort c = Build(true, true, payload).Checksum;
        payload[4] = (byte)(c >> 8);
        payload[5] = (byte)c;
        Built b = Build(true, true, payload);
        byte[] frame = Padded(b.Frame, 60, extra: 2);
        Put(frame, b.Field, 0);
        Assert.Equal(0xFFFF, At(SendDqo(frame), b.Field));
    }

    /// <summary>Sends <paramref name="frame"/> with checksum offload through a DQO RDA TX queue; returns what reached the wire.</summary>
    private static byte[] SendDqo(byte[] frame)
    {
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.DqoRda });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoRda));
        RawDriver.Check(drv.CreateTx(0, out RawTxQueue tx, 256, dqo: true));
        Gvnic.Platform.DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        Span<byte> slot = tx.Ring.Span.Slice(0, 16);
        slot.Clear();
        ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(slot);
        d.Dtype = TxDescDtypeDqo.Packet;
        d.BufAddr = buf.DeviceAddress;
        d.BufSize = (ushort)frame.Length;
        d.ComplTag = 1;
        d.EndOfPacket = true;
        d.ChecksumOffloadEnable = true;
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 1);
        Assert.Empty(dev.Violations);
        return Assert.Single(dev.Wire.Frames).Data;
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void AnIpLengthPastTheFrame_SumsWhatTheFrameHolds(bool ipv6, bool udp)
    {
        Built b = Build(ipv6, udp, Payload(41, 1));
        byte[] cut = b.Frame.AsSpan(0, b.Frame.Length - 9).ToArray(); // the IP length still counts the 9 bytes cut off
        int l4Length = cut.Length - b.L4;
        ushort expected = Reference(cut, ipv6, udp, b.L4, b.Field, l4Length);
        Assert.Equal(expected, At(Dqo(cut, b.Field), b.Field));
        byte[] gqi = cut.ToArray();
        Put(gqi, b.Field, Pseudo(gqi, ipv6, udp, l4Length));
        Offloads.CompletePartialChecksum(gqi, b.L4, b.Field);
        Assert.Equal(expected, At(gqi, b.Field));
    }

    [Theory]
    [InlineData(false, true, 8)]      // IPv4 total length shorter than its own header
    [InlineData(false, true, 20 + 4)] // ends inside the UDP header, before the checksum field
    [InlineData(false, false, 20 + 12)] // ends inside the TCP header, before the checksum field
    [InlineData(true, true, 0)]       // IPv6 payload length 0 (no jumbo option)
    [InlineData(true, false, 10)]     // ends inside the TCP header
    public void AnIpLengthEndingBeforeTheChecksumField_LeavesTheFrameAlone_WithoutThrowing(bool ipv6, bool udp, int ipLength)
    {
        Built b = Build(ipv6, udp, Payload(30, 6));
        byte[] frame = Padded(b.Frame, 60);
        Put(frame, 14 + (ipv6 ? 4 : 2), (ushort)ipLength);
        byte[] before = frame.ToArray();
        Assert.False(Offloads.ComputeL4Checksum(frame));
        Assert.Equal(before, frame);
        // GQI: the driver's offsets are inside the frame, but the IP packet ends before its checksum field: the device
        // sums from the L4 offset to the IP packet's end (nothing when it ends before the L4 offset) and the field gets
        // the complement, whatever the driver left there (a UDP 0 as 0xFFFF).
        int end = Math.Clamp(14 + (ipv6 ? 40 : 0) + ipLength, b.L4, frame.Length);
        Assert.True(end < b.Field);
        ushort expected = (ushort)~Sum(frame.AsSpan(b.L4, end - b.L4));
        if (expected == 0 && udp) expected = 0xFFFF;
        Put(frame, b.Field, 0x1234);
        Offloads.CompletePartialChecksum(frame, b.L4, b.Field);
        Assert.Equal(expected, At(frame, b.Field));
        Assert.Equal(before.AsSpan(b.Field + 2).ToArray(), frame.AsSpan(b.Field + 2).ToArray());
        Assert.Equal(before.AsSpan(0, b.Field).ToArray(), frame.AsSpan(0, b.Field).ToArray());
    }

    [Theory]
    [InlineData(false, 60, 14 + 50)]
    [InlineData(false, 60, 60)]
    [InlineData(false, 60, 14 + 0xFFFF)]
    [InlineData(true, 100, 14 + 40 + 10)]
    [InlineData(true, 100, 100)]
    public void L4End_IsTheIpPacketsEnd_ClampedToTheFrame(bool ipv6, int frameLength, int ipEnd)
    {
        Built b = Build(ipv6, true, Payload(frameLength - 14 - (ipv6 ? 40 : 20) - 8, 1));
        byte[] frame = b.Frame;
        int length = ipv6 ? ipEnd - 14 - 40 : ipEnd - 14;
        Put(frame, 14 + (ipv6 ? 4 : 2), (ushort)Math.Min(length, 0xFFFF));
        FrameInfo info = FrameInfo.Parse(frame);
        Assert.Equal(Math.Min(ipEnd, frame.Length), Offloads.L4End(frame, info, b.L4));
        Assert.Equal(frame.Length, Offloads.L4End(frame, info, frame.Length));
        Assert.Equal(Math.Min(ipEnd, frame.Length), Offloads.L4End(frame, info, -5));
    }

    [Fact]
    public void L4End_OfANonIpFrame_IsTheFramesEnd()
    {
        var arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        Assert.Equal(60, Offloads.L4End(arp, FrameInfo.Parse(arp), 14));
        Assert.Equal(0, Offloads.L4End([], FrameInfo.Parse([]), 0));
    }
}
