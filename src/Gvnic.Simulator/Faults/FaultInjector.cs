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
        if (Has(DeviceFaultKind.HostileValue)) HostileDescriptor(buffer, total);
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

    /// <summary>What max_tx_queues (<paramref name="tx"/>) or max_rx_queues reads: <paramref name="configured"/>, 0 under <see cref="DeviceFaultKind.ZeroQueues"/>, or a hostile value.</summary>
    internal uint MaxQueues(bool tx, uint configured)
    {
        if (ZeroQueuesActive) return 0;
        if (_armed.Count == 0) return configured;
        HostileField field = tx ? HostileField.MaxTxQueues : HostileField.MaxRxQueues;
        if (!TakeValue(field, -1, out ulong value)) return configured;
        Record(DeviceFaultKind.HostileValue, -1, -1, (tx ? "max_tx_queues " : "max_rx_queues ") + (uint)value + " instead of " + configured);
        return (uint)value;
    }

    /// <summary>Whether a fault of <paramref name="kind"/> is armed.</summary>
    private bool Has(DeviceFaultKind kind)
    {
        foreach (Armed a in _armed) if (a.Fault.Kind == kind) return true;
        return false;
    }

    /// <summary>Whether a <see cref="DeviceFaultKind.HostileValue"/> for <paramref name="field"/> (and <paramref name="queue"/>) fires now; its value.</summary>
    private bool TakeValue(HostileField field, int queue, out ulong value)
    {
        for (int i = 0; i < _armed.Count; i++)
        {
            Armed a = _armed[i];
            if (a.Fault.Kind != DeviceFaultKind.HostileValue || a.Fault.Field != field || (a.Fault.Queue >= 0 && a.Fault.Queue != queue)) continue;
            if (a.Skip > 0)
            {
                a.Skip--;
                continue;
            }
            if (!a.Fault.Persistent) _armed.RemoveAt(i);
            value = a.Fault.Value;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Replaces the descriptor's and its options' numbers with hostile values, where one is armed for them.</summary>
    private void HostileDescriptor(Span<byte> buffer, int total)
    {
        ref DeviceDescriptor d = ref DeviceDescriptor.AsRef(buffer);
        if (TakeValue(HostileField.TxQueueEntries, -1, out ulong v)) d.TxQueueEntries = Lie("tx_queue_entries", d.TxQueueEntries, v);
        if (TakeValue(HostileField.RxQueueEntries, -1, out v)) d.RxQueueEntries = Lie("rx_queue_entries", d.RxQueueEntries, v);
        if (TakeValue(HostileField.Mtu, -1, out v)) d.Mtu = Lie("mtu", d.Mtu, v);
        if (TakeValue(HostileField.Counters, -1, out v)) d.Counters = Lie("counters", d.Counters, v);
        if (TakeValue(HostileField.TxPagesPerQpl, -1, out v)) d.TxPagesPerQpl = Lie("tx_pages_per_qpl", d.TxPagesPerQpl, v);
        if (TakeValue(HostileField.RxPagesPerQpl, -1, out v)) d.RxPagesPerQpl = Lie("rx_pages_per_qpl", d.RxPagesPerQpl, v);
        if (TakeValue(HostileField.DefaultNumQueues, -1, out v)) d.DefaultNumQueues = Lie("default_num_queues", d.DefaultNumQueues, v);
        if (TakeValue(HostileField.MaxRegisteredPages, -1, out v))
        {
            Record(DeviceFaultKind.HostileValue, -1, -1, "max_registered_pages " + v + " instead of " + d.MaxRegisteredPages);
            d.MaxRegisteredPages = v;
        }
        // The options: walk them as written (a lie about their layout is another fault's).
        int at = DeviceDescriptor.Size;
        for (int i = 0; i < d.NumDeviceOptions && at + DeviceOption.Size <= total; i++)
        {
            ref DeviceOption o = ref DeviceOption.AsRef(buffer.Slice(at));
            int length = o.OptionLength;
            if (at + DeviceOption.Size + length > total) break;
            Span<byte> payload = buffer.Slice(at + DeviceOption.Size, length);
            switch (o.OptionId)
            {
                case DevOptId.JumboFrames when length >= DeviceOptionJumboFrames.Size:
                    ref DeviceOptionJumboFrames j = ref DeviceOptionJumboFrames.AsRef(payload);
                    if (TakeValue(HostileField.JumboMaxMtu, -1, out v)) j.MaxMtu = Lie("jumbo-frames max_mtu", j.MaxMtu, v);
                    break;
                case DevOptId.ModifyRing when length >= DeviceOptionModifyRing.Size:
                    ref DeviceOptionModifyRing m = ref DeviceOptionModifyRing.AsRef(payload);
                    if (TakeValue(HostileField.ModifyRingMaxTx, -1, out v)) m.MaxTxRingSize = Lie("modify-ring max_tx_ring_size", m.MaxTxRingSize, v);
                    if (TakeValue(HostileField.ModifyRingMaxRx, -1, out v)) m.MaxRxRingSize = Lie("modify-ring max_rx_ring_size", m.MaxRxRingSize, v);
                    if (TakeValue(HostileField.ModifyRingMinTx, -1, out v)) m.MinTxRingSize = Lie("modify-ring min_tx_ring_size", m.MinTxRingSize, v);
                    if (TakeValue(HostileField.ModifyRingMinRx, -1, out v)) m.MinRxRingSize = Lie("modify-ring min_rx_ring_size", m.MinRxRingSize, v);
                    break;
                case DevOptId.DqoQpl when length >= DeviceOptionDqoQpl.Size:
                    ref DeviceOptionDqoQpl q = ref DeviceOptionDqoQpl.AsRef(payload);
                    if (TakeValue(HostileField.DqoQplTxPages, -1, out v)) q.TxPagesPerQpl = Lie("DQO QPL tx_pages_per_qpl", q.TxPagesPerQpl, v);
                    if (TakeValue(HostileField.DqoQplRxPages, -1, out v)) q.RxPagesPerQpl = Lie("DQO QPL rx_pages_per_qpl", q.RxPagesPerQpl, v);
                    break;
                case DevOptId.BufferSizes when length >= DeviceOptionBufferSizes.Size:
                    ref DeviceOptionBufferSizes b = ref DeviceOptionBufferSizes.AsRef(payload);
                    if (TakeValue(HostileField.PacketBufferSize, -1, out v)) b.PacketBufferSize = Lie("packet_buffer_size", b.PacketBufferSize, v);
                    if (TakeValue(HostileField.HeaderBufferSize, -1, out v)) b.HeaderBufferSize = Lie("header_buffer_size", b.HeaderBufferSize, v);
                    break;
                case DevOptId.NicTimestamp when length >= DeviceOptionNicTimestamp.Size:
                    ref DeviceOptionNicTimestamp t = ref DeviceOptionNicTimestamp.AsRef(payload);
                    if (TakeValue(HostileField.NicTimestampFeatures, -1, out v))
                    {
                        Record(DeviceFaultKind.HostileValue, -1, -1, "nic-timestamp supported_features_mask 0x" + ((uint)v).ToString("X") + " instead of 0x" + t.SupportedFeaturesMask.ToString("X"));
                        t.SupportedFeaturesMask = (uint)v;
                    }
                    break;
                case DevOptId.RssConfig when length >= DeviceOptionRssConfig.Size:
                    ref DeviceOptionRssConfig r = ref DeviceOptionRssConfig.AsRef(payload);
                    if (TakeValue(HostileField.RssKeySize, -1, out v)) r.HashKeySize = Lie("hash_key_size", r.HashKeySize, v);
                    if (TakeValue(HostileField.RssLutSize, -1, out v)) r.HashLutSize = Lie("hash_lut_size", r.HashLutSize, v);
                    break;
                case DevOptId.FlowSteering when length >= DeviceOptionFlowSteering.Size:
                    ref DeviceOptionFlowSteering f = ref DeviceOptionFlowSteering.AsRef(payload);
                    if (TakeValue(HostileField.MaxFlowRules, -1, out v)) f.MaxFlowRules = Lie("max_flow_rules", f.MaxFlowRules, v);
                    break;
            }
            at += DeviceOption.Size + length;
        }
    }

    /// <summary>Records a 16-bit field replaced by <paramref name="value"/> (truncated) and returns the lie.</summary>
    private ushort Lie(string field, ushort truth, ulong value)
    {
        Record(DeviceFaultKind.HostileValue, -1, -1, field + " " + (ushort)value + " instead of " + truth);
        return (ushort)value;
    }

    /// <summary>Records a 32-bit field replaced by <paramref name="value"/> (truncated) and returns the lie.</summary>
    private uint Lie(string field, uint truth, ulong value)
    {
        Record(DeviceFaultKind.HostileValue, -1, -1, field + " " + (uint)value + " instead of " + truth);
        return (uint)value;
    }

    /// <summary>The irq_db_index written for notification block <paramref name="block"/>: <paramref name="index"/>, or a hostile value.</summary>
    internal uint OnIrqDoorbellIndex(int block, uint index)
    {
        if (_armed.Count == 0 || !TakeValue(HostileField.IrqDoorbellIndex, block, out ulong v)) return index;
        Record(DeviceFaultKind.HostileValue, block, -1, "notification block " + block + " irq_db_index " + (uint)v + " instead of " + index);
        return (uint)v;
    }

    /// <summary>The link speed REPORT_LINK_SPEED writes: <paramref name="speed"/>, or a hostile value.</summary>
    internal ulong OnLinkSpeed(ulong speed)
    {
        if (_armed.Count == 0 || !TakeValue(HostileField.LinkSpeed, -1, out ulong v)) return speed;
        Record(DeviceFaultKind.HostileValue, -1, -1, "link speed " + v + " instead of " + speed);
        return v;
    }

    /// <summary>Rewrites the packet-type map GET_PTYPE_MAP just wrote (every entry's l3_type and l4_type), when a hostile value is armed for it.</summary>
    internal void OnPacketTypeMap(Span<byte> map)
    {
        if (_armed.Count == 0 || !TakeValue(HostileField.PacketTypes, -1, out ulong v)) return;
        for (int i = 0; i < PtypeMap.PtypesLength; i++)
        {
            Span<byte> entry = map.Slice(i * PtypeEntry.Size, PtypeEntry.Size);
            entry.Fill((byte)v);
        }
        Record(DeviceFaultKind.HostileValue, -1, -1, "every packet type's l3_type and l4_type " + (byte)v);
    }

    /// <summary>The NIC clock REPORT_NIC_TIMESTAMP writes: <paramref name="nanoseconds"/>, or a hostile value.</summary>
    internal ulong OnNicTimestamp(ulong nanoseconds)
    {
        if (_armed.Count == 0 || !TakeValue(HostileField.NicTimestamp, -1, out ulong v)) return nanoseconds;
        Record(DeviceFaultKind.HostileValue, -1, -1, "nic_timestamp " + v + " instead of " + nanoseconds);
        return v;
    }

    /// <summary>Replaces the results a DQO RX completion carries (packet type, header length, checksum bits, timestamp) with hostile values, where armed.</summary>
    private void HostileRxResults(int queue, int slot, ref RxComplDescDqo c)
    {
        if (TakeValue(HostileField.DqoRxPacketType, queue, out ulong v))
        {
            Record(DeviceFaultKind.HostileValue, queue, slot, "packet_type " + (v & 0x3FF) + " instead of " + c.PacketType);
            c.PacketType = (ushort)(v & 0x3FF);
        }
        if (TakeValue(HostileField.DqoRxHeaderLength, queue, out v))
        {
            Record(DeviceFaultKind.HostileValue, queue, slot, "header_len " + (v & 0x3FF) + " (split_header) instead of " + c.HeaderLen);
            c.HeaderLen = (ushort)(v & 0x3FF);
            c.SplitHeader = true;
        }
        if (TakeValue(HostileField.DqoRxChecksumFlags, queue, out v))
        {
            Record(DeviceFaultKind.HostileValue, queue, slot, "checksum bits 0x" + (v & 0x1F).ToString("X") + " (l3_l4_processed, csum_ip_err, csum_l4_err, csum_external_ip_err, ipv6_ex_add)");
            c.L3L4Processed = (v & 1) != 0;
            c.CsumIpErr = (v & 2) != 0;
            c.CsumL4Err = (v & 4) != 0;
            c.CsumExternalIpErr = (v & 8) != 0;
            c.Ipv6ExAdd = (v & 16) != 0;
        }
        if (TakeValue(HostileField.DqoRxTimestamp, queue, out v))
        {
            Record(DeviceFaultKind.HostileValue, queue, slot, "ts " + (uint)v + " instead of " + c.Ts);
            c.Ts = (uint)v;
            c.HwtstampValid = true;
        }
    }

    // ---- a failing control plane ----

    /// <summary>Whether the device resets itself instead of answering the command with <paramref name="opcode"/>.</summary>
    internal bool SelfResetsOn(AdminqOpcodes opcode, uint sequence)
    {
        if (_armed.Count == 0 || Take(DeviceFaultKind.AdminSelfReset, x => x.Opcode == opcode) is null) return false;
        Record(DeviceFaultKind.AdminSelfReset, -1, sequence, "the device reset itself instead of answering " + opcode);
        return true;
    }

    /// <summary>What the device does to its event counter after running the command with <paramref name="opcode"/>.</summary>
    internal AdminCounterLie AfterCommand(AdminqOpcodes opcode, uint sequence)
    {
        if (_armed.Count == 0) return AdminCounterLie.None;
        if (Take(DeviceFaultKind.AdminEventCounterAhead, x => x.Opcode == opcode) is not null)
        {
            Record(DeviceFaultKind.AdminEventCounterAhead, -1, sequence, opcode + " ran; the event counter reads 5 past the commands posted");
            return AdminCounterLie.Ahead;
        }
        if (Take(DeviceFaultKind.AdminStallAfterCommand, x => x.Opcode == opcode) is not null)
        {
            Record(DeviceFaultKind.AdminStallAfterCommand, -1, sequence, opcode + " ran; the event counter stopped before it");
            return AdminCounterLie.Stall;
        }
        return AdminCounterLie.None;
    }

    private int _lingerReads;
    private bool _lagCompletions;
    private uint _lastCounterRead;

    /// <summary>driver_status RUN: whether DEVICE_IS_RESET stays set for a while (<see cref="DeviceFaultKind.DeviceIsResetLingers"/>).</summary>
    internal bool DeviceIsResetLingers()
    {
        if (_armed.Count == 0 || !Fires(DeviceFaultKind.DeviceIsResetLingers, -1)) return false;
        _lingerReads = 20;
        _lagCompletions = true;
        _lastCounterRead = 0;
        Record(DeviceFaultKind.DeviceIsResetLingers, -1, -1, "DEVICE_IS_RESET kept for 20 reads after RUN; commands answered a read late");
        return true;
    }

    /// <summary>A read of device_status: counts down a lingering DEVICE_IS_RESET; true when it is to be cleared now.</summary>
    internal bool LingeringResetEnds()
    {
        if (_lingerReads == 0) return false;
        return --_lingerReads == 0;
    }

    /// <summary>A read of adminq_event_counter: the value read (one read late while completions lag).</summary>
    internal uint OnEventCounterRead(uint counter)
    {
        if (!_lagCompletions) return counter;
        uint shown = _lastCounterRead;
        _lastCounterRead = counter;
        return shown;
    }

    /// <summary>The device was reset: lingering state ends.</summary>
    internal void OnDeviceReset()
    {
        _lingerReads = 0;
        _lagCompletions = false;
        _lastCounterRead = 0;
    }

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
        if (TakeValue(HostileField.DoorbellIndex, queue, out ulong db))
        {
            Record(DeviceFaultKind.HostileValue, queue, -1, (tx ? "TX" : "RX") + " queue " + queue + " db_index " + (uint)db + " instead of " + dbIndex);
            dbIndex = (uint)db;
        }
        if (tx && TakeValue(HostileField.CounterIndex, queue, out ulong counter))
        {
            Record(DeviceFaultKind.HostileValue, queue, -1, "TX queue " + queue + " counter_index " + (uint)counter + " instead of " + counterIndex);
            counterIndex = (uint)counter;
        }
    }

    // ---- data path ----

    /// <summary>GQI RX: rewrites the descriptor just written at <paramref name="slot"/> and, maybe, the data slot the device consumed.</summary>
    /// <param name="queue">The RX queue.</param>
    /// <param name="slot">The descriptor's slot.</param>
    /// <param name="descriptor">The descriptor just written.</param>
    /// <param name="dataSlot">The data slot the device consumed.</param>
    /// <param name="qpl">Whether the queue uses a page list.</param>
    /// <param name="bufferSize">The queue's buffer size.</param>
    /// <param name="unwrittenSeqno">The sequence number the slot showed before this write (0 on the first lap, the previous lap's later).</param>
    internal void OnGqiRxDescriptor(int queue, int slot, Span<byte> descriptor, Span<byte> dataSlot, bool qpl, int bufferSize, int unwrittenSeqno)
    {
        ref RxDesc d = ref RxDesc.AsRef(descriptor);
        if (Has(DeviceFaultKind.GqiRxNeverValid) && Fires(DeviceFaultKind.GqiRxNeverValid, queue))
        {
            int good = d.Seqno;
            d.Seqno = (ushort)unwrittenSeqno;
            Record(DeviceFaultKind.GqiRxNeverValid, queue, slot, "seqno " + unwrittenSeqno + " (not yet written) instead of " + good);
        }
        if (!Any(DeviceFaultKind.GqiRxLenTooLarge, DeviceFaultKind.GqiRxDataSlotOutsideQpl)) return;
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

    /// <summary>DQO RX: rewrites the completion just written at <paramref name="slot"/>; returns true to write a copy of it into the next slot.</summary>
    internal bool OnDqoRxCompletion(int queue, int slot, Span<byte> completion, int bufferSize)
    {
        if (_armed.Count == 0) return false;
        ref RxComplDescDqo c = ref RxComplDescDqo.AsRef(completion);
        bool duplicate = Has(DeviceFaultKind.DqoRxDuplicateCompletion) && Fires(DeviceFaultKind.DqoRxDuplicateCompletion, queue);
        if (duplicate) Record(DeviceFaultKind.DqoRxDuplicateCompletion, queue, slot, "completion for buffer " + c.BufId + " written twice");
        HostileRxResults(queue, slot, ref c);
        if (!Any(DeviceFaultKind.DqoRxBufferIdOutOfRange, DeviceFaultKind.DqoRxGenerationFlipped)) return duplicate;
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
        return duplicate;
    }
}
