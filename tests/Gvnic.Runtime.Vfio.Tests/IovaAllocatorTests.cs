using System;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

public class IovaAllocatorTests
{
    private const ulong Base = 0x1_0000_0000;

    [Fact]
    public void AllocatesFirstFitRoundedToTheGranule()
    {
        var a = new IovaAllocator(Base, Base + 0x10_0000);
        Assert.Equal(Base, a.Allocate(1, 1));
        Assert.Equal(Base + 0x1000, a.Allocate(0x1000, 4096));
        Assert.Equal(Base + 0x2000, a.Allocate(0x1001, 4096));
        Assert.Equal(0x10_0000ul - 0x4000, a.FreeBytes);
    }

    [Fact]
    public void HonoursLargeAlignmentAndKeepsTheGapFree()
    {
        var a = new IovaAllocator(Base, Base + 0x100_0000);
        Assert.Equal(Base, a.Allocate(0x1000, 4096));
        ulong aligned = a.Allocate(0x1000, 0x10_0000);
        Assert.Equal(Base + 0x10_0000, aligned);
        Assert.Equal(2, a.FreeRangeCount);
        // The gap between the two is reused by the next small allocation.
        Assert.Equal(Base + 0x1000, a.Allocate(0x1000, 4096));
    }

    [Fact]
    public void FreeMergesNeighboursBackIntoOneRange()
    {
        var a = new IovaAllocator(Base, Base + 0x10000);
        ulong x = a.Allocate(0x1000, 1), y = a.Allocate(0x2000, 1), z = a.Allocate(0x1000, 1);
        a.Free(y, 0x2000);
        Assert.Equal(2, a.FreeRangeCount);
        a.Free(x, 0x1000);
        Assert.Equal(2, a.FreeRangeCount);
        a.Free(z, 0x1000);
        Assert.Equal(1, a.FreeRangeCount);
        Assert.Equal(0x10000ul, a.FreeBytes);
        Assert.Equal(Base, a.Allocate(0x10000, 0x10000));
    }

    [Fact]
    public void ExhaustionDoubleFreeAndForeignRangesAreErrors()
    {
        var a = new IovaAllocator(Base, Base + 0x4000);
        ulong x = a.Allocate(0x3000, 1);
        var full = Assert.Throws<InvalidOperationException>(() => a.Allocate(0x2000, 1));
        Assert.Contains("no free range of 0x2000 bytes", full.Message);
        a.Free(x, 0x3000);
        var twice = Assert.Throws<InvalidOperationException>(() => a.Free(x, 0x3000));
        Assert.Contains("double free", twice.Message);
        Assert.Throws<InvalidOperationException>(() => a.Free(0x1000, 0x1000));
        Assert.Throws<ArgumentException>(() => a.Allocate(0x1000, 3));
        Assert.Throws<ArgumentException>(() => a.Allocate(0, 1));
        Assert.Throws<ArgumentException>(() => new IovaAllocator(Base + 1, Base + 0x1000));
    }
}
