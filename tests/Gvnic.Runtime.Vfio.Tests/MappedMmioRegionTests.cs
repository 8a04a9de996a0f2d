using System;
using System.Runtime.InteropServices;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

public sealed unsafe class MappedMmioRegionTests : IDisposable
{
    private const int Length = 64;
    private readonly byte* _memory = (byte*)NativeMemory.AlignedAlloc(Length, 64);

    public MappedMmioRegionTests()
    {
        for (int i = 0; i < Length; i++) _memory[i] = (byte)(0xA0 + i);
    }

    public void Dispose() => NativeMemory.AlignedFree(_memory);

    private MappedMmioRegion Region() => new("BAR0 of 0000:00:04.0", _memory, Length);

    private byte[] Bytes() => new ReadOnlySpan<byte>(_memory, Length).ToArray();

    [Fact]
    public void StoresAreByteExactHostOrderAtTheOffset()
    {
        var region = Region();
        region.Write8(1, 0x11);
        region.Write16(2, 0x2233);
        region.Write32(4, 0x44556677);
        region.Write64(8, 0x8899AABBCCDDEEFF);
        byte[] b = Bytes();
        Assert.Equal(0xA0, b[0]);
        Assert.Equal(0x11, b[1]);
        Assert.Equal(BitConverter.IsLittleEndian ? new byte[] { 0x33, 0x22 } : [0x22, 0x33], b[2..4]);
        Assert.Equal(BitConverter.IsLittleEndian ? new byte[] { 0x77, 0x66, 0x55, 0x44 } : [0x44, 0x55, 0x66, 0x77], b[4..8]);
        Assert.Equal(BitConverter.IsLittleEndian
            ? new byte[] { 0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x99, 0x88 }
            : [0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF], b[8..16]);
        Assert.Equal(0xB0, b[16]); // untouched after the last store
    }

    [Fact]
    public void LoadsSeeThePlainHostValue()
    {
        var region = Region();
        Assert.Equal(0xA3, region.Read8(3));
        Assert.Equal(BitConverter.IsLittleEndian ? (ushort)0xA5A4 : (ushort)0xA4A5, region.Read16(4));
        Assert.Equal(BitConverter.IsLittleEndian ? 0xABAAA9A8u : 0xA8A9AAABu, region.Read32(8));
        Assert.Equal(BitConverter.IsLittleEndian ? 0xDFDEDDDCDBDAD9D8ul : 0xD8D9DADBDCDDDEDFul, region.Read64(56));
    }

    [Fact]
    public void LastElementOfEachWidthIsInBounds()
    {
        var region = Region();
        region.Write8(63, 1);
        region.Write16(62, 0x0202);
        region.Write32(60, 0x03030303);
        region.Write64(56, 0x0404040404040404);
        Assert.Equal(0x0404040404040404ul, region.Read64(56));
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 2)]
    [InlineData(64, 4)]
    [InlineData(64, 8)]
    [InlineData(-8, 8)]
    [InlineData(1L << 40, 4)]
    public void OutOfBoundsAccessNamesBarOffsetAndWidth(long offset, int width)
    {
        var region = Region();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Access(region, offset, width));
        Assert.Contains(width + "-byte access at offset 0x" + offset.ToString("X") + " of BAR0 of 0000:00:04.0 is outside the region (0x40 bytes)", e.Message);
        Assert.Equal(Bytes(), Before());
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(12, 8)]
    [InlineData(7, 8)]
    public void MisalignedAccessIsRejected(long offset, int width)
    {
        var region = Region();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Access(region, offset, width));
        Assert.Contains(width + "-byte access at offset 0x" + offset.ToString("X") + " of BAR0 of 0000:00:04.0 is not naturally aligned", e.Message);
        Assert.Equal(Before(), Bytes());
    }

    [Fact]
    public void RegionShorterThanTheAccessRejectsIt()
    {
        var region = new MappedMmioRegion("BAR2 of 0000:00:05.0", _memory, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => region.Read32(0));
        Assert.Contains("4-byte access at offset 0x0 of BAR2 of 0000:00:05.0 is outside the region (0x2 bytes)", e.Message);
        Assert.Equal(BitConverter.IsLittleEndian ? (ushort)0xA1A0 : (ushort)0xA0A1, region.Read16(0));
    }

    [Fact]
    public void InvalidatedRegionThrowsObjectDisposed()
    {
        var region = Region();
        region.Invalidate();
        Assert.True(region.IsInvalidated);
        var e = Assert.Throws<ObjectDisposedException>(() => region.Read32(0));
        Assert.Contains("BAR0 of 0000:00:04.0 is no longer mapped", e.Message);
        Assert.Throws<ObjectDisposedException>(() => region.Write8(0, 1));
        Assert.Equal(0xA0, _memory[0]);
    }

    [Fact]
    public void ConstructorValidates()
    {
        Assert.Throws<ArgumentNullException>(() => new MappedMmioRegion("x", null, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedMmioRegion("x", _memory, 0));
        Assert.Equal("BAR0 of 0000:00:04.0 (64 bytes)", Region().ToString());
    }

    private static byte[] Before()
    {
        var b = new byte[Length];
        for (int i = 0; i < Length; i++) b[i] = (byte)(0xA0 + i);
        return b;
    }

    private static void Access(MappedMmioRegion region, long offset, int width)
    {
        switch (width)
        {
            case 1: region.Write8(offset, 0xEE); break;
            case 2: region.Write16(offset, 0xEEEE); break;
            case 4: region.Write32(offset, 0xEEEEEEEE); break;
            default: region.Write64(offset, 0xEEEEEEEEEEEEEEEE); break;
        }
    }
}
