using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// Golden bytes for the big-endian words the device and driver exchange in DMA memory outside commands:
/// event counters, IRQ-doorbell indexes, page-list entries, the link-speed report and RSS table entries.
/// </summary>
public class GoldenDmaWordTests
{
    [Fact]
    public void EventCounter_Golden()
    {
        const string golden = "00010203"; // count (be32) at 0
        Hex.Equal(golden, Codec.Encode(EventCounter.Size, new EventCounter { Count = 0x00010203 }.Write));
        Assert.Equal(0x00010203u, EventCounter.Read(Hex.Parse(golden)).Count);
        var img = Hex.Parse(golden);
        EventCounter.AsRef(img).Count = 0xFFFFFFFE;
        Hex.ChangedOnly(golden, img, 0, "FFFFFFFE");
    }

    [Fact]
    public void IrqDb_Golden()
    {
        const string golden = "00000101"; // index (be32) at 0: BAR2 word 0x101
        Hex.Equal(golden, Codec.Encode(IrqDb.Size, new IrqDb { Index = 0x101 }.Write));
        Assert.Equal(0x101u, IrqDb.Read(Hex.Parse(golden)).Index);
    }

    [Fact]
    public void PageListEntry_Golden()
    {
        const string golden = "0000000123456000"; // page_address (be64) at 0
        Hex.Equal(golden, Codec.Encode(PageListEntry.Size, new PageListEntry { PageAddress = 0x1_2345_6000 }.Write));
        Assert.Equal(0x1_2345_6000UL, PageListEntry.Read(Hex.Parse(golden)).PageAddress);
    }

    [Fact]
    public void LinkSpeedReport_Golden()
    {
        const string golden = "00000000000186A0"; // link_speed (be64) at 0: 100000 Mbit/s
        Hex.Equal(golden, Codec.Encode(LinkSpeedReport.Size, new LinkSpeedReport { LinkSpeed = 100_000 }.Write));
        Assert.Equal(100_000UL, LinkSpeedReport.Read(Hex.Parse(golden)).LinkSpeed);
    }

    [Fact]
    public void RssLutEntry_Golden()
    {
        const string golden = "00000003"; // queue (be32) at 0
        Hex.Equal(golden, Codec.Encode(RssLutEntry.Size, new RssLutEntry { Queue = 3 }.Write));
        Assert.Equal(3u, RssLutEntry.Read(Hex.Parse(golden)).Queue);
    }
}
