using System;
using System.Buffers.Binary;
using System.Net;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Frames with chosen addresses, protocol and ports (or SPI), to the test device's MAC, for the steering tests.</summary>
internal static class SteeringFrames
{
    public static byte[] Tcp(string source, ushort sourcePort, string destination, ushort destinationPort, byte tos = 0)
        => Ip(source, destination, 6, Ports(sourcePort, destinationPort, 20), tos);

    public static byte[] Udp(string source, ushort sourcePort, string destination, ushort destinationPort, byte tos = 0)
    {
        byte[] l4 = Ports(sourcePort, destinationPort, 8);
        BinaryPrimitives.WriteUInt16BigEndian(l4.AsSpan(4), (ushort)l4.Length);
        return Ip(source, destination, 17, l4, tos);
    }

    public static byte[] Sctp(string source, ushort sourcePort, string destination, ushort destinationPort)
        => Ip(source, destination, 132, Ports(sourcePort, destinationPort, 12), 0);

    public static byte[] Esp(string source, string destination, uint spi)
    {
        var l4 = new byte[32];
        BinaryPrimitives.WriteUInt32BigEndian(l4, spi);
        return Ip(source, destination, 50, l4, 0);
    }

    public static byte[] Ah(string source, string destination, uint spi)
    {
        var l4 = new byte[32];
        l4[0] = 59;
        l4[1] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(l4.AsSpan(4), spi);
        return Ip(source, destination, 51, l4, 0);
    }

    private static byte[] Ports(ushort sourcePort, ushort destinationPort, int header)
    {
        var l4 = new byte[header + 64];
        BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(l4.AsSpan(2), destinationPort);
        if (header == 20) l4[12] = 0x50;
        for (int i = header; i < l4.Length; i++) l4[i] = (byte)i;
        return l4;
    }

    private static byte[] Ip(string sourceText, string destinationText, byte protocol, byte[] l4, byte tos)
    {
        IPAddress source = IPAddress.Parse(sourceText), destination = IPAddress.Parse(destinationText);
        bool v6 = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        int l3 = v6 ? 40 : 20;
        var f = new byte[14 + l3 + l4.Length];
        TestDevices.DeviceMac.CopyTo(f, 0);
        f[6] = 0x42; f[7] = 0x01; f[8] = 0x0A; f[9] = 0x80; f[10] = 0x00; f[11] = 0x01;
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
