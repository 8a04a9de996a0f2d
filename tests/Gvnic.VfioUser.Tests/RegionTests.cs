using System;
using System.Buffers.Binary;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

public sealed class RegionTests
{
    [Fact]
    public void ReadingTheWholeConfigurationSpaceGivesItsBytes()
    {
        using var s = new Served();
        Received reply = s.Client.Request(Command.RegionRead, Messages.RegionRead(7, 0, 256));

        Assert.Equal(16 + 256, reply.Body.Length);
        Assert.Equal(Messages.RegionRead(7, 0, 256), reply.Body[..16]);
        byte[] expected = new byte[256];
        s.Server.Config.Read(0, expected);
        Assert.Equal(expected, reply.Body[16..]);
        Assert.Equal(0x1AE0, BinaryPrimitives.ReadUInt16LittleEndian(reply.Body.AsSpan(16)));
    }

    [Fact]
    public void AConfigWriteOfTheBusMasterBitEnablesDma()
    {
        using var s = new Served();
        Received reply = s.Client.Request(Command.RegionWrite, Messages.RegionWrite(7, 4, [0x04, 0x00]));

        Assert.Equal(Messages.RegionRead(7, 4, 2), reply.Body);
        Assert.True(s.Server.Memory.BusMasterEnabled);
    }

    [Fact]
    public void BarReadsAndWritesGoToTheDeviceWithTheirOffsetAndBytes()
    {
        using var s = new Served();
        Received write = s.Client.Request(Command.RegionWrite, Messages.RegionWrite(2, 0x204, [1, 2, 3, 4]));
        s.Device.Bar0[0x18] = 0xAB;
        Received read = s.Client.Request(Command.RegionRead, Messages.RegionRead(0, 0x18, 4));

        Assert.Equal(Messages.RegionRead(2, 0x204, 4), write.Body);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, s.Device.Bar2[0x204..0x208]);
        Assert.Equal(new byte[] { 0xAB, 0, 0, 0 }, read.Body[16..]);
        Assert.Equal(2, s.Device.Accesses.Count);
        Assert.Equal((2, 0x204ul, true), (s.Device.Accesses[0].Bar, s.Device.Accesses[0].Offset, s.Device.Accesses[0].Write));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, s.Device.Accesses[0].Data);
        Assert.Equal((0, 0x18ul, false), (s.Device.Accesses[1].Bar, s.Device.Accesses[1].Offset, s.Device.Accesses[1].Write));
        Assert.Equal(new byte[] { 0xAB, 0, 0, 0 }, s.Device.Accesses[1].Data);
    }

    [Fact]
    public void APostedWriteIsDoneInOrderAndGetsNoReply()
    {
        using var s = new Served();
        s.Client.Send((ushort)Command.RegionWrite, Messages.RegionWrite(0, 0x40, [9, 9, 9, 9]), noReply: true);
        Received read = s.Client.Request(Command.RegionRead, Messages.RegionRead(0, 0x40, 4));

        Assert.Equal(new byte[] { 9, 9, 9, 9 }, read.Body[16..]);
        Assert.True(s.Client.Silent(100));
    }

    [Fact]
    public void AnErrorInAPostedWriteIsRecordedWithoutAReply()
    {
        using var s = new Served();
        s.Client.Send((ushort)Command.RegionWrite, Messages.RegionWrite(0, 0x1000, [1]), noReply: true);
        Received info = s.Client.Request(Command.DeviceGetInfo, Messages.DeviceInfo());

        Assert.False(info.IsError);
        RefusedRequestAssert(s, Errno.EINVAL, "leave BAR0", replied: false);
    }

    [Theory]
    [InlineData(0u, 0xFFEul, 4u, Errno.EINVAL, "leave BAR0")]
    [InlineData(0u, 0x1000ul, 1u, Errno.EINVAL, "leave BAR0")]
    [InlineData(2u, 0xFFFF_FFFF_FFFF_FFFFul, 2u, Errno.EINVAL, "leave BAR2")]
    [InlineData(3u, 0ul, 4u, Errno.EINVAL, "does not exist")]
    [InlineData(6u, 0ul, 4u, Errno.EINVAL, "does not exist")]
    [InlineData(9u, 0ul, 4u, Errno.EINVAL, "regions 0 to 8")]
    [InlineData(7u, 0ul, 0u, Errno.EINVAL, "0 bytes")]
    [InlineData(7u, 0ul, 2_000_000u, Errno.E2BIG, "max_data_xfer_size")]
    public void AReadOutsideARegionIsRefused(uint region, ulong offset, uint count, int errno, string reason)
    {
        using var s = new Served();
        Received reply = s.Client.Request(Command.RegionRead, Messages.RegionRead(region, offset, count));

        Assert.Equal(errno, reply.Errno);
        Assert.Empty(reply.Body);
        RefusedRequestAssert(s, errno, reason, replied: true);
        Assert.Empty(s.Device.Accesses);
    }

    [Fact]
    public void AWriteWhoseCountDisagreesWithItsDataIsRefused()
    {
        using var s = new Served();
        byte[] body = Messages.RegionWrite(0, 0, [1, 2, 3, 4]);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), 8);
        Received reply = s.Client.Request(Command.RegionWrite, body);

        Assert.Equal(Errno.EINVAL, reply.Errno);
        Assert.Empty(s.Device.Accesses);
    }

    [Fact]
    public void AReadWithExtraBytesIsRefused()
    {
        using var s = new Served();
        Received reply = s.Client.Request(Command.RegionRead, [.. Messages.RegionRead(0, 0, 4), 0]);
        Assert.Equal(Errno.EINVAL, reply.Errno);
    }

    [Fact]
    public void ADeviceExceptionIsAnsweredWithEioAndTheServerGoesOn()
    {
        using var s = new Served();
        s.Device.ThrowAt = 0x20;
        Received failed = s.Client.Request(Command.RegionRead, Messages.RegionRead(0, 0x20, 4));
        Received next = s.Client.Request(Command.RegionRead, Messages.RegionRead(0, 0x24, 4));

        Assert.Equal(Errno.EIO, failed.Errno);
        Assert.False(next.IsError);
        Assert.Equal(1, s.Server.Statistics.DeviceExceptions);
        RefusedRequestAssert(s, Errno.EIO, "InvalidOperationException: the fake device refuses this offset", replied: true);
    }

    [Fact]
    public void WriteMultiDoesEveryWriteInOrder()
    {
        using var s = new Served();
        byte[] body = new byte[8 + 3 * 24];
        new WriteMulti { WrCnt = 3 }.Write(body);
        Entry(body, 0, 0, 0x30, [1, 2, 3, 4]);
        Entry(body, 1, 2, 0x08, [5, 6]);
        Entry(body, 2, 0, 0x31, [7]);
        Received reply = s.Client.Request(Command.RegionWriteMulti, body);

        Assert.Equal(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0 }, reply.Body);
        Assert.Equal(new byte[] { 1, 7, 3, 4 }, s.Device.Bar0[0x30..0x34]);
        Assert.Equal(new byte[] { 5, 6 }, s.Device.Bar2[0x08..0x0A]);
        Assert.Equal(3, s.Device.Accesses.Count);
    }

    [Fact]
    public void WriteMultiWithOneBadEntryChangesNothing()
    {
        using var s = new Served();
        byte[] body = new byte[8 + 2 * 24];
        new WriteMulti { WrCnt = 2 }.Write(body);
        Entry(body, 0, 0, 0x30, [1, 2, 3, 4]);
        Entry(body, 1, 4, 0x00, [5]);
        Received reply = s.Client.Request(Command.RegionWriteMulti, body);

        Assert.Equal(Errno.EINVAL, reply.Errno);
        Assert.Empty(s.Device.Accesses);
    }

    [Fact]
    public void WriteMultiWithoutWriteMultipleAgreedIsRefused()
    {
        using var s = new Served(negotiate: false);
        s.Client.Version("{\"capabilities\":{\"max_msg_fds\":8}}");
        byte[] body = new byte[8 + 24];
        new WriteMulti { WrCnt = 1 }.Write(body);
        Entry(body, 0, 0, 0, [1]);
        Assert.Equal(Errno.EINVAL, s.Client.Request(Command.RegionWriteMulti, body).Errno);
    }

    private static void Entry(byte[] body, int index, uint region, ulong offset, byte[] data)
    {
        var entry = new WriteMultiEntry { Region = region, Offset = offset, Count = (uint)data.Length };
        data.CopyTo(entry.Data);
        entry.Write(body.AsSpan(8 + index * 24));
    }

    internal static void RefusedRequestAssert(Served s, int errno, string reason, bool replied)
    {
        Server.RefusedRequest last = s.Server.Statistics.RecentRefusals[^1];
        Assert.Equal(errno, last.Errno);
        Assert.Contains(reason, last.Reason);
        Assert.Equal(replied, last.Replied);
    }
}
