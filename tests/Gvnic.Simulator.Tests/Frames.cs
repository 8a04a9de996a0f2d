using System;
using System.Buffers.Binary;

namespace Gvnic.Simulator.Tests;

/// <summary>Test frames.</summary>
public static class Frames
{
    public static readonly byte[] MacA = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x02];
    public static readonly byte[] MacB = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x03];

    /// <summary>An Ethernet/IPv4/UDP frame with <paramref name="payload"/> bytes of pattern data (checksums left as given).</summary>
    public static byte[] Udp4(int payload, byte seed = 1, ushort srcPort = 1000, ushort dstPort = 2000, ushort udpChecksum = 0)
    {
        byte[] f = new byte[14 + 20 + 8 + payload];
        MacB.CopyTo(f, 0);
        MacA.CopyTo(f, 6);
        f[12] = 0x08; f[13] = 0x00;
        f[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), (ushort)(20 + 8 + payload));
        f[22] = 64; f[23] = 17;
        f[26] = 10; f[27] = 0; f[28] = 0; f[29] = 1;
        f[30] = 10; f[31] = 0; f[32] = 0; f[33] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), (ushort)~Sum(f.AsSpan(14, 20)));
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(34), srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(36), dstPort);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(38), (ushort)(8 + payload));
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(40), udpChecksum);
        for (int i = 0; i < payload; i++) f[42 + i] = (byte)(seed + i);
        return f;
    }

    /// <summary>An Ethernet/IPv6/TCP frame.</summary>
    public static byte[] Tcp6(int payload, uint seq = 1000, byte flags = 0x18)
    {
        byte[] f = new byte[14 + 40 + 20 + payload];
        MacB.CopyTo(f, 0);
        MacA.CopyTo(f, 6);
        f[12] = 0x86; f[13] = 0xDD;
        f[14] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(18), (ushort)(20 + payload));
        f[20] = 6; f[21] = 64;
        f[22] = 0xfd; f[37] = 1;
        f[38] = 0xfd; f[53] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(54), 5000);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(56), 80);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(58), seq);
        f[66] = 0x50;
        f[67] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(68), 65535);
        for (int i = 0; i < payload; i++) f[74 + i] = (byte)i;
        return f;
    }

    /// <summary>An ARP-like non-IP frame.</summary>
    public static byte[] NonIp(int length)
    {
        byte[] f = new byte[length];
        MacB.CopyTo(f, 0);
        MacA.CopyTo(f, 6);
        f[12] = 0x08; f[13] = 0x06;
        for (int i = 14; i < length; i++) f[i] = (byte)i;
        return f;
    }

    public static ushort Sum(ReadOnlySpan<byte> data)
    {
        uint s = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) s += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) s += (uint)data[i] << 8;
        while (s >> 16 != 0) s = (s & 0xFFFF) + (s >> 16);
        return (ushort)s;
    }

    /// <summary>Verifies the UDP/TCP checksum of an IPv4 or IPv6 frame (true when the full sum folds to 0xFFFF).</summary>
    public static bool L4ChecksumValid(byte[] f)
    {
        bool v4 = f[12] == 0x08;
        int l3 = 14;
        int l4 = v4 ? l3 + (f[l3] & 0xF) * 4 : l3 + 40;
        byte proto = v4 ? f[l3 + 9] : f[l3 + 6];
        int len = f.Length - l4;
        uint s = v4 ? (uint)Sum(f.AsSpan(l3 + 12, 8)) : Sum(f.AsSpan(l3 + 8, 32));
        s += proto + (uint)len;
        s += Sum(f.AsSpan(l4));
        while (s >> 16 != 0) s = (s & 0xFFFF) + (s >> 16);
        return s == 0xFFFF;
    }
}
