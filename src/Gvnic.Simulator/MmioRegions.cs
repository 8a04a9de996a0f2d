using Gvnic.Wire;

namespace Gvnic.Simulator;

/// <summary>BAR0 of a simulated device as the driver maps it.</summary>
internal sealed class Bar0Region(SimulatedGvnic device) : IMmioRegion
{
    public byte Read8(long offset) => (byte)device.Bar0Read(offset, 1);
    public ushort Read16(long offset) => (ushort)device.Bar0Read(offset, 2);
    public uint Read32(long offset) => (uint)device.Bar0Read(offset, 4);
    public ulong Read64(long offset) => device.Bar0Read(offset, 8);
    public void Write8(long offset, byte value) => device.Bar0Write(offset, 1, value);
    public void Write16(long offset, ushort value) => device.Bar0Write(offset, 2, value);
    public void Write32(long offset, uint value) => device.Bar0Write(offset, 4, value);
    public void Write64(long offset, ulong value) => device.Bar0Write(offset, 8, value);
}

/// <summary>BAR2 (doorbells) of a simulated device as the driver maps it; reads return 0.</summary>
internal sealed class Bar2Region(SimulatedGvnic device) : IMmioRegion
{
    public byte Read8(long offset) => 0;
    public ushort Read16(long offset) => 0;
    public uint Read32(long offset) => 0;
    public ulong Read64(long offset) => 0;
    public void Write8(long offset, byte value) => device.Bar2Write(offset, 1, value);
    public void Write16(long offset, ushort value) => device.Bar2Write(offset, 2, value);
    public void Write32(long offset, uint value) => device.Bar2Write(offset, 4, value);
    public void Write64(long offset, ulong value) => device.Bar2Write(offset, 8, value);
}
