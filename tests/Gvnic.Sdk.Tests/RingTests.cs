using System;
using Gvnic.Rings;
using Xunit;

namespace Gvnic.Sdk.Tests;

public class RingTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(256, true)]
    [InlineData(0, false)]
    [InlineData(-4, false)]
    [InlineData(384, false)]
    public void ValidSizesArePowersOfTwo(int size, bool valid) => Assert.Equal(valid, Ring.IsValidSize(size));

    [Fact]
    public void MaskForRejectsNonPowerOfTwo()
    {
        Assert.Equal(255u, Ring.MaskFor(256));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ring.MaskFor(100, "txRing"));
        Assert.Equal("txRing", e.ParamName);
    }

    [Fact]
    public void CountersWrapAt32Bits()
    {
        uint produced = 5;              // wrapped past 2^32
        uint consumed = uint.MaxValue - 2; // 3 before the wrap
        Assert.Equal(8u, Ring.InUse(produced, consumed));
        Assert.Equal(248u, Ring.Free(produced, consumed, 256));
        Assert.Equal(5, Ring.Slot(produced, 255));
        Assert.Equal(253, Ring.Slot(consumed, 255));
    }

    [Fact]
    public void IsWithinAcceptsProgressUpToPostedOnly()
    {
        uint seen = uint.MaxValue - 1, posted = 3; // 5 outstanding across the wrap
        Assert.True(Ring.IsWithin(seen, seen, posted));
        Assert.True(Ring.IsWithin(0, seen, posted));
        Assert.True(Ring.IsWithin(3, seen, posted));
        Assert.False(Ring.IsWithin(4, seen, posted));
        Assert.False(Ring.IsWithin(seen - 1, seen, posted)); // backwards is "ahead" by almost 2^32
    }

    [Fact]
    public void UntilWrapCountsSlotsToTheEnd()
    {
        Assert.Equal(256, Ring.UntilWrap(0, 255));
        Assert.Equal(1, Ring.UntilWrap(255, 255));
        Assert.Equal(200, Ring.UntilWrap(256 + 56, 255));
    }
}
