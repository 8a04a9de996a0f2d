using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

public sealed class InfoTests
{
    [Fact]
    public void DeviceInfoSaysPciWithResetNineRegionsAndFiveInterruptTypes()
    {
        using var s = new Served();
        Received reply = s.Client.Request(Command.DeviceGetInfo, Messages.DeviceInfo(argsz: 64));

        Assert.Equal(new byte[] { 16, 0, 0, 0, 3, 0, 0, 0, 9, 0, 0, 0, 5, 0, 0, 0 }, reply.Body);
    }

    [Fact]
    public void DeviceInfoWithAnArgszBelowItsReplyIsRefused() =>
        AssertRefused(Command.DeviceGetInfo, Messages.DeviceInfo(argsz: 8), Errno.EINVAL);

    [Theory]
    [InlineData(0u, 0x1000ul)]
    [InlineData(1u, 0x1000ul)]
    [InlineData(2u, 0x4000ul)]
    [InlineData(3u, 0ul)]
    [InlineData(5u, 0ul)]
    [InlineData(6u, 0ul)]
    [InlineData(7u, 256ul)]
    [InlineData(8u, 0ul)]
    public void RegionInfoGivesSizesAndReadWriteForWhatExistsAndNothingIsMappable(uint index, ulong size)
    {
        using var s = new Served();
        Received reply = s.Client.Request(Command.DeviceGetRegionInfo, Messages.RegionInfo(index));

        Assert.Equal(RegionInfo.Size, reply.Body.Length);
        RegionInfo info = RegionInfo.Read(reply.Body);
        Assert.Equal(32u, info.Argsz);
        Assert.Equal(index, info.Index);
        Assert.Equal(size, info.RegionSize);
        Assert.Equal(size != 0 ? 3u : 0u, info.Flags);
        Assert.Equal(0u, info.CapOffset);
        Assert.Equal((ulong)index << 40, info.Offset);
        Assert.Empty(reply.Fds);
    }

    [Fact]
    public void RegionInfoOfAnIndexPastVgaIsRefused() => AssertRefused(Command.DeviceGetRegionInfo, Messages.RegionInfo(9), Errno.EINVAL);

    [Fact]
    public void RegionInfoWithAShortPayloadIsRefused() => AssertRefused(Command.DeviceGetRegionInfo, new byte[12], Errno.EINVAL);

    [Fact]
    public void IrqInfoHasEightMsixVectorsWithEventfdsAndNothingElse()
    {
        using var s = new Served();
        for (uint index = 0; index < 5; index++)
        {
            Received reply = s.Client.Request(Command.DeviceGetIrqInfo, Messages.IrqInfo(index));
            IrqInfo info = IrqInfo.Read(reply.Body);
            Assert.Equal(16u, info.Argsz);
            Assert.Equal(index, info.Index);
            Assert.Equal(index == 2 ? 8u : 0u, info.Count);
            Assert.Equal(index == 2 ? 1u : 0u, info.Flags); // EVENTFD only: not maskable, not NORESIZE
        }
    }

    [Fact]
    public void IrqInfoOfAnUnknownTypeIsRefused() => AssertRefused(Command.DeviceGetIrqInfo, Messages.IrqInfo(5), Errno.EINVAL);

    [Fact]
    public void DeviceResetResetsTheDeviceConfigurationSpaceAndMsixTable()
    {
        using var s = new Served();
        s.Client.Request(Command.RegionWrite, Messages.RegionWrite(7, 4, [0x06, 0x00]));          // memory + bus master
        s.Client.Request(Command.RegionWrite, Messages.RegionWrite(1, 12, [0, 0, 0, 0]));          // unmask vector 0
        Assert.True(s.Server.Config.BusMaster);
        Assert.False(s.Server.MsixBar.IsMasked(0));

        Received reply = s.Client.Request(Command.DeviceReset, []);

        Assert.False(reply.IsError);
        Assert.Empty(reply.Body);
        Assert.Equal(1, s.Device.Resets);
        Assert.False(s.Server.Config.BusMaster);
        Assert.False(s.Server.Memory.BusMasterEnabled);
        Assert.True(s.Server.MsixBar.IsMasked(0));
    }

    [Fact]
    public void DeviceResetWithAPayloadIsRefused() => AssertRefused(Command.DeviceReset, new byte[4], Errno.EINVAL);

    private static void AssertRefused(Command command, byte[] body, int errno)
    {
        using var s = new Served();
        Received reply = s.Client.Request(command, body);
        Assert.True(reply.IsError);
        Assert.Equal(errno, reply.Errno);
        Assert.Empty(reply.Body);
        Assert.Equal(16u, reply.Header.MessageSize);
    }
}
