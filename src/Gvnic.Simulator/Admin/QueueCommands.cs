using System;
using Gvnic.Simulator.Device;
using Gvnic.Simulator.Queues;
using Gvnic.Simulator.Registers;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>
/// CREATE_TX_QUEUE, CREATE_RX_QUEUE, DESTROY_TX_QUEUE and DESTROY_RX_QUEUE: the queues of the configured format,
/// created over <paramref name="host"/> (all a queue sees of the device).
/// </summary>
internal sealed class QueueCommands(AdminCommandContext context, IQueueHost host)
{
    private SimulatedDeviceConfig Config => context.Config;

    private DeviceState State => context.State;

    /// <summary>The counter_index of RX queue 0 (RX queue q uses this + q when the counter array is long enough; TX queue q uses q).</summary>
    private uint RxCounterBase => Config.MaxTxQueues;

    private static bool RingSizeOk(uint size, uint min, uint max) => SimulatedDeviceConfig.IsPow2(size) && size >= min && size <= max;

    private AdminqStatuses ResolveQpl(uint id, string owner, out QueuePageList? qpl)
    {
        qpl = null;
        if (!State.IsQplFormat) return id == GvnicConstants.RawAddressingQplId ? AdminqStatuses.CommandPassed : AdminqStatuses.CommandErrorInvalidArgument;
        if (id == GvnicConstants.RawAddressingQplId) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!State.PageLists.TryGetValue(id, out qpl)) return AdminqStatuses.CommandErrorNotFound;
        if (qpl.Owner is string user)
        {
            qpl = null;
            return context.OutOfOrder(owner + " given page list " + id + ", which " + user + " already uses");
        }
        return AdminqStatuses.CommandPassed;
    }

    private void WriteQueueResources(Span<byte> at, uint dbIndex, uint counterIndex, bool tx, int queue)
    {
        context.Faults.OnQueueResources(tx, queue, ref dbIndex, ref counterIndex, Config.Bar2Length / 4, State.EventCounters.Count);
        at.Slice(0, QueueResources.Size).Clear();
        ref QueueResources r = ref QueueResources.AsRef(at);
        r.DbIndex = dbIndex;
        r.CounterIndex = counterIndex;
    }

    /// <summary>Puts a created queue in place: its page list taken, its resources written, its doorbell assigned.</summary>
    private void Install(DeviceQueue q, Span<byte> resources, bool tx, string name)
    {
        if (q.Qpl is not null) q.Qpl.Owner = name;
        WriteQueueResources(resources, q.DoorbellIndex, q.CounterIndex, tx, q.Id);
        State.Doorbells.Assign(q.DoorbellIndex, q);
    }

    public AdminqStatuses CreateTx(ref AdminqCreateTxQueue c)
    {
        if (!State.Configured) return context.NotConfigured("CREATE_TX_QUEUE");
        uint id = c.QueueId;
        if (id >= Config.MaxTxQueues) return AdminqStatuses.CommandErrorInvalidArgument;
        if (State.Tx[id] is not null) return AdminqStatuses.CommandErrorAlreadyExists;
        if (c.NtfyId >= State.Blocks.All.Count) return AdminqStatuses.CommandErrorInvalidArgument;
        uint size = c.TxRingSize == 0 ? Config.TxQueueEntries : c.TxRingSize;
        uint max = Config.ModifyRing ? Config.MaxTxRingSize : Config.TxQueueEntries;
        if (!RingSizeOk(size, Config.MinTxRingSize, max)) return AdminqStatuses.CommandErrorInvalidArgument;
        uint counter = id;
        if (counter >= State.EventCounters.Count) return AdminqStatuses.CommandErrorResourceExhausted;
        string name = "TX queue " + id;
        AdminqStatuses st = ResolveQpl(c.QueuePageListId, name, out QueuePageList? qpl);
        if (st != AdminqStatuses.CommandPassed) return st;
        if (!context.TryDma(c.QueueResourcesAddr, QueueResources.Size, (int)id, -1, name + " queue resources", out Span<byte> res)) return AdminqStatuses.CommandErrorInvalidArgument;
        var binding = new QueueBinding((int)id, c.NtfyId, DoorbellLayout.TxBase + id, counter, qpl, State.TxCounters[id]);
        TxQueue q;
        if (State.IsDqo)
        {
            uint compSize = c.TxCompRingSize == 0 ? size : c.TxCompRingSize;
            if (!SimulatedDeviceConfig.IsPow2(compSize) || compSize < size || compSize > 4u * max) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!context.TryDma(c.TxRingAddr, (long)size * TxDescDqo.Size, (int)id, -1, name + " descriptor ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!context.TryDma(c.TxCompRingAddr, (long)compSize * TxComplDesc.Size, (int)id, -1, name + " completion ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new DqoTxQueue(host, binding, c.TxRingAddr, (int)size, c.TxCompRingAddr, (int)compSize);
        }
        else
        {
            if (!context.TryDma(c.TxRingAddr, (long)size * TxDesc.Size, (int)id, -1, name + " descriptor ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new GqiTxQueue(host, binding, c.TxRingAddr, (int)size);
        }
        Install(q, res, tx: true, name);
        State.Tx[id] = q;
        State.EventCounters.Write(counter, 0, (int)id);
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses CreateRx(ref AdminqCreateRxQueue c)
    {
        if (!State.Configured) return context.NotConfigured("CREATE_RX_QUEUE");
        uint id = c.QueueId;
        if (id >= Config.MaxRxQueues) return AdminqStatuses.CommandErrorInvalidArgument;
        if (State.Rx[id] is not null) return AdminqStatuses.CommandErrorAlreadyExists;
        if (c.NtfyId >= State.Blocks.All.Count) return AdminqStatuses.CommandErrorInvalidArgument;
        uint size = c.RxRingSize == 0 ? Config.RxQueueEntries : c.RxRingSize;
        uint max = Config.ModifyRing ? Config.MaxRxRingSize : Config.RxQueueEntries;
        if (!RingSizeOk(size, Config.MinRxRingSize, max)) return AdminqStatuses.CommandErrorInvalidArgument;
        uint buf = c.PacketBufferSize;
        if (buf == 0) return AdminqStatuses.CommandErrorInvalidArgument;
        uint maxBuf = Config.BufferSizes ? Config.MaxPacketBufferSize : GvnicConstants.DefaultRxBufferSize;
        if (State.IsDqo)
        {
            if (buf < 1024 || buf > Math.Min(maxBuf, 16384u - 128) || buf % 128 != 0) return AdminqStatuses.CommandErrorInvalidArgument;
        }
        else if (buf < GvnicConstants.DefaultRxBufferSize || buf > maxBuf || buf % GvnicConstants.DefaultRxBufferSize != 0)
        {
            return AdminqStatuses.CommandErrorInvalidArgument;
        }
        uint counter = (RxCounterBase + id) % State.EventCounters.Count;
        string name = "RX queue " + id;
        AdminqStatuses st = ResolveQpl(c.QueuePageListId, name, out QueuePageList? qpl);
        if (st != AdminqStatuses.CommandPassed) return st;
        if (!context.TryDma(c.QueueResourcesAddr, QueueResources.Size, (int)id, -1, name + " queue resources", out Span<byte> res)) return AdminqStatuses.CommandErrorInvalidArgument;
        var binding = new QueueBinding((int)id, c.NtfyId, DoorbellLayout.RxBase + id, counter, qpl, State.RxCounters[id]);
        RxQueue q;
        if (State.IsDqo)
        {
            uint bufqSize = c.RxBuffRingSize == 0 ? size : c.RxBuffRingSize;
            if (!RingSizeOk(bufqSize, 1, 4u * max)) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!context.TryDma(c.RxDescRingAddr, (long)size * RxComplDescDqo.Size, (int)id, -1, name + " completion queue", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!context.TryDma(c.RxDataRingAddr, (long)bufqSize * RxDescDqo.Size, (int)id, -1, name + " buffer queue", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            // Header split: only with the buffer-sizes option's header size, and not with page lists (as upstream).
            uint header = c.HeaderBufferSize;
            if (header != 0 && (!Config.BufferSizes || header != Config.HeaderBufferSize || qpl is not null)) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new DqoRxQueue(host, binding, c.RxDescRingAddr, (int)size, c.RxDataRingAddr, (int)bufqSize, (int)buf, (int)header);
        }
        else
        {
            if (!context.TryDma(c.RxDescRingAddr, (long)size * RxDesc.Size, (int)id, -1, name + " descriptor ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!context.TryDma(c.RxDataRingAddr, (long)size * RxDataSlot.Size, (int)id, -1, name + " data ring", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new GqiRxQueue(host, binding, c.RxDescRingAddr, c.RxDataRingAddr, (int)size, (int)buf);
        }
        Install(q, res, tx: false, name);
        State.Rx[id] = q;
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses DestroyTx(uint id) => Destroy(State.Tx, id, "DESTROY_TX_QUEUE");

    public AdminqStatuses DestroyRx(uint id) => Destroy(State.Rx, id, "DESTROY_RX_QUEUE");

    private AdminqStatuses Destroy<T>(T?[] queues, uint id, string command) where T : DeviceQueue
    {
        if (!State.Configured) return context.NotConfigured(command);
        if (id >= queues.Length || queues[id] is not T q) return AdminqStatuses.CommandErrorNotFound;
        if (q.Qpl is not null) q.Qpl.Owner = null;
        State.Doorbells.Release(q.DoorbellIndex);
        queues[id] = null;
        return AdminqStatuses.CommandPassed;
    }
}
