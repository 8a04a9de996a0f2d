using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using Gvnic.Simulator.Admin;
using Gvnic.Simulator.Device;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;

namespace Gvnic.Simulator.Registers;

/// <summary>
/// BAR0 as the driver maps it: every register access of the device passes here, under the device lock. Reads return
/// device_status, the queue limits and the admin-queue registers; writes are checked for offset, width and the
/// admin-queue revision, then go to <see cref="AdminQueueEngine"/> (admin-queue registers, driver_status) or the
/// driver-version collector. Frames the work produced leave for the wire after the lock is released.
/// </summary>
internal sealed class Bar0RegisterFile(Lock gate, DeviceState state, AdminQueueEngine admin, FaultInjector faults, ViolationLog violations) : IMmioRegion
{
    private readonly StringBuilder _versionBytes = new();
    private readonly List<string> _driverVersions = new();

    private SimulatedDeviceConfig Config => state.Config;

    /// <summary>Every complete line the driver wrote to driver_version (under the device lock).</summary>
    public string[] DriverVersions => _driverVersions.ToArray();

    /// <summary>The last driver-version string written, complete or not, or empty (under the device lock).</summary>
    public string DriverVersion => _versionBytes.Length > 0 ? _versionBytes.ToString() : _driverVersions.Count > 0 ? _driverVersions[^1] : "";

    public byte Read8(long offset) => (byte)Read(offset, 1);
    public ushort Read16(long offset) => (ushort)Read(offset, 2);
    public uint Read32(long offset) => (uint)Read(offset, 4);
    public ulong Read64(long offset) => Read(offset, 8);
    public void Write8(long offset, byte value) => Write(offset, 1, value);
    public void Write16(long offset, ushort value) => Write(offset, 2, value);
    public void Write32(long offset, uint value) => Write(offset, 4, value);
    public void Write64(long offset, ulong value) => Write(offset, 8, value);

    private ulong Read(long offset, int width)
    {
        lock (gate)
        {
            if (!state.Disposed) state.Clock.RunDue();
            if (width != 4 || (offset & 3) != 0)
            {
                violations.Add(ViolationKind.RegisterAccess, -1, offset, "BAR0 read of " + width + " bytes at 0x" + offset.ToString("X") + ": BAR0 registers are read as 32-bit words");
                return 0;
            }
            return offset switch
            {
                Bar0Registers.Offsets.DeviceStatus => Bar0Registers.EncodeDeviceStatus(ReadDeviceStatus()),
                Bar0Registers.Offsets.MaxTxQueues => Bar0Registers.EncodeMaxTxQueues(faults.MaxQueues(tx: true, Config.MaxTxQueues)),
                Bar0Registers.Offsets.MaxRxQueues => Bar0Registers.EncodeMaxRxQueues(faults.MaxQueues(tx: false, Config.MaxRxQueues)),
                Bar0Registers.Offsets.AdminqPfn => Bar0Registers.EncodeAdminqPfn(admin.Pfn),
                Bar0Registers.Offsets.AdminqEventCounter => Bar0Registers.EncodeAdminqEventCounter(faults.OnEventCounterRead(admin.EventCounter)),
                _ => 0,
            };
        }
    }

    /// <summary>device_status as read now (a lingering DEVICE_IS_RESET fault counts the reads).</summary>
    private DeviceStatusFlags ReadDeviceStatus()
    {
        DeviceStatusFlags status = state.Status;
        if (faults.LingeringResetEnds()) state.Status &= ~DeviceStatusFlags.DeviceIsReset;
        return status;
    }

    private void Write(long offset, int width, ulong raw)
    {
        lock (gate)
        {
            try
            {
                WriteLocked(offset, width, raw);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Nothing may surface as an exception in the driver's MMIO write; a model fault is recorded instead.
                violations.Add(ViolationKind.DeviceModelFault, -1, offset, "BAR0 write at 0x" + offset.ToString("X") + " failed inside the device: " + e);
            }
        }
        state.Wire.Flush();
    }

    private void WriteLocked(long offset, int width, ulong raw)
    {
        if (state.Disposed) return;
        state.Clock.RunDue();
        int expected = Bar0Registers.WriteWidth(offset);
        if (expected == 0)
        {
            violations.Add(ViolationKind.RegisterAccess, -1, offset, "BAR0 write at 0x" + offset.ToString("X") + ": no writable register there");
            return;
        }
        if (width != expected)
        {
            violations.Add(ViolationKind.RegisterAccess, -1, offset, "BAR0 write of " + width + " bytes at 0x" + offset.ToString("X") + ": the register is " + expected + " bytes wide");
            return;
        }
        bool rev0 = Config.Revision == 0;
        string? register = offset switch
        {
            Bar0Registers.Offsets.AdminqLength when rev0 => "adminq_length",
            Bar0Registers.Offsets.AdminqBaseAddressHi when rev0 => "adminq_base_address_hi",
            Bar0Registers.Offsets.AdminqBaseAddressLo when rev0 => "adminq_base_address_lo",
            Bar0Registers.Offsets.DriverStatus when rev0 => "driver_status",
            // adminq_pfn stays usable on every revision: drivers that know only the PFN interface (Linux's gve before
            // the base/length registers, e.g. 6.1) drive newer devices through it (docs/conformance.md).
            _ => null,
        };
        if (register is not null)
        {
            violations.Add(ViolationKind.RegisterAccess, -1, offset, register + " written on a revision-" + Config.Revision + " device, which does not use it");
            return;
        }
        switch (offset)
        {
            case Bar0Registers.Offsets.DriverVersion:
                WriteVersionByte((byte)raw);
                return;
            case Bar0Registers.Offsets.AdminqLength:
                admin.WriteLength(Bar0Registers.DecodeAdminqLength((ushort)raw));
                return;
            case Bar0Registers.Offsets.AdminqBaseAddressHi:
                admin.WriteBaseHi(Bar0Registers.DecodeAdminqBaseAddressHi((uint)raw));
                return;
            case Bar0Registers.Offsets.AdminqBaseAddressLo:
                admin.WriteBaseLo(Bar0Registers.DecodeAdminqBaseAddressLo((uint)raw));
                return;
            case Bar0Registers.Offsets.DriverStatus:
                admin.WriteDriverStatus(Bar0Registers.DecodeDriverStatus((uint)raw));
                return;
            case Bar0Registers.Offsets.AdminqPfn:
                admin.WritePfn(Bar0Registers.DecodeAdminqPfn((uint)raw));
                return;
            case Bar0Registers.Offsets.AdminqDoorbell:
                admin.WriteDoorbell(Bar0Registers.DecodeAdminqDoorbell((uint)raw));
                return;
        }
    }

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
}
