using System;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// The model refuses the TX offload descriptors upstream's limits forbid (a BadDescriptor violation naming the field and
/// the limit; the packet still completes, nothing of it reaches the wire) and sends the ones within them.
/// </summary>
public sealed class TxOffloadViolationTests
{
    // ---- DQO ----

    private static (SimulatedGvnic, RawDriver, RawTxQueue) UpDqo()
    {
        var dev = new SimulatedGvnic(new SimulatedDeviceConfig { MinTxRingSize = 64 });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoRda));
        RawDriver.Check(drv.CreateTx(0, out RawTxQueue tx, 64, dqo: true));
        return (dev, drv, tx);
    }

    private static void Tso(RawTxQueue q, int index, int mss, int headerLen, int totalLen)
    {
        Span<byte> slot = q.Ring.Span.Slice(index * 16, 16);
        slot.Clear();
        ref TxDescDqo d = ref TxDescDqo.AsRef(slot);
        d.TsoCtx.CmdDtype.Dtype = TxDescDtypeDqo.TsoContext;
        d.TsoCtx.CmdDtype.Tso = true;
        d.TsoCtx.Mss = (ushort)mss;
        d.TsoCtx.HeaderLen = (byte)headerLen;
        d.TsoCtx.TsoTotalLen = (uint)totalLen;
    }

    private static void Pkt(RawTxQueue q, int index, ulong addr, int size, bool eop, bool csum = true)
    {
        Span<byte> slot = q.Ring.Span.Slice(index * 16, 16);
        slot.Clear();
        ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(slot);
        d.Dtype = TxDescDtypeDqo.Packet;
        d.BufAddr = addr;
        d.BufSize = (ushort)size;
        d.ComplTag = 5;
        d.EndOfPacket = eop;
        d.ChecksumOffloadEnable = csum;
    }

    /// <summary>Posts <paramref name="frame"/> as one TSO packet in buffers of <paramref name="split"/> bytes with the given context; returns the violations.</summary>
    private static (SimulatedGvnic Device, ProtocolViolation[] Bad) SendDqoTso(byte[] frame, int mss, int headerLen, int totalLen, int split = 16000)
    {
        var (dev, drv, tx) = UpDqo();
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        Tso(tx, 0, mss, headerLen, totalLen);
        int n = 1;
        for (int at = 0; at < frame.Length; at += split)
            Pkt(tx, n++, buf.DeviceAddress + (ulong)at, Math.Min(split, frame.Length - at), at + split >= frame.Length);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, (uint)n);
        return (dev, dev.Violations.Where(v => v.Kind == ViolationKind.BadDescriptor).ToArray());
    }

    [Fact]
    public void Dqo_Tso_WithinTheLimits_IsSegmented()
    {
        byte[] frame = Frames.Tcp6(3000);
        var (dev, bad) = SendDqoTso(frame, 88, 74, 3000, split: 700);
        Assert.Empty(bad);
        Assert.Equal(35, dev.Wire.Frames.Count); // 3000 / 88, rounded up
        Assert.All(dev.Wire.Frames, f => Assert.True(Frames.L4ChecksumValid(f.Data)));
        Assert.Empty(dev.Violations);
    }

    [Theory]
    [InlineData(87, 74, 3000, "mss below the minimum of 88 (tx_min_tso_mss_dqo)")]
    [InlineData(0, 74, 3000, "mss below the minimum of 88")]
    [InlineData(1000, 0, 3074, "header_len 0 (the device repeats the headers in every segment)")]
    [InlineData(1000, 74, 2999, "tso_total_len is not the packet's bytes after its header (3000)")]
    [InlineData(1000, 74, 0xFFFFFF, "tso_total_len is not the packet's bytes after its header")]
    public void Dqo_Tso_ContextOutsideTheLimits_IsRefused(int mss, int headerLen, int totalLen, string problem)
    {
        var (dev, bad) = SendDqoTso(Frames.Tcp6(3000), mss, headerLen, totalLen);
        Assert.Contains(problem, Assert.Single(bad).Detail);
        Assert.Empty(dev.Wire.Frames);
    }

    /// <summary>A packet of more than dqo_tx_max (0x3ffff) bytes, in 17 buffers of 16 000.</summary>
    [Fact]
    public void Dqo_Tso_BeyondDqoTxMax_IsRefused()
    {
        byte[] frame = new byte[17 * 16000];
        Frames.Tcp6(100).AsSpan(0, 74).CopyTo(frame);
        var (dev, bad) = SendDqoTso(frame, 1400, 74, frame.Length - 74);
        Assert.Contains("the packet is larger than 262143 bytes (dqo_tx_max)", Assert.Single(bad).Detail);
        Assert.Empty(dev.Wire.Frames);
    }

    /// <summary>tx_max_data_descs: 100-byte buffers put a 1000-byte segment over 11 of them, plus the header: 12.</summary>
    [Fact]
    public void Dqo_Tso_SegmentOverMoreThanTenDescriptors_IsRefused()
    {
        byte[] frame = Frames.Tcp6(2000);
        var (dev, bad) = SendDqoTso(frame, 1000, 74, 2000, split: 100);
        string detail = Assert.Single(bad).Detail;
        Assert.Contains("segment 0 spans 12 data descriptors (the header counted once), more than 10 (tx_max_data_descs)", detail);
        Assert.Empty(dev.Wire.Frames);
    }

    /// <summary>A segment larger than the MTU allows: the device refuses each such frame (BadFrameLength).</summary>
    [Fact]
    public void Dqo_Tso_SegmentsBeyondTheMtu_AreRefused()
    {
        byte[] frame = Frames.Tcp6(4000);
        var (dev, bad) = SendDqoTso(frame, 1500, 74, 4000);
        Assert.Empty(bad);
        ProtocolViolation[] length = dev.Violations.Where(v => v.Kind == ViolationKind.BadFrameLength).ToArray();
        Assert.Equal(2, length.Length); // two full segments of 1574 bytes; the last (1074) goes
        Assert.Contains("frame of 1574 bytes", length[0].Detail);
        Assert.Single(dev.Wire.Frames);
    }

    /// <summary>checksum_offload_enable without TSO: the device computes the checksum the driver left as anything.</summary>
    [Fact]
    public void Dqo_ChecksumOffload_FillsTheChecksum()
    {
        var (dev, drv, tx) = UpDqo();
        byte[] frame = Frames.Udp4(300, udpChecksum: 0xBEEF);
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        Pkt(tx, 0, buf.DeviceAddress, frame.Length, eop: true);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 1);
        Assert.True(Frames.L4ChecksumValid(Assert.Single(dev.Wire.Frames).Data));
        Assert.Empty(dev.Violations);
    }

    // ---- GQI ----

    /// <summary>
    /// Posts <paramref name="frame"/> as a GQI TSO packet: the headers (74 bytes) in the packet descriptor, the payload in
    /// two segment descriptors; <paramref name="tamper"/> changes the descriptors before the doorbell.
    /// </summary>
    private static (SimulatedGvnic Device, ProtocolViolation[] Bad) SendGqiTso(byte[] frame, int header, TxdType type, TamperGqi tamper)
    {
        var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiRda();
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        Span<byte> ring = tx.Ring.Span;
        ref TxDesc p = ref TxDesc.AsRef(ring.Slice(0, 16));
        p.Pkt.Type = type;
        p.Pkt.L4Csum = true;
        p.Pkt.L4HdrOffset = (byte)(frame[12] == 0x86 ? 27 : 17);
        p.Pkt.L4CsumOffset = 8;
        p.Pkt.DescCnt = 3;
        p.Pkt.Len = (ushort)frame.Length;
        p.Pkt.SegLen = (ushort)header;
        p.Pkt.SegAddr = buf.DeviceAddress;
        int half = (frame.Length - header) / 2;
        for (int i = 0; i < 2; i++)
        {
            ref TxDesc s = ref TxDesc.AsRef(ring.Slice(16 * (1 + i), 16));
            s.Seg.Type = TxdType.Seg;
            s.Seg.Ipv6 = frame[12] == 0x86;
            s.Seg.Mss = 1000;
            s.Seg.L3Offset = 7;
            s.Seg.SegLen = (ushort)(i == 0 ? half : frame.Length - header - half);
            s.Seg.SegAddr = buf.DeviceAddress + (ulong)(header + i * half);
        }
        tamper(ref TxDesc.AsRef(ring.Slice(0, 16)), ref TxDesc.AsRef(ring.Slice(16, 16)), ref TxDesc.AsRef(ring.Slice(32, 16)));
        drv.Bar2.WriteDoorbell((int)tx.DbIndex, 3);
        Assert.Equal(3u, drv.Counter(tx.CounterIndex)); // completed either way
        return (dev, dev.Violations.Where(v => v.Kind == ViolationKind.BadDescriptor).ToArray());
    }

    public delegate void TamperGqi(ref TxDesc packet, ref TxDesc first, ref TxDesc second);

    [Fact]
    public void Gqi_Tso_AsUpstreamFillsIt_IsSegmented()
    {
        var (dev, bad) = SendGqiTso(Frames.Tcp6(2500), 74, TxdType.Tso, (ref TxDesc p, ref TxDesc a, ref TxDesc b) => { });
        Assert.Empty(bad);
        Assert.Equal(3, dev.Wire.Frames.Count);
        Assert.All(dev.Wire.Frames, f => Assert.True(Frames.L4ChecksumValid(f.Data)));
    }

    public static TheoryData<string, TamperGqi> GqiTamperings() => new()
    {
        { "l3_offset 6 puts the IP header at byte 12 but it is at byte 14", (ref TxDesc p, ref TxDesc a, ref TxDesc b) => { a.Seg.L3Offset = 6; b.Seg.L3Offset = 6; } },
        { "the segment descriptors' ipv6 flag is False but the frame is Ipv6", (ref TxDesc p, ref TxDesc a, ref TxDesc b) => { a.Seg.Ipv6 = false; b.Seg.Ipv6 = false; } },
        { "l4_hdr_offset 26 puts the TCP header at byte 52 but it is at byte 54", (ref TxDesc p, ref TxDesc a, ref TxDesc b) => p.Pkt.L4HdrOffset = 26 },
        { "l4_csum_offset 3 is not the TCP checksum field", (ref TxDesc p, ref TxDesc a, ref TxDesc b) => p.Pkt.L4CsumOffset = 3 },
        { "of a TSO packet says ipv6 True, l3_offset 7, mss 999 but the packet's first segment descriptor said True, 7, 1000", (ref TxDesc p, ref TxDesc a, ref TxDesc b) => b.Seg.Mss = 999 },
        { "of a TSO packet says ipv6 True, l3_offset 8, mss 1000", (ref TxDesc p, ref TxDesc a, ref TxDesc b) => b.Seg.L3Offset = 8 },
        { "has no segment descriptor with an MSS", (ref TxDesc p, ref TxDesc a, ref TxDesc b) => { a.Seg.Mss = 0; b.Seg.Mss = 0; } },
    };

    [Theory]
    [MemberData(nameof(GqiTamperings))]
    public void Gqi_Tso_DescriptorsThatDisagreeWithTheFrame_AreRefused(string problem, TamperGqi tamper)
    {
        var (dev, bad) = SendGqiTso(Frames.Tcp6(2500), 74, TxdType.Tso, tamper);
        Assert.Contains(problem, Assert.Single(bad).Detail);
        Assert.Empty(dev.Wire.Frames);
    }

    [Fact]
    public void Gqi_Tso_OfUdp_IsRefused()
    {
        byte[] udp = Frames.Udp4(2500);
        var (dev, bad) = SendGqiTso(udp, 42, TxdType.Tso, (ref TxDesc p, ref TxDesc a, ref TxDesc b) => { a.Seg.L3Offset = 7; b.Seg.L3Offset = 7; });
        Assert.Contains("the frame is not an unfragmented TCP segment over IPv4/IPv6", Assert.Single(bad).Detail);
        Assert.Empty(dev.Wire.Frames);
    }

    /// <summary>A GQI checksum offload (no TSO) whose offsets point outside the packet.</summary>
    [Fact]
    public void Gqi_ChecksumOffsetOutsideTheFrame_IsRefused()
    {
        byte[] frame = Frames.Tcp6(100);
        var (dev, bad) = SendGqiTso(frame, 74, TxdType.Std, (ref TxDesc p, ref TxDesc a, ref TxDesc b) => p.Pkt.L4HdrOffset = 255);
        Assert.Contains("asks for a checksum at l4_hdr_offset 510", Assert.Single(bad).Detail);
        Assert.Empty(dev.Wire.Frames);
    }
}
