using System;
using System.Buffers.Binary;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

/// <summary>Malformed and hostile messages: each is answered with an errno, the connection survives where the stream can still be followed.</summary>
public sealed class RobustnessTests
{
    [Theory]
    [InlineData(0, Errno.ENOSYS)]
    [InlineData(99, Errno.ENOSYS)]
    [InlineData(0xFFFF, Errno.ENOSYS)]
    [InlineData(6, Errno.ENOTSUP)]
    [InlineData(14, Errno.ENOTSUP)]
    [InlineData(16, Errno.ENOTSUP)]
    [InlineData(17, Errno.ENOTSUP)]
    [InlineData(18, Errno.ENOTSUP)]
    [InlineData(11, Errno.EINVAL)]
    [InlineData(12, Errno.EINVAL)]
    public void UnknownUnsupportedAndMisdirectedCommandsAreRefused(int command, int errno)
    {
        using var s = new Served();
        Received reply = s.Client.Request((ushort)command, new byte[24]);

        Assert.Equal(errno, reply.Errno);
        Assert.Equal(0x21u, reply.Header.Flags);  // reply + error
        Assert.False(s.Client.Request(Command.DeviceGetInfo, Messages.DeviceInfo()).IsError);
    }

    [Fact]
    public void DescriptorsWithACommandThatTakesNoneAreRefused()
    {
        using var s = new Served();
        using var ram = new Memfd(0x1000);
        Received reply = s.Client.Request(Command.RegionRead, Messages.RegionRead(0, 0, 4), [ram.Fd]);

        Assert.Equal(Errno.EINVAL, reply.Errno);
        Assert.Contains("takes none", s.Server.Statistics.RecentRefusals[^1].Reason);
    }

    [Fact]
    public void AMessageLargerThanTheServerTakesIsReadDroppedAndRefused()
    {
        using var s = new Served(options: new Server.VfioUserServerOptions { MaxDataTransferSize = 4096 });
        byte[] huge = new byte[16 + 4096 + 65 * 1024];
        Received reply = s.Client.Request(Command.RegionWrite, huge);

        Assert.Equal(Errno.E2BIG, reply.Errno);
        Assert.False(s.Client.Request(Command.DeviceGetInfo, Messages.DeviceInfo()).IsError);
    }

    [Fact]
    public void AMessageTypeOtherThanRequestOrReplyIsRefused()
    {
        using var s = new Served();
        byte[] message = new byte[16 + 16];
        new MessageHeader { Id = 7, Command = (ushort)Command.DeviceGetInfo, MessageSize = 32, Type = 5 }.Write(message);
        Messages.DeviceInfo().CopyTo(message, 16);
        s.Client.SendRaw(message);
        Received reply = s.Client.ReceiveReply();

        Assert.Equal(7, reply.Header.Id);
        Assert.Equal(Errno.EINVAL, reply.Errno);
    }

    [Fact]
    public void AReplyToNothingIsDroppedAndTheConnectionGoesOn()
    {
        using var s = new Served();
        byte[] message = new byte[16];
        new MessageHeader { Id = 0x4444, Command = (ushort)Command.DmaRead, MessageSize = 16, Type = 1 }.Write(message);
        s.Client.SendRaw(message);

        Assert.False(s.Client.Request(Command.DeviceGetInfo, Messages.DeviceInfo()).IsError);
    }

    [Fact]
    public void ASizeBelowTheHeaderIsAnsweredThenTheConnectionIsClosed()
    {
        var device = new FakeDevice();
        using var server = new Server.VfioUserServer(device);
        TestClient client = TestClient.Negotiated(server);
        byte[] message = new byte[16];
        new MessageHeader { Id = 9, Command = (ushort)Command.DeviceGetInfo, MessageSize = 8 }.Write(message);
        client.SendRaw(message);

        Received reply = client.ReceiveReply();
        Assert.Equal(9, reply.Header.Id);
        Assert.Equal(Errno.EINVAL, reply.Errno);
        Assert.True(client.ServerClosed());
        client.Dispose();
        Assert.True(client.Serving!.IsCompletedSuccessfully);

        // The server serves the next client.
        using TestClient next = TestClient.Negotiated(server);
        Assert.False(next.Request(Command.DeviceGetInfo, Messages.DeviceInfo()).IsError);
    }

    [Fact]
    public void AClientThatVanishesInsideAMessageEndsOnlyItsConnection()
    {
        var device = new FakeDevice();
        using var server = new Server.VfioUserServer(device);
        TestClient client = TestClient.Negotiated(server);
        byte[] message = new byte[16 + 4];
        new MessageHeader { Id = 1, Command = (ushort)Command.RegionWrite, MessageSize = 64 }.Write(message);
        client.SendRaw(message);
        client.Dispose();

        Assert.True(client.Serving!.IsCompletedSuccessfully);
        using TestClient next = TestClient.Negotiated(server);
        Assert.False(next.Request(Command.DeviceGetInfo, Messages.DeviceInfo()).IsError);
    }

    [Fact]
    public void ThousandsOfRandomMessagesAreEachAnsweredAndTheServerStaysUsable()
    {
        using var s = new Served();
        var random = new Random(1234);
        int errors = 0;
        for (int i = 0; i < 3000; i++)
        {
            ushort command = (ushort)random.Next(0, 20);
            if (command == (ushort)Command.DeviceReset) continue;
            byte[] body = new byte[random.Next(0, 80)];
            random.NextBytes(body);
            if (body.Length >= 16 && random.Next(2) == 0)
            {
                // Often a plausible region access, so the checks past the sizes are reached too.
                BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), (uint)random.Next(0, 10));
                BinaryPrimitives.WriteUInt64LittleEndian(body, (ulong)random.Next(0, 0x5000));
                BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), (uint)Math.Max(0, body.Length - 16));
            }

            Received reply = s.Client.Request(command, body);
            if (reply.IsError)
            {
                errors++;
                Assert.Empty(reply.Body);
                Assert.NotEqual(0, reply.Errno);
            }
        }

        Assert.True(errors > 1000, $"only {errors} of the random messages were refused");
        Assert.Equal(errors, s.Server.Statistics.Refused);
        Received info = s.Client.Request(Command.DeviceGetInfo, Messages.DeviceInfo());
        Assert.Equal(new byte[] { 16, 0, 0, 0, 3, 0, 0, 0, 9, 0, 0, 0, 5, 0, 0, 0 }, info.Body);
    }
}
