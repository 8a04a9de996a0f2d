using System;
using System.Buffers.Binary;
using Gvnic.Admin;
using Gvnic.Platform;
using Gvnic.Wire;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// The model's RX results as bytes: the checksum bits it writes after checking the frame itself, the RSS hash in DQO's
/// little-endian (upstream le32_to_cpu) against the Microsoft verification vector, the time of reception, the packet-type
/// map GET_PTYPE_MAP writes, REPORT_NIC_TIMESTAMP's report, and the NIC_TIMESTAMP option.
/// </summary>
public class RxResultsModelTests
{
    private const ulong ClockStart = 0x0000_0012_FFFF_F000;

    private static (SimulatedGvnic Device, RawDriver Driver, RawRxQueue Rx, FakeTimeProvider Time) Up(bool timestamps = true)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var dev = new SimulatedGvnic(new SimulatedDeviceConfig { NicTimestamp = timestamps, NicClockStart = ClockStart, TimeProvider = time, DqoCompletionLineBytes = 0 });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoRda));
        RawDriver.Check(drv.CreateRx(0, out RawRxQueue rx, 64, ntfy: 1, dqo: true));
        for (int i = 0; i < 16; i++)
        {
            ref RxDescDqo d = ref RxDescDqo.AsRef(rx.Data.Span.Slice(i * 32, 32));
            d.BufId = (ushort)i;
            d.BufAddr = drv.Dma.Allocate(rx.BufferSize).DeviceAddress;
        }
        drv.Bar2.WriteDoorbellDqo((int)rx.DbIndex, 16);
        drv.RearmDqo(1);
        return (dev, drv, rx, time);
    }

    private static ReadOnlySpan<byte> Completion(RawRxQueue rx, int slot) => rx.Desc.Span.Slice(slot * 32, 32);

    /// <summary>An IPv4/UDP frame of the Microsoft RSS suite's first flow: 66.9.149.187:2794 → 161.142.100.80:1766.</summary>
    private static byte[] MicrosoftFlow(ushort udpChecksum = 0)
    {
        byte[] f = Frames.Udp4(64, srcPort: 2794, dstPort: 1766, udpChecksum: udpChecksum);
        byte[] addresses = [66, 9, 149, 187, 161, 142, 100, 80];
        addresses.CopyTo(f, 26);
        f[24] = 0;
        f[25] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), (ushort)~Frames.Sum(f.AsSpan(14, 20)));
        return f;
    }

    [Fact]
    public void DqoCompletionsCarryTheChecksumBitsTheHashLittleEndianAndTheTime()
    {
        var (dev, drv, rx, time) = Up();
        byte[] good = MicrosoftFlow();                       // UDP without a checksum: nothing to fault
        byte[] badL4 = MicrosoftFlow(udpChecksum: 0x1234);   // a checksum that is wrong
        byte[] badIp = MicrosoftFlow();
        badIp[25] ^= 1;
        foreach (byte[] f in new[] { good, badL4, badIp, Frames.NonIp(80) })
        {
            Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(f).Outcome);
            time.Advance(TimeSpan.FromMicroseconds(3));
        }
        drv.RearmDqo(1);

        RxComplDescDqo c = RxComplDescDqo.Read(Completion(rx, 0));
        Assert.True(c.L3L4Processed);
        Assert.False(c.CsumIpErr);
        Assert.False(c.CsumL4Err);
        // hash at byte 16, little-endian: 0x51ccc178 is 78 c1 cc 51 in memory
        Assert.Equal(new byte[] { 0x78, 0xC1, 0xCC, 0x51 }, Completion(rx, 0).Slice(16, 4).ToArray());
        Assert.Equal(0x51ccc178u, c.Hash);
        // ts at byte 28 (little-endian), its valid bit in byte 11 bit 0
        Assert.Equal(0x01, Completion(rx, 0)[11] & 0x01);
        Assert.True(c.HwtstampValid);
        Assert.Equal(unchecked((uint)ClockStart), BinaryPrimitives.ReadUInt32LittleEndian(Completion(rx, 0).Slice(28, 4)));

        RxComplDescDqo l4 = RxComplDescDqo.Read(Completion(rx, 1));
        Assert.True(l4.L3L4Processed);
        Assert.False(l4.CsumIpErr);
        Assert.True(l4.CsumL4Err);
        Assert.Equal(unchecked((uint)(ClockStart + 3000)), l4.Ts);

        RxComplDescDqo ip = RxComplDescDqo.Read(Completion(rx, 2));
        Assert.True(ip.CsumIpErr);
        Assert.False(ip.CsumL4Err);
        Assert.Equal(unchecked((uint)(ClockStart + 6000)), ip.Ts); // the low 32 bits wrapped between the frames: 0xFFFFF000 + 6000

        RxComplDescDqo other = RxComplDescDqo.Read(Completion(rx, 3));
        Assert.False(other.L3L4Processed);
        Assert.Equal(SimulatedGvnic.PacketTypeIndex(L3Type.Other, L4Type.Unknown), other.PacketType);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void WithoutTheOptionCompletionsCarryNoTime()
    {
        var (dev, drv, rx, _) = Up(timestamps: false);
        Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(MicrosoftFlow()).Outcome);
        drv.RearmDqo(1);
        Assert.Equal(0, Completion(rx, 0)[11]);
        Assert.Equal(0u, RxComplDescDqo.Read(Completion(rx, 0)).Ts);
    }

    [Fact]
    public void GetPtypeMapWritesL3AndL4BytesForEachPacketTypeTheCompletionsUse()
    {
        var (_, drv, _, _) = Up();
        DmaRegion map = drv.Dma.Allocate(4096);
        RawDriver.Check(drv.Execute((ref AdminqCommand c) => AdminCommands.GetPtypeMap(ref c, map.DeviceAddress)));
        ReadOnlySpan<byte> bytes = map.Span.Slice(0, PtypeMap.Size);
        (L3Type L3, L4Type L4, byte B3, byte B4)[] entries =
        [
            (L3Type.Ipv4, L4Type.Tcp, 2, 2), (L3Type.Ipv4, L4Type.Udp, 2, 3), (L3Type.Ipv6, L4Type.Tcp, 3, 2), (L3Type.Ipv6, L4Type.Udp, 3, 3),
            (L3Type.Ipv4, L4Type.Icmp, 2, 4), (L3Type.Ipv6, L4Type.Other, 3, 1), (L3Type.Other, L4Type.Unknown, 1, 0),
        ];
        int named = 0;
        foreach (var e in entries)
        {
            int index = SimulatedGvnic.PacketTypeIndex(e.L3, e.L4);
            Assert.Equal(e.B3, bytes[index * 2]);
            Assert.Equal(e.B4, bytes[index * 2 + 1]);
        }
        for (int i = 0; i < PtypeMap.PtypesLength; i++) if (bytes[i * 2] != 0 || bytes[i * 2 + 1] != 0) named++;
        Assert.Equal(4 * 6 - 1, named); // every L3 × L4 pair but unknown/unknown, which is the zero entry itself
    }

    [Fact]
    public void ReportNicTimestampWritesTheClockBigEndian_OrAnswersUnimplementedWithoutTheOption()
    {
        var (_, drv, _, time) = Up();
        time.Advance(TimeSpan.FromMilliseconds(1.5));
        DmaRegion report = drv.Dma.Allocate(4096);
        report.Span.Slice(0, 40).Fill(0xEE);
        RawDriver.Check(drv.Execute((ref AdminqCommand c) => AdminCommands.ReportNicTimestamp(ref c, report.DeviceAddress)));
        Assert.Equal(ClockStart + 1_500_000, BinaryPrimitives.ReadUInt64BigEndian(report.Span));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument,
            drv.Execute((ref AdminqCommand c) => AdminCommands.ReportNicTimestamp(ref c, report.DeviceAddress, reportLength: 39)));

        var (_, without, _, _) = Up(timestamps: false);
        Assert.Equal(AdminqStatuses.CommandErrorUnimplemented,
            without.Execute((ref AdminqCommand c) => AdminCommands.ReportNicTimestamp(ref c, report.DeviceAddress)));
    }

    [Fact]
    public void TheNicTimestampOptionIsOfferedAndEnabledByTheDqoFormatsOnly()
    {
        var dev = new SimulatedGvnic(new SimulatedDeviceConfig { NicTimestamp = true });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out DmaRegion buffer));
        DeviceDescription d = DeviceDescriptorParser.Parse(buffer.Span);
        Assert.True(d.NicTimestamp);
        Assert.Equal(SupFeatureMask.NicTimestamp, d.CapabilitiesFor(QueueFormat.DqoRda).SupportedFeatures & SupFeatureMask.NicTimestamp);
        Assert.Equal(SupFeatureMask.NicTimestamp, d.CapabilitiesFor(QueueFormat.DqoQpl).SupportedFeatures & SupFeatureMask.NicTimestamp);
        Assert.Equal((SupFeatureMask)0, d.CapabilitiesFor(QueueFormat.GqiQpl).SupportedFeatures & SupFeatureMask.NicTimestamp);
        Assert.Empty(d.SkippedOptions);

        var plain = new RawDriver(new SimulatedGvnic());
        RawDriver.Check(plain.Describe(out DmaRegion b2));
        Assert.False(DeviceDescriptorParser.Parse(b2.Span).NicTimestamp);
    }
}
