using System;
using System.Buffers.Binary;
using System.Net;
using Gvnic.Simulator.Device;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// The model's Toeplitz hash against the published verification vectors: Microsoft's "Verifying the RSS Hash
/// Calculation" (the same suite as the Intel 82599 datasheet, 7.1.2.8.3; DPDK app/test/test_thash.c carries it), under
/// the well-known 40-byte key, for IPv4 and IPv6, over addresses only and over addresses and TCP ports.
/// </summary>
public class RssHashTests
{
    [Fact]
    public void TheDefaultKeyIsTheVerificationKey()
        => Assert.Equal(Convert.FromHexString("6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa"), RxSteering.DefaultKey);

    [Theory] // destination, destination port, source, source port, IPv4 only, IPv4 with TCP
    [InlineData("161.142.100.80", 1766, "66.9.149.187", 2794, 0x323e8fc2u, 0x51ccc178u)]
    [InlineData("65.69.140.83", 4739, "199.92.111.2", 14230, 0xd718262au, 0xc626b0eau)]
    [InlineData("12.22.207.184", 38024, "24.19.198.95", 12898, 0xd2d0a5deu, 0x5c2b394au)]
    [InlineData("209.142.163.6", 2217, "38.27.205.30", 48228, 0x82989176u, 0xafc7327fu)]
    [InlineData("202.188.127.2", 1303, "153.39.163.191", 44251, 0x5d1809c5u, 0x10e828a2u)]
    [InlineData("3ffe:2501:200:3::1", 1766, "3ffe:2501:200:1fff::7", 2794, 0x2cc18cd5u, 0x40207d3du)]
    [InlineData("ff02::1", 4739, "3ffe:501:8::260:97ff:fe40:efab", 14230, 0x0f0c461cu, 0xdde51bbfu)]
    [InlineData("fe80::200:f8ff:fe21:67cf", 38024, "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251, 0x4b61e985u, 0x02d1feefu)]
    public void VerificationVectors(string destination, int destinationPort, string source, int sourcePort, uint addressesOnly, uint withTcp)
    {
        byte[] frame = SteeringFrames.Tcp(IPAddress.Parse(source), (ushort)sourcePort, IPAddress.Parse(destination), (ushort)destinationPort);
        bool v6 = destination.Contains(':');
        var steering = new RxSteering();
        steering.Configure(v6 ? RssHashTypes.Ipv6 : RssHashTypes.Ipv4, null, null);
        Assert.Equal(addressesOnly, steering.Hash(frame));
        steering.Configure(v6 ? RssHashTypes.Tcpv6 : RssHashTypes.Tcpv4, null, null);
        Assert.Equal(withTcp, steering.Hash(frame));
        // Both kinds listed: a TCP frame hashes its ports too (the 4-tuple wins over the 2-tuple).
        steering.Configure(v6 ? RssHashTypes.Ipv6 | RssHashTypes.Tcpv6 : RssHashTypes.Ipv4 | RssHashTypes.Tcpv4, null, null);
        Assert.Equal(withTcp, steering.Hash(frame));
    }

    [Fact]
    public void UdpHashesItsPortsOnlyWhenAUdpTypeIsListed()
    {
        // The same 4-tuple as vector 1, over UDP: the Toeplitz input is the same bytes, so the same numbers.
        byte[] frame = SteeringFrames.Udp(IPAddress.Parse("66.9.149.187"), 2794, IPAddress.Parse("161.142.100.80"), 1766);
        var steering = new RxSteering();
        steering.Configure(RssHashTypes.Udpv4, null, null);
        Assert.Equal(0x51ccc178u, steering.Hash(frame));
        steering.Configure(RssHashTypes.Tcpv4 | RssHashTypes.Ipv4, null, null);
        Assert.Equal(0x323e8fc2u, steering.Hash(frame));
        steering.Configure(RssHashTypes.Tcpv4, null, null);
        Assert.Equal(0u, steering.Hash(frame)); // no listed kind: not hashed
        steering.Configure(RssHashTypes.Ipv6 | RssHashTypes.Udpv6, null, null);
        Assert.Equal(0u, steering.Hash(frame)); // IPv6 kinds do not hash IPv4
    }

    [Fact]
    public void AConfiguredKeyReplacesTheDefault()
    {
        byte[] frame = SteeringFrames.Tcp(IPAddress.Parse("66.9.149.187"), 2794, IPAddress.Parse("161.142.100.80"), 1766);
        var steering = new RxSteering();
        byte[] key = new byte[40];
        key[0] = 0x80; // the window starts 0x80000000 and shifts in zeros: the hash is the input's first 32 bits, shifted by each set bit... only bit 0 counts
        steering.Configure(RssHashTypes.Ipv4, key, null);
        // Input bit i XORs the key window at bit i: with one key bit at the top only input bit 0 (66 = 0b01000010: 0) and
        // the bits within the first 32 reach it; the result is the first input word reversed onto the window.
        uint expected = Reference(key, [66, 9, 149, 187, 161, 142, 100, 80]);
        Assert.Equal(expected, steering.Hash(frame));
        Assert.NotEqual(0x323e8fc2u, expected);
    }

    /// <summary>The textbook Toeplitz: for each input bit from the left, XOR the key's leftmost 32 bits when it is set, then shift the key left by one.</summary>
    private static uint Reference(byte[] key, byte[] input)
    {
        var k = new System.Numerics.BigInteger(key, isUnsigned: true, isBigEndian: true);
        int bits = key.Length * 8;
        uint result = 0;
        for (int i = 0; i < input.Length * 8; i++)
        {
            if ((input[i / 8] >> (7 - i % 8) & 1) != 0)
                result ^= (uint)(k >> (bits - 32 - i) & uint.MaxValue);
        }
        return result;
    }

    [Fact]
    public void TheDefaultTableSpreadsOverTheLiveQueuesAndAConfiguredOneWins()
    {
        var steering = new RxSteering();
        Assert.Equal(128, steering.DefaultTableSize);
        uint[] table = steering.Table(new Queues.RxQueue?[4]);
        Assert.All(table, e => Assert.Equal(0u, e)); // no live queue yet
        steering.Configure(0, null, [3, 2, 1, 0]);
        Assert.Equal([3u, 2u, 1u, 0u], steering.Table(new Queues.RxQueue?[4]));
        Assert.Equal(RssHashTypesInfo.All, steering.HashTypes); // 0: unchanged
        steering.Clear();
        Assert.Equal(128, steering.Table(new Queues.RxQueue?[4]).Length);
    }
}

/// <summary>IPv4 and IPv6 frames with chosen addresses and ports, for steering tests.</summary>
public static class SteeringFrames
{
    public static byte[] Tcp(IPAddress source, ushort sourcePort, IPAddress destination, ushort destinationPort, int payload = 20)
        => Ip(source, destination, 6, L4(sourcePort, destinationPort, 20, payload));

    public static byte[] Udp(IPAddress source, ushort sourcePort, IPAddress destination, ushort destinationPort, int payload = 20)
    {
        byte[] l4 = L4(sourcePort, destinationPort, 8, payload);
        BinaryPrimitives.WriteUInt16BigEndian(l4.AsSpan(4), (ushort)l4.Length);
        return Ip(source, destination, 17, l4);
    }

    public static byte[] Sctp(IPAddress source, ushort sourcePort, IPAddress destination, ushort destinationPort)
        => Ip(source, destination, 132, L4(sourcePort, destinationPort, 12, 16));

    /// <summary>ESP: the SPI first, then a sequence number and data.</summary>
    public static byte[] Esp(IPAddress source, IPAddress destination, uint spi)
    {
        var l4 = new byte[24];
        BinaryPrimitives.WriteUInt32BigEndian(l4, spi);
        return Ip(source, destination, 50, l4);
    }

    /// <summary>AH: next header, payload length, reserved (2), then the SPI.</summary>
    public static byte[] Ah(IPAddress source, IPAddress destination, uint spi)
    {
        var l4 = new byte[24];
        l4[0] = 59;
        l4[1] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(l4.AsSpan(4), spi);
        return Ip(source, destination, 51, l4);
    }

    private static byte[] L4(ushort sourcePort, ushort destinationPort, int header, int payload)
    {
        var l4 = new byte[header + payload];
        BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(l4.AsSpan(2), destinationPort);
        if (header == 20) l4[12] = 0x50;
        for (int i = header; i < l4.Length; i++) l4[i] = (byte)i;
        return l4;
    }

    /// <summary>Ethernet, then IPv4 (TOS <paramref name="tos"/>) or IPv6 (traffic class <paramref name="tos"/>), then <paramref name="l4"/>.</summary>
    public static byte[] Ip(IPAddress source, IPAddress destination, byte protocol, byte[] l4, byte tos = 0)
    {
        bool v6 = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        int l3 = v6 ? 40 : 20;
        var f = new byte[14 + l3 + l4.Length];
        Frames.MacA.CopyTo(f, 0);
        Frames.MacB.CopyTo(f, 6);
        if (v6)
        {
            f[12] = 0x86; f[13] = 0xDD;
            f[14] = (byte)(0x60 | tos >> 4);
            f[15] = (byte)(tos << 4);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(18), (ushort)l4.Length);
            f[20] = protocol;
            f[21] = 64;
            source.GetAddressBytes().CopyTo(f, 22);
            destination.GetAddressBytes().CopyTo(f, 38);
        }
        else
        {
            f[12] = 0x08; f[13] = 0x00;
            f[14] = 0x45;
            f[15] = tos;
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), (ushort)(20 + l4.Length));
            f[22] = 64;
            f[23] = protocol;
            source.GetAddressBytes().CopyTo(f, 26);
            destination.GetAddressBytes().CopyTo(f, 30);
        }
        l4.CopyTo(f, 14 + l3);
        return f;
    }
}
