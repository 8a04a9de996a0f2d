using System;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Encoding and decoding every descriptor type (GQI and DQO descriptors, the admin command, rx_desc and the
/// completions) in a loop allocates nothing: GC.GetAllocatedBytesForCurrentThread before and after, after a warm-up.
/// </summary>
public class ZeroAllocationTests
{
    private static readonly byte[] Ring = new byte[4096];

    private static ulong Work(int rounds)
    {
        Span<byte> ring = Ring;
        ulong sink = 0;
        for (int n = 0; n < rounds; n++)
        {
            // Admin command: build in place, read back, validate.
            ref var cmd = ref AdminqCommand.AsRef(ring.Slice(0, 64));
            cmd.Opcode = AdminqOpcodes.CreateTxQueue;
            cmd.Status = AdminqStatuses.CommandUnset;
            cmd.CreateTxQueue.QueueId = (uint)n;
            cmd.CreateTxQueue.TxRingAddr = 0x123000UL + (ulong)n;
            cmd.CreateTxQueue.TxRingSize = 512;
            var cmdCopy = AdminqCommand.Read(ring.Slice(0, 64));
            sink += cmdCopy.CreateTxQueue.QueueId + (cmdCopy.IsCreateTxQueue ? 1u : 0u) + (cmdCopy.Validate() ? 1u : 0u);
            cmdCopy.Write(ring.Slice(64, 64));

            // GQI TX: packet, segment, metadata descriptors through tx_desc.
            ref var gp = ref TxDesc.AsRef(ring.Slice(128, 16));
            gp.Pkt.Type = TxdType.Std; gp.Pkt.L4Csum = true; gp.Pkt.DescCnt = 2; gp.Pkt.Len = 1500; gp.Pkt.SegLen = 182; gp.Pkt.SegAddr = (ulong)n;
            ref var gs = ref TxDesc.AsRef(ring.Slice(144, 16));
            gs.Seg.Type = TxdType.Seg; gs.Seg.Ipv6 = true; gs.Seg.Mss = 1440; gs.Seg.SegLen = 1318; gs.Seg.SegAddr = 182;
            ref var gm = ref TxDesc.AsRef(ring.Slice(160, 16));
            gm.Mtd.Type = TxdType.Mtd; gm.Mtd.State = MtdPathState.Congestion; gm.Mtd.HashType = MtdPathHash.L4; gm.Mtd.PathHash = 0xABCDEF;
            var gr = TxDesc.Read(ring.Slice(128, 16));
            sink += gr.Pkt.Len + (gr.IsPkt ? 1u : 0u) + (gr.Validate() ? 1u : 0u);
            sink += TxDesc.AsReadOnly(ring.Slice(144, 16)).Seg.Mss + TxDesc.AsReadOnly(ring.Slice(160, 16)).Mtd.PathHash;
            new TxPktDesc { Len = 60, SegLen = 60, Type = TxdType.Tso }.Write(ring.Slice(176, 16));
            sink += TxSegDesc.Read(ring.Slice(144, 16)).SegLen + TxMtdDesc.Read(ring.Slice(160, 16)).PathHash;

            // GQI RX: rx_desc written by "the device", decoded; a data slot posted.
            ref var rx = ref RxDesc.AsRef(ring.Slice(192, 64));
            rx.Len = 1514; rx.Seqno = (ushort)(n % 7 + 1); rx.Tcp = true; rx.Ipv4 = true; rx.RssHash = 0x1234; rx.Csum = 0xBEEF;
            var rxr = RxDesc.Read(ring.Slice(192, 64));
            sink += (ulong)rxr.Len + rxr.Seqno + (rxr.Tcp ? 1u : 0u) + rxr.RssHash + (rxr.Validate() ? 1u : 0u);
            RxDataSlot.AsRef(ring.Slice(256, 8)).QplOffset = (ulong)n * 2048;
            sink += RxDataSlot.Read(ring.Slice(256, 8)).Addr;

            // DQO TX: packet, TSO context and general context descriptors; a completion.
            ref var dp = ref TxDescDqo.AsRef(ring.Slice(272, 16));
            dp.Pkt.BufAddr = 0x5000; dp.Pkt.Dtype = TxDescDtypeDqo.Packet; dp.Pkt.EndOfPacket = true; dp.Pkt.ComplTag = (ushort)n; dp.Pkt.BufSize = 1500;
            ref var dt = ref TxDescDqo.AsRef(ring.Slice(288, 16));
            dt.TsoCtx.TsoTotalLen = 64000; dt.TsoCtx.Mss = 1448; dt.TsoCtx.HeaderLen = 54; dt.TsoCtx.CmdDtype.Dtype = TxDescDtypeDqo.TsoContext; dt.TsoCtx.CmdDtype.Tso = true;
            ref var dg = ref TxDescDqo.AsRef(ring.Slice(304, 16));
            dg.GeneralCtx.CmdDtype.Dtype = TxDescDtypeDqo.GeneralContext; dg.GeneralCtx.Flex0 = 1;
            var dr = TxDescDqo.Read(ring.Slice(272, 16));
            sink += dr.Pkt.BufSize + (dr.IsPkt ? 1u : 0u) + (dr.Validate() ? 1u : 0u) + (TxDescDqo.AsReadOnly(ring.Slice(288, 16)).IsTsoCtx ? 1u : 0u);
            sink += (ulong)TxPktDescDqo.Read(ring.Slice(272, 16)).ComplTag + TxTsoContextDescDqo.Read(ring.Slice(288, 16)).Mss + TxGeneralContextDescDqo.Read(ring.Slice(304, 16)).Flex0;
            new TxMetadataDqo { Version = 0, PathHash = 0x1234, RehashEvent = true }.Write(ring.Slice(320, 12));
            sink += TxMetadataDqo.Read(ring.Slice(320, 12)).PathHash;
            ref var tc = ref TxComplDesc.AsRef(ring.Slice(336, 8));
            tc.Id = 3; tc.Type = ComplTypeDqo.Pkt; tc.Generation = (n & 1) != 0; tc.CompletionTag = (ushort)n;
            var tcr = TxComplDesc.Read(ring.Slice(336, 8));
            sink += tcr.CompletionTag + (tcr.IsCompletionTag ? 1u : 0u) + (tcr.Generation ? 1u : 0u) + (tcr.Validate() ? 1u : 0u);

            // DQO RX: buffer posted, completion decoded; ITR word built.
            ref var bd = ref RxDescDqo.AsRef(ring.Slice(352, 32));
            bd.BufId = (ushort)n; bd.BufAddr = 0x9000; bd.HeaderBufAddr = 0;
            sink += RxDescDqo.Read(ring.Slice(352, 32)).BufAddr;
            ref var rc = ref RxComplDescDqo.AsRef(ring.Slice(384, 32));
            rc.Rxdid = 1; rc.PacketLen = 1500; rc.Generation = true; rc.BufId = (ushort)n; rc.EndOfPacket = true; rc.PacketType = 0x2C5; rc.Hash = 0xFEED;
            var rcr = RxComplDescDqo.Read(ring.Slice(384, 32));
            sink += (ulong)rcr.PacketLen + rcr.BufId + rcr.PacketType + rcr.Hash + (rcr.Generation ? 1u : 0u) + (rcr.Validate() ? 1u : 0u);
            rcr.Write(ring.Slice(416, 32));
            var itr = new ItrDoorbellDqo { Enable = true, NoUpdate = 0, Interval = 25 };
            itr.Write(ring.Slice(448, 4));
            sink += ItrDoorbellDqo.Read(ring.Slice(448, 4)).Itr;
        }
        return sink;
    }

    [Fact]
    public void EncodingAndDecodingDescriptors_AllocatesNothing()
    {
        ulong warm = Work(2000); // warm-up: JIT, tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong sink = Work(20000);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(sink > warm);
        Assert.Equal(0L, after - before);
    }

    private static readonly byte[] Message = new byte[GvnicConstants.MbxBufSize];

    /// <summary>The mailbox accessors: a descriptor, a batched request built through its trailing array, a response read and validated.</summary>
    private static ulong MailboxWork(int rounds)
    {
        Span<byte> buf = Message;
        ulong sink = 0;
        for (int n = 0; n < rounds; n++)
        {
            ref var d = ref MbxDesc.AsRef(buf.Slice(0, MbxDesc.Size));
            d.Buf = true; d.Rd = true; d.Destination = GvnicConstants.MbxDestinationCp; d.CmdOpcode = MbxOpcode.ConfigTxQueues;
            d.CmdCookie = (ushort)(0x8000 | (n & 0x3F)); d.BufLen = (ushort)MbxConfigTxQReq.MessageSize(4);
            sink += (ulong)d.CmdCookie + (MbxDesc.AsReadOnly(buf.Slice(0, MbxDesc.Size)).Validate() ? 1u : 0u);

            var msg = buf.Slice(64, MbxConfigTxQReq.MessageSize(4));
            MbxConfigTxQReq.AsRef(msg).NumQueues = 4;
            var queues = MbxConfigTxQReq.TxQueues(msg);
            for (int i = 0; i < queues.Length; i++)
            {
                queues[i].QueueId = (uint)i;
                queues[i].TxRingSize = 512;
                queues[i].TxRingAddr = (ulong)n << 12;
            }
            MbxConfigTxQReq.SetTxQueues(msg, 3, MbxConfigTxQReq.GetTxQueues(msg, 2));
            sink += MbxConfigTxQReq.GetTxQueues(msg, 3).QueueId + (uint)MbxConfigTxQReq.TxQueuesCount(msg) + (MbxConfigTxQReq.ValidateMessage(msg) ? 1u : 0u);

            var ids = buf.Slice(512, MbxEnableQsReq.MessageSize(8));
            MbxEnableQsReq.AsRef(ids).NumQueues = 8;
            for (int i = 0; i < 8; i++) MbxEnableQsReq.SetQueueId(ids, i, (ushort)i);
            sink += MbxEnableQsReq.GetQueueId(ids, 7) + (MbxEnableQsReq.HasQueueId(ids, 8) ? 1u : 0u) + (MbxEnableQsReq.ValidateMessage(ids) ? 1u : 0u);
            foreach (ref readonly var q in MbxConfigTxQReq.TxQueuesReadOnly(msg)) sink += q.TxRingSize;
        }
        return sink;
    }

    [Fact]
    public void MailboxMessages_AllocateNothing()
    {
        ulong warm = MailboxWork(2000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong sink = MailboxWork(20000);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(sink > warm);
        Assert.Equal(0L, after - before);
    }

    [Fact]
    public void RegisterWrites_AllocateNothing()
    {
        var mmio = new CountingMmio();
        var bar0 = new Bar0Registers(mmio);
        var bar2 = new Bar2Registers(mmio);
        void Ring(int n)
        {
            for (int i = 0; i < n; i++)
            {
                bar0.WriteAdminqDoorbell((uint)i);
                bar2.WriteDoorbell(i & 15, (uint)i);
                bar2.WriteDoorbellDqo(i & 15, (uint)i);
                bar2.WriteIrqDoorbell(i & 15, IrqDoorbellBits.Ack);
                bar2.WriteIrqDoorbellDqo(i & 15, new ItrDoorbellDqo { Enable = true, Interval = 10 });
                _ = bar0.ReadDeviceStatus();
            }
        }
        Ring(1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Ring(10000);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0L, after - before);
        Assert.Equal(6 * 11000L, mmio.Accesses);
    }

    private sealed class CountingMmio : IMmioRegion
    {
        public long Accesses;
        public byte Read8(long offset) { Accesses++; return 0; }
        public void Write8(long offset, byte value) => Accesses++;
        public ushort Read16(long offset) { Accesses++; return 0; }
        public void Write16(long offset, ushort value) => Accesses++;
        public uint Read32(long offset) { Accesses++; return 0; }
        public void Write32(long offset, uint value) => Accesses++;
        public ulong Read64(long offset) { Accesses++; return 0; }
        public void Write64(long offset, ulong value) => Accesses++;
    }
}
