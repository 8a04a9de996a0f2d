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
internal sealed class QueueCommands(AdminCommandContext context, IQueueHost host) : AdminCommandGroup(context)
{
    /// <summary>The counter_index of RX queue 0 (RX queue q uses this + q when the counter array is long enough; TX queue q uses q).</summary>
    private uint RxCounterBase => Config.MaxTxQueues;

    private static bool RingSizeOk(uint size, uint min, uint max) => SimulatedDeviceConfig.IsPow2(size) && size >= min && size <= max;

    /// <summary>
    /// The checks every create command starts with: configured, id below the maximum and free, notification block known,
    /// ring size (0: <paramref name="entries"/>) a power of two between <paramref name="minRing"/> and the maximum.
    /// </summary>
    private AdminqStatuses CheckCreate<T>(string command, T?[] queues, uint id, uint ntfyId, uint ringSize, ushort entries, ushort minRing, ushort maxRing, out uint size, out uint max)
        where T : DeviceQueue
    {
        size = ringSize == 0 ? entries : ringSize;
        max = Config.ModifyRing ? maxRing : entries;
        if (!State.Configured) return Context.NotConfigured(command);
        if (id >= queues.Length) return AdminqStatuses.CommandErrorInvalidArgument;
        if (queues[id] is not null) return AdminqStatuses.CommandErrorAlreadyExists;
        if (ntfyId >= State.Blocks.All.Count) return AdminqStatuses.CommandErrorInvalidArgument;
        return RingSizeOk(size, minRing, max) ? AdminqStatuses.CommandPassed : AdminqStatuses.CommandErrorInvalidArgument;
    }

    /// <summary>The page list the queue asks for (none in the raw-addressing formats), added to <paramref name="unbound"/>, and the queue-resources block.</summary>
    private AdminqStatuses Claim(uint qplId, ulong resourcesAddr, string name, QueueBinding unbound, out QueueBinding binding, out Span<byte> resources)
    {
        binding = unbound;
        resources = default;
        AdminqStatuses st = ResolveQpl(qplId, name, out QueuePageList? qpl);
        if (st != AdminqStatuses.CommandPassed) return st;
        binding = unbound with { Qpl = qpl };
        if (!Context.Aligned(resourcesAddr, name + " queue resources", unbound.Id)) return AdminqStatuses.CommandErrorInvalidArgument;
        return Context.TryDma(resourcesAddr, QueueResources.Size, unbound.Id, -1, name + " queue resources", out resources)
            ? AdminqStatuses.CommandPassed : AdminqStatuses.CommandErrorInvalidArgument;
    }

    private AdminqStatuses ResolveQpl(uint id, string owner, out QueuePageList? qpl)
    {
        qpl = null;
        // GQI RDA names no page list with 0xFFFFFFFF, as upstream always sends. DQO RDA ignores the field: Linux 6.1
        // leaves it 0 in its DQO create commands and runs on real devices (found by the conformance run).
        if (!State.IsQplFormat) return State.IsDqo || id == GvnicConstants.RawAddressingQplId ? AdminqStatuses.CommandPassed : AdminqStatuses.CommandErrorInvalidArgument;
        if (id == GvnicConstants.RawAddressingQplId) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!State.PageLists.TryGetValue(id, out qpl)) return AdminqStatuses.CommandErrorNotFound;
        if (qpl.Owner is string user)
        {
            qpl = null;
            return Context.OutOfOrder(owner + " given page list " + id + ", which " + user + " already uses");
        }
        return AdminqStatuses.CommandPassed;
    }

    private void WriteQueueResources(Span<byte> at, uint dbIndex, uint counterIndex, bool tx, int queue)
    {
        Context.Faults.OnQueueResources(tx, queue, ref dbIndex, ref counterIndex, Config.Bar2Length / 4, State.EventCounters.Count);
        at.Slice(0, QueueResources.Size).Clear();
        ref QueueResources r = ref QueueResources.AsRef(at);
        r.DbIndex = dbIndex;
        r.CounterIndex = counterIndex;
    }

    /// <summary>
    /// The event counter the device gives a new queue: with <see cref="SimulatedDeviceConfig.DeviceChoosesEventCounters"/> any
    /// of the counters it advertises that no queue uses, picked at random, and FAILED_PRECONDITION when the pick lies beyond
    /// the counters the driver configured (iPXE 59d123658); otherwise <paramref name="fixedIndex"/> (RESOURCE_EXHAUSTED when
    /// beyond the array).
    /// </summary>
    private AdminqStatuses ChooseCounter(uint fixedIndex, out uint counter)
    {
        counter = fixedIndex;
        if (!Config.DeviceChoosesEventCounters)
            return fixedIndex < State.EventCounters.Count ? AdminqStatuses.CommandPassed : AdminqStatuses.CommandErrorResourceExhausted;
        int pick = State.PickCounter(Config.Counters);
        if (pick < 0) return AdminqStatuses.CommandErrorResourceExhausted;
        counter = (uint)pick;
        return counter < State.EventCounters.Count ? AdminqStatuses.CommandPassed : AdminqStatuses.CommandErrorFailedPrecondition;
    }

    /// <summary>Whether a ring at <paramref name="address"/> of <paramref name="length"/> bytes is page-aligned DMA memory.</summary>
    private bool RingOk(ulong address, long length, uint id, string what)
        => Context.Aligned(address, what, (int)id) && Context.TryDma(address, length, (int)id, -1, what, out _);

    /// <summary>Puts a created queue in place: its page list taken, its resources written, its doorbell assigned, its counter taken, its DQO completion ring bound to its notification block.</summary>
    private void Install(DeviceQueue q, Span<byte> resources, bool tx, string name)
    {
        if (q.Qpl is not null) q.Qpl.Owner = name;
        WriteQueueResources(resources, q.DoorbellIndex, q.CounterIndex, tx, q.Id);
        State.Doorbells.Assign(q.DoorbellIndex, q);
        State.CountersInUse.Add(q.CounterIndex);
        if (q is ICompletionWriteBack ring) State.Blocks.Get(q.NtfyId)?.Attach(ring);
    }

    public AdminqStatuses CreateTx(ref AdminqCreateTxQueue c)
    {
        uint id = c.QueueId;
        AdminqStatuses st = CheckCreate("CREATE_TX_QUEUE", State.Tx, id, c.NtfyId, c.TxRingSize, Config.TxQueueEntries, Config.MinTxRingSize, Config.MaxTxRingSize, out uint size, out uint max);
        if (st != AdminqStatuses.CommandPassed) return st;
        st = ChooseCounter(id, out uint counter);
        if (st != AdminqStatuses.CommandPassed) return st;
        string name = "TX queue " + id;
        var unbound = new QueueBinding((int)id, c.NtfyId, DoorbellLayout.TxBase + id, counter, null, State.TxCounters[id]);
        st = Claim(c.QueuePageListId, c.QueueResourcesAddr, name, unbound, out QueueBinding binding, out Span<byte> res);
        if (st != AdminqStatuses.CommandPassed) return st;
        TxQueue q;
        if (State.IsDqo)
        {
            uint compSize = c.TxCompRingSize == 0 ? size : c.TxCompRingSize;
            if (!SimulatedDeviceConfig.IsPow2(compSize) || compSize < size || compSize > 4u * max) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!RingOk(c.TxRingAddr, (long)size * TxDescDqo.Size, id, name + " descriptor ring")) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!RingOk(c.TxCompRingAddr, (long)compSize * TxComplDesc.Size, id, name + " completion ring")) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new DqoTxQueue(host, binding, c.TxRingAddr, (int)size, c.TxCompRingAddr, (int)compSize);
        }
        else
        {
            if (!RingOk(c.TxRingAddr, (long)size * TxDesc.Size, id, name + " descriptor ring")) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new GqiTxQueue(host, binding, c.TxRingAddr, (int)size);
        }
        Install(q, res, tx: true, name);
        State.Tx[id] = q;
        State.EventCounters.Write(counter, 0, (int)id);
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses CreateRx(ref AdminqCreateRxQueue c)
    {
        uint id = c.QueueId;
        AdminqStatuses st = CheckCreate("CREATE_RX_QUEUE", State.Rx, id, c.NtfyId, c.RxRingSize, Config.RxQueueEntries, Config.MinRxRingSize, Config.MaxRxRingSize, out uint size, out uint max);
        if (st != AdminqStatuses.CommandPassed) return st;
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
        st = ChooseCounter((RxCounterBase + id) % State.EventCounters.Count, out uint counter);
        if (st != AdminqStatuses.CommandPassed) return st;
        string name = "RX queue " + id;
        var unbound = new QueueBinding((int)id, c.NtfyId, DoorbellLayout.RxBase + id, counter, null, State.RxCounters[id]);
        st = Claim(c.QueuePageListId, c.QueueResourcesAddr, name, unbound, out QueueBinding binding, out Span<byte> res);
        if (st != AdminqStatuses.CommandPassed) return st;
        RxQueue q;
        if (State.IsDqo)
        {
            uint bufqSize = c.RxBuffRingSize == 0 ? size : c.RxBuffRingSize;
            if (!RingSizeOk(bufqSize, 1, 4u * max)) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!RingOk(c.RxDescRingAddr, (long)size * RxComplDescDqo.Size, id, name + " completion queue")) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!RingOk(c.RxDataRingAddr, (long)bufqSize * RxDescDqo.Size, id, name + " buffer queue")) return AdminqStatuses.CommandErrorInvalidArgument;
            // Header split: only with the buffer-sizes option's header size, and not with page lists (as upstream).
            uint header = c.HeaderBufferSize;
            if (header != 0 && (!Config.BufferSizes || header != Config.HeaderBufferSize || binding.Qpl is not null)) return AdminqStatuses.CommandErrorInvalidArgument;
            q = new DqoRxQueue(host, binding, c.RxDescRingAddr, (int)size, c.RxDataRingAddr, (int)bufqSize, (int)buf, (int)header);
        }
        else
        {
            if (!RingOk(c.RxDescRingAddr, (long)size * RxDesc.Size, id, name + " descriptor ring")) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!RingOk(c.RxDataRingAddr, (long)size * RxDataSlot.Size, id, name + " data ring")) return AdminqStatuses.CommandErrorInvalidArgument;
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
        if (!State.Configured) return Context.NotConfigured(command);
        if (id >= queues.Length || queues[id] is not T q) return AdminqStatuses.CommandErrorNotFound;
        if (q.Qpl is not null) q.Qpl.Owner = null;
        State.Doorbells.Release(q.DoorbellIndex);
        State.CountersInUse.Remove(q.CounterIndex);
        if (q is ICompletionWriteBack ring) State.Blocks.Get(q.NtfyId)?.Detach(ring);
        queues[id] = null;
        return AdminqStatuses.CommandPassed;
    }
}
