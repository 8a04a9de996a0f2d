using System;
using Gvnic.Platform;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// DQO completion write-back (iPXE d2e1e591a, measured on GCE): the device holds TX and RX completions in a 128-byte line
/// per completion ring (16 TX or 4 RX completions) and writes them to host memory only when the line fills or when the
/// ring's notification block fires through an enabled MSI-X vector.
/// </summary>
public sealed class CompletionWriteBackTests
{
    private static (SimulatedGvnic Dev, RawDriver Drv, RawTxQueue Tx, RawRxQueue Rx) Up(SimulatedDeviceConfig? config = null, bool vectors = true)
    {
        var dev = new SimulatedGvnic(config);
        var drv = new RawDriver(dev);
        if (!vectors) dev.Interrupts.Disable();
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoRda));
        RawDriver.Check(drv.CreateTx(0, out RawTxQueue tx, 256, dqo: true));
        RawDriver.Check(drv.CreateRx(0, out RawRxQueue rx, 256, ntfy: 1, dqo: true));
        return (dev, drv, tx, rx);
    }

    private static void Send(RawDriver drv, RawTxQueue tx, DmaRegion buf, int index)
    {
        Span<byte> slot = tx.Ring.Span.Slice(index * 16, 16);
        slot.Clear();
        ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(slot);
        d.Dtype = TxDescDtypeDqo.Packet;
        d.BufAddr = buf.DeviceAddress;
        d.BufSize = 64;
        d.ComplTag = (ushort)(100 + index);
        d.EndOfPacket = true;
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, (uint)(index + 1));
    }

    private static DmaRegion Frame(RawDriver drv)
    {
        DmaRegion buf = drv.Dma.Allocate(64);
        Frames.NonIp(64).CopyTo(buf.Span);
        return buf;
    }

    private static bool TxVisible(RawTxQueue tx, int index) => TxComplDesc.Read(tx.ComplRing!.Span.Slice(index * 8, 8)).Generation;

    private static bool RxVisible(RawRxQueue rx, int index) => RxComplDescDqo.Read(rx.Desc.Span.Slice(index * 32, 32)).Generation;

    private static void PostRx(RawDriver drv, RawRxQueue rx, int count)
    {
        for (int i = 0; i < count; i++)
        {
            ref RxDescDqo d = ref RxDescDqo.AsRef(rx.Data.Span.Slice(i * 32, 32));
            d.BufId = (ushort)i;
            d.BufAddr = drv.Dma.Allocate(2048).DeviceAddress;
        }
        drv.Bar2.WriteDoorbellDqo((int)rx.DbIndex, (uint)count);
    }

    [Fact]
    public void Tx_CompletionsWaitInTheLine_UntilSixteenFillIt()
    {
        var (dev, drv, tx, _) = Up();
        DmaRegion buf = Frame(drv);
        for (int i = 0; i < 15; i++) Send(drv, tx, buf, i);
        Assert.Equal(15, dev.Wire.Frames.Count); // the frames left; their completions did not
        for (int i = 0; i < 15; i++) Assert.False(TxVisible(tx, i));
        Assert.Equal(15, dev.DqoTxCounters(0).CompletionsInLine);
        Assert.Equal(15, dev.DqoTxCounters(0).PacketCompletions);

        Send(drv, tx, buf, 15); // the 16th fills the 128-byte line: all of it is written
        for (int i = 0; i < 16; i++) Assert.True(TxVisible(tx, i));
        Assert.Equal(115, TxComplDesc.Read(tx.ComplRing!.Span.Slice(15 * 8, 8)).CompletionTag);
        Assert.Equal(0, dev.DqoTxCounters(0).CompletionsInLine);

        Send(drv, tx, buf, 16); // the next line starts held again
        Assert.False(TxVisible(tx, 16));
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Tx_AFiringBlockWritesThePartialLine_WhichKeepsCollecting()
    {
        var (dev, drv, tx, _) = Up();
        DmaRegion buf = Frame(drv);
        for (int i = 0; i < 3; i++) Send(drv, tx, buf, i);
        Assert.False(TxVisible(tx, 0));
        drv.RearmDqo(0); // the block fires: the three completions are written
        Assert.True(dev.Interrupts.TryConsume(0));
        for (int i = 0; i < 3; i++) Assert.True(TxVisible(tx, i));
        Send(drv, tx, buf, 3); // the block masked itself when it fired: this one waits in the line
        Assert.False(TxVisible(tx, 3));
        Assert.True(dev.NotificationBlocks[0].Pending);
        drv.RearmDqo(0);
        Assert.True(TxVisible(tx, 3));
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Tx_ArmedBlock_FiresOnTheCompletion_WhichIsThenWrittenAtOnce()
    {
        var (dev, drv, tx, _) = Up();
        DmaRegion buf = Frame(drv);
        drv.RearmDqo(0); // nothing pending: the block stays armed
        Assert.False(dev.NotificationBlocks[0].Masked);
        Send(drv, tx, buf, 0);
        Assert.True(TxVisible(tx, 0));
        Assert.True(dev.Interrupts.TryConsume(0));
        Assert.True(dev.NotificationBlocks[0].Masked);
    }

    [Fact]
    public void Rx_ALoneFrameStaysInTheDevice_UntilThreeMoreFillTheLine()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var (dev, drv, _, rx) = Up(new SimulatedDeviceConfig { TimeProvider = clock });
        PostRx(drv, rx, 64);
        Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(Frames.Udp4(100)).Outcome); // a DHCP offer, say
        Assert.False(RxVisible(rx, 0));
        Assert.Equal(1, dev.DqoRxCounters(0).CompletionsInLine);
        for (int i = 1; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10)); // low traffic: nothing else writes it out
            dev.InjectFrame(Frames.Udp4(100));
            Assert.False(RxVisible(rx, 0));
        }
        dev.InjectFrame(Frames.Udp4(100)); // the fourth 32-byte completion fills the line
        for (int i = 0; i < 4; i++) Assert.True(RxVisible(rx, i));
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Rx_AFireWritesTheLoneCompletion()
    {
        var (dev, drv, _, rx) = Up();
        PostRx(drv, rx, 64);
        dev.InjectFrame(Frames.Udp4(100));
        Assert.False(RxVisible(rx, 0));
        drv.RearmDqo(1);
        Assert.True(RxVisible(rx, 0));
        Assert.Equal(1, dev.NotificationBlocks[1].Fired);
    }

    [Fact]
    public void WithoutAnEnabledVector_TheBlockCannotFire_AndNothingIsWrittenBack()
    {
        var (dev, drv, tx, rx) = Up(vectors: false);
        DmaRegion buf = Frame(drv);
        PostRx(drv, rx, 64);
        Send(drv, tx, buf, 0);
        dev.InjectFrame(Frames.Udp4(100));
        drv.RearmDqo(0);
        drv.RearmDqo(1);
        Assert.False(TxVisible(tx, 0));
        Assert.False(RxVisible(rx, 0));
        Assert.True(dev.NotificationBlocks[0].Suppressed > 0);
        Assert.Equal(0, dev.NotificationBlocks[0].Fired);
        Assert.False(dev.NotificationBlocks[0].Masked); // still armed, the work still pending

        dev.Interrupts.Enable(dev.Interrupts.VectorCount); // a polling driver enables its vectors without waiting on them
        drv.RearmDqo(0);
        drv.RearmDqo(1);
        Assert.True(TxVisible(tx, 0));
        Assert.True(RxVisible(rx, 0));
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Ideal_WritesEveryCompletionAtOnce()
    {
        var (dev, drv, tx, rx) = Up(SimulatedDeviceConfig.Ideal);
        DmaRegion buf = Frame(drv);
        PostRx(drv, rx, 4);
        Send(drv, tx, buf, 0);
        dev.InjectFrame(Frames.Udp4(100));
        Assert.True(TxVisible(tx, 0));
        Assert.True(RxVisible(rx, 0));
        Assert.Equal(0, dev.DqoTxCounters(0).CompletionsInLine);
    }

    [Fact]
    public void Config_LineSizeMustHoldWholeRxCompletions()
    {
        Assert.Throws<ArgumentException>(() => new SimulatedGvnic(new SimulatedDeviceConfig { DqoCompletionLineBytes = 48 }));
        Assert.Throws<ArgumentException>(() => new SimulatedGvnic(new SimulatedDeviceConfig { DqoCompletionLineBytes = 16 }));
        using var ok = new SimulatedGvnic(new SimulatedDeviceConfig { DqoCompletionLineBytes = 256 });
    }
}
