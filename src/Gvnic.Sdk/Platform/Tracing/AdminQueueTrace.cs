using System;
using System.Globalization;
using System.Text.Json;
using Gvnic.Wire;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// The admin queue as the recorder sees it: where its page is (from adminq_pfn, or the base address registers), which
/// commands a doorbell posts (each slot between the previous and the new producer count, decoded through the catalog),
/// and what the device answered once the event counter reaches them: the status, and for commands whose answer is in
/// DMA memory (the device descriptor and options, queue resources, the IRQ doorbell array, link speed, packet types, …)
/// what the device wrote. The answers also teach <see cref="DoorbellRoles"/> which doorbell is which.
/// </summary>
internal sealed class AdminQueueTrace(TraceEventWriter output, DmaRegionTable regions, DoorbellRoles doorbells)
{
    private const uint Slots = GvnicConstants.AdminqSlots;

    private static readonly JsonEncodedText CommandKind = JsonEncodedText.Encode(TraceFormat.Events.Command);
    private static readonly JsonEncodedText AnswerKind = JsonEncodedText.Encode(TraceFormat.Events.Answer);
    private static readonly WireType CommandType = WireJson.Type(AdminqCommand.SchemaName);

    private readonly int[] _ordinals = new int[Slots];
    private ulong _pageAddress;
    private bool _pageKnown;
    private uint _posted;
    private uint _answered;
    private int _nextOrdinal;

    /// <summary>The last producer count the driver rang.</summary>
    public uint Posted => _posted;

    /// <summary>Whether commands were posted the device has not answered yet.</summary>
    public bool Outstanding => _posted != _answered;

    /// <summary>Whether an event counter value lies between the commands answered and the commands posted (free-running).</summary>
    public bool IsBetween(uint counter) => unchecked(counter - _answered) <= unchecked(_posted - _answered);

    /// <summary>The admin queue's page is at <paramref name="address"/> (revision ≥ 1: base address registers; revision 0: pfn × 4096).</summary>
    public void SetPage(ulong address)
    {
        _pageAddress = address;
        _pageKnown = true;
    }

    /// <summary>The driver took the admin queue back (the device resets): counts start again.</summary>
    public void Release()
    {
        _pageKnown = false;
        _posted = 0;
        _answered = 0;
    }

    /// <summary>A read of the event counter with nothing outstanding: the counts start there (as the driver's do).</summary>
    public void Synchronize(uint counter)
    {
        if (Outstanding) return;
        _posted = counter;
        _answered = counter;
    }

    /// <summary>The doorbell was rung with <paramref name="producer"/>: records each command it posts.</summary>
    public void Post(uint producer)
    {
        uint count = unchecked(producer - _posted);
        if (count > Slots)
        {
            var json = output.Begin(CommandKind);
            json.WriteString("error", "the doorbell moved from " + _posted + " to " + producer + ": " + count + " commands, more than the " + Slots + " slots");
            output.End();
            _posted = producer;
            _answered = producer;
            return;
        }
        for (uint n = _posted; n != producer; n++) WriteCommand(n);
        _posted = producer;
    }

    /// <summary>The event counter reads <paramref name="counter"/>: records the answer of each command it passed.</summary>
    public void Answer(uint counter)
    {
        if (!IsBetween(counter)) return;
        for (uint n = _answered; n != counter; n++) WriteAnswer(n);
        _answered = counter;
    }

    private bool TrySlot(uint count, out ReadOnlySpan<byte> slot)
    {
        slot = default;
        return _pageKnown && regions.TryRead(_pageAddress + (count % Slots) * GvnicConstants.AdminqCommandSize, AdminqCommand.Size, out slot);
    }

    private void WriteSlotIdentity(Utf8JsonWriter json, int ordinal, uint count)
    {
        json.WriteNumber("command", ordinal);
        json.WriteNumber("@count", count);
        json.WriteNumber("@slot", count % Slots);
    }

    private string NoSlot(uint count)
        => "slot " + (count % Slots) + " of the admin queue is not in DMA memory this trace saw allocated ("
           + (_pageKnown ? "the queue is at device address 0x" + _pageAddress.ToString("x", CultureInfo.InvariantCulture) : "the driver never gave the queue's address") + ")";

    private void WriteCommand(uint count)
    {
        int ordinal = _nextOrdinal++;
        _ordinals[count % Slots] = ordinal;
        var json = output.Begin(CommandKind);
        WriteSlotIdentity(json, ordinal, count);
        if (!TrySlot(count, out var slot))
        {
            json.WriteString("error", NoSlot(count));
            output.End();
            return;
        }
        var cmd = AdminqCommand.Read(slot);
        WriteOpcode(json, cmd.Opcode);
        WireJson.WriteObject(json, "cmd", CommandType, slot, regions);
        switch (cmd.Opcode)
        {
            case AdminqOpcodes.VerifyDriverCompatibility:
                WriteStruct<DriverInfo>(json, cmd.VerifyDriverCompatibility.DriverInfoAddr, cmd.VerifyDriverCompatibility.DriverInfoLen);
                break;
            case AdminqOpcodes.RegisterPageList:
                WritePages(json, cmd.RegisterPageList.PageAddressListAddr, cmd.RegisterPageList.NumPages);
                break;
            case AdminqOpcodes.ConfigureDeviceResources:
                doorbells.Dqo = (WireJson.EnumName(QueueFormatInfo.SchemaName, (ulong)cmd.ConfigureDeviceResources.QueueFormat) ?? "").StartsWith("dqo", StringComparison.Ordinal);
                break;
        }
        output.End();
    }

    private void WriteAnswer(uint count)
    {
        int ordinal = _ordinals[count % Slots];
        var json = output.Begin(AnswerKind);
        WriteSlotIdentity(json, ordinal, count);
        if (!TrySlot(count, out var slot))
        {
            json.WriteString("error", NoSlot(count));
            output.End(flush: true);
            return;
        }
        var cmd = AdminqCommand.Read(slot);
        WriteOpcode(json, cmd.Opcode);
        string? status = WireJson.EnumName(AdminqStatusesInfo.SchemaName, (ulong)cmd.Status);
        if (status is null) json.WriteNumber("status", (uint)cmd.Status);
        else json.WriteString("status", status);
        if (cmd.Status == AdminqStatuses.CommandPassed) WriteResult(json, cmd);
        output.End(flush: true);
    }

    private static void WriteOpcode(Utf8JsonWriter json, AdminqOpcodes opcode)
    {
        string? name = WireJson.EnumName(AdminqOpcodesInfo.SchemaName, (ulong)opcode);
        if (name is null) json.WriteNumber("opcode", (uint)opcode);
        else json.WriteString("opcode", name);
    }

    /// <summary>What a passed command left in DMA memory, and what it teaches about doorbells.</summary>
    private void WriteResult(Utf8JsonWriter json, AdminqCommand cmd)
    {
        switch (cmd.Opcode)
        {
            case AdminqOpcodes.DescribeDevice:
                WriteDescription(json, cmd.DescribeDevice.DeviceDescriptorAddr, cmd.DescribeDevice.AvailableLength);
                break;
            case AdminqOpcodes.ConfigureDeviceResources:
                WriteIrqDoorbells(json, cmd.ConfigureDeviceResources);
                break;
            case AdminqOpcodes.CreateTxQueue:
                WriteQueueResources(json, cmd.CreateTxQueue.QueueResourcesAddr, true, cmd.CreateTxQueue.QueueId);
                break;
            case AdminqOpcodes.CreateRxQueue:
                WriteQueueResources(json, cmd.CreateRxQueue.QueueResourcesAddr, false, cmd.CreateRxQueue.QueueId);
                break;
            case AdminqOpcodes.DestroyTxQueue:
                doorbells.RemoveQueue(true, cmd.DestroyTxQueue.QueueId);
                break;
            case AdminqOpcodes.DestroyRxQueue:
                doorbells.RemoveQueue(false, cmd.DestroyRxQueue.QueueId);
                break;
            case AdminqOpcodes.DeconfigureDeviceResources:
                doorbells.Clear();
                break;
            case AdminqOpcodes.ReportLinkSpeed:
                WriteStruct<LinkSpeedReport>(json, cmd.ReportLinkSpeed.LinkSpeedAddress, LinkSpeedReport.Size);
                break;
            case AdminqOpcodes.GetPtypeMap:
                WriteStruct<PtypeMap>(json, cmd.GetPtypeMap.PtypeMapAddr, cmd.GetPtypeMap.PtypeMapLen);
                break;
            case AdminqOpcodes.ReportNicTimestamp:
                WriteStruct<NicTsReport>(json, cmd.ReportNicTimestamp.NicTsReportAddr, cmd.ReportNicTimestamp.NicTsReportLen);
                break;
            case AdminqOpcodes.QueryRss:
                WriteStruct<QueryRssDescriptor>(json, cmd.QueryRss.RssDescriptorAddr, cmd.QueryRss.AvailableLength);
                break;
            case AdminqOpcodes.QueryFlowRules:
                WriteStruct<QueryFlowRulesDescriptor>(json, cmd.QueryFlowRules.RuleDescriptorAddr, cmd.QueryFlowRules.AvailableLength);
                break;
        }
    }

    /// <summary>
    /// Writes the <typeparamref name="T"/> at <paramref name="address"/> under its schema name; a buffer shorter than the
    /// struct is read as far as it goes (the rest as zeros), as the device could write no more.
    /// </summary>
    private void WriteStruct<T>(Utf8JsonWriter json, ulong address, ulong length) where T : unmanaged, IWireStruct<T>
    {
        int size = (int)Math.Min((ulong)T.Size, length);
        if (!regions.TryRead(address, size, out var bytes))
        {
            json.WriteString(T.SchemaName, Unreadable(address, size));
            return;
        }
        ReadOnlySpan<byte> whole = bytes;
        if (size < T.Size)
        {
            var copy = new byte[T.Size];
            bytes.CopyTo(copy);
            whole = copy;
        }
        WireJson.WriteObject(json, T.SchemaName, WireJson.Type(T.SchemaName), whole, regions);
    }

    private string Unreadable(ulong address, int length)
        => "! " + length + " bytes at " + (regions.Name(address) ?? "0x" + address.ToString("x", CultureInfo.InvariantCulture)) + " are not inside a DMA region this trace saw allocated";

    /// <summary>The device descriptor, then each device option: its header and its payload through the option list's table.</summary>
    private void WriteDescription(Utf8JsonWriter json, ulong address, uint available)
    {
        if (!regions.TryRead(address, (int)Math.Min(available, (uint)int.MaxValue), out var buffer) || buffer.Length < DeviceDescriptor.Size)
        {
            json.WriteString(DeviceDescriptor.SchemaName, Unreadable(address, (int)available));
            return;
        }
        WireJson.WriteObject(json, DeviceDescriptor.SchemaName, WireJson.Type(DeviceDescriptor.SchemaName), buffer, regions);
        var descriptor = DeviceDescriptor.Read(buffer);
        int end = Math.Min(descriptor.TotalLength, buffer.Length);
        int offset = DeviceDescriptor.Size;
        var header = WireJson.Type(DeviceOption.SchemaName);
        json.WriteStartArray("device_options");
        for (int i = 0; i < descriptor.NumDeviceOptions; i++)
        {
            if (end - offset < DeviceOption.Size)
            {
                json.WriteStringValue("! option " + i + " of " + descriptor.NumDeviceOptions + " starts at byte " + offset + ", past total_length " + descriptor.TotalLength);
                break;
            }
            var option = DeviceOption.Read(buffer[offset..]);
            json.WriteStartObject();
            WireJson.WriteMembers(json, header, buffer[offset..], regions);
            offset += DeviceOption.Size;
            int length = Math.Min(option.OptionLength, end - offset);
            if (length < option.OptionLength) json.WriteString("error", "the payload runs " + (option.OptionLength - length) + " bytes past total_length");
            WritePayload(json, DeviceOptions.Find(option.OptionId), buffer.Slice(offset, length));
            offset += option.OptionLength;
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private void WritePayload(Utf8JsonWriter json, WireOption? option, ReadOnlySpan<byte> payload)
    {
        var type = option?.Payload is string name ? WireJson.Type(name) : null;
        if (type is null)
        {
            if (payload.Length > 0) json.WriteString("payload", Convert.ToHexStringLower(payload));
            return;
        }
        var bytes = new byte[type.Size];
        payload[..Math.Min(payload.Length, type.Size)].CopyTo(bytes);
        WireJson.WriteObject(json, "payload", type, bytes, regions);
        if (payload.Length > type.Size) json.WriteString("extra", Convert.ToHexStringLower(payload[type.Size..]));
    }

    /// <summary>The doorbell index the device wrote into each entry of the IRQ doorbell array: each is a block's doorbell.</summary>
    private void WriteIrqDoorbells(Utf8JsonWriter json, AdminqConfigureDeviceResources body)
    {
        var type = WireJson.Type(IrqDb.SchemaName);
        json.WriteStartArray(IrqDb.SchemaName);
        for (uint block = 0; block < body.NumIrqDbs; block++)
        {
            ulong address = body.IrqDbAddr + block * (ulong)body.IrqDbStride;
            if (!regions.TryRead(address, IrqDb.Size, out var entry))
            {
                json.WriteStringValue(Unreadable(address, IrqDb.Size));
                break;
            }
            WireJson.WriteObject(json, null, type, entry, regions);
            doorbells.AddBlock(IrqDb.Read(entry).Index, (int)block);
        }
        json.WriteEndArray();
    }

    private void WriteQueueResources(Utf8JsonWriter json, ulong address, bool tx, uint queue)
    {
        if (!regions.TryRead(address, QueueResources.Size, out var bytes))
        {
            json.WriteString(QueueResources.SchemaName, Unreadable(address, QueueResources.Size));
            return;
        }
        WireJson.WriteObject(json, QueueResources.SchemaName, WireJson.Type(QueueResources.SchemaName), bytes, regions);
        doorbells.AddQueue(QueueResources.Read(bytes).DbIndex, tx, queue);
    }

    /// <summary>
    /// REGISTER_PAGE_LIST's page addresses as runs: <c>{"from": "dma#5+0x0", "pages": 128}</c> for 128 consecutive 4 KiB
    /// pages of region 5 (an address outside every region is written in hex).
    /// </summary>
    private void WritePages(Utf8JsonWriter json, ulong listAddress, uint count)
    {
        json.WriteStartArray("pages");
        if (!regions.TryRead(listAddress, (int)Math.Min(count * (ulong)PageListEntry.Size, int.MaxValue), out var list))
        {
            json.WriteStringValue(Unreadable(listAddress, (int)Math.Min(count * (ulong)PageListEntry.Size, int.MaxValue)));
            json.WriteEndArray();
            return;
        }
        int i = 0;
        while (i < count)
        {
            ulong first = PageListEntry.Read(list[(i * PageListEntry.Size)..]).PageAddress;
            int run = 1;
            while (i + run < count && PageListEntry.Read(list[((i + run) * PageListEntry.Size)..]).PageAddress == first + (ulong)run * GvnicConstants.PageSize
                   && regions.TryResolve(first, out var region, out _, out int offset) && offset + (run + 1) * (long)GvnicConstants.PageSize <= region.Length)
                run++;
            json.WriteStartObject();
            json.WriteString("from", regions.Name(first) ?? "0x" + first.ToString("x", CultureInfo.InvariantCulture));
            json.WriteNumber("pages", run);
            json.WriteEndObject();
            i += run;
        }
        json.WriteEndArray();
    }
}
