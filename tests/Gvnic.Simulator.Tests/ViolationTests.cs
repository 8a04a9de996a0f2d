using System;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

public sealed class ViolationTests
{
    private static (SimulatedGvnic, RawDriver, RawTxQueue, RawRxQueue) Up(bool qpl = true, ExecutionMode mode = ExecutionMode.Synchronous)
    {
        var dev = new SimulatedGvnic(new SimulatedDeviceConfig { Execution = mode });
        var drv = new RawDriver(dev);
        var (tx, rx) = qpl ? drv.BringUpGqiQpl() : drv.BringUpGqiRda();
        return (dev, drv, tx, rx);
    }

    [Fact]
    public void DoorbellOverNeverWrittenDescriptors_IsBadDescriptor()
    {
        var (dev, drv, tx, _) = Up();
        drv.Bar2.WriteDoorbell((int)tx.DbIndex, 2);
        ProtocolViolation[] v = dev.Violations.ToArray();
        Assert.Equal(2, v.Length);
        Assert.All(v, x => Assert.Equal(ViolationKind.BadDescriptor, x.Kind));
        Assert.Contains("desc_cnt 0", v[0].Detail);
        Assert.Equal(0, v[0].Queue);
        Assert.Equal(1, v[1].Index);
        Assert.Equal(2u, drv.Counter(tx.CounterIndex));
        Assert.Empty(dev.Wire.Frames);
        Assert.Equal(2, dev.TxStatistics(0).Errors);
    }

    [Fact]
    public void SegmentLengthsThatDoNotAddUp_AreBadDescriptor()
    {
        var (dev, drv, tx, _) = Up();
        byte[] frame = Frames.NonIp(100);
        drv.PostGqiTx(tx, frame, new[] { 50, 50 });
        TxDesc.AsRef(tx.Ring.Span.Slice(16, 16)).Seg.SegLen = 40;
        drv.RingTx(tx);
        ProtocolViolation v = Assert.Single(dev.Violations);
        Assert.Equal(ViolationKind.BadDescriptor, v.Kind);
        Assert.Contains("add up to 90", v.Detail);
        Assert.Empty(dev.Wire.Frames);
    }

    [Fact]
    public void ZeroSegLen_AndDescCntPastTheDoorbell_AreBadDescriptor()
    {
        var (dev, drv, tx, _) = Up();
        drv.PostGqiTx(tx, Frames.NonIp(100), new[] { 60, 40 });
        drv.Bar2.WriteDoorbell((int)tx.DbIndex, 1);
        Assert.Contains("desc_cnt 2 but the doorbell handed over only 1", Assert.Single(dev.Violations).Detail);
    }

    [Fact]
    public void DoorbellBeyondTheRing_AndBackwards_AreRecorded()
    {
        var (dev, drv, tx, rx) = Up();
        drv.Bar2.WriteDoorbell((int)tx.DbIndex, 257);
        drv.Bar2.WriteDoorbell((int)rx.DbIndex, 300);
        Assert.Equal(new[] { ViolationKind.DoorbellBeyondRing, ViolationKind.DoorbellBeyondRing }, dev.Violations.Select(v => v.Kind).ToArray());
        drv.SendGqi(tx, Frames.NonIp(60));
        drv.Bar2.WriteDoorbell((int)tx.DbIndex, 0);
        Assert.Equal(ViolationKind.DoorbellBackwards, dev.Violations[^1].Kind);
    }

    [Fact]
    public void ManualMode_WorkWaitsForStep_AndRingFullIsObservable()
    {
        var (dev, drv, tx, _) = Up(mode: ExecutionMode.Manual);
        for (int i = 0; i < 4; i++) drv.PostGqiTx(tx, Frames.NonIp(60 + i));
        drv.RingTx(tx);
        Assert.Equal(0u, drv.Counter(tx.CounterIndex));
        Assert.True(dev.HasPendingWork);
        Assert.True(dev.Step());
        Assert.Equal(1u, drv.Counter(tx.CounterIndex));
        Assert.Single(dev.Wire.Frames);
        Assert.Equal(3, dev.RunPending());
        Assert.Equal(4u, drv.Counter(tx.CounterIndex));
        Assert.False(dev.Step());
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void ManualMode_DescriptorRewrittenWhileOwned_IsRecorded()
    {
        var (dev, drv, tx, _) = Up(mode: ExecutionMode.Manual);
        drv.PostGqiTx(tx, Frames.NonIp(100));
        drv.RingTx(tx);
        TxDesc.AsRef(tx.Ring.Span.Slice(0, 16)).Pkt.Len = 99;
        dev.RunPending();
        Assert.Contains(dev.Violations, v => v.Kind == ViolationKind.DescriptorRewritten && v.Index == 0);
    }

    [Fact]
    public void ManualMode_RxFramesWaitForStep()
    {
        var (dev, drv, _, rx) = Up(mode: ExecutionMode.Manual);
        drv.PostGqiRx(rx, 2);
        Assert.Equal(RxOutcome.Queued, dev.InjectFrame(Frames.NonIp(60)).Outcome);
        Assert.Equal(0, drv.RxDescAt(rx, 0).Seqno);
        Assert.True(dev.Step());
        Assert.Equal(1, drv.RxDescAt(rx, 0).Seqno);
    }

    [Fact]
    public void RxDataSlotRewrittenWhileOwned_IsRecorded()
    {
        var (dev, drv, _, rx) = Up();
        drv.PostGqiRx(rx, 2);
        RxDataSlot.AsRef(rx.Data.Span).QplOffset = 8192 * 3;
        dev.InjectFrame(Frames.NonIp(60));
        Assert.Equal(ViolationKind.DescriptorRewritten, Assert.Single(dev.Violations).Kind);
    }

    [Fact]
    public void RxBufferRepostedWhileOwned_IsRecorded()
    {
        var (dev, drv, _, rx) = Up();
        drv.PostGqiRx(rx, 1, ring: false);
        RxDataSlot.AsRef(rx.Data.Span.Slice(8)).QplOffset = 0;
        drv.Bar2.WriteDoorbell((int)rx.DbIndex, 2);
        ProtocolViolation v = Assert.Single(dev.Violations);
        Assert.Equal(ViolationKind.BufferReposted, v.Kind);
        Assert.Equal(1, v.Index);
    }

    [Fact]
    public void QplOffsetBeyondThePageList_IsRecorded()
    {
        var (dev, drv, tx, _) = Up();
        ref TxDesc d = ref TxDesc.AsRef(tx.Ring.Span.Slice(0, 16));
        d.Pkt.Type = TxdType.Std;
        d.Pkt.DescCnt = 1;
        d.Pkt.Len = 100;
        d.Pkt.SegLen = 100;
        d.Pkt.SegAddr = 16 * 4096 - 50;
        drv.Bar2.WriteDoorbell((int)tx.DbIndex, 1);
        ProtocolViolation v = Assert.Single(dev.Violations);
        Assert.Equal(ViolationKind.QplOffsetOutOfRange, v.Kind);
        Assert.Empty(dev.Wire.Frames);
        Assert.Equal(1u, drv.Counter(tx.CounterIndex));
    }

    [Fact]
    public void RdaSegmentOutsideMemory_IsNotRead()
    {
        var (dev, drv, tx, _) = Up(qpl: false);
        ref TxDesc d = ref TxDesc.AsRef(tx.Ring.Span.Slice(0, 16));
        d.Pkt.Type = TxdType.Std;
        d.Pkt.DescCnt = 1;
        d.Pkt.Len = 60;
        d.Pkt.SegLen = 60;
        d.Pkt.SegAddr = 0xDEAD_0000;
        drv.Bar2.WriteDoorbell((int)tx.DbIndex, 1);
        Assert.Equal(ViolationKind.DmaOutOfBounds, Assert.Single(dev.Violations).Kind);
        Assert.Empty(dev.Wire.Frames);
    }

    [Fact]
    public void DoorbellNobodyOwns_IsRecorded()
    {
        var (dev, drv, _, _) = Up();
        drv.Bar2.WriteIrqDoorbell(0, 0);
        ProtocolViolation v = Assert.Single(dev.Violations);
        Assert.Equal(ViolationKind.UnknownDoorbell, v.Kind);
        Assert.Equal(0, v.Index);
    }

    [Fact]
    public void OversizeTxFrame_IsRecorded_AndNotSent()
    {
        var (dev, drv, tx, _) = Up(qpl: false);
        drv.SendGqi(tx, Frames.NonIp(1600));
        Assert.Equal(ViolationKind.BadFrameLength, Assert.Single(dev.Violations).Kind);
        Assert.Empty(dev.Wire.Frames);
    }

    [Fact]
    public void CleanBringUpAndTraffic_HasNoViolations()
    {
        var (dev, drv, tx, rx) = Up();
        dev.AttachWire(VirtualWire.Loopback());
        drv.PostGqiRx(rx, 64); // at least 64 buffers: fewer drop frames under load on real devices
        for (int i = 0; i < 10; i++) drv.SendGqi(tx, Frames.Udp4(100 + i));
        Assert.Equal(10, dev.RxStatistics(0).Frames);
        Assert.Empty(dev.Violations);
    }
}
