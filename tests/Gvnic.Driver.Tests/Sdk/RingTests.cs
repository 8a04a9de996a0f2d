using System;
using Gvnic.Rings;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.Sdk;

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

public class GqiSequenceTests
{
    [Fact]
    public void RunsOneToSevenAndNeverZero()
    {
        byte s = GqiSequence.First;
        var seen = new byte[15];
        for (int i = 0; i < seen.Length; i++) { seen[i] = s; s = GqiSequence.Next(s); }
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7, 1 }, seen);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(7, true)]
    [InlineData(8, false)]
    public void ValidNumbers(int seqno, bool valid) => Assert.Equal(valid, GqiSequence.IsValid(seqno));

    [Fact]
    public void NewMeansTheExpectedNumber()
    {
        var d = default(RxDesc);
        Assert.False(GqiSequence.IsNew(in d, 1)); // a zeroed ring is never new
        d.Seqno = 1;
        Assert.True(GqiSequence.IsNew(in d, 1));
        Assert.False(GqiSequence.IsNew(in d, 2));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    [InlineData(1024)]
    public void PreviousLapIsOneRingBack(int ringSize)
    {
        byte start = 5, s = start;
        for (int i = 0; i < ringSize; i++) s = GqiSequence.Next(s);
        Assert.Equal(start, GqiSequence.PreviousLap(s, ringSize));
        Assert.NotEqual(s, start); // powers of two are never multiples of 7, so old and new differ
    }

    [Fact]
    public void AdvanceGoesBothWays()
    {
        Assert.Equal(7, GqiSequence.Advance(1, -1));
        Assert.Equal(1, GqiSequence.Advance(7, 1));
        Assert.Equal(3, GqiSequence.Advance(3, 14));
        Assert.Equal(2, GqiSequence.Advance(3, -8));
    }
}

public class DqoGenerationTests
{
    [Fact]
    public void FirstLapEntriesCarryOneAndTheBitFlipsPerLap()
    {
        var g = new DqoGeneration(4);
        Assert.False(g.IsNew(false)); // zeroed ring: old
        Assert.True(g.IsNew(true));
        for (int i = 0; i < 3; i++) { Assert.Equal(i, g.Slot); g.Advance(); }
        Assert.True(g.IsNew(true));
        g.Advance(); // wraps: second lap, device now writes 0
        Assert.Equal(0, g.Slot);
        Assert.Equal(4u, g.Head);
        Assert.True(g.IsNew(false));
        Assert.False(g.IsNew(true)); // last lap's entry
        for (int i = 0; i < 4; i++) g.Advance();
        Assert.True(g.IsNew(true));
    }
}
