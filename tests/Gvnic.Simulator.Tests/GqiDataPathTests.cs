using System;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

public sealed class GqiDataPathTests
{
    [Fact]
    public void QplTx_TwoSegmentsAcrossAPageBoundary_ReachTheWireByteForByte()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiQpl();
        // Put the first packet near the end of page 0 so its bytes cross into page 1.
        byte[] filler = Frames.NonIp(1400);
        drv.SendGqi(tx, filler);
        drv.SendGqi(tx, filler);
        byte[] frame = Frames.Udp4(1350, seed: 7); // QPL bytes 2800..4192: crosses into page 1
        drv.SendGqi(tx, frame, new[] { 42, frame.Length - 42 });
        WireFrame[] sent = dev.Wire.Frames.Where(f => f.Direction == FrameDirection.Transmit).ToArray();
        Assert.Equal(3, sent.Length);
        Assert.Equal(filler, sent[0].Data);
        Assert.Equal(frame, sent[2].Data);
        Assert.Equal(0, sent[2].Queue);
        Assert.Equal(4u, drv.Counter(tx.CounterIndex));
        Assert.Equal(3, dev.TxStatistics(0).Frames);
        Assert.Equal(2 * filler.Length + frame.Length, dev.TxStatistics(0).Bytes);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void RdaTx_ReachesTheWire()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiRda();
        byte[] frame = Frames.Tcp6(500);
        drv.SendGqi(tx, frame, new[] { 74, 200, 300 });
        Assert.Equal(frame, Assert.Single(dev.Wire.Frames).Data);
        Assert.Equal(3u, drv.Counter(tx.CounterIndex));
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Tx_RingWrapsAround()
    {
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { MinTxRingSize = 64 }); // a device whose modify-ring option allows 64 entries
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiQpl(ring: 64);
        for (int i = 0; i < 150; i++) drv.SendGqi(tx, Frames.Udp4(60, seed: (byte)i), new[] { 42, 60 }, ringSize: 64);
        Assert.Equal(300u, drv.Counter(tx.CounterIndex));
        WireFrame[] frames = dev.Wire.Frames.ToArray();
        Assert.Equal(150, frames.Length);
        Assert.Equal(Frames.Udp4(60, seed: 149), frames[149].Data);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Tx_L4ChecksumOffload_CompletesThePartialChecksum()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiRda();
        byte[] frame = Frames.Udp4(33);
        // The driver leaves the pseudo-header sum (CHECKSUM_PARTIAL) in the UDP checksum field.
        uint pseudo = (uint)Frames.Sum(frame.AsSpan(26, 8)) + 17 + (uint)(8 + 33);
        while (pseudo >> 16 != 0) pseudo = (pseudo & 0xFFFF) + (pseudo >> 16);
        frame[40] = (byte)(pseudo >> 8);
        frame[41] = (byte)pseudo;
        drv.PostGqiTx(tx, frame, l4Csum: true, l4HdrOffset: 34, l4CsumOffset: 6);
        drv.RingTx(tx);
        byte[] wire = Assert.Single(dev.Wire.Frames).Data;
        Assert.True(Frames.L4ChecksumValid(wire));
        Assert.Equal(frame.AsSpan(0, 40).ToArray(), wire.AsSpan(0, 40).ToArray());
    }

    [Fact]
    public void QplRx_WritesPadLenSeqnoAndFlags()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (_, rx) = drv.BringUpGqiQpl();
        drv.PostGqiRx(rx, 8);
        byte[] frame = Frames.Udp4(200, seed: 3);
        Assert.Equal(new RxResult(0, RxOutcome.Delivered), dev.InjectFrame(frame));
        RxDesc d = drv.RxDescAt(rx, 0);
        Assert.Equal(frame.Length + 2, d.Len);
        Assert.Equal(1, d.Seqno);
        Assert.True(d.Ipv4);
        Assert.True(d.Udp);
        Assert.False(d.Tcp);
        Assert.False(d.Ipv6);
        Assert.False(d.Frag);
        Assert.False(d.PacketCont);
        ReadOnlySpan<byte> buf = drv.RxBufferAt(rx, 0, frame.Length + 2);
        Assert.Equal(new byte[] { 0, 0 }, buf.Slice(0, 2).ToArray());
        Assert.Equal(frame, buf.Slice(2).ToArray());
        Assert.NotEqual(0, d.Csum);
        Assert.Equal(1, dev.RxStatistics(0).Frames);

        byte[] tcp6 = Frames.Tcp6(10);
        dev.InjectFrame(tcp6);
        RxDesc d2 = drv.RxDescAt(rx, 1);
        Assert.Equal(2, d2.Seqno);
        Assert.True(d2.Ipv6);
        Assert.True(d2.Tcp);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Rx_SeqnoCycles1To7_AndTheRingWraps()
    {
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { MinTxRingSize = 64 }); // a device whose modify-ring option allows 64 entries
        var drv = new RawDriver(dev);
        var (_, rx) = drv.BringUpGqiQpl(ring: 64);
        drv.PostGqiRx(rx, 64, ringSize: 64);
        var seqs = new System.Collections.Generic.List<int>();
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(Frames.NonIp(60 + i % 10)).Outcome);
            RxDesc d = drv.RxDescAt(rx, i % 64);
            seqs.Add(d.Seqno);
            Assert.Equal(60 + i % 10 + 2, d.Len);
            drv.PostGqiRx(rx, 1, ringSize: 64);
        }
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 1, 2 }, seqs.Take(9).ToArray());
        Assert.DoesNotContain(0, seqs);
        Assert.Equal(200, dev.RxStatistics(0).Frames);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Rx_WithoutBuffers_DropsAndCounts()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (_, rx) = drv.BringUpGqiQpl();
        drv.PostGqiRx(rx, 1);
        Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(Frames.NonIp(64)).Outcome);
        Assert.Equal(RxOutcome.DroppedNoBuffers, dev.InjectFrame(Frames.NonIp(64)).Outcome);
        Assert.Equal(RxOutcome.DroppedNoBuffers, dev.InjectFrame(Frames.NonIp(64)).Outcome);
        QueueStatistics s = dev.RxStatistics(0);
        Assert.Equal(1, s.Frames);
        Assert.Equal(2, s.NoBufferDrops);
        Assert.Equal(RxOutcome.DroppedNoBuffers, dev.Wire.Frames[^1].Outcome);
    }

    [Fact]
    public void Rx_FrameOverMtu_IsDroppedAndCounted_AndJumboSpansDescriptors()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (_, rx) = drv.BringUpGqiQpl();
        drv.PostGqiRx(rx, 8);
        Assert.Equal(RxOutcome.DroppedTooLong, dev.InjectFrame(Frames.NonIp(1460 + 18 + 1)).Outcome);
        Assert.Equal(1, dev.RxStatistics(0).OverMruDrops);
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.SetDriverParameter;
            c.SetDriverParameter.ParameterType = SetDriverParamTypes.Mtu;
            c.SetDriverParameter.ParameterValue = 4000;
        }));
        byte[] big = Frames.NonIp(3000);
        Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(big).Outcome);
        RxDesc d0 = drv.RxDescAt(rx, 0), d1 = drv.RxDescAt(rx, 1);
        Assert.True(d0.PacketCont);
        Assert.Equal(2048, d0.Len);
        Assert.False(d1.PacketCont);
        Assert.Equal(3000 - 2046, d1.Len);
        Assert.Equal(big.AsSpan(2046).ToArray(), drv.RxBufferAt(rx, 1, 3000 - 2046).ToArray());
    }

    [Fact]
    public void RdaRx_DeliversIntoTheBufferAddress()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (_, rx) = drv.BringUpGqiRda();
        drv.PostGqiRx(rx, 2);
        byte[] frame = Frames.Udp4(64);
        dev.InjectFrame(frame);
        Assert.Equal(frame, drv.RxBufferAt(rx, 0, frame.Length + 2).Slice(2).ToArray());
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Loopback_TxComesBackOnRx()
    {
        using var dev = new SimulatedGvnic();
        dev.AttachWire(VirtualWire.Loopback());
        var drv = new RawDriver(dev);
        var (tx, rx) = drv.BringUpGqiQpl();
        drv.PostGqiRx(rx, 4);
        byte[] frame = Frames.Udp4(100);
        drv.SendGqi(tx, frame);
        Assert.Equal(frame, drv.RxBufferAt(rx, 0, frame.Length + 2).Slice(2).ToArray());
        WireFrame[] rec = dev.Wire.Frames.ToArray();
        Assert.Equal(FrameDirection.Transmit, rec[0].Direction);
        Assert.Equal(FrameDirection.Receive, rec[1].Direction);
        Assert.Equal(RxOutcome.Delivered, rec[1].Outcome);
    }

    [Fact]
    public void TwoNics_OnACable_ExchangeFrames()
    {
        using var a = new SimulatedGvnic(new SimulatedDeviceConfig { Address = "sim:a" });
        using var b = new SimulatedGvnic(new SimulatedDeviceConfig { Address = "sim:b" });
        VirtualWire cable = VirtualWire.Connect(a, b);
        var da = new RawDriver(a);
        var db = new RawDriver(b);
        var (txa, _) = da.BringUpGqiQpl();
        var (_, rxb) = db.BringUpGqiRda();
        db.PostGqiRx(rxb, 4);
        byte[] frame = Frames.Tcp6(40);
        da.SendGqi(txa, frame);
        Assert.Equal(frame, db.RxBufferAt(rxb, 0, frame.Length + 2).Slice(2).ToArray());
        Assert.Equal(new[] { ("sim:a", FrameDirection.Transmit), ("sim:b", FrameDirection.Receive) },
            cable.Frames.Select(f => (f.Endpoint, f.Direction)).ToArray());
    }

    [Fact]
    public void ResponderWire_AnswersAreDelivered()
    {
        using var dev = new SimulatedGvnic();
        ResponderWire wire = VirtualWire.Responder(f => new[] { f.ToArray().Reverse().ToArray() });
        dev.AttachWire(wire);
        var drv = new RawDriver(dev);
        var (tx, rx) = drv.BringUpGqiQpl();
        drv.PostGqiRx(rx, 4);
        byte[] frame = Frames.NonIp(80);
        drv.SendGqi(tx, frame);
        Assert.Equal(frame.Reverse().ToArray(), drv.RxBufferAt(rx, 0, 82).Slice(2).ToArray());
        Assert.Equal(2, wire.Frames.Count);
    }

    [Fact]
    public void LinkDown_DropsBothWays()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, rx) = drv.BringUpGqiQpl();
        drv.PostGqiRx(rx, 4);
        dev.SetLink(false);
        Assert.Equal(RxOutcome.DroppedNotReady, dev.InjectFrame(Frames.NonIp(60), 0).Outcome);
        drv.SendGqi(tx, Frames.NonIp(60));
        Assert.Equal(1u, drv.Counter(tx.CounterIndex));
        Assert.Equal(1, dev.TxStatistics(0).LinkDownDrops);
        Assert.Equal(1, dev.RxStatistics(0).LinkDownDrops);
        Assert.Empty(dev.Wire.Frames);
    }

    [Fact]
    public void Tso_SegmentsByMss_WithValidChecksums()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiRda();
        byte[] frame = Frames.Tcp6(3000, seq: 5000);
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        Span<byte> ring = tx.Ring.Span;
        ref TxDesc p = ref TxDesc.AsRef(ring.Slice(0, 16));
        p.Pkt.Type = TxdType.Tso;
        p.Pkt.DescCnt = 2;
        p.Pkt.Len = (ushort)frame.Length;
        p.Pkt.SegLen = 74;
        p.Pkt.SegAddr = buf.DeviceAddress;
        ref TxDesc s = ref TxDesc.AsRef(ring.Slice(16, 16));
        s.Seg.Type = TxdType.Seg;
        s.Seg.Ipv6 = true;
        s.Seg.Mss = 1400;
        s.Seg.L3Offset = 7;
        s.Seg.SegLen = (ushort)(frame.Length - 74);
        s.Seg.SegAddr = buf.DeviceAddress + 74;
        drv.Bar2.WriteDoorbell((int)tx.DbIndex, 2);
        WireFrame[] frames = dev.Wire.Frames.ToArray();
        Assert.Equal(new[] { 74 + 1400, 74 + 1400, 74 + 200 }, frames.Select(f => f.Data.Length).ToArray());
        Assert.All(frames, f => Assert.True(Frames.L4ChecksumValid(f.Data)));
        Assert.Equal(frame.AsSpan(74 + 1400, 1400).ToArray(), frames[1].Data.AsSpan(74).ToArray());
        Assert.Equal(2u, drv.Counter(tx.CounterIndex));
        Assert.Empty(dev.Violations);
    }
}
