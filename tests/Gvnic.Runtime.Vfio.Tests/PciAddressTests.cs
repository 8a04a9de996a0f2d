using System;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

public class PciAddressTests
{
    [Theory]
    [InlineData("0000:00:04.0", "0000:00:04.0", 0, 0, 4, 0)]
    [InlineData("00:05.1", "0000:00:05.1", 0, 0, 5, 1)]
    [InlineData("ABCD:EF:1F.7", "abcd:ef:1f.7", 0xABCD, 0xEF, 0x1F, 7)]
    [InlineData(" 0001:02:03.4 ", "0001:02:03.4", 1, 2, 3, 4)]
    public void ParsesAndCanonicalizes(string text, string canonical, int domain, int bus, int slot, int function)
    {
        var a = PciAddress.Parse(text);
        Assert.Equal(canonical, a.ToString());
        Assert.Equal((domain, bus, slot, function), (a.Domain, a.Bus, a.Slot, a.Function));
    }

    [Theory]
    [InlineData("")]
    [InlineData("eth0")]
    [InlineData("0000:00:04")]
    [InlineData("0000:00:20.0")]
    [InlineData("0000:00:04.8")]
    [InlineData("000:00:04.0")]
    [InlineData("0000:0:04.0")]
    [InlineData("1ae0:0042")]
    public void RejectsWhatIsNotAnAddress(string text)
    {
        Assert.False(PciAddress.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => PciAddress.Parse(text));
        Assert.Contains("expected the form 0000:00:04.0", e.Message);
    }
}
