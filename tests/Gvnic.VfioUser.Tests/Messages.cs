using System;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

/// <summary>Request bodies, built with the generated codecs.</summary>
internal static class Messages
{
    public static byte[] DeviceInfo(uint argsz = 16)
    {
        byte[] b = new byte[Wire.DeviceInfo.Size];
        new DeviceInfo { Argsz = argsz }.Write(b);
        return b;
    }

    public static byte[] RegionInfo(uint index, uint argsz = 32)
    {
        byte[] b = new byte[Wire.RegionInfo.Size];
        new RegionInfo { Argsz = argsz, Index = index }.Write(b);
        return b;
    }

    public static byte[] IrqInfo(uint index, uint argsz = 16)
    {
        byte[] b = new byte[Wire.IrqInfo.Size];
        new IrqInfo { Argsz = argsz, Index = index }.Write(b);
        return b;
    }

    public static byte[] IrqSet(uint flags, uint index, uint start, uint count, ReadOnlySpan<byte> data = default)
    {
        byte[] b = new byte[Wire.IrqSet.Size + data.Length];
        new IrqSet { Argsz = (uint)b.Length, Flags = flags, Index = index, Start = start, Count = count }.Write(b);
        data.CopyTo(b.AsSpan(Wire.IrqSet.Size));
        return b;
    }

    public static byte[] RegionRead(uint region, ulong offset, uint count)
    {
        byte[] b = new byte[RegionAccess.Size];
        new RegionAccess { Region = region, Offset = offset, Count = count }.Write(b);
        return b;
    }

    public static byte[] RegionWrite(uint region, ulong offset, ReadOnlySpan<byte> data)
    {
        byte[] b = new byte[RegionAccess.Size + data.Length];
        new RegionAccess { Region = region, Offset = offset, Count = (uint)data.Length }.Write(b);
        data.CopyTo(b.AsSpan(RegionAccess.Size));
        return b;
    }

    public static byte[] DmaMap(ulong address, ulong size, ulong offset = 0, bool readable = true, bool writeable = true)
    {
        byte[] b = new byte[Wire.DmaMap.Size];
        new DmaMap { Argsz = 32, Offset = offset, Address = address, RangeSize = size, Readable = readable, Writeable = writeable }.Write(b);
        return b;
    }

    public static byte[] DmaUnmap(ulong address, ulong size, uint flags = 0)
    {
        byte[] b = new byte[Wire.DmaUnmap.Size];
        new DmaUnmap { Argsz = 24, Flags = flags, Address = address, RangeSize = size }.Write(b);
        return b;
    }

    public static byte[] U32(uint value) => BitConverter.GetBytes(value);

    public static byte[] U64(ulong value) => BitConverter.GetBytes(value);
}
