using System;
using System.Linq;
using Gvnic.Platform;
using Microsoft.Extensions.Time.Testing;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

public sealed class DqoDataPathTests
{
    /// <summary>
    /// A DQO device with one TX queue (block 0) and one RX queue (block 1) of <paramref name="ring"/> entries. The device
    /// offers 64-entry TX rings (its modify-ring minimum) so the tests can lap a ring with few packets. DQO completions
    /// reach host memory when their 128-byte line fills or the block fires: the tests re-arm the block (as a polling
    /// driver does on every poll) before they read completions.
    /// </summary>
    private static (SimulatedGvnic, RawDriver, RawTxQueue, RawRxQueue) Up(QueueFormat format = QueueFormat.DqoRda, ushort ring = 64, ushort bufferSize = 2048, SimulatedDeviceConfig? config = null)
    {
        var dev = new SimulatedGvnic((config ?? new SimulatedDeviceConfig()) with { MinTxRingSize = 64 });
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

    /// <summary>
    /// DQO RDA ignores the page-list id of a create command: Linux 6.1 leaves it 0 (found by the conformance run), GQI RDA
    /// still wants 0xFFFFFFFF as upstream always sends.
    /// </summary>
    [Fact]
    public void DqoRda_CreateCommands_IgnoreThePageListId_AsLinux61LeavesIt0()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoRda));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.CreateTx(0, out _, 256, qplId: 0, dqo: true));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.CreateRx(0, out _, 64, qplId: 0, ntfy: 1, dqo: true));
        Assert.Empty(dev.Violations);

        using var gqi = new SimulatedGvnic();
        var g = new RawDriver(gqi);
        RawDriver.Check(g.Describe(out _));
        RawDriver.Check(g.Configure(QueueFormat.GqiRda));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, g.CreateTx(0, out _, 256, qplId: 0));
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
        drv.RearmDqo(0);
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
        drv.RearmDqo(0);
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
        drv.RearmDqo(0);
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
        Assert.True(dev.NotificationBlocks[1].Pending); // the block is masked: the completion waits in the device
        Assert.False(RxComplDescDqo.Read(rx.Desc.Span.Slice(0, 32)).Generation);
        drv.RearmDqo(1);
        Assert.True(dev.Interrupts.TryConsume(1));
        RxComplDescDqo c = RxComplDescDqo.Read(rx.Desc.Span.Slice(0, 32));
        Assert.Equal(100, c.BufId);
        Assert.Equal(frame.Length, c.PacketLen);
        Assert.True(c.Generation);
        Assert.True(c.EndOfPacket);
        Assert.Equal(SimulatedGvnic.PacketTypeIndex(L3Type.Ipv4, L4Type.Udp), c.PacketType);
        RxDescDqo posted = RxDescDqo.Read(rx.Data.Span.Slice(0, 32));
        dev.DmaAllocator.TryResolve(posted.BufAddr, frame.Length, out Span<byte> data, out _, out _);
        Assert.Equal(frame, data.ToArray());
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Rx_LongFrameSpansBuffers_AndNoBuffersDrops()
    {
        var (dev, drv, _, rx) = Up(bufferSize: 1024);
        PostDqoRx(drv, rx, 0, 2, 0);
        byte[] frame = Frames.NonIp(1400);
        Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(frame).Outcome);
        drv.RearmDqo(1);
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

    // ---- out-of-order completion, misses, pressure -------------------------------------------------------------

    /// <summary>Posts <paramref name="count"/> one-descriptor packets with tags 0.., each with its own doorbell.</summary>
    private static void SendTagged(RawDriver drv, RawTxQueue tx, int count, int ring = 64)
    {
        DmaRegion buf = drv.Dma.Allocate(64);
        Frames.NonIp(64).CopyTo(buf.Span);
        for (int i = 0; i < count; i++)
        {
            WritePkt(tx, i % ring, buf.DeviceAddress, 64, (ushort)i, eop: true);
            drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, (uint)((i + 1) % ring));
        }
    }

    /// <summary>The completions written so far (generation 1, first lap), in ring order.</summary>
    private static System.Collections.Generic.List<TxComplDesc> FirstLap(RawTxQueue tx)
    {
        var list = new System.Collections.Generic.List<TxComplDesc>();
        for (int i = 0; i < 128; i++)
        {
            TxComplDesc c = Compl(tx, i);
            if (!c.Generation) break;
            list.Add(c);
        }
        return list;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tx_ReorderWindow_CompletesEachTagOnceOutOfOrder_AMissBeforeItsReinjection(bool altMiss)
    {
        var config = new SimulatedDeviceConfig { DqoReorderWindow = 8, DqoMissRate = 0.3, DqoAltMissCompletions = altMiss, DqoSeed = 3 };
        var (dev, drv, tx, _) = Up(config: config);
        SendTagged(drv, tx, 40);
        Assert.Equal(40, dev.Wire.Frames.Count); // frames leave at once; only completions wait
        Assert.Equal(8, dev.DqoTxCounters(0).Held);
        Assert.Equal(8, dev.ReleaseDqoTxCompletions());
        drv.RearmDqo(0);

        var done = new int[40];
        var missedAt = new int[40];
        Array.Fill(missedAt, -1);
        var order = new System.Collections.Generic.List<int>();
        System.Collections.Generic.List<TxComplDesc> lap = FirstLap(tx);
        for (int i = 0; i < lap.Count; i++)
        {
            TxComplDesc c = lap[i];
            bool miss = altMiss ? c.Type == ComplTypeDqo.Pkt && (c.CompletionTag & GvnicConstants.AltMissComplBit) != 0 : c.Type == ComplTypeDqo.Miss;
            Assert.NotEqual(altMiss ? ComplTypeDqo.Miss : (ComplTypeDqo)7, c.Type);
            if (miss)
            {
                int tag = c.CompletionTag & ~GvnicConstants.AltMissComplBit;
                Assert.Equal(-1, missedAt[tag]);
                missedAt[tag] = i;
            }
            else if (c.Type is ComplTypeDqo.Pkt or ComplTypeDqo.Reinjection)
            {
                int tag = c.CompletionTag;
                done[tag]++;
                order.Add(tag);
                // A re-injection follows its miss; a packet completion only for a packet that was not missed.
                Assert.Equal(c.Type == ComplTypeDqo.Reinjection, missedAt[tag] >= 0);
                if (missedAt[tag] >= 0) Assert.True(missedAt[tag] < i);
            }
        }
        Assert.All(done, n => Assert.Equal(1, n));
        Assert.NotEqual(Enumerable.Range(0, 40), order);
        DqoTxCounters counters = dev.DqoTxCounters(0);
        Assert.Equal(missedAt.Count(m => m >= 0), (int)counters.MissCompletions);
        Assert.InRange(counters.MissCompletions, 4, 24);
        Assert.Equal(counters.MissCompletions, counters.ReinjectionCompletions);
        Assert.True(counters.OutOfOrder > 0);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Tx_HeldCompletions_WaitUntilReleased_DescriptorCompletionsDoNot()
    {
        var (dev, drv, tx, _) = Up();
        dev.HoldDqoTxCompletions(true);
        DmaRegion buf = drv.Dma.Allocate(64);
        Frames.NonIp(64).CopyTo(buf.Span);
        for (int i = 0; i < 40; i++) WritePkt(tx, i, buf.DeviceAddress, 64, (ushort)i, eop: true, re: i == 31);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 40);
        Assert.Equal(40, dev.Wire.Frames.Count);
        drv.RearmDqo(0);
        TxComplDesc first = Compl(tx, 0);
        Assert.Equal(ComplTypeDqo.Desc, first.Type); // the head moved: descriptors were read
        Assert.Equal(32, first.TxHead);
        Assert.False(Compl(tx, 1).Generation);
        Assert.Equal(40, dev.DqoTxCounters(0).Held);
        Assert.Equal(40, dev.ReleaseDqoTxCompletions());
        drv.RearmDqo(0);
        Assert.Equal(41, FirstLap(tx).Count);
        Assert.Equal(0, dev.DqoTxCounters(0).Held);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Config_MissRateWithoutAWindow_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SimulatedGvnic(new SimulatedDeviceConfig { DqoMissRate = 0.5 }));
        Assert.Contains("DqoReorderWindow", e.Message);
        Assert.Throws<ArgumentException>(() => new SimulatedGvnic(new SimulatedDeviceConfig { DqoReorderWindow = 4, DqoMissRate = 1.5 }));
    }

    // ---- context descriptors --------------------------------------------------------------------------------------

    private static void WriteGeneral(RawTxQueue q, int index, byte version = 0, byte flex5 = 0)
    {
        Span<byte> slot = q.Ring.Span.Slice(index * 16, 16);
        slot.Clear();
        ref TxDescDqo d = ref TxDescDqo.AsRef(slot);
        d.GeneralCtx.CmdDtype.Dtype = TxDescDtypeDqo.GeneralContext;
        d.GeneralCtx.Flex0 = version;
        d.GeneralCtx.Flex5 = flex5;
    }

    private static void WriteTso(RawTxQueue q, int index, int mss, int headerLen, int totalLen)
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

    [Fact]
    public void Tx_TsoContextAndGeneralContext_SegmentTheFrame()
    {
        var (dev, drv, tx, _) = Up();
        byte[] frame = Frames.Tcp6(2500);
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        WriteTso(tx, 0, 1000, 74, frame.Length - 74);
        WriteGeneral(tx, 1);
        WritePkt(tx, 2, buf.DeviceAddress, 1000, 9, eop: false);
        WritePkt(tx, 3, buf.DeviceAddress + 1000, frame.Length - 1000, 9, eop: true);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 4);
        var wire = dev.Wire.Frames;
        drv.RearmDqo(0);
        Assert.Equal([74 + 1000, 74 + 1000, 74 + 500], wire.Select(f => f.Data.Length));
        Assert.Equal(frame.AsSpan(74, 1000).ToArray(), wire[0].Data.AsSpan(74).ToArray());
        Assert.Equal(frame.AsSpan(74 + 1000, 1000).ToArray(), wire[1].Data.AsSpan(74).ToArray());
        Assert.Equal(ComplTypeDqo.Pkt, Compl(tx, 0).Type);
        Assert.Equal(9, Compl(tx, 0).CompletionTag);
        DqoTxCounters c = dev.DqoTxCounters(0);
        Assert.Equal((1L, 1L), (c.GeneralContexts, c.TsoContexts));
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Tx_BadContextDescriptors_AreBadDescriptor_AndStillComplete()
    {
        var (dev, drv, tx, _) = Up();
        byte[] frame = Frames.Tcp6(2500);
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        // 1. A general context descriptor after the packet's data.
        WritePkt(tx, 0, buf.DeviceAddress, 100, 1, eop: false);
        WriteGeneral(tx, 1);
        WritePkt(tx, 2, buf.DeviceAddress + 100, frame.Length - 100, 1, eop: true);
        // 2. Metadata version 1, unknown to the device.
        WriteGeneral(tx, 3, version: 1);
        WritePkt(tx, 4, buf.DeviceAddress, frame.Length, 2, eop: true);
        // 3. Reserved metadata bytes not zero.
        WriteGeneral(tx, 5, flex5: 0x40);
        WritePkt(tx, 6, buf.DeviceAddress, frame.Length, 3, eop: true);
        // 4. TSO header_len that is not where the TCP header ends.
        WriteTso(tx, 7, 1000, 60, frame.Length - 60);
        WritePkt(tx, 8, buf.DeviceAddress, frame.Length, 4, eop: true);
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, 9);
        ProtocolViolation[] bad = dev.Violations.Where(v => v.Kind == ViolationKind.BadDescriptor).ToArray();
        Assert.Equal(4, bad.Length);
        Assert.Contains("follows a data descriptor", bad[0].Detail);
        Assert.Contains("metadata version 1", bad[1].Detail);
        Assert.Contains("reserved metadata bytes", bad[2].Detail);
        Assert.Contains("header_len 60", bad[3].Detail);
        Assert.Empty(dev.Wire.Frames);
        drv.RearmDqo(0);
        Assert.Equal([1, 2, 3, 4], FirstLap(tx).Select(c => (int)c.CompletionTag));
    }

    // ---- RX buffer order, interrupt throttling ----------------------------------------------------------------------

    [Fact]
    public void Rx_ShuffledBuffers_ComeBackInAnotherOrder_EachOnce()
    {
        var clock = new FakeTimeProvider();
        var (dev, drv, _, rx) = Up(config: new SimulatedDeviceConfig { DqoShuffleRxBuffers = true, DqoSeed = 5, TimeProvider = clock });
        PostDqoRx(drv, rx, 0, 16, 0);
        for (int i = 0; i < 16; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1)); // one frame a millisecond: no load (16 buffers would drop a burst)
            Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(Frames.Udp4(100 + i)).Outcome);
        }
        drv.RearmDqo(1);
        var ids = new int[16];
        for (int i = 0; i < 16; i++)
        {
            RxComplDescDqo c = RxComplDescDqo.Read(rx.Desc.Span.Slice(i * 32, 32));
            Assert.Equal(Frames.Udp4(100 + i).Length, c.PacketLen);
            ids[i] = c.BufId;
        }
        Assert.Equal(Enumerable.Range(0, 16), ids.Order());
        Assert.NotEqual(Enumerable.Range(0, 16), ids);
        Assert.True(dev.DqoRxCounters(0).BuffersOutOfOrder > 0);
        Assert.Equal(0, dev.DqoRxCounters(0).BuffersHeld);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void ItrDoorbell_RecordsTheInterval_NoUpdateKeepsIt()
    {
        var (dev, drv, _, _) = Up();
        int db = (int)drv.IrqDoorbellIndex(0);
        Assert.Equal(-1, dev.DqoItrIntervalMicroseconds(0));
        drv.Bar2.WriteIrqDoorbellDqo(db, new ItrDoorbellDqo { Enable = true, Interval = 25 });
        Assert.Equal(50, dev.DqoItrIntervalMicroseconds(0));
        drv.Bar2.WriteIrqDoorbellDqo(db, new ItrDoorbellDqo { Enable = true, NoUpdate = 3, Interval = 1 });
        Assert.Equal(50, dev.DqoItrIntervalMicroseconds(0));
        drv.Bar2.WriteIrqDoorbellDqo(db, new ItrDoorbellDqo { Interval = 10 });
        Assert.Equal(20, dev.DqoItrIntervalMicroseconds(0));
        Assert.True(dev.NotificationBlocks[0].Masked);
        Assert.Equal(-1, dev.DqoItrIntervalMicroseconds(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => dev.DqoItrIntervalMicroseconds(99));
    }

    // ---- header split ---------------------------------------------------------------------------------------------

    /// <summary>CREATE_RX_QUEUE (DQO RDA, 64 entries) with <paramref name="headerSize"/>; the rings come from <paramref name="drv"/>.</summary>
    private static AdminqStatuses CreateSplitRx(RawDriver drv, uint id, ushort headerSize, out DmaRegion completions, out DmaRegion buffers, out uint doorbell, uint qplId = 0xFFFFFFFF)
    {
        DmaRegion compl = drv.Dma.Allocate(64 * 32), bufq = drv.Dma.Allocate(64 * 32), res = drv.Dma.Allocate(64);
        AdminqStatuses st = drv.Execute((ref AdminqCommand c) => Gvnic.Admin.AdminCommands.CreateRxQueue(ref c, id, 1, res.DeviceAddress, compl.DeviceAddress,
            bufq.DeviceAddress, 64, 2048, qplId, bufferRingSize: 64, headerBufferSize: headerSize));
        (completions, buffers, doorbell) = (compl, bufq, QueueResources.Read(res.Span).DbIndex);
        return st;
    }

    [Fact]
    public void Rx_HeaderSplit_PutsTheHeadersInTheHeaderBufferOfTheCompletionsSlot()
    {
        var dev = new SimulatedGvnic(new SimulatedDeviceConfig { HeaderBufferSize = 128 });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoRda));
        RawDriver.Check(CreateSplitRx(drv, 0, 128, out DmaRegion compl, out DmaRegion bufq, out uint db));
        DmaRegion headers = drv.Dma.Allocate(64 * 128), data = drv.Dma.Allocate(4 * 2048);
        for (int i = 0; i < 4; i++)
        {
            ref RxDescDqo d = ref RxDescDqo.AsRef(bufq.Span.Slice(i * 32, 32));
            d.BufId = (ushort)(10 + i);
            d.BufAddr = data.DeviceAddress + (ulong)(i * 2048);
            d.HeaderBufAddr = headers.DeviceAddress + (ulong)(i * 128);
        }
        drv.Bar2.WriteDoorbellDqo((int)db, 4);
        byte[] udp = Frames.Udp4(300), tcp = Frames.Tcp6(10), nonIp = Frames.NonIp(80);
        foreach (byte[] f in new[] { udp, tcp, nonIp }) Assert.Equal(RxOutcome.Delivered, dev.InjectFrame(f).Outcome);
        drv.RearmDqo(1);

        RxComplDescDqo c0 = RxComplDescDqo.Read(compl.Span.Slice(0, 32)), c1 = RxComplDescDqo.Read(compl.Span.Slice(32, 32)), c2 = RxComplDescDqo.Read(compl.Span.Slice(64, 32));
        Assert.True(c0.SplitHeader);
        Assert.Equal(42, c0.HeaderLen);
        Assert.Equal(udp.Length - 42, c0.PacketLen);
        Assert.Equal(udp.AsSpan(0, 42).ToArray(), headers.Span.Slice(0, 42).ToArray());
        Assert.Equal(udp.AsSpan(42).ToArray(), data.Span.Slice(0, udp.Length - 42).ToArray());
        Assert.True(c1.SplitHeader);
        Assert.Equal(74, c1.HeaderLen);
        Assert.Equal(tcp.AsSpan(0, 74).ToArray(), headers.Span.Slice(128, 74).ToArray());
        Assert.False(c2.SplitHeader);
        Assert.Equal(nonIp.Length, c2.PacketLen);
        Assert.Equal(2, dev.DqoRxCounters(0).SplitHeaders);
        Assert.Equal(0, dev.DqoRxCounters(0).HeaderOverflows);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void Rx_HeaderSplit_OnlyWithTheOfferedSize_AndWithoutPageLists()
    {
        var dev = new SimulatedGvnic(new SimulatedDeviceConfig { HeaderBufferSize = 128 });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoQpl));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, CreateSplitRx(drv, 0, 64, out _, out _, out _));
        RawDriver.Check(drv.RegisterQpl(1, 64, out _));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, CreateSplitRx(drv, 0, 128, out _, out _, out _, qplId: 1));
        RawDriver.Check(CreateSplitRx(drv, 0, 0, out _, out _, out _, qplId: 1));
    }
}
