using System;
using System.Buffers.Binary;
using Gvnic.Wire;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests.ServedModel;

/// <summary>A BAR of the served function as a driver maps it, every access a REGION_READ or REGION_WRITE message.</summary>
internal sealed class ClientMmio(VfioUserPciFunction function, uint region) : IMmioRegion
{
    public byte Read8(long offset) => Read(offset, 1)[0];

    public ushort Read16(long offset) => BinaryPrimitives.ReadUInt16LittleEndian(Read(offset, 2));

    public uint Read32(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(Read(offset, 4));

    public ulong Read64(long offset) => BinaryPrimitives.ReadUInt64LittleEndian(Read(offset, 8));

    public void Write8(long offset, byte value) => Write(offset, [value]);

    public void Write16(long offset, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        Write(offset, b);
    }

    public void Write32(long offset, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        Write(offset, b);
    }

    public void Write64(long offset, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        Write(offset, b);
    }

    private byte[] Read(long offset, int count)
    {
        Received reply = function.Request(Command.RegionRead, Messages.RegionRead(region, (ulong)offset, (uint)count));
        Assert.False(reply.IsError, $"REGION_READ of {count} bytes at 0x{offset:X} of region {region} failed: errno {reply.Errno}");
        return reply.Body[RegionAccess.Size..];
    }

    private void Write(long offset, ReadOnlySpan<byte> data)
    {
        Received reply = function.Request(Command.RegionWrite, Messages.RegionWrite(region, (ulong)offset, data));
        Assert.False(reply.IsError, $"REGION_WRITE of {data.Length} bytes at 0x{offset:X} of region {region} failed: errno {reply.Errno}");
    }
}
