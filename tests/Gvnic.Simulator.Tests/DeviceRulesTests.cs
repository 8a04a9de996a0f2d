using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Wire;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>Rules real devices enforce that an ideal device would not: ring minimums, event-counter choice, page alignment, RX buffers under load, DQO-QPL addresses.</summary>
public sealed class DeviceRulesTests
{
    private static (SimulatedGvnic Dev, RawDriver Drv) New(SimulatedDeviceConfig? config = null)
    {
        var dev = new SimulatedGvnic(config);
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        return (dev, drv);
    }

    [Fact]
    public void TxRing_Of64_IsRefused_256Accepted_AndTheModifyRingOptionSaysSo()
    {
        var (dev, drv) = New();
        RawDriver.Check(drv.Describe(out DmaRegion descriptor));
        DeviceDescriptor d = DeviceDescriptor.Read(descriptor.Span);
        int off = DeviceDescriptor.Size;
        DeviceOptionModifyRing? ring = null;
        for (int i = 0; i < d.NumDeviceOptions; i++)
        {
            DeviceOption o = DeviceOption.Read(descriptor.Span.Slice(off));
            if (o.OptionId == DevOptId.ModifyRing) ring = DeviceOptionModifyRing.Read(descriptor.Span.Slice(off + DeviceOption.Size));
            off += DeviceOption.Size + o.OptionLength;
        }
        Assert.Equal(256, ring!.Value.MinTxRingSize);
        RawDriver.Check(drv.Configure(QueueFormat.GqiRda));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateTx(0, out _, 64));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateTx(0, out _, 128));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.CreateTx(0, out _, 256));
    }

    [Fact]
    public void Config_ADefaultRingBelowTheMinimum_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SimulatedGvnic(new SimulatedDeviceConfig { TxQueueEntries = 64 }));
        Assert.Contains("TxQueueEntries 64 is below MinTxRingSize 256", e.Message);
        using var ok = new SimulatedGvnic(new SimulatedDeviceConfig { TxQueueEntries = 64, MinTxRingSize = 64 });
    }

    [Fact]
    public void EventCounters_TheDevicePicksAnyItAdvertises_FewerConfiguredFailSomeCreates()
    {
        var (dev, drv) = New(new SimulatedDeviceConfig { Counters = 32 });
        RawDriver.Check(drv.Configure(QueueFormat.GqiRda, numCounters: 16)); // as iPXE did before 59d123658
        var statuses = new List<AdminqStatuses>();
        for (int i = 0; i < 40; i++)
        {
            AdminqStatuses st = drv.CreateTx(0, out RawTxQueue q);
            statuses.Add(st);
            if (st != AdminqStatuses.CommandPassed) continue;
            Assert.InRange(q.CounterIndex, 0u, 15u);
            RawDriver.Check(drv.Execute((ref AdminqCommand c) => { c.Opcode = AdminqOpcodes.DestroyTxQueue; c.DestroyTxQueue.QueueId = 0; }));
        }
        Assert.All(statuses, s => Assert.True(s is AdminqStatuses.CommandPassed or AdminqStatuses.CommandErrorFailedPrecondition));
        Assert.InRange(statuses.Count(s => s == AdminqStatuses.CommandErrorFailedPrecondition), 8, 32); // about half
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void EventCounters_AllConfigured_EveryCreatePasses_WithDistinctCounters()
    {
        var (dev, drv) = New(new SimulatedDeviceConfig { Counters = 32 });
        RawDriver.Check(drv.Configure(QueueFormat.GqiRda, numCounters: 32));
        var counters = new List<uint>();
        for (uint q = 0; q < 4; q++)
        {
            RawDriver.Check(drv.CreateTx(q, out RawTxQueue t));
            RawDriver.Check(drv.CreateRx(q, out RawRxQueue r, ntfy: 1));
            counters.Add(t.CounterIndex);
            counters.Add(r.CounterIndex);
        }
        Assert.Equal(8, counters.Distinct().Count());
        Assert.All(counters, c => Assert.InRange(c, 0u, 31u));
    }

    [Fact]
    public void EventCounters_Fixed_WhenTheDeviceDoesNotChoose()
    {
        var (_, drv) = New(new SimulatedDeviceConfig { DeviceChoosesEventCounters = false });
        RawDriver.Check(drv.Configure(QueueFormat.GqiRda));
        RawDriver.Check(drv.CreateTx(0, out RawTxQueue t0));
        RawDriver.Check(drv.CreateTx(1, out RawTxQueue t1, ntfy: 1));
        RawDriver.Check(drv.CreateRx(0, out RawRxQueue r0, ntfy: 2));
        Assert.Equal((0u, 1u, 4u), (t0.CounterIndex, t1.CounterIndex, r0.CounterIndex));
    }

    [Fact]
    public void DmaStructures_MustStartOnAPage()
    {
        var (dev, drv) = New();
        RawDriver.Check(drv.Configure(QueueFormat.GqiRda));
        DmaRegion big = drv.Dma.Allocate(3 * 4096);
        DmaRegion res = drv.Dma.Allocate(64);
        AdminqStatuses st = drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.CreateTxQueue;
            c.CreateTxQueue.QueueId = 0;
            c.CreateTxQueue.QueueResourcesAddr = res.DeviceAddress;
            c.CreateTxQueue.TxRingAddr = big.DeviceAddress + 64; // inside the region, but not on a page
            c.CreateTxQueue.QueuePageListId = GvnicConstants.RawAddressingQplId;
            c.CreateTxQueue.TxRingSize = 256;
        });
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, st);
        ProtocolViolation v = Assert.Single(dev.Violations);
        Assert.Equal(ViolationKind.MisalignedDma, v.Kind);
        Assert.Contains("TX queue 0 descriptor ring", v.Detail);
        Assert.Equal(0, dev.TxQueueCount);
    }

    [Fact]
    public void DmaStructures_Ideal_AcceptsAnyAlignment()
    {
        var (dev, drv) = New(SimulatedDeviceConfig.Ideal);
        RawDriver.Check(drv.Configure(QueueFormat.GqiRda));
        DmaRegion big = drv.Dma.Allocate(3 * 4096);
        DmaRegion res = drv.Dma.Allocate(64);
        RawDriver.Check(drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.CreateTxQueue;
            c.CreateTxQueue.QueueResourcesAddr = res.DeviceAddress;
            c.CreateTxQueue.TxRingAddr = big.DeviceAddress + 64;
            c.CreateTxQueue.QueuePageListId = GvnicConstants.RawAddressingQplId;
            c.CreateTxQueue.TxRingSize = 256;
        }));
        Assert.Empty(dev.Violations);
    }

    [Theory]
    [InlineData(32, 13)]
    [InlineData(64, 0)]
    public void RxBuffers_FewerThan64_DropFramesUnderLoad(int posted, int dropped)
    {
        var clock = new FakeTimeProvider();
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { TimeProvider = clock });
        var drv = new RawDriver(dev);
        var (_, rx) = drv.BringUpGqiRda();
        drv.PostGqiRx(rx, posted);
        var outcomes = new List<RxOutcome>();
        for (int i = 0; i < 20; i++) outcomes.Add(dev.InjectFrame(Frames.NonIp(100)).Outcome); // a burst: 20 frames at once
        Assert.Equal(dropped, outcomes.Count(o => o == RxOutcome.DroppedUnderLoad));
        Assert.Equal(dropped, dev.RxStatistics(0).LoadDrops);
        if (dropped > 0) Assert.All(outcomes.Take(7), o => Assert.Equal(RxOutcome.Delivered, o)); // the first frames of a burst pass

        clock.Advance(TimeSpan.FromMilliseconds(5));
        for (int i = 0; i < 4; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1)); // one frame a millisecond is no load
            Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(Frames.NonIp(100)).Outcome);
        }
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void DqoQpl_DescriptorsCarryRawAddresses_AQplOffsetIsAViolation()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoQpl));
        RawDriver.Check(drv.RegisterQpl(0, 16, out DmaRegion txQpl));
        RawDriver.Check(drv.RegisterQpl(1, 64, out DmaRegion rxQpl));
        RawDriver.Check(drv.CreateTx(0, out RawTxQueue tx, 256, 0, txQpl, dqo: true));
        RawDriver.Check(drv.CreateRx(0, out RawRxQueue rx, 256, 1, rxQpl, ntfy: 1, dqo: true));
        // GQI-QPL style: an offset into the page list (here page 1) instead of the page's DMA address (iPXE f5ca1de73).
        ref RxDescDqo b = ref RxDescDqo.AsRef(rx.Data.Span.Slice(0, 32));
        b.BufId = 0;
        b.BufAddr = 4096;
        drv.Bar2.WriteDoorbellDqo((int)rx.DbIndex, 1);
        Frames.NonIp(60).CopyTo(txQpl.Span.Slice(4096));
        ref TxPktDescDqo t = ref TxPktDescDqo.AsRef(tx.Ring.Span.Slice(0, 16));
        t.Dtype = TxDescDtypeDqo.Packet;
        t.BufAddr = 4096;
        t.BufSize = 60;
        t.EndOfPacket = true;
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 1);
        ProtocolViolation[] v = dev.Violations.ToArray();
        Assert.Equal(2, v.Length);
        Assert.All(v, x => Assert.Equal(ViolationKind.QplOffsetOutOfRange, x.Kind));
        Assert.Contains("RX queue 0", v[0].Detail);
        Assert.Contains("TX queue 0", v[1].Detail);
        Assert.Empty(dev.Wire.Frames);

        // The page's DMA address is right.
        t.BufAddr = txQpl.DeviceAddress + 4096;
        TxPktDescDqo.AsRef(tx.Ring.Span.Slice(16, 16)) = t;
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 2);
        Assert.Single(dev.Wire.Frames);
        Assert.Equal(2, dev.Violations.Count);
    }
}
