using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator;

public sealed partial class SimulatedGvnic
{
    /// <summary>The first BAR2 index of notification-block doorbells (block i is at this + i); 0 belongs to nothing, so a driver that ignores the IRQ-doorbell array is caught.</summary>
    public const uint IrqDoorbellBase = 0x100;

    /// <summary>The BAR2 index of TX queue 0's doorbell (queue q is at this + q).</summary>
    public const uint TxDoorbellBase = 0x200;

    /// <summary>The BAR2 index of RX queue 0's doorbell (queue q is at this + q).</summary>
    public const uint RxDoorbellBase = 0x300;

    /// <summary>The counter_index of RX queue 0 (RX queue q uses this + q when the counter array is long enough; TX queue q uses q).</summary>
    private uint RxCounterBase => _config.MaxTxQueues;

    private DeviceStatusFlags _status;
    private uint _pfn;
    private uint _aqBaseHi;
    private uint _aqBaseLo;
    private ushort _aqLength;
    private ulong _aqBase;
    private bool _aqLive;
    private uint _aqProducer;
    private uint _eventCounter;
    private bool _releasePending;
    private readonly Dictionary<uint, object> _doorbellOwners = new();
    private NotificationBlock[] _blocks = Array.Empty<NotificationBlock>();

    /// <summary>The state of one notification block as the device keeps it.</summary>
    /// <param name="Block">The block index.</param>
    /// <param name="DoorbellIndex">The BAR2 index the device assigned.</param>
    /// <param name="Vector">The MSI-X vector it raises.</param>
    /// <param name="Masked">Whether it is masked.</param>
    /// <param name="Pending">Whether work completed while it was masked.</param>
    /// <param name="Fired">How many interrupts it raised.</param>
    public sealed record NotificationBlockState(int Block, uint DoorbellIndex, int Vector, bool Masked, bool Pending, long Fired);

    internal sealed class NotificationBlock
    {
        public int Id;
        public uint DoorbellIndex;
        public int Vector;
        public bool Masked = true;
        public bool Pending;
        public long Fired;
        public int ItrIntervalUs = -1;
    }

    /// <summary>The notification blocks CONFIGURE_DEVICE_RESOURCES set up (empty before).</summary>
    public IReadOnlyList<NotificationBlockState> NotificationBlocks
    {
        get
        {
            lock (_lock)
            {
                var list = new List<NotificationBlockState>();
                foreach (NotificationBlock b in _blocks) list.Add(new NotificationBlockState(b.Id, b.DoorbellIndex, b.Vector, b.Masked, b.Pending, b.Fired));
                return list;
            }
        }
    }

    /// <summary>The MSI-X vector used for device-status changes: the vector after the notification blocks (or vector 0 when the blocks start above 0); before CONFIGURE_DEVICE_RESOURCES the last vector.</summary>
    public int ManagementVector
    {
        get { lock (_lock) return ManagementVectorLocked(); }
    }

    private int ManagementVectorLocked()
    {
        if (!_configured) return _config.MsixVectors - 1;
        return _msixBase > 0 ? 0 : (int)_numIrqDbs;
    }

    private void RaiseManagement()
    {
        int v = ManagementVectorLocked();
        if (v >= 0 && v < _config.MsixVectors) _interrupts.Raise(v);
    }

    /// <summary>Work completed for a queue bound to block <paramref name="ntfyId"/>: raise its vector unless masked.</summary>
    internal void Notify(uint ntfyId)
    {
        if (ntfyId >= _blocks.Length) return;
        NotificationBlock b = _blocks[ntfyId];
        if (b.Masked)
        {
            b.Pending = true;
            return;
        }
        Fire(b);
    }

    private void Fire(NotificationBlock b)
    {
        b.Pending = false;
        b.Fired++;
        _interrupts.Raise(b.Vector);
        // DQO blocks mask themselves when they fire until the driver re-enables them; GQI drivers mask explicitly.
        if (IsDqo) b.Masked = true;
    }

    internal bool IsDqo => _configured && (_format == QueueFormat.DqoRda || _format == QueueFormat.DqoQpl);

    // ---- BAR0 ----

    internal ulong Bar0Read(long offset, int width)
    {
        lock (_lock)
        {
            if (width != 4 || (offset & 3) != 0)
            {
                Violate(ViolationKind.RegisterAccess, -1, offset, "BAR0 read of " + width + " bytes at 0x" + offset.ToString("X") + ": BAR0 registers are read as 32-bit words");
                return 0;
            }
            return offset switch
            {
                Bar0Registers.Offsets.DeviceStatus => Bar0Registers.EncodeDeviceStatus(_status),
                Bar0Registers.Offsets.MaxTxQueues => Bar0Registers.EncodeMaxTxQueues(_faults.ZeroQueuesActive ? 0 : _config.MaxTxQueues),
                Bar0Registers.Offsets.MaxRxQueues => Bar0Registers.EncodeMaxRxQueues(_faults.ZeroQueuesActive ? 0 : _config.MaxRxQueues),
                Bar0Registers.Offsets.AdminqPfn => Bar0Registers.EncodeAdminqPfn(_config.Revision == 0 ? _pfn : 0),
                Bar0Registers.Offsets.AdminqEventCounter => Bar0Registers.EncodeAdminqEventCounter(_eventCounter),
                _ => 0,
            };
        }
    }

    internal void Bar0Write(long offset, int width, ulong raw)
    {
        lock (_lock)
        {
            try
            {
                Bar0WriteLocked(offset, width, raw);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Nothing may surface as an exception in the driver's MMIO write; a model fault is recorded instead.
                Violate(ViolationKind.DeviceModelFault, -1, offset, "BAR0 write at 0x" + offset.ToString("X") + " failed inside the device: " + e);
            }
        }
        FlushOutbox();
    }

    private void Bar0WriteLocked(long offset, int width, ulong raw)
    {
        if (_disposed) return;
        int expected = offset switch
        {
            Bar0Registers.Offsets.DriverVersion => 1,
            Bar0Registers.Offsets.AdminqLength => 2,
            Bar0Registers.Offsets.DriverStatus or Bar0Registers.Offsets.AdminqPfn or Bar0Registers.Offsets.AdminqDoorbell
                or Bar0Registers.Offsets.AdminqBaseAddressHi or Bar0Registers.Offsets.AdminqBaseAddressLo => 4,
            _ => 0,
        };
        if (expected == 0)
        {
            Violate(ViolationKind.RegisterAccess, -1, offset, "BAR0 write at 0x" + offset.ToString("X") + ": no writable register there");
            return;
        }
        if (width != expected)
        {
            Violate(ViolationKind.RegisterAccess, -1, offset, "BAR0 write of " + width + " bytes at 0x" + offset.ToString("X") + ": the register is " + expected + " bytes wide");
            return;
        }
        bool rev0 = _config.Revision == 0;
        switch (offset)
        {
            case Bar0Registers.Offsets.DriverVersion:
                WriteVersionByte((byte)raw);
                return;
            case Bar0Registers.Offsets.AdminqLength:
                if (rev0) { WrongRevision(offset, "adminq_length"); return; }
                _aqLength = Bar0Registers.DecodeAdminqLength((ushort)raw);
                return;
            case Bar0Registers.Offsets.AdminqBaseAddressHi:
                if (rev0) { WrongRevision(offset, "adminq_base_address_hi"); return; }
                _aqBaseHi = Bar0Registers.DecodeAdminqBaseAddressHi((uint)raw);
                return;
            case Bar0Registers.Offsets.AdminqBaseAddressLo:
                if (rev0) { WrongRevision(offset, "adminq_base_address_lo"); return; }
                _aqBaseLo = Bar0Registers.DecodeAdminqBaseAddressLo((uint)raw);
                return;
            case Bar0Registers.Offsets.DriverStatus:
                if (rev0) { WrongRevision(offset, "driver_status"); return; }
                WriteDriverStatus(Bar0Registers.DecodeDriverStatus((uint)raw));
                return;
            case Bar0Registers.Offsets.AdminqPfn:
                if (!rev0) { WrongRevision(offset, "adminq_pfn"); return; }
                WritePfn(Bar0Registers.DecodeAdminqPfn((uint)raw));
                return;
            case Bar0Registers.Offsets.AdminqDoorbell:
                WriteAdminDoorbell(Bar0Registers.DecodeAdminqDoorbell((uint)raw));
                return;
        }
    }

    private void WrongRevision(long offset, string register) =>
        Violate(ViolationKind.RegisterAccess, -1, offset, register + " written on a revision-" + _config.Revision + " device, which does not use it");

    private void WriteVersionByte(byte b)
    {
        if (b == (byte)'\n')
        {
            _driverVersions.Add(_versionBytes.ToString());
            _versionBytes.Clear();
        }
        else if (_versionBytes.Length < 4096)
        {
            _versionBytes.Append((char)b);
        }
    }

    private void WriteDriverStatus(DriverStatusFlags value)
    {
        if ((value & ~DriverStatusFlagsInfo.All) != 0)
            Violate(ViolationKind.RegisterAccess, -1, Bar0Registers.Offsets.DriverStatus, "driver_status 0x" + ((uint)value).ToString("X") + " has undefined bits");
        bool run = (value & DriverStatusFlags.Run) != 0;
        bool reset = (value & DriverStatusFlags.Reset) != 0;
        if (run && reset)
        {
            Violate(ViolationKind.RegisterAccess, -1, Bar0Registers.Offsets.DriverStatus, "driver_status has both RUN and RESET set");
            return;
        }
        if (reset)
        {
            if (_stalled) { _releasePending = true; return; }
            ResetDeviceState();
            _status |= DeviceStatusFlags.DeviceIsReset;
            return;
        }
        if (!run) return;
        if (_aqLive)
        {
            Violate(ViolationKind.AdminQueueState, -1, Bar0Registers.Offsets.DriverStatus, "driver_status RUN while the admin queue is already running");
            return;
        }
        ulong baseAddr = (ulong)_aqBaseHi << 32 | _aqBaseLo;
        if (baseAddr == 0 || _aqLength < GvnicConstants.AdminqBufferSize || (baseAddr & (GvnicConstants.AdminqPageSize - 1)) != 0)
        {
            Violate(ViolationKind.AdminQueueState, -1, Bar0Registers.Offsets.DriverStatus,
                "driver_status RUN with admin-queue base 0x" + baseAddr.ToString("X") + " and length " + _aqLength + ": the base must be a non-zero, 4096-aligned address and the length at least " + GvnicConstants.AdminqBufferSize);
            return;
        }
        StartAdminQueue(baseAddr);
        _status &= ~DeviceStatusFlags.DeviceIsReset;
    }

    private void WritePfn(uint pfn)
    {
        if (pfn == 0)
        {
            if (_stalled) { _releasePending = true; return; }
            ResetDeviceState();
            return;
        }
        if (_aqLive)
        {
            Violate(ViolationKind.AdminQueueState, -1, Bar0Registers.Offsets.AdminqPfn, "adminq_pfn written while the admin queue is already set up (release it with 0 first)");
            return;
        }
        _pfn = pfn;
        StartAdminQueue((ulong)pfn * GvnicConstants.AdminqPageSize);
    }

    private void StartAdminQueue(ulong baseAddr)
    {
        _aqBase = baseAddr;
        _aqLive = true;
        _aqProducer = 0;
        _eventCounter = 0;
        if (!_dma.TryResolve(baseAddr, GvnicConstants.AdminqBufferSize, out _, out ViolationKind kind, out string reason))
            Violate(kind, -1, -1, "admin queue set up at 0x" + baseAddr.ToString("X") + ": " + reason);
    }

    /// <summary>Returns the device to its power-on state (the driver released the admin queue or asked for a reset).</summary>
    private void ResetDeviceState()
    {
        _aqLive = false;
        _aqBase = 0;
        _aqBaseHi = 0;
        _aqBaseLo = 0;
        _aqLength = 0;
        _pfn = 0;
        _aqProducer = 0;
        _eventCounter = 0;
        _releasePending = false;
        _status &= ~(DeviceStatusFlags.Reset | DeviceStatusFlags.ReportStats);
        Array.Clear(_tx);
        Array.Clear(_rx);
        _qpls.Clear();
        _registeredPages = 0;
        _doorbellOwners.Clear();
        _blocks = Array.Empty<NotificationBlock>();
        _configured = false;
        _mtu = _config.Mtu;
        _statsAddr = 0;
        _statsLen = 0;
        _rssKey = null;
        _rssLut = null;
        _outbox.Clear();
        _resets++;
    }

    private long _resets;

    /// <summary>How many times the device was reset by the driver (admin queue released or driver_status RESET).</summary>
    public long ResetCount
    {
        get { lock (_lock) return _resets; }
    }

    // ---- BAR2 ----

    internal void Bar2Write(long offset, int width, ulong raw)
    {
        lock (_lock)
        {
            try
            {
                Bar2WriteLocked(offset, width, (uint)raw);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Violate(ViolationKind.DeviceModelFault, -1, offset / 4, "BAR2 write at 0x" + offset.ToString("X") + " failed inside the device: " + e);
            }
        }
        FlushOutbox();
    }

    private void Bar2WriteLocked(long offset, int width, uint raw)
    {
        if (_disposed) return;
        if (width != 4 || (offset & 3) != 0 || offset < 0 || offset + 4 > _config.Bar2Length)
        {
            Violate(ViolationKind.RegisterAccess, -1, offset / 4, "BAR2 write of " + width + " bytes at 0x" + offset.ToString("X") + ": doorbells are aligned 32-bit words inside the " + _config.Bar2Length + "-byte BAR");
            return;
        }
        uint index = (uint)(offset / 4);
        if (!_doorbellOwners.TryGetValue(index, out object? owner))
        {
            Violate(ViolationKind.UnknownDoorbell, -1, index, "doorbell " + index + " (value 0x" + raw.ToString("X8") + " raw) belongs to no queue or notification block");
            return;
        }
        if (!_busMaster)
        {
            Violate(ViolationKind.DmaWithoutBusMaster, -1, index, "doorbell " + index + " rung while bus mastering is off; the device ignores it");
            return;
        }
        switch (owner)
        {
            case NotificationBlock b:
                WriteIrqDoorbell(b, raw);
                break;
            case TxQueue t:
                t.OnDoorbell(IsDqo ? Bar2Registers.DecodeDoorbellDqo(raw) : Bar2Registers.DecodeDoorbell(raw));
                break;
            case RxQueue r:
                r.OnDoorbell(IsDqo ? Bar2Registers.DecodeDoorbellDqo(raw) : Bar2Registers.DecodeDoorbell(raw));
                break;
        }
    }

    private void WriteIrqDoorbell(NotificationBlock b, uint raw)
    {
        if (IsDqo)
        {
            ItrDoorbellDqo itr = Bar2Registers.DecodeIrqDoorbellDqo(raw);
            if (itr.NoUpdate != 3) b.ItrIntervalUs = (int)itr.Interval * 2;
            if (!itr.Enable)
            {
                b.Masked = true;
                return;
            }
            b.Masked = false;
            if (b.Pending) Fire(b);
            return;
        }
        IrqDoorbellBits bits = Bar2Registers.DecodeIrqDoorbell(raw);
        if ((bits & ~IrqDoorbellBitsInfo.All) != 0)
        {
            Violate(ViolationKind.RegisterAccess, b.Id, b.DoorbellIndex, "notification-block doorbell " + b.DoorbellIndex + " written with 0x" + ((uint)bits).ToString("X8") + ", which has bits other than ACK, MASK and EVENT (a queue doorbell value on an IRQ doorbell?)");
            return;
        }
        b.Masked = (bits & IrqDoorbellBits.Mask) != 0;
        if (!b.Masked && b.Pending) Fire(b);
    }
}
