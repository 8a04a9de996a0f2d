using Gvnic.Rings;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

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
