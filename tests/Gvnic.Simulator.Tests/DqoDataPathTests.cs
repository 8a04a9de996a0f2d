using System;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

public sealed class DqoDataPathTests
{
    private static (SimulatedGvnic, RawDriver, RawTxQueue, RawRxQueue) Up(QueueFormat format = QueueFormat.DqoRda, ushort ring = 64, ushort bufferSize = 2048)
    {
        var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(format));
        DmaRegion? txQpl = null, rxQpl = null;
        uint txId = 0xFFFFFFFF, rxId = 0xFFFFFFFF;
        if (format == QueueFormat.DqoQpl)
        {
            RawDriver.Check(drv.RegisterQpl(0, 16, out DmaRegion t));
            RawDriver.Check(drv.RegisterQpl(1, 64, out DmaRegion r));
            (txQpl, rxQpl, txId, rxId) = (t, r, 0, 1);
        }
        RawDriver.Check(drv.CreateTx(0, out RawTxQueue tx, ring, txId, txQpl, dqo: true));
        RawDriver.Check(drv.CreateRx(0, out RawRxQueue rx, ring, rxId, rxQpl, ntfy: 1, bufferSize: bufferSize, dqo: true));
        return (dev, drv, tx, rx);
    }

    private static void WritePkt(RawTxQueue q, int index, ulong addr, int size, ushort tag, bool eop, bool re = false)
    {
        Span<byte> slot = q.Ring.Span.Slice(index * 16, 16);
        slot.Clear();
        ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(slot);
        d.Dtype = TxDescDtypeDqo.Packet;
        d.BufAddr = addr;
        d.BufSize = (ushort)size;
        d.ComplTag = tag;
        d.EndOfPacket = eop;
        d.ReportEvent = re;
    }

    private static TxComplDesc Compl(RawTxQueue q, int index) => TxComplDesc.Read(q.ComplRing!.Span.Slice(index * 8, 8));

    [Fact]
    public void Tx_PacketCompletionCarriesTheTag_AndReportEventAddsDescriptorCompletion()
    {
        var (dev, drv, tx, _) = Up();
        byte[] frame = Frames.Udp4(200);
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        WritePkt(tx, 0, buf.DeviceAddress, 100, 77, eop: false);
        WritePkt(tx, 1, buf.DeviceAddress + 100, frame.Length - 100, 77, eop: true, re: true);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 2);
        Assert.Equal(frame, Assert.Single(dev.Wire.Frames).Data);
        TxComplDesc c0 = Compl(tx, 0), c1 = Compl(tx, 1);
        Assert.Equal(ComplTypeDqo.Pkt, c0.Type);
        Assert.Equal(77, c0.CompletionTag);
        Assert.True(c0.Generation);
        Assert.Equal(ComplTypeDqo.Desc, c1.Type);
        Assert.Equal(2, c1.TxHead);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Tx_CompletionGenerationFlipsOnEachLap()
    {
        var (dev, drv, tx, _) = Up();
        DmaRegion buf = drv.Dma.Allocate(64);
        Frames.NonIp(64).CopyTo(buf.Span);
        for (int i = 0; i < 70; i++)
        {
            WritePkt(tx, i % 64, buf.DeviceAddress, 64, (ushort)i, eop: true);
            drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, (uint)((i + 1) % 64));
        }
        Assert.Equal(70, dev.Wire.Frames.Count);
        TxComplDesc lap2 = Compl(tx, 5), lap1 = Compl(tx, 10);
        Assert.False(lap2.Generation);
        Assert.Equal(69, lap2.CompletionTag);
        Assert.True(lap1.Generation);
        Assert.Equal(10, lap1.CompletionTag);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Tx_ZeroBufSize_AndTooManyDataDescriptors_AreBadDescriptor()
    {
        var (dev, drv, tx, _) = Up();
        DmaRegion buf = drv.Dma.Allocate(4096);
        WritePkt(tx, 0, buf.DeviceAddress, 0, 1, eop: true);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 1);
        for (int i = 0; i < 11; i++) WritePkt(tx, 1 + i, buf.DeviceAddress, 10, 2, eop: i == 10);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 12);
        Assert.Equal(2, dev.Violations.Count(v => v.Kind == ViolationKind.BadDescriptor));
        Assert.Empty(dev.Wire.Frames);
        Assert.Equal(1, Compl(tx, 0).CompletionTag);
        Assert.Equal(2, Compl(tx, 1).CompletionTag);
    }

    [Fact]
    public void Tx_ChecksumOffloadComputesTheL4Checksum()
    {
        var (dev, drv, tx, _) = Up();
        byte[] frame = Frames.Tcp6(100);
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        WritePkt(tx, 0, buf.DeviceAddress, frame.Length, 1, eop: true);
        TxPktDescDqo.AsRef(tx.Ring.Span.Slice(0, 16)).ChecksumOffloadEnable = true;
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 1);
        Assert.True(Frames.L4ChecksumValid(Assert.Single(dev.Wire.Frames).Data));
    }

    private static void PostDqoRx(RawDriver drv, RawRxQueue rx, int first, int count, ushort firstId)
    {
        for (int i = 0; i < count; i++)
        {
            ref RxDescDqo d = ref RxDescDqo.AsRef(rx.Data.Span.Slice((first + i) * 32, 32));
            d.BufId = (ushort)(firstId + i);
            d.BufAddr = rx.Qpl is not null ? rx.Qpl.AddressOf((first + i) * 2048) : drv.Dma.Allocate(rx.BufferSize).DeviceAddress;
        }
        drv.Bar2.WriteDoorbellDqo((int)rx.DbIndex, (uint)(first + count));
    }

    [Fact]
    public void Rx_CompletionCarriesBufIdLengthTypeAndGeneration_NoPad()
    {
        var (dev, drv, _, rx) = Up();
        PostDqoRx(drv, rx, 0, 4, 100);
        byte[] frame = Frames.Udp4(300);
        Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(frame).Outcome);
        RxComplDescDqo c = RxComplDescDqo.Read(rx.Desc.Span.Slice(0, 32));
        Assert.Equal(100, c.BufId);
        Assert.Equal(frame.Length, c.PacketLen);
        Assert.True(c.Generation);
        Assert.True(c.EndOfPacket);
        Assert.Equal(SimulatedGvnic.PacketTypeIndex(L3Type.Ipv4, L4Type.Udp), c.PacketType);
        RxDescDqo posted = RxDescDqo.Read(rx.Data.Span.Slice(0, 32));
        dev.DmaAllocator.TryResolve(posted.BufAddr, frame.Length, out Span<byte> data, out _, out _);
        Assert.Equal(frame, data.ToArray());
        Assert.True(dev.Interrupts.TryConsume(1) || dev.NotificationBlocks[1].Pending);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Rx_LongFrameSpansBuffers_AndNoBuffersDrops()
    {
        var (dev, drv, _, rx) = Up(bufferSize: 1024);
        PostDqoRx(drv, rx, 0, 2, 0);
        byte[] frame = Frames.NonIp(1400);
        Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(frame).Outcome);
        RxComplDescDqo c0 = RxComplDescDqo.Read(rx.Desc.Span.Slice(0, 32)), c1 = RxComplDescDqo.Read(rx.Desc.Span.Slice(32, 32));
        Assert.False(c0.EndOfPacket);
        Assert.Equal(1024, c0.PacketLen);
        Assert.True(c1.EndOfPacket);
        Assert.Equal(376, c1.PacketLen);
        Assert.Equal(RxOutcome.DroppedNoBuffers, dev.InjectFrame(frame).Outcome);
        Assert.Equal(1, dev.RxStatistics(0).NoBufferDrops);
    }

    [Fact]
    public void Rx_BufferIdRepostedWhileOwned_IsRecorded()
    {
        var (dev, drv, _, rx) = Up();
        PostDqoRx(drv, rx, 0, 2, 5);
        PostDqoRx(drv, rx, 2, 1, 5);
        ProtocolViolation v = Assert.Single(dev.Violations);
        Assert.Equal(ViolationKind.BufferReposted, v.Kind);
        Assert.Contains("buffer id 5", v.Detail);
    }

    [Fact]
    public void Qpl_TxAndRxUseRegisteredPageAddresses()
    {
        var (dev, drv, tx, rx) = Up(QueueFormat.DqoQpl);
        dev.AttachWire(VirtualWire.Loopback());
        PostDqoRx(drv, rx, 0, 2, 0);
        byte[] frame = Frames.Udp4(100);
        frame.CopyTo(tx.Qpl!.Span);
        WritePkt(tx, 0, tx.Qpl.DeviceAddress, frame.Length, 9, eop: true);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 1);
        Assert.Equal(frame, rx.Qpl!.Span.Slice(0, frame.Length).ToArray());
        DmaRegion outside = drv.Dma.Allocate(4096);
        WritePkt(tx, 1, outside.DeviceAddress, 60, 10, eop: true);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 2);
        Assert.Equal(ViolationKind.QplOffsetOutOfRange, Assert.Single(dev.Violations).Kind);
    }

    [Fact]
    public void ItrDoorbell_EnableUnmasks_AndABlockMasksItselfWhenItFires()
    {
        var (dev, drv, tx, _) = Up();
        DmaRegion buf = drv.Dma.Allocate(64);
        WritePkt(tx, 0, buf.DeviceAddress, 64, 1, eop: true);
        var itr = new ItrDoorbellDqo { Enable = true, NoUpdate = 3 };
        drv.Bar2.WriteIrqDoorbellDqo((int)drv.IrqDoorbellIndex(0), itr);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 1);
        Assert.True(dev.Interrupts.TryConsume(0));
        Assert.True(dev.NotificationBlocks[0].Masked);
        WritePkt(tx, 1, buf.DeviceAddress, 64, 2, eop: true);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 2);
        Assert.False(dev.Interrupts.TryConsume(0));
        drv.Bar2.WriteIrqDoorbellDqo((int)drv.IrqDoorbellIndex(0), itr);
        Assert.True(dev.Interrupts.TryConsume(0));
    }
}
