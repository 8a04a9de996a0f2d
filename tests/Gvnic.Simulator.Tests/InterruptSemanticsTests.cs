using System;
using Gvnic.Platform;
using Gvnic.Wire;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// Notification blocks as upstream describes them (Linux's comments, as iPXE d2e1e591a reads them): a block fires once and
/// stays masked until re-armed, work completed meanwhile is remembered and fires on the re-arm, and the DQO throttling
/// interval spaces the interrupts on the device clock.
/// </summary>
public sealed class InterruptSemanticsTests
{
    [Fact]
    public void Gqi_BlockFiresOnce_StaysMasked_AndAckEventDeliversWhatCameMeanwhile()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiQpl(); // blocks unmasked (0 written)
        int irq = (int)drv.IrqDoorbellIndex(0);
        drv.SendGqi(tx, Frames.NonIp(60));
        Assert.True(dev.Interrupts.TryConsume(0));
        Assert.True(dev.NotificationBlocks[0].Masked);

        drv.SendGqi(tx, Frames.NonIp(60));
        drv.SendGqi(tx, Frames.NonIp(60));
        Assert.False(dev.Interrupts.TryConsume(0)); // fired once; not again before the re-arm
        Assert.True(dev.NotificationBlocks[0].Pending);
        Assert.Equal(1, dev.NotificationBlocks[0].Fired);

        drv.Bar2.WriteIrqDoorbell(irq, IrqDoorbellBits.Ack | IrqDoorbellBits.Event);
        Assert.True(dev.Interrupts.TryConsume(0)); // the remembered work fires at once
        Assert.Equal(2, dev.NotificationBlocks[0].Fired);
        Assert.False(dev.NotificationBlocks[0].Pending);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Gqi_IdealBlocks_FireOnEveryCompletionWhileUnmasked()
    {
        using var dev = new SimulatedGvnic(SimulatedDeviceConfig.Ideal);
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiQpl();
        drv.SendGqi(tx, Frames.NonIp(60));
        drv.SendGqi(tx, Frames.NonIp(60));
        Assert.Equal(2, dev.NotificationBlocks[0].Fired);
        Assert.False(dev.NotificationBlocks[0].Masked);
    }

    /// <summary>A DQO device on <paramref name="clock"/> with TX queue 0 on block 0, whose ITR interval is 50 µs.</summary>
    private static (SimulatedGvnic Dev, RawDriver Drv, Action Send) DqoWithItr(FakeTimeProvider clock, ExecutionMode mode)
    {
        var dev = new SimulatedGvnic(new SimulatedDeviceConfig { TimeProvider = clock, Execution = mode });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoRda));
        RawDriver.Check(drv.CreateTx(0, out RawTxQueue tx, 256, dqo: true));
        drv.Bar2.WriteIrqDoorbellDqo((int)drv.IrqDoorbellIndex(0), new ItrDoorbellDqo { Enable = true, Interval = 25 }); // 50 µs
        DmaRegion buf = drv.Dma.Allocate(64);
        Frames.NonIp(64).CopyTo(buf.Span);
        int next = 0;
        void Send()
        {
            Span<byte> slot = tx.Ring.Span.Slice(next * 16, 16);
            slot.Clear();
            ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(slot);
            d.Dtype = TxDescDtypeDqo.Packet;
            d.BufAddr = buf.DeviceAddress;
            d.BufSize = 64;
            d.ComplTag = (ushort)next;
            d.EndOfPacket = true;
            next++;
            drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, (uint)next);
            if (mode == ExecutionMode.Manual) dev.RunPending();
        }
        return (dev, drv, Send);
    }

    [Fact]
    public void DqoItr_SpacesInterrupts_TheDeferredFireComesWhenTheClockReachesIt()
    {
        var clock = new FakeTimeProvider();
        var (dev, drv, send) = DqoWithItr(clock, ExecutionMode.Synchronous);
        send();
        Assert.True(dev.Interrupts.TryConsume(0)); // the first interrupt comes at once
        clock.Advance(TimeSpan.FromMicroseconds(10));
        drv.RearmDqo(0);
        send();
        Assert.False(dev.Interrupts.TryConsume(0)); // 10 µs after the last: the interval holds it back
        Assert.Equal(1, dev.NotificationBlocks[0].Deferred);
        clock.Advance(TimeSpan.FromMicroseconds(39));
        Assert.False(dev.Interrupts.TryConsume(0));
        clock.Advance(TimeSpan.FromMicroseconds(1)); // 50 µs after the first: the device's timer fires it
        Assert.True(dev.Interrupts.TryConsume(0));
        Assert.Equal(2, dev.NotificationBlocks[0].Fired);

        clock.Advance(TimeSpan.FromMicroseconds(200));
        drv.RearmDqo(0);
        send();
        Assert.True(dev.Interrupts.TryConsume(0)); // long after the last one: at once
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void DqoItr_ManualMode_DeferredFireWaitsForAWellDefinedPoint()
    {
        var clock = new FakeTimeProvider();
        var (dev, drv, send) = DqoWithItr(clock, ExecutionMode.Manual);
        send();
        Assert.True(dev.Interrupts.TryConsume(0));
        drv.RearmDqo(0);
        send();
        clock.Advance(TimeSpan.FromMilliseconds(1)); // no timer in manual mode: the fire waits
        Assert.False(dev.Interrupts.TryConsume(0));
        Assert.Equal(1, dev.RunDueWork());
        Assert.True(dev.Interrupts.TryConsume(0));
    }

    [Fact]
    public void DqoItr_DueWorkAlsoRunsOnARegisterAccess()
    {
        var clock = new FakeTimeProvider();
        var (dev, drv, send) = DqoWithItr(clock, ExecutionMode.Manual);
        send();
        Assert.True(dev.Interrupts.TryConsume(0));
        drv.RearmDqo(0);
        send();
        clock.Advance(TimeSpan.FromMicroseconds(50));
        drv.Bar0.ReadDeviceStatus();
        Assert.True(dev.Interrupts.TryConsume(0));
    }

    [Fact]
    public void DqoItr_WithoutSpacing_OnlyRecordsTheInterval()
    {
        var clock = new FakeTimeProvider();
        var dev = new SimulatedGvnic(new SimulatedDeviceConfig { TimeProvider = clock, DqoItrSpacing = false });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoRda));
        RawDriver.Check(drv.CreateTx(0, out RawTxQueue tx, 256, dqo: true));
        drv.Bar2.WriteIrqDoorbellDqo((int)drv.IrqDoorbellIndex(0), new ItrDoorbellDqo { Enable = true, Interval = 25 });
        DmaRegion buf = drv.Dma.Allocate(64);
        Frames.NonIp(64).CopyTo(buf.Span);
        for (int i = 0; i < 2; i++)
        {
            ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(tx.Ring.Span.Slice(i * 16, 16));
            d.Dtype = TxDescDtypeDqo.Packet;
            d.BufAddr = buf.DeviceAddress;
            d.BufSize = 64;
            d.EndOfPacket = true;
            drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, (uint)(i + 1));
            Assert.True(dev.Interrupts.TryConsume(0));
            drv.RearmDqo(0);
        }
        Assert.Equal(50, dev.DqoItrIntervalMicroseconds(0));
        Assert.Equal(0, dev.NotificationBlocks[0].Deferred);
    }
}
