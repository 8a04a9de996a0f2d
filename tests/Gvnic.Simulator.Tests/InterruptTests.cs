using System;
using System.Threading;
using System.Threading.Tasks;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

public sealed class InterruptTests
{
    [Fact]
    public void BlocksStartMasked_WorkLatchesPending_UnmaskFires()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        drv.Describe(out _);
        drv.Configure(QueueFormat.GqiRda);
        drv.CreateTx(0, out RawTxQueue tx, ntfy: 2);
        drv.SendGqi(tx, Frames.NonIp(60));
        Assert.False(dev.Interrupts.TryConsume(2));
        Assert.True(dev.NotificationBlocks[2].Pending);
        drv.Bar2.WriteIrqDoorbell((int)drv.IrqDoorbellIndex(2), 0);
        Assert.True(dev.Interrupts.TryConsume(2));
        Assert.False(dev.Interrupts.TryConsume(0));
        Assert.Equal(1, dev.NotificationBlocks[2].Fired);
    }

    [Fact]
    public void MaskBit_SuppressesInterrupts_AckEventUnmasks()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiQpl();
        int irq = (int)drv.IrqDoorbellIndex(0);
        drv.SendGqi(tx, Frames.NonIp(60));
        Assert.True(dev.Interrupts.TryConsume(0));
        drv.Bar2.WriteIrqDoorbell(irq, IrqDoorbellBits.Mask);
        drv.SendGqi(tx, Frames.NonIp(60));
        Assert.False(dev.Interrupts.TryConsume(0));
        drv.Bar2.WriteIrqDoorbell(irq, IrqDoorbellBits.Ack | IrqDoorbellBits.Event);
        Assert.True(dev.Interrupts.TryConsume(0));
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public async Task Wait_WakesWhenAFrameArrives()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (_, rx) = drv.BringUpGqiQpl();
        drv.PostGqiRx(rx, 4);
        Task<bool> waiter = Task.Run(() => dev.Interrupts.Wait(0, TimeSpan.FromSeconds(10)));
        Thread.Sleep(20);
        dev.InjectFrame(Frames.NonIp(60));
        Assert.True(await waiter);
        Assert.False(dev.Interrupts.Wait(0, TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void DisabledVectors_DoNotFire()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiQpl();
        dev.Interrupts.Disable();
        drv.SendGqi(tx, Frames.NonIp(60));
        Assert.False(dev.Interrupts.TryConsume(0));
        Assert.Equal(0, dev.InterruptController.RaisedCount(0));
    }

    [Fact]
    public void QueueValueOnAnIrqDoorbell_IsRecorded()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        drv.BringUpGqiQpl();
        drv.Bar2.WriteDoorbell((int)drv.IrqDoorbellIndex(1), 5);
        Assert.Equal(ViolationKind.RegisterAccess, Assert.Single(dev.Violations).Kind);
    }
}
