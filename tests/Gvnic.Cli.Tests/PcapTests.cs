using System;
using System.IO;
using Gvnic.Cli.Pcap;
using Xunit;

namespace Gvnic.Cli.Tests;

public class PcapTests
{
    [Fact]
    public void Writes_the_classic_libpcap_format_byte_for_byte()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream))
        {
            writer.Write(DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000).AddTicks(1234560), [0xaa, 0xbb, 0xcc]);
            Assert.Equal(1, writer.Count);
        }
        Assert.Equal(
            "d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400" + "01000000" // header: magic, 2.4, zone, sigfigs, snaplen 262144, Ethernet
            + "00f15365" + "40e20100" + "03000000" + "03000000" + "aabbcc",                // 1700000000 s, 123456 us, 3 of 3 bytes
            Convert.ToHexStringLower(stream.ToArray()));
    }

    [Fact]
    public void Reads_back_what_it_wrote()
    {
        var stream = new MemoryStream();
        var t0 = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(7_890);
        byte[][] frames = [new byte[60], [1, 2, 3, 4], new byte[1514]];
        new Random(1).NextBytes(frames[2]);
        using (var writer = new PcapWriter(stream))
            for (int i = 0; i < frames.Length; i++) writer.Write(t0.AddMilliseconds(i), frames[i]);
        var records = PcapReader.Read(stream.ToArray(), out uint linkType);
        Assert.Equal(PcapWriter.LinkTypeEthernet, linkType);
        Assert.Equal(3, records.Count);
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.Equal(frames[i], records[i].Data);
            Assert.Equal(frames[i].Length, records[i].OriginalLength);
            Assert.Equal(t0.AddMilliseconds(i).UtcTicks / 10, records[i].Timestamp.UtcTicks / 10);
        }
    }

    [Fact]
    public void The_reader_rejects_damaged_files()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream)) writer.Write(DateTimeOffset.UnixEpoch, [1, 2, 3, 4]);
        byte[] good = stream.ToArray();
        Assert.Throws<InvalidDataException>(() => PcapReader.Read(good.AsSpan(0, good.Length - 1), out _));
        byte[] badMagic = (byte[])good.Clone();
        badMagic[0] = 0;
        Assert.Throws<InvalidDataException>(() => PcapReader.Read(badMagic, out _));
        Assert.Throws<InvalidDataException>(() => PcapReader.Read(good.AsSpan(0, 10), out _));
    }
}
