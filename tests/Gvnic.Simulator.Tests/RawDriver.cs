using System;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;

namespace Gvnic.Simulator.Tests;

/// <summary>Builds one admin command in place.</summary>
public delegate void CommandBuilder(ref AdminqCommand command);

/// <summary>A GQI or DQO TX queue as the raw driver set it up.</summary>
public sealed record RawTxQueue(uint Id, DmaRegion Ring, DmaRegion Resources, DmaRegion? Qpl, uint DbIndex, uint CounterIndex, DmaRegion? ComplRing);

/// <summary>An RX queue as the raw driver set it up (GQI: Desc/Data rings; DQO: Desc = completion queue, Data = buffer queue).</summary>
public sealed record RawRxQueue(uint Id, DmaRegion Desc, DmaRegion Data, DmaRegion Resources, DmaRegion? Qpl, uint DbIndex, uint CounterIndex, int BufferSize);

/// <summary>
/// A deliberately small "driver" for device-side tests: it writes admin commands with the generated API into a DMA
/// page and rings the doorbell, and fills rings by hand so tests can also do things wrong on purpose.
/// </summary>
public sealed class RawDriver
{
    public SimulatedGvnic Device { get; }
    public Bar0Registers Bar0 { get; }
    public Bar2Registers Bar2 { get; }
    public IDmaAllocator Dma => Device.Dma;
    public DmaRegion AdminQueue { get; }
    public uint Producer { get; private set; }
    public DmaRegion? Counters { get; private set; }
    public DmaRegion? IrqDbs { get; private set; }
    public const int IrqStride = 64;

    public RawDriver(SimulatedGvnic device, bool setUp = true)
    {
        Device = device;
        Bar0 = new Bar0Registers(device.Bar0);
        Bar2 = new Bar2Registers(device.Bar2);
        device.EnableBusMaster();
        device.Interrupts.Enable(device.Interrupts.VectorCount);
        AdminQueue = Dma.Allocate(4096);
        if (setUp) SetUpAdminQueue();
    }

    public void SetUpAdminQueue()
    {
        Producer = 0;
        if (Device.RevisionId == 0)
        {
            Bar0.WriteAdminqPfn((uint)(AdminQueue.DeviceAddress / 4096));
        }
        else
        {
            Bar0.WriteAdminqLength(4096);
            Bar0.WriteAdminqBaseAddressHi((uint)(AdminQueue.DeviceAddress >> 32));
            Bar0.WriteAdminqBaseAddressLo((uint)AdminQueue.DeviceAddress);
            Bar0.WriteDriverStatus(DriverStatusFlags.Run);
        }
    }

    public ref AdminqCommand Slot(uint sequence) => ref AdminqCommand.AsRef(AdminQueue.Span.Slice((int)(sequence & 63) * AdminqCommand.Size, AdminqCommand.Size));

    /// <summary>Writes a command into the next slot without ringing.</summary>
    public uint Queue(CommandBuilder build)
    {
        uint seq = Producer;
        AdminQueue.Span.Slice((int)(seq & 63) * AdminqCommand.Size, AdminqCommand.Size).Clear();
        build(ref Slot(seq));
        Producer++;
        return seq;
    }

    public void Ring() => Bar0.WriteAdminqDoorbell(Producer);

    public AdminqStatuses Execute(CommandBuilder build)
    {
        uint seq = Queue(build);
        Ring();
        return Slot(seq).Status;
    }

    public AdminqStatuses Describe(out DmaRegion buffer, uint version = 1, uint length = 4096)
    {
        DmaRegion b = Dma.Allocate(4096);
        buffer = b;
        return Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.DescribeDevice;
            c.DescribeDevice.DeviceDescriptorAddr = b.DeviceAddress;
            c.DescribeDevice.DeviceDescriptorVersion = version;
            c.DescribeDevice.AvailableLength = length;
        });
    }

    public AdminqStatuses Configure(QueueFormat format, uint numBlocks = 4, uint numCounters = 16)
    {
        DmaRegion counters = Dma.Allocate((int)numCounters * EventCounter.Size);
        DmaRegion irq = Dma.Allocate((int)numBlocks * IrqStride);
        Counters = counters;
        IrqDbs = irq;
        return Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.ConfigureDeviceResources;
            ref AdminqConfigureDeviceResources r = ref c.ConfigureDeviceResources;
            r.CounterArray = counters.DeviceAddress;
            r.IrqDbAddr = irq.DeviceAddress;
            r.NumCounters = numCounters;
            r.NumIrqDbs = numBlocks;
            r.IrqDbStride = IrqStride;
            r.NtfyBlkMsixBaseIdx = 0;
            r.QueueFormat = format;
        });
    }

    public uint IrqDoorbellIndex(int block) => IrqDb.Read(IrqDbs!.Span.Slice(block * IrqStride)).Index;

    public uint Counter(uint index) => EventCounter.Read(Counters!.Span.Slice((int)index * EventCounter.Size)).Count;

    /// <summary>Allocates <paramref name="pages"/> pages and registers them as page list <paramref name="id"/>.</summary>
    public AdminqStatuses RegisterQpl(uint id, int pages, out DmaRegion qpl, ulong pageSize = 0)
    {
        DmaRegion q = Dma.Allocate(pages * 4096);
        qpl = q;
        DmaRegion list = Dma.Allocate(pages * PageListEntry.Size);
        for (int i = 0; i < pages; i++) new PageListEntry { PageAddress = q.AddressOf(i * 4096) }.Write(list.Span.Slice(i * PageListEntry.Size));
        return RegisterPageList(id, (uint)pages, list.DeviceAddress, pageSize);
    }

    public AdminqStatuses RegisterPageList(uint id, uint numPages, ulong listAddress, ulong pageSize = 0) => Execute((ref AdminqCommand c) =>
    {
        c.Opcode = AdminqOpcodes.RegisterPageList;
        c.RegisterPageList.PageListId = id;
        c.RegisterPageList.NumPages = numPages;
        c.RegisterPageList.PageAddressListAddr = listAddress;
        c.RegisterPageList.PageSize = pageSize;
    });

    public AdminqStatuses CreateTx(uint id, out RawTxQueue queue, ushort ringSize = 256, uint qplId = 0xFFFFFFFF, DmaRegion? qpl = null, uint ntfy = 0, bool dqo = false)
    {
        int entries = ringSize == 0 ? 256 : ringSize;
        DmaRegion ring = Dma.Allocate(entries * 16);
        DmaRegion res = Dma.Allocate(64);
        DmaRegion? compl = dqo ? Dma.Allocate(entries * 8) : null;
        AdminqStatuses st = Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.CreateTxQueue;
            ref AdminqCreateTxQueue t = ref c.CreateTxQueue;
            t.QueueId = id;
            t.QueueResourcesAddr = res.DeviceAddress;
            t.TxRingAddr = ring.DeviceAddress;
            t.QueuePageListId = qplId;
            t.NtfyId = ntfy;
            t.TxRingSize = ringSize;
            if (compl is not null)
            {
                t.TxCompRingAddr = compl.DeviceAddress;
                t.TxCompRingSize = (ushort)entries;
            }
        });
        QueueResources r = QueueResources.Read(res.Span);
        queue = new RawTxQueue(id, ring, res, qpl, r.DbIndex, r.CounterIndex, compl);
        return st;
    }

    public AdminqStatuses CreateRx(uint id, out RawRxQueue queue, ushort ringSize = 256, uint qplId = 0xFFFFFFFF, DmaRegion? qpl = null, uint ntfy = 0, ushort bufferSize = 2048, bool dqo = false)
    {
        int entries = ringSize == 0 ? 256 : ringSize;
        DmaRegion desc = Dma.Allocate(entries * (dqo ? 32 : 64));
        DmaRegion data = Dma.Allocate(entries * (dqo ? 32 : 8));
        DmaRegion res = Dma.Allocate(64);
        AdminqStatuses st = Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.CreateRxQueue;
            ref AdminqCreateRxQueue r = ref c.CreateRxQueue;
            r.QueueId = id;
            r.Index = id;
            r.NtfyId = ntfy;
            r.QueueResourcesAddr = res.DeviceAddress;
            r.RxDescRingAddr = desc.DeviceAddress;
            r.RxDataRingAddr = data.DeviceAddress;
            r.QueuePageListId = qplId;
            r.RxRingSize = ringSize;
            r.PacketBufferSize = bufferSize;
            r.RxBuffRingSize = dqo ? ringSize : (ushort)0;
        });
        QueueResources q = QueueResources.Read(res.Span);
        queue = new RawRxQueue(id, desc, data, res, qpl, q.DbIndex, q.CounterIndex, bufferSize);
        return st;
    }

    /// <summary>Describe, configure GQI QPL, one TX queue (QPL 0) and one RX queue (QPL 1) with all blocks unmasked.</summary>
    public (RawTxQueue Tx, RawRxQueue Rx) BringUpGqiQpl(int txPages = 16, int rxPages = 256, ushort ring = 256)
    {
        Check(Describe(out _));
        Check(Configure(QueueFormat.GqiQpl));
        Check(RegisterQpl(0, txPages, out DmaRegion txQpl));
        Check(RegisterQpl(1, rxPages, out DmaRegion rxQpl));
        Check(CreateTx(0, out RawTxQueue tx, ring, 0, txQpl));
        Check(CreateRx(0, out RawRxQueue rx, ring, 1, rxQpl));
        UnmaskAll(4);
        return (tx, rx);
    }

    public (RawTxQueue Tx, RawRxQueue Rx) BringUpGqiRda(ushort ring = 256)
    {
        Check(Describe(out _));
        Check(Configure(QueueFormat.GqiRda));
        Check(CreateTx(0, out RawTxQueue tx, ring));
        Check(CreateRx(0, out RawRxQueue rx, ring));
        UnmaskAll(4);
        return (tx, rx);
    }

    /// <summary>
    /// Re-arms DQO notification block <paramref name="block"/> (ITR enable, interval kept), as a polling driver does on every
    /// poll: the block fires if work completed, and the device writes back the completions it holds.
    /// </summary>
    public void RearmDqo(int block) => Bar2.WriteIrqDoorbellDqo((int)IrqDoorbellIndex(block), new ItrDoorbellDqo { Enable = true, NoUpdate = 3 });

    public void UnmaskAll(int blocks)
    {
        for (int i = 0; i < blocks; i++) Bar2.WriteIrqDoorbell((int)IrqDoorbellIndex(i), 0);
    }

    public static void Check(AdminqStatuses status)
    {
        if (status != AdminqStatuses.CommandPassed) throw new InvalidOperationException("admin command failed: " + status);
    }

    // ---- GQI TX ----

    private uint _txProduced;
    private ulong _txQplFifo;

    public uint TxProduced => _txProduced;

    /// <summary>Writes a GQI packet (one packet descriptor plus segment descriptors for the given split) without ringing.</summary>
    public void PostGqiTx(RawTxQueue q, byte[] frame, int[]? split = null, int ringSize = 256, bool l4Csum = false, int l4HdrOffset = 0, int l4CsumOffset = 0)
    {
        split ??= new[] { frame.Length };
        int pos = 0;
        for (int i = 0; i < split.Length; i++)
        {
            ulong addr;
            if (q.Qpl is not null)
            {
                ulong qplBytes = (ulong)q.Qpl.Length;
                if (_txQplFifo + (ulong)split[i] > qplBytes) _txQplFifo = 0;
                addr = _txQplFifo;
                frame.AsSpan(pos, split[i]).CopyTo(q.Qpl.Span.Slice((int)addr));
                _txQplFifo += (ulong)split[i];
            }
            else
            {
                DmaRegion buf = Dma.Allocate(split[i]);
                frame.AsSpan(pos, split[i]).CopyTo(buf.Span);
                addr = buf.DeviceAddress;
            }
            Span<byte> slot = q.Ring.Span.Slice((int)(_txProduced & (uint)(ringSize - 1)) * 16, 16);
            slot.Clear();
            ref TxDesc d = ref TxDesc.AsRef(slot);
            if (i == 0)
            {
                d.Pkt.Type = TxdType.Std;
                d.Pkt.L4Csum = l4Csum;
                d.Pkt.L4HdrOffset = (byte)(l4HdrOffset / 2);
                d.Pkt.L4CsumOffset = (byte)(l4CsumOffset / 2);
                d.Pkt.DescCnt = (byte)split.Length;
                d.Pkt.Len = (ushort)frame.Length;
                d.Pkt.SegLen = (ushort)split[i];
                d.Pkt.SegAddr = addr;
            }
            else
            {
                d.Seg.Type = TxdType.Seg;
                d.Seg.SegLen = (ushort)split[i];
                d.Seg.SegAddr = addr;
            }
            _txProduced++;
            pos += split[i];
        }
    }

    public void RingTx(RawTxQueue q) => Bar2.WriteDoorbell((int)q.DbIndex, _txProduced);

    public void SendGqi(RawTxQueue q, byte[] frame, int[]? split = null, int ringSize = 256)
    {
        PostGqiTx(q, frame, split, ringSize);
        RingTx(q);
    }

    // ---- GQI RX ----

    private uint _rxPosted;

    public uint RxPosted => _rxPosted;

    /// <summary>Posts <paramref name="count"/> buffers: QPL slot i uses offset (i mod ring) * 4096 (a page per slot); RDA uses fresh buffers.</summary>
    public void PostGqiRx(RawRxQueue q, int count, int ringSize = 256, bool ring = true)
    {
        for (int i = 0; i < count; i++)
        {
            int slot = (int)(_rxPosted & (uint)(ringSize - 1));
            ref RxDataSlot s = ref RxDataSlot.AsRef(q.Data.Span.Slice(slot * 8));
            if (q.Qpl is not null) s.QplOffset = (ulong)slot * 4096;
            else s.Addr = Dma.Allocate(q.BufferSize).DeviceAddress;
            _rxPosted++;
        }
        if (ring) Bar2.WriteDoorbell((int)q.DbIndex, _rxPosted);
    }

    public RxDesc RxDescAt(RawRxQueue q, int slot) => RxDesc.Read(q.Desc.Span.Slice(slot * 64, 64));

    public ReadOnlySpan<byte> RxBufferAt(RawRxQueue q, int slot, int length)
    {
        RxDataSlot s = RxDataSlot.Read(q.Data.Span.Slice(slot * 8));
        if (q.Qpl is not null) return q.Qpl.Span.Slice((int)s.QplOffset, length);
        Device.DmaAllocator.TryResolve(s.Addr, length, out Span<byte> span, out _, out _);
        return span;
    }
}
