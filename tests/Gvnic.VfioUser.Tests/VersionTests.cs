using System;
using System.Buffers.Binary;
using System.Text;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

public sealed class VersionTests
{
    [Fact]
    public void QemusProposalIsAnsweredWithTheSubsetTheServerTakesAndNoMigration()
    {
        using var s = new Served(negotiate: false);
        Received reply = s.Client.Version(TestClient.QemuCapabilities);

        Assert.False(reply.IsError);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(reply.Body));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(reply.Body.AsSpan(2)));
        Assert.Equal(0, reply.Body[^1]);
        string json = Encoding.UTF8.GetString(reply.Body.AsSpan(4, reply.Body.Length - 5));
        Assert.Equal("{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576,\"pgsizes\":4096,\"max_dma_maps\":65535,\"write_multiple\":true}}", json);
        Assert.Equal((uint)(16 + reply.Body.Length), reply.Header.MessageSize);
    }

    [Fact]
    public void WithoutCapabilitiesTheReplyHasOnlyTheServersOwnLimits()
    {
        using var s = new Served(negotiate: false);
        Received reply = s.Client.Version(null);

        string json = Encoding.UTF8.GetString(reply.Body.AsSpan(4, reply.Body.Length - 5));
        Assert.Equal("{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576}}", json);
    }

    [Fact]
    public void AHigherMinorIsAnsweredWithTheServersMinor()
    {
        using var s = new Served(negotiate: false);
        Received reply = s.Client.Version("{}", major: 0, minor: 7);

        Assert.False(reply.IsError);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(reply.Body.AsSpan(2)));
    }

    [Theory]
    [InlineData(1, "{}", Errno.ENOTSUP)]
    [InlineData(0, "{\"capabilities\":[]}", Errno.EINVAL)]
    [InlineData(0, "{\"capabilities\":{\"max_msg_fds\":-1}}", Errno.EINVAL)]
    [InlineData(0, "{\"capabilities\":{\"max_data_xfer_size\":0}}", Errno.EINVAL)]
    [InlineData(0, "{\"capabilities\":{\"pgsizes\":100}}", Errno.EINVAL)]
    [InlineData(0, "{\"capabilities\":{\"pgsizes\":8192}}", Errno.EINVAL)]
    [InlineData(0, "{\"capabilities\":{\"write_multiple\":1}}", Errno.EINVAL)]
    [InlineData(0, "{\"capabilities\":{", Errno.EINVAL)]
    [InlineData(0, "[1,2]", Errno.EINVAL)]
    public void ABadProposalIsRefusedAndTheClientMayTryAgain(int major, string json, int errno)
    {
        using var s = new Served(negotiate: false);
        Received bad = s.Client.Version(json, major: (ushort)major);

        Assert.True(bad.IsError);
        Assert.Equal(errno, bad.Errno);
        Assert.Empty(bad.Body);
        Assert.False(s.Client.Version(TestClient.QemuCapabilities).IsError);
    }

    [Fact]
    public void CapabilitiesWithoutTheirNulAreRefused()
    {
        using var s = new Served(negotiate: false);
        byte[] body = [0, 0, 0, 0, .. Encoding.UTF8.GetBytes("{}")];
        Received reply = s.Client.Request(Command.Version, body);

        Assert.Equal(Errno.EINVAL, reply.Errno);
        Assert.Contains("NUL", s.Server.Statistics.RecentRefusals[^1].Reason);
    }

    [Fact]
    public void AnyOtherCommandBeforeVersionIsRefused()
    {
        using var s = new Served(negotiate: false);
        Received reply = s.Client.Request(Command.DeviceGetInfo, Messages.DeviceInfo());

        Assert.Equal(Errno.EINVAL, reply.Errno);
        Assert.Equal("VERSION must be the first message", s.Server.Statistics.RecentRefusals[^1].Reason);
    }

    [Fact]
    public void ASecondVersionIsRefused()
    {
        using var s = new Served();
        Assert.Equal(Errno.EINVAL, s.Client.Version(TestClient.QemuCapabilities).Errno);
    }
}
