using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Gvnic.Wire;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// Turns what a driver does to a PCI function into trace events (docs/trace.md). BAR accesses are named through the
/// generated register tables; the admin queue is followed by <see cref="AdminQueueTrace"/>; doorbells are named by the
/// queue or notification block the device's answers assigned them to.
/// </summary>
/// <remarks>
/// <para>
/// Waits are folded so that runs compare: after the admin doorbell, the reads of adminq_event_counter that have not yet
/// reached the producer count and the reads of device_status and adminq_pfn (the driver's reset check) are counted, not
/// written; the read that completes the wait is written with the count (<c>@polls</c>), then the answers. After the
/// driver asks for the admin queue back (driver_status RESET, or adminq_pfn 0), the reads until the device confirms are
/// folded the same way. A wait the driver gives up (any other access comes first) is written as a <c>wait</c> event with
/// the last values it read.
/// </para>
/// <para>
/// Outside waits, a device_status read that returns the value last recorded is a repeat (the data path reads it on every
/// reclaim): counted, and written (with <c>repeat</c>) only in <see cref="TraceDataMode.All"/>.
/// </para>
/// One lock orders events from several threads; an event is written before a store reaches the device and after a load
/// returns.
/// </remarks>
internal sealed class PciTraceRecorder
{
    private enum WaitKind { None, Admin, Release }

    private static class Names
    {
        public static readonly JsonEncodedText Read = JsonEncodedText.Encode(TraceFormat.Events.Read);
        public static readonly JsonEncodedText Write = JsonEncodedText.Encode(TraceFormat.Events.Write);
        public static readonly JsonEncodedText Wait = JsonEncodedText.Encode(TraceFormat.Events.Wait);
        public static readonly JsonEncodedText BusMaster = JsonEncodedText.Encode(TraceFormat.Events.BusMaster);
        public static readonly JsonEncodedText DmaAlloc = JsonEncodedText.Encode(TraceFormat.Events.DmaAlloc);
        public static readonly JsonEncodedText DmaFree = JsonEncodedText.Encode(TraceFormat.Events.DmaFree);
        public static readonly JsonEncodedText IrqEnable = JsonEncodedText.Encode(TraceFormat.Events.IrqEnable);
        public static readonly JsonEncodedText IrqDisable = JsonEncodedText.Encode(TraceFormat.Events.IrqDisable);
        public static readonly JsonEncodedText IrqWait = JsonEncodedText.Encode(TraceFormat.Events.IrqWait);
        public static readonly JsonEncodedText IrqPoll = JsonEncodedText.Encode(TraceFormat.Events.IrqPoll);
        public static readonly JsonEncodedText End = JsonEncodedText.Encode(TraceFormat.Events.End);
        public static readonly JsonEncodedText Bar = JsonEncodedText.Encode("bar");
        public static readonly JsonEncodedText Reg = JsonEncodedText.Encode("reg");
        public static readonly JsonEncodedText Width = JsonEncodedText.Encode("width");
        public static readonly JsonEncodedText Offset = JsonEncodedText.Encode("offset");
        public static readonly JsonEncodedText Raw = JsonEncodedText.Encode("raw");
        public static readonly JsonEncodedText RunValue = JsonEncodedText.Encode("@value");
        public static readonly JsonEncodedText Dma = JsonEncodedText.Encode("dma");
        public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
        public static readonly JsonEncodedText Char = JsonEncodedText.Encode("char");
        public static readonly JsonEncodedText Polls = JsonEncodedText.Encode("@polls");
        public static readonly JsonEncodedText Repeat = JsonEncodedText.Encode("repeat");
        public static readonly JsonEncodedText Queue = JsonEncodedText.Encode("queue");
        public static readonly JsonEncodedText Block = JsonEncodedText.Encode("block");
        public static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
        public static readonly JsonEncodedText RunIndex = JsonEncodedText.Encode("@index");
        public static readonly JsonEncodedText Enable = JsonEncodedText.Encode("enable");
        public static readonly JsonEncodedText Vector = JsonEncodedText.Encode("vector");
        public static readonly JsonEncodedText Vectors = JsonEncodedText.Encode("vectors");
        public static readonly JsonEncodedText Fired = JsonEncodedText.Encode("fired");
        public static readonly JsonEncodedText TimeoutUs = JsonEncodedText.Encode("timeout_us");
        public static readonly JsonEncodedText Region = JsonEncodedText.Encode("region");
        public static readonly JsonEncodedText Length = JsonEncodedText.Encode("length");
        public static readonly JsonEncodedText Align = JsonEncodedText.Encode("align");
        public static readonly JsonEncodedText RunAddress = JsonEncodedText.Encode("@addr");
    }

    private static readonly RegisterInfo?[] Bar0 = Bar0Table();
    private static readonly RegisterInfo Doorbell = Bar2Register("doorbell");
    private static readonly RegisterInfo IrqDoorbell = Bar2Register("irq_doorbell");
    private static readonly RegisterInfo DoorbellDqo = Bar2Register("doorbell_dqo");
    private static readonly RegisterInfo IrqDoorbellDqo = Bar2Register("irq_doorbell_dqo");

    private readonly object _gate = new();
    private readonly TraceEventWriter _out;
    private readonly TraceDataMode _mode;
    private readonly DmaRegionTable _regions = new();
    private readonly DoorbellRoles _doorbells = new();
    private readonly AdminQueueTrace _admin;
    private bool _closed;

    private WaitKind _wait;
    private long _releaseRegister;
    private long _polls;
    private readonly ulong?[] _lastPolled = new ulong?[Bar0.Length];

    private bool _statusRecorded;
    private ulong _recordedStatus;
    private uint _baseHigh;

    private long _skippedDoorbells;
    private long _skippedStatusReads;
    private long _skippedIrq;

    public PciTraceRecorder(Stream output, PciTraceOptions options)
    {
        _out = new TraceEventWriter(output, options.TimeProvider);
        _mode = options.Data;
        _admin = new AdminQueueTrace(_out, _regions, _doorbells);
    }

    /// <summary>Events written so far.</summary>
    public long Count
    {
        get
        {
            lock (_gate) return _out.Count;
        }
    }

    private static RegisterInfo?[] Bar0Table()
    {
        int size = 0;
        foreach (var r in Bar0Registers.Registers) size = Math.Max(size, r.Offset + 1);
        var table = new RegisterInfo?[size];
        foreach (var r in Bar0Registers.Registers) table[r.Offset] = new RegisterInfo(r);
        return table;
    }

    private static RegisterInfo Bar2Register(string name)
    {
        foreach (var r in Bar2Registers.Registers)
            if (r.Name == name) return new RegisterInfo(r);
        throw new InvalidOperationException("the generated bar2 table has no register '" + name + "'");
    }

    private static RegisterInfo? Bar0Register(long offset) => (ulong)offset < (ulong)Bar0.Length ? Bar0[offset] : null;

    /// <summary>The header line: format, version, tool, start time, the device's identity, the data mode.</summary>
    public void WriteHeader(IPciFunction function, PciTraceOptions options)
    {
        lock (_gate)
        {
            var json = _out.BeginHeader();
            json.WriteString("format", TraceFormat.Name);
            json.WriteNumber("version", TraceFormat.Version);
            json.WriteString("tool", options.Tool);
            json.WriteString("start", options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteStartObject("device");
            json.WriteString("address", function.Address);
            json.WriteString("vendor_id", "0x" + function.VendorId.ToString("x4", CultureInfo.InvariantCulture));
            json.WriteString("device_id", "0x" + function.DeviceId.ToString("x4", CultureInfo.InvariantCulture));
            json.WriteNumber("revision", function.RevisionId);
            json.WriteNumber("bar2_length", function.Bar2Length);
            json.WriteNumber("msix_vectors", function.Interrupts.VectorCount);
            json.WriteEndObject();
            json.WriteString("data", TraceFormat.DataModeName(options.Data));
            _out.End(flush: true);
        }
    }

    // ---- BAR accesses -------------------------------------------------------------------------------------------------

    public void Read(int bar, long offset, int width, ulong raw)
    {
        lock (_gate)
        {
            if (_closed) return;
            if (bar == 0) Bar0Read(offset, width, raw);
            else Unnamed(Names.Read, bar, offset, width, raw);
        }
    }

    public void Write(int bar, long offset, int width, ulong raw)
    {
        lock (_gate)
        {
            if (_closed) return;
            if (bar == 0) Bar0Write(offset, width, raw);
            else Bar2Write(offset, width, raw);
        }
    }

    private void Bar0Read(long offset, int width, ulong raw)
    {
        var reg = Bar0Register(offset);
        if (reg is null || reg.Bytes != width)
        {
            EndWait();
            Unnamed(Names.Read, 0, offset, width, raw);
            return;
        }
        ulong value = reg.Decode(raw);
        if (_wait != WaitKind.None && Waiting(offset, reg, raw, value)) return;
        EndWait();
        if (offset == Bar0Registers.Offsets.DeviceStatus)
        {
            if (_statusRecorded && value == _recordedStatus)
            {
                if (_mode != TraceDataMode.All)
                {
                    _skippedStatusReads++;
                    return;
                }
                Access(Names.Read, 0, reg, raw).WriteBoolean(Names.Repeat, true);
                _out.End();
                return;
            }
            _statusRecorded = true;
            _recordedStatus = value;
        }
        if (offset == Bar0Registers.Offsets.AdminqEventCounter) _admin.Synchronize((uint)value);
        Access(Names.Read, 0, reg, raw);
        _out.End();
    }

    /// <summary>A read while the driver waits: folded into the wait (true), or the wait is over (false).</summary>
    private bool Waiting(long offset, RegisterInfo reg, ulong raw, ulong value)
    {
        if (_wait == WaitKind.Admin)
        {
            if (offset == Bar0Registers.Offsets.AdminqEventCounter)
            {
                uint counter = (uint)value;
                if (counter == _admin.Posted)
                {
                    FinishWait(reg, raw);
                    _admin.Answer(counter);
                    return true;
                }
                if (!_admin.IsBetween(counter)) return false; // ran ahead of the commands: written as it is
                Poll(offset, raw);
                return true;
            }
            if (offset is Bar0Registers.Offsets.DeviceStatus or Bar0Registers.Offsets.AdminqPfn)
            {
                Poll(offset, raw);
                return true;
            }
            return false;
        }
        if (offset != _releaseRegister) return false;
        bool released = offset == Bar0Registers.Offsets.AdminqPfn ? value == 0 : (value & (ulong)DeviceStatusFlags.DeviceIsReset) != 0;
        if (!released)
        {
            Poll(offset, raw);
            return true;
        }
        FinishWait(reg, raw);
        if (offset == Bar0Registers.Offsets.DeviceStatus)
        {
            _statusRecorded = true;
            _recordedStatus = value;
        }
        return true;
    }

    private void Poll(long offset, ulong raw)
    {
        _polls++;
        _lastPolled[offset] = raw;
    }

    private void StartWait(WaitKind kind, long register = -1)
    {
        _wait = kind;
        _releaseRegister = register;
        _polls = 0;
        Array.Clear(_lastPolled);
    }

    /// <summary>The read that ends a wait, with how many reads the wait took before it.</summary>
    private void FinishWait(RegisterInfo reg, ulong raw)
    {
        Access(Names.Read, 0, reg, raw).WriteNumber(Names.Polls, _polls);
        _out.End();
        _wait = WaitKind.None;
    }

    /// <summary>A wait the driver gave up: what it waited for and the last value of each register it read meanwhile.</summary>
    private void EndWait()
    {
        if (_wait == WaitKind.None) return;
        var json = _out.Begin(Names.Wait);
        if (_wait == WaitKind.Admin)
        {
            json.WriteString("for", "adminq_event_counter");
            json.WriteNumber("expected", _admin.Posted);
        }
        else if (_releaseRegister == Bar0Registers.Offsets.AdminqPfn)
        {
            json.WriteString("for", "adminq_pfn");
            json.WriteNumber("expected", 0);
        }
        else
        {
            json.WriteString("for", "device_status");
            json.WriteString("expected", "device_is_reset");
        }
        json.WriteNumber(Names.Polls, _polls);
        json.WriteStartObject("last");
        for (int offset = 0; offset < _lastPolled.Length; offset++)
        {
            if (_lastPolled[offset] is not ulong raw) continue;
            var reg = Bar0[offset]!;
            json.WriteStartObject(reg.Name);
            reg.WriteValue(json, raw);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        _out.End(flush: true);
        var kind = _wait;
        _wait = WaitKind.None;
        if (kind == WaitKind.Admin && _lastPolled[Bar0Registers.Offsets.AdminqEventCounter] is ulong counter)
            _admin.Answer((uint)Bar0[Bar0Registers.Offsets.AdminqEventCounter]!.Decode(counter));
    }

    private void Bar0Write(long offset, int width, ulong raw)
    {
        EndWait();
        var reg = Bar0Register(offset);
        if (reg is null || reg.Bytes != width)
        {
            Unnamed(Names.Write, 0, offset, width, raw);
            return;
        }
        ulong value = reg.Decode(raw);
        switch (offset)
        {
            case Bar0Registers.Offsets.AdminqPfn when value != 0:
                WriteAddress(reg, raw, value * GvnicConstants.AdminqPageSize);
                return;
            case Bar0Registers.Offsets.AdminqPfn:
                Access(Names.Write, 0, reg, raw);
                _out.End();
                Released(Bar0Registers.Offsets.AdminqPfn);
                return;
            case Bar0Registers.Offsets.AdminqBaseAddressHi:
                _baseHigh = (uint)value;
                Access(Names.Write, 0, reg, raw, Names.RunValue);
                _out.End();
                return;
            case Bar0Registers.Offsets.AdminqBaseAddressLo:
                WriteAddress(reg, raw, (ulong)_baseHigh << 32 | (uint)value);
                return;
            case Bar0Registers.Offsets.DriverVersion:
                Span<char> character = stackalloc char[1];
                character[0] = (char)value;
                Access(Names.Write, 0, reg, raw).WriteString(Names.Char, character);
                _out.End();
                return;
            case Bar0Registers.Offsets.AdminqDoorbell:
                Access(Names.Write, 0, reg, raw);
                _out.End();
                _admin.Post((uint)value);
                if (_admin.Outstanding) StartWait(WaitKind.Admin);
                return;
            default:
                Access(Names.Write, 0, reg, raw);
                _out.End();
                if (offset == Bar0Registers.Offsets.DriverStatus && (value & (ulong)DriverStatusFlags.Reset) != 0) Released(Bar0Registers.Offsets.DeviceStatus);
                return;
        }
    }

    /// <summary>The admin queue's address: the register's value is this run's own, the region and offset are compared.</summary>
    private void WriteAddress(RegisterInfo reg, ulong raw, ulong address)
    {
        _admin.SetPage(address);
        string? name = _regions.Name(address);
        if (name is null)
        {
            var plain = Access(Names.Write, 0, reg, raw);
            plain.WriteString(Names.Error, "0x" + address.ToString("x", CultureInfo.InvariantCulture) + " is not inside a DMA region this trace saw allocated");
            _out.End();
            return;
        }
        var json = Access(Names.Write, 0, reg, raw, Names.RunValue);
        json.WriteString(Names.Dma, name);
        _out.End();
    }

    /// <summary>The driver asked for the admin queue back: the device resets, its doorbells and counts with it.</summary>
    private void Released(long confirmingRegister)
    {
        _admin.Release();
        _doorbells.Clear();
        StartWait(WaitKind.Release, confirmingRegister);
    }

    private void Bar2Write(long offset, int width, ulong raw)
    {
        EndWait();
        uint index = (uint)(offset / Bar2Registers.DoorbellStride);
        if (width != 4 || offset % Bar2Registers.DoorbellStride != 0 || !_doorbells.TryGet(index, out var role))
        {
            Unnamed(Names.Write, 2, offset, width, raw);
            return;
        }
        if (!role.IsBlock && _mode == TraceDataMode.Off)
        {
            _skippedDoorbells++;
            return;
        }
        var reg = role.IsBlock ? (_doorbells.Dqo ? IrqDoorbellDqo : IrqDoorbell) : (_doorbells.Dqo ? DoorbellDqo : Doorbell);
        var json = _out.Begin(Names.Write);
        json.WriteNumber(Names.Bar, 2);
        json.WriteString(Names.Reg, reg.Name);
        if (role.IsBlock) json.WriteNumber(Names.Block, role.Number);
        else json.WriteString(Names.Queue, role.Label);
        json.WriteNumber(Names.RunIndex, index);
        json.WriteNumber(Names.Width, 32);
        reg.WriteValue(json, raw);
        _out.End();
    }

    /// <summary>Starts a named register access: bar, reg, width, then its value (under <paramref name="valueName"/>) and meaning.</summary>
    private Utf8JsonWriter Access(JsonEncodedText kind, int bar, RegisterInfo reg, ulong raw, JsonEncodedText valueName = default)
    {
        var json = _out.Begin(kind);
        json.WriteNumber(Names.Bar, bar);
        json.WriteString(Names.Reg, reg.Name);
        json.WriteNumber(Names.Width, reg.Bytes * 8);
        reg.WriteValue(json, raw, valueName);
        return json;
    }

    /// <summary>An access no register of the schema describes (or one of the wrong width): offset, width and raw bits.</summary>
    private void Unnamed(JsonEncodedText kind, int bar, long offset, int width, ulong raw)
    {
        var json = _out.Begin(kind);
        json.WriteNumber(Names.Bar, bar);
        if (bar == 0 && Bar0Register(offset) is RegisterInfo reg) json.WriteString(Names.Reg, reg.Name);
        if (bar == 2 && offset % Bar2Registers.DoorbellStride == 0) json.WriteNumber(Names.Index, offset / Bar2Registers.DoorbellStride);
        else RegisterInfo.WriteHex(json, Names.Offset, (ulong)offset, 4);
        json.WriteNumber(Names.Width, width * 8);
        RegisterInfo.WriteHex(json, Names.Raw, raw, width);
        _out.End();
    }

    // ---- bus mastering, DMA, MSI-X ------------------------------------------------------------------------------------

    public void BusMaster(bool enable)
    {
        lock (_gate)
        {
            if (_closed) return;
            EndWait();
            _out.Begin(Names.BusMaster).WriteBoolean(Names.Enable, enable);
            _out.End(flush: true);
        }
    }

    public void Allocated(DmaRegion region, int alignment)
    {
        lock (_gate)
        {
            if (_closed) return;
            EndWait();
            int id = _regions.Add(region);
            var json = _out.Begin(Names.DmaAlloc);
            json.WriteNumber(Names.Region, id);
            json.WriteNumber(Names.Length, region.Length);
            json.WriteNumber(Names.Align, alignment);
            RegisterInfo.WriteHex(json, Names.RunAddress, region.DeviceAddress, 8);
            _out.End();
        }
    }

    public void Freeing(DmaRegion region)
    {
        lock (_gate)
        {
            if (_closed) return;
            EndWait();
            var json = _out.Begin(Names.DmaFree);
            if (_regions.TryRemove(region, out int id)) json.WriteNumber(Names.Region, id);
            else json.WriteNull(Names.Region);
            RegisterInfo.WriteHex(json, Names.RunAddress, region.DeviceAddress, 8);
            _out.End();
        }
    }

    public void InterruptsEnabled(int count)
    {
        lock (_gate)
        {
            if (_closed) return;
            EndWait();
            _out.Begin(Names.IrqEnable).WriteNumber(Names.Vectors, count);
            _out.End();
        }
    }

    public void InterruptsDisabled()
    {
        lock (_gate)
        {
            if (_closed) return;
            EndWait();
            _out.Begin(Names.IrqDisable);
            _out.End();
        }
    }

    public void InterruptWaited(int vector, TimeSpan timeout, bool fired)
    {
        lock (_gate)
        {
            if (_closed) return;
            if (_mode != TraceDataMode.All)
            {
                _skippedIrq++;
                return;
            }
            EndWait();
            var json = _out.Begin(Names.IrqWait);
            json.WriteNumber(Names.Vector, vector);
            json.WriteNumber(Names.TimeoutUs, timeout.Ticks / TimeSpan.TicksPerMicrosecond);
            json.WriteBoolean(Names.Fired, fired);
            _out.End();
        }
    }

    public void InterruptPolled(int vector, bool fired)
    {
        lock (_gate)
        {
            if (_closed) return;
            if (_mode != TraceDataMode.All)
            {
                _skippedIrq++;
                return;
            }
            EndWait();
            var json = _out.Begin(Names.IrqPoll);
            json.WriteNumber(Names.Vector, vector);
            json.WriteBoolean(Names.Fired, fired);
            _out.End();
        }
    }

    /// <summary>Writes a pending wait and the <c>end</c> record, and closes the output. Later calls record nothing.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_closed) return;
            try
            {
                EndWait();
                long events = _out.Count;
                var json = _out.Begin(Names.End);
                json.WriteNumber("events", events);
                json.WriteStartObject("skipped");
                json.WriteNumber("queue_doorbells", _skippedDoorbells);
                json.WriteNumber("status_reads", _skippedStatusReads);
                json.WriteNumber("irq_waits", _skippedIrq);
                json.WriteEndObject();
                _out.End();
            }
            finally
            {
                _closed = true;
                _regions.Clear();
                _out.Dispose();
            }
        }
    }
}
