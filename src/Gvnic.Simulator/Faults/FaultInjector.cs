using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator.Faults;

/// <summary>
/// The armed faults of one <see cref="SimulatedGvnic"/> and the hooks the model calls at the few places where
/// it answers the driver: an admin command's status, DESCRIBE_DEVICE's buffer, a queue's resources, and each
/// entry it writes into driver memory on the data path (just after writing it). A hook with nothing armed for
/// its kind returns at once. Guarded by the device's lock.
/// </summary>
public sealed class FaultInjector
{
    private readonly List<Armed> _armed = new();
    private readonly List<FiredFault> _fired = new();
    private readonly Dictionary<int, ushort> _lastTag = new();
    private bool _writingDuplicate;

    private sealed class Armed(DeviceFault fault)
    {
        public DeviceFault Fault { get; } = fault;
        public int Skip = fault.Skip;
    }

    /// <summary>Every fault that fired, oldest first.</summary>
    public IReadOnlyList<FiredFault> Fired => _fired.ToArray();

    /// <summary>How many faults are armed (once-faults leave when they fire).</summary>
    public int ArmedCount => _armed.Count;

    internal void Arm(DeviceFault fault) => _armed.Add(fault is null ? throw new ArgumentNullException(nameof(fault)) : new Armed(fault));

    internal void Clear() => _armed.Clear();

    internal void Record(DeviceFaultKind kind, int queue, long index, string detail) => _fired.Add(new FiredFault(kind, queue, index, detail));

    /// <summary>Whether a fault of <paramref name="kind"/> for <paramref name="queue"/> fires at this chance (and consumes it if once).</summary>
    private bool Fires(DeviceFaultKind kind, int queue, Func<DeviceFault, bool>? match = null)
    {
        for (int i = 0; i < _armed.Count; i++)
        {
            Armed a = _armed[i];
            if (a.Fault.Kind != kind || (a.Fault.Queue >= 0 && a.Fault.Queue != queue) || (match is not null && !match(a.Fault))) continue;
            if (a.Skip > 0)
            {
                a.Skip--;
                continue;
            }
            if (!a.Fault.Persistent) _armed.RemoveAt(i);
            return true;
        }
        return false;
    }

    private DeviceFault? Take(DeviceFaultKind kind, Func<DeviceFault, bool> match)
    {
        foreach (Armed a in _armed)
            if (a.Fault.Kind == kind && match(a.Fault)) return Fires(kind, -1, match) ? a.Fault : null;
        return null;
    }

    private bool Any(DeviceFaultKind from, DeviceFaultKind to)
    {
        foreach (Armed a in _armed) if (a.Fault.Kind >= from && a.Fault.Kind <= to) return true;
        return false;
    }

    // ---- admin queue ----

    /// <summary>The status an admin command answers instead of running, or null to run it.</summary>
    internal AdminqStatuses? AdminStatus(AdminqOpcodes opcode, uint sequence)
    {
        if (_armed.Count == 0) return null;
        DeviceFault? f = Take(DeviceFaultKind.AdminCommandStatus, x => x.Opcode == opcode);
        if (f is null) return null;
        Record(DeviceFaultKind.AdminCommandStatus, -1, sequence, opcode + " answered " + f.Status);
        return f.Status;
    }

    /// <summary>Rewrites the DESCRIBE_DEVICE buffer (<paramref name="total"/> bytes written, <paramref name="available"/> offered).</summary>
    internal void OnDescribeDevice(Span<byte> buffer, int total, int available)
    {
        if (!Any(DeviceFaultKind.DescriptorOptionCountLies, DeviceFaultKind.ZeroQueues)) return;
        ref DeviceDescriptor d = ref DeviceDescriptor.AsRef(buffer);
        if (Fires(DeviceFaultKind.DescriptorOptionCountLies, -1))
        {
            d.NumDeviceOptions = (ushort)(d.NumDeviceOptions + 40);
            Record(DeviceFaultKind.DescriptorOptionCountLies, -1, -1, "num_device_options " + d.NumDeviceOptions);
        }
        if (Fires(DeviceFaultKind.DescriptorOptionLengthLies, -1) && total > DeviceDescriptor.Size)
        {
            ref DeviceOption o = ref DeviceOption.AsRef(buffer.Slice(DeviceDescriptor.Size));
            o.OptionLength = (ushort)(total + 8);
            Record(DeviceFaultKind.DescriptorOptionLengthLies, -1, 0, "first option_length " + o.OptionLength);
        }
        if (Fires(DeviceFaultKind.DescriptorTotalLengthTooLong, -1))
        {
            d.TotalLength = (ushort)Math.Min(ushort.MaxValue, available + 64);
            Record(DeviceFaultKind.DescriptorTotalLengthTooLong, -1, -1, "total_length " + d.TotalLength);
        }
        if (Fires(DeviceFaultKind.DescriptorTotalLengthTooShort, -1))
        {
            d.TotalLength = (ushort)(DeviceDescriptor.Size - 1);
            Record(DeviceFaultKind.DescriptorTotalLengthTooShort, -1, -1, "total_length " + d.TotalLength);
        }
        if (Fires(DeviceFaultKind.DescriptorUnknownOptionId, -1))
        {
            int at = DeviceDescriptor.Size, last = -1;
            for (int i = 0; i < d.NumDeviceOptions && at + DeviceOption.Size <= total; i++)
            {
                last = at;
                at += DeviceOption.Size + DeviceOption.AsRef(buffer.Slice(at)).OptionLength;
            }
            if (last >= 0)
            {
                DeviceOption.AsRef(buffer.Slice(last)).OptionId = (DevOptId)0x7E;
                Record(DeviceFaultKind.DescriptorUnknownOptionId, -1, last, "option at byte " + last + " has id 0x7E");
            }
        }
        if (Fires(DeviceFaultKind.DescriptorMtuZero, -1))
        {
            d.Mtu = 0;
            Record(DeviceFaultKind.DescriptorMtuZero, -1, -1, "mtu 0");
        }
        if (Fires(DeviceFaultKind.DescriptorMtuAbsurd, -1))
        {
            d.Mtu = ushort.MaxValue;
            Record(DeviceFaultKind.DescriptorMtuAbsurd, -1, -1, "mtu 65535");
        }
        if (Fires(DeviceFaultKind.ZeroQueues, -1))
        {
            d.DefaultNumQueues = 0;
            ZeroQueuesActive = true;
            Record(DeviceFaultKind.ZeroQueues, -1, -1, "default_num_queues 0, max_tx_queues 0, max_rx_queues 0");
        }
    }

    /// <summary>Whether max_tx_queues and max_rx_queues read 0 (set by <see cref="DeviceFaultKind.ZeroQueues"/>).</summary>
    internal bool ZeroQueuesActive { get; set; }

    /// <summary>Rewrites the doorbell and counter indexes a CREATE_*_QUEUE answers with.</summary>
    internal void OnQueueResources(bool tx, int queue, ref uint dbIndex, ref uint counterIndex, long bar2Words, uint counters)
    {
        if (_armed.Count == 0) return;
        if (Fires(DeviceFaultKind.DoorbellOutsideBar2, queue))
        {
            dbIndex = (uint)bar2Words + 3;
            Record(DeviceFaultKind.DoorbellOutsideBar2, queue, -1, (tx ? "TX" : "RX") + " db_index " + dbIndex + " (BAR2 has " + bar2Words + " words)");
        }
        if (tx && Fires(DeviceFaultKind.CounterIndexOutsideArray, queue))
        {
            counterIndex = counters + 5;
            Record(DeviceFaultKind.CounterIndexOutsideArray, queue, -1, "counter_index " + counterIndex + " (the array has " + counters + ")");
        }
    }

    // ---- data path ----

    /// <summary>GQI RX: rewrites the descriptor just written at <paramref name="slot"/> and, maybe, the data slot the device consumed.</summary>
    internal void OnGqiRxDescriptor(int queue, int slot, Span<byte> descriptor, Span<byte> dataSlot, bool qpl, int bufferSize)
    {
        if (!Any(DeviceFaultKind.GqiRxLenTooLarge, DeviceFaultKind.GqiRxDataSlotOutsideQpl)) return;
        ref RxDesc d = ref RxDesc.AsRef(descriptor);
        if (Fires(DeviceFaultKind.GqiRxLenTooLarge, queue))
        {
            d.Len = (ushort)(bufferSize + 100);
            Record(DeviceFaultKind.GqiRxLenTooLarge, queue, slot, "len " + d.Len);
        }
        if (Fires(DeviceFaultKind.GqiRxLenZero, queue))
        {
            d.Len = 0;
            Record(DeviceFaultKind.GqiRxLenZero, queue, slot, "len 0");
        }
        if (Fires(DeviceFaultKind.GqiRxBadSequence, queue))
        {
            int good = d.Seqno;
            d.Seqno = (ushort)((good + 2) % 7 + 1); // 1 … 7, three ahead of the right one
            Record(DeviceFaultKind.GqiRxBadSequence, queue, slot, "seqno " + d.Seqno + " instead of " + good);
        }
        if (Fires(DeviceFaultKind.GqiRxErrorFlag, queue))
        {
            d.Err = true;
            Record(DeviceFaultKind.GqiRxErrorFlag, queue, slot, "err set");
        }
        if (!d.PacketCont && Fires(DeviceFaultKind.GqiRxPacketContOnLast, queue))
        {
            d.PacketCont = true;
            Record(DeviceFaultKind.GqiRxPacketContOnLast, queue, slot, "packet_cont on the last descriptor");
        }
        if (Fires(DeviceFaultKind.GqiRxDataSlotOutsideQpl, queue))
        {
            ref RxDataSlot s = ref RxDataSlot.AsRef(dataSlot);
            if (qpl) s.QplOffset = 0x7FFF_0000_0000UL;
            else s.Addr = 0xDEAD_0000_0000UL;
            Record(DeviceFaultKind.GqiRxDataSlotOutsideQpl, queue, slot, qpl ? "data slot qpl_offset 0x7FFF00000000" : "data slot addr 0xDEAD00000000");
        }
    }

    /// <summary>GQI TX: the value written into the event counter instead of <paramref name="head"/>.</summary>
    internal uint OnGqiTxEventCounter(int queue, uint head, uint doorbell)
    {
        if (_armed.Count == 0 || !Fires(DeviceFaultKind.GqiTxCounterPastPosted, queue)) return head;
        uint lie = doorbell + 5;
        Record(DeviceFaultKind.GqiTxCounterPastPosted, queue, -1, "event counter " + lie + " (doorbell " + doorbell + ")");
        return lie;
    }

    /// <summary>DQO TX: rewrites the completion just written at <paramref name="slot"/>; returns true to write it a second time.</summary>
    internal bool OnDqoTxCompletion(int queue, int slot, Span<byte> completion)
    {
        if (_writingDuplicate)
        {
            _writingDuplicate = false; // the second copy is written as is
            return false;
        }
        ref TxComplDesc c = ref TxComplDesc.AsRef(completion);
        bool packet = c.Type == ComplTypeDqo.Pkt;
        ushort tag = packet ? c.CompletionTag : (ushort)0;
        bool duplicate = false;
        if (_armed.Count > 0 && Any(DeviceFaultKind.DqoTxUnknownTag, DeviceFaultKind.DqoTxGenerationFlipped))
        {
            if (packet && Fires(DeviceFaultKind.DqoTxUnknownTag, queue))
            {
                c.CompletionTag = 0x7FF0;
                Record(DeviceFaultKind.DqoTxUnknownTag, queue, slot, "completion_tag 0x7FF0 instead of " + tag);
            }
            else if (packet && Fires(DeviceFaultKind.DqoTxDuplicateTag, queue))
            {
                duplicate = true;
                Record(DeviceFaultKind.DqoTxDuplicateTag, queue, slot, "completion for tag " + tag + " written twice");
            }
            // Stale: only when the packet completed before had another tag (with tags reused at once, wait for one that does).
            else if (packet && _lastTag.TryGetValue(queue, out ushort stale) && stale != tag && Fires(DeviceFaultKind.DqoTxStaleTag, queue))
            {
                c.CompletionTag = stale;
                Record(DeviceFaultKind.DqoTxStaleTag, queue, slot, "completion_tag " + stale + " (completed before) instead of " + tag);
            }
            if (Fires(DeviceFaultKind.DqoTxGenerationFlipped, queue))
            {
                c.Generation = !c.Generation;
                Record(DeviceFaultKind.DqoTxGenerationFlipped, queue, slot, "generation " + (c.Generation ? 1 : 0));
            }
        }
        if (packet) _lastTag[queue] = tag;
        _writingDuplicate = duplicate;
        return duplicate;
    }

    /// <summary>DQO RX: rewrites the completion just written at <paramref name="slot"/>.</summary>
    internal void OnDqoRxCompletion(int queue, int slot, Span<byte> completion, int bufferSize)
    {
        if (_armed.Count == 0 || !Any(DeviceFaultKind.DqoRxBufferIdOutOfRange, DeviceFaultKind.DqoRxGenerationFlipped)) return;
        ref RxComplDescDqo c = ref RxComplDescDqo.AsRef(completion);
        if (Fires(DeviceFaultKind.DqoRxBufferIdOutOfRange, queue))
        {
            ushort was = c.BufId;
            c.BufId = 0x3FF0;
            Record(DeviceFaultKind.DqoRxBufferIdOutOfRange, queue, slot, "buf_id 0x3FF0 instead of " + was);
        }
        if (Fires(DeviceFaultKind.DqoRxLenZero, queue))
        {
            c.PacketLen = 0;
            Record(DeviceFaultKind.DqoRxLenZero, queue, slot, "packet_len 0");
        }
        if (Fires(DeviceFaultKind.DqoRxLenTooLarge, queue))
        {
            c.PacketLen = (ushort)Math.Min(0x3FFF, bufferSize + 100);
            Record(DeviceFaultKind.DqoRxLenTooLarge, queue, slot, "packet_len " + c.PacketLen);
        }
        if (Fires(DeviceFaultKind.DqoRxGenerationFlipped, queue))
        {
            c.Generation = !c.Generation;
            Record(DeviceFaultKind.DqoRxGenerationFlipped, queue, slot, "generation " + (c.Generation ? 1 : 0));
        }
    }
}
