using Gvnic.Rings;
using Xunit;

namespace Gvnic.Sdk.Tests;

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
