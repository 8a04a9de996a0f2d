using System;
using Gvnic.Wire;

namespace Gvnic.Simulator;

/// <summary>
/// Converts between the raw value of an MMIO access (the bytes as a plain host load sees them) and a register's
/// value, using the generated register accessors so that the byte order of every register comes from the schema.
/// </summary>
/// <remarks>
/// The generated <see cref="Bar0Registers"/> and <see cref="Bar2Registers"/> are the driver's view: a write converts a
/// value to raw bytes, a read converts raw bytes to a value. Byte-order conversion is its own inverse, so running a
/// driver-side write accessor on a raw value yields the register value (what the device decodes), and running a
/// driver-side read accessor on a value yields the raw bytes (what the device presents). A probe region captures
/// the one access. Callers hold the device lock (the probe is shared).
/// </remarks>
internal sealed class RegisterCodec
{
    private readonly Probe _probe = new();

    private sealed class Probe : IMmioRegion
    {
        public ulong Value;

        public byte Read8(long offset) => (byte)Value;
        public void Write8(long offset, byte value) => Value = value;
        public ushort Read16(long offset) => (ushort)Value;
        public void Write16(long offset, ushort value) => Value = value;
        public uint Read32(long offset) => (uint)Value;
        public void Write32(long offset, uint value) => Value = value;
        public ulong Read64(long offset) => Value;
        public void Write64(long offset, ulong value) => Value = value;
    }

    private Bar0Registers Bar0 => new(_probe);

    private Bar2Registers Bar2 => new(_probe);

    /// <summary>The value of a 32-bit BAR0 register written with <paramref name="raw"/>, decoded per the schema.</summary>
    public uint DecodeBar0(int offset, uint raw)
    {
        _probe.Value = 0;
        switch (offset)
        {
            case Bar0Registers.Offsets.DriverStatus: Bar0.WriteDriverStatus((DriverStatusFlags)raw); break;
            case Bar0Registers.Offsets.AdminqPfn: Bar0.WriteAdminqPfn(raw); break;
            case Bar0Registers.Offsets.AdminqDoorbell: Bar0.WriteAdminqDoorbell(raw); break;
            case Bar0Registers.Offsets.AdminqBaseAddressHi: Bar0.WriteAdminqBaseAddressHi(raw); break;
            case Bar0Registers.Offsets.AdminqBaseAddressLo: Bar0.WriteAdminqBaseAddressLo(raw); break;
            default: throw new ArgumentOutOfRangeException(nameof(offset), offset, "not a writable 32-bit BAR0 register");
        }
        return (uint)_probe.Value;
    }

    /// <summary>The value of adminq_length written with <paramref name="raw"/>.</summary>
    public ushort DecodeAdminqLength(ushort raw)
    {
        _probe.Value = 0;
        Bar0.WriteAdminqLength(raw);
        return (ushort)_probe.Value;
    }

    /// <summary>The raw bytes a 32-bit read of a BAR0 register returns for register value <paramref name="value"/>.</summary>
    public uint EncodeBar0(int offset, uint value)
    {
        _probe.Value = value;
        return offset switch
        {
            Bar0Registers.Offsets.DeviceStatus => (uint)Bar0.ReadDeviceStatus(),
            Bar0Registers.Offsets.MaxTxQueues => Bar0.ReadMaxTxQueues(),
            Bar0Registers.Offsets.MaxRxQueues => Bar0.ReadMaxRxQueues(),
            Bar0Registers.Offsets.AdminqPfn => Bar0.ReadAdminqPfn(),
            Bar0Registers.Offsets.AdminqEventCounter => Bar0.ReadAdminqEventCounter(),
            _ => throw new ArgumentOutOfRangeException(nameof(offset), offset, "not a readable BAR0 register"),
        };
    }

    /// <summary>A GQI queue doorbell value (big-endian word).</summary>
    public uint DecodeGqiDoorbell(uint raw)
    {
        Bar2.WriteDoorbell(0, raw);
        return (uint)_probe.Value;
    }

    /// <summary>A GQI notification-block doorbell value.</summary>
    public IrqDoorbellBits DecodeGqiIrqDoorbell(uint raw)
    {
        Bar2.WriteIrqDoorbell(0, (IrqDoorbellBits)raw);
        return (IrqDoorbellBits)(uint)_probe.Value;
    }

    /// <summary>A DQO queue doorbell value (little-endian word).</summary>
    public uint DecodeDqoDoorbell(uint raw)
    {
        Bar2.WriteDoorbellDqo(0, raw);
        return (uint)_probe.Value;
    }

    /// <summary>A DQO notification-block (ITR) doorbell: the raw word is the register's bytes.</summary>
    public ItrDoorbellDqo DecodeDqoIrqDoorbell(uint raw)
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        System.Runtime.InteropServices.MemoryMarshal.Write(bytes, in raw);
        return ItrDoorbellDqo.Read(bytes);
    }
}
