using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Server;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

/// <summary>A message as the test client received it.</summary>
internal sealed record Received(MessageHeader Header, byte[] Body, int[] Fds)
{
    public bool IsError => Header.Error;

    public int Errno => (int)Header.ErrorReply;
}

/// <summary>
/// A vfio-user client written for the tests: speaks the protocol over one end of a real Unix socketpair (or a
/// connection to a listening socket), passing descriptors with SCM_RIGHTS, while the server serves the other end
/// on its own thread. Server-to-client DMA requests are answered by <see cref="DmaHandler"/>.
/// </summary>
internal sealed class TestClient : IDisposable
{
    /// <summary>The capabilities QEMU 10.1's client proposes (hw/vfio-user/proxy.c caps_json).</summary>
    public const string QemuCapabilities =
        "{\"capabilities\":{\"migration\":{\"pgsize\":4096,\"max_bitmap_size\":268435456},\"max_msg_fds\":16,\"max_data_xfer_size\":1048576,\"pgsizes\":4096,\"max_dma_maps\":65535,\"write_multiple\":true}}";

    private ushort _nextId = 0x100;

    private TestClient(int fd, Task? serving)
    {
        Fd = fd;
        Serving = serving;
    }

    public int Fd { get; private set; }

    /// <summary>The server's Serve call for this client (null for a client of a listening server).</summary>
    public Task? Serving { get; }

    /// <summary>Answers a DMA_READ or DMA_WRITE request of the server: the reply body, or null for an error reply (EFAULT).</summary>
    public Func<Received, byte[]?>? DmaHandler { get; set; }

    /// <summary>Every server-to-client request seen.</summary>
    public List<Received> ServerRequests { get; } = [];

    /// <summary>A client on a socketpair whose other end <paramref name="server"/> serves on a background thread.</summary>
    public static TestClient Connect(VfioUserServer server)
    {
        Assert.Equal(0, Posix.SocketPair(out int mine, out int theirs));
        Task serving = Task.Factory.StartNew(() => server.Serve(theirs), TaskCreationOptions.LongRunning);
        return new TestClient(mine, serving);
    }

    /// <summary>A client of a server listening at <paramref name="path"/>.</summary>
    public static TestClient ConnectTo(string path)
    {
        int fd = Posix.UnixStreamSocket();
        Assert.True(fd >= 0);
        Assert.Equal(0, Posix.Connect(fd, path));
        return new TestClient(fd, null);
    }

    /// <summary>Connects and negotiates the version with QEMU's capabilities.</summary>
    public static TestClient Negotiated(VfioUserServer server)
    {
        TestClient client = Connect(server);
        Received reply = client.Version(QemuCapabilities);
        Assert.False(reply.IsError, "VERSION was refused");
        return client;
    }

    public Received Version(string? json, ushort major = 0, ushort minor = 0)
    {
        byte[] data = json is null ? [] : [.. Encoding.UTF8.GetBytes(json), 0];
        byte[] body = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, major);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), minor);
        data.CopyTo(body, 4);
        return Request(Command.Version, body);
    }

    /// <summary>Sends a request and returns its reply.</summary>
    public Received Request(Command command, ReadOnlySpan<byte> body, ReadOnlySpan<int> fds = default) =>
        Request((ushort)command, body, fds);

    public Received Request(ushort command, ReadOnlySpan<byte> body, ReadOnlySpan<int> fds = default)
    {
        ushort id = Send(command, body, fds, noReply: false);
        Received reply = ReceiveReply();
        Assert.Equal(id, reply.Header.Id);
        Assert.Equal(command, reply.Header.Command);
        Assert.Equal((byte)MessageType.Reply, reply.Header.Type);
        return reply;
    }

    /// <summary>Sends a request (setting its size) and returns its id.</summary>
    public ushort Send(ushort command, ReadOnlySpan<byte> body, ReadOnlySpan<int> fds = default, bool noReply = false, ushort? id = null)
    {
        ushort messageId = id ?? _nextId++;
        var header = new MessageHeader { Id = messageId, Command = command, MessageSize = (uint)(MessageHeader.Size + body.Length), Type = 0, NoReply = noReply };
        byte[] bytes = new byte[MessageHeader.Size + body.Length];
        header.Write(bytes);
        body.CopyTo(bytes.AsSpan(MessageHeader.Size));
        SendRaw(bytes, fds);
        return messageId;
    }

    /// <summary>Sends bytes as they are (for malformed messages).</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes, ReadOnlySpan<int> fds = default)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            long n = Posix.SendMessage(Fd, bytes[sent..], sent == 0 ? fds : default);
            Assert.True(n > 0, $"sendmsg failed: {n}");
            sent += (int)n;
        }
    }

    /// <summary>The next reply, answering server requests (DMA) that come before it.</summary>
    public Received ReceiveReply()
    {
        while (true)
        {
            Received message = Receive() ?? throw new Xunit.Sdk.XunitException("the server closed the connection instead of replying");
            if (message.Header.Type == (byte)MessageType.Reply) return message;
            ServerRequests.Add(message);
            AnswerServerRequest(message);
        }
    }

    /// <summary>Waits for a server request (a DMA message) and returns it without answering.</summary>
    public Received ReceiveServerRequest()
    {
        Received message = Receive() ?? throw new Xunit.Sdk.XunitException("the server closed the connection");
        Assert.Equal((byte)MessageType.Request, message.Header.Type);
        return message;
    }

    public void AnswerServerRequest(Received request)
    {
        byte[]? body = DmaHandler?.Invoke(request);
        var header = new MessageHeader { Id = request.Header.Id, Command = request.Header.Command, Type = 1 };
        if (body is null)
        {
            header.Error = true;
            header.ErrorReply = 14; // EFAULT
            body = [];
        }

        header.MessageSize = (uint)(MessageHeader.Size + body.Length);
        byte[] bytes = new byte[header.MessageSize];
        header.Write(bytes);
        body.CopyTo(bytes, MessageHeader.Size);
        SendRaw(bytes);
    }

    /// <summary>The next message, or null when the server closed the connection. Fails the test after 10 s of silence.</summary>
    public Received? Receive(int timeoutMilliseconds = 10_000)
    {
        byte[] header = new byte[MessageHeader.Size];
        var fds = new List<int>();
        if (!ReadExactly(header, fds, timeoutMilliseconds, allowEof: true)) return null;
        MessageHeader h = MessageHeader.Read(header);
        Assert.True(h.MessageSize >= MessageHeader.Size, $"the server sent a message of size {h.MessageSize}");
        byte[] body = new byte[h.MessageSize - MessageHeader.Size];
        Assert.True(ReadExactly(body, fds, timeoutMilliseconds, allowEof: false));
        return new Received(h, body, [.. fds]);
    }

    /// <summary>Whether the server closes the connection (end of stream) within the timeout, with nothing more sent.</summary>
    public bool ServerClosed(int timeoutMilliseconds = 10_000)
    {
        if (Posix.WaitReadable(Fd, timeoutMilliseconds) <= 0) return false;
        Span<byte> one = stackalloc byte[1];
        Span<int> fds = stackalloc int[Posix.MaxFdsPerMessage];
        return Posix.ReceiveMessage(Fd, one, fds, out _, out _) == 0;
    }

    /// <summary>Whether nothing arrives within <paramref name="milliseconds"/>.</summary>
    public bool Silent(int milliseconds) => Posix.WaitReadable(Fd, milliseconds) == 0;

    private bool ReadExactly(Span<byte> buffer, List<int> fds, int timeoutMilliseconds, bool allowEof)
    {
        Span<int> received = stackalloc int[Posix.MaxFdsPerMessage];
        int got = 0;
        while (got < buffer.Length)
        {
            int ready = Posix.WaitReadable(Fd, timeoutMilliseconds);
            if (ready == 0) throw new Xunit.Sdk.XunitException($"no message from the server within {timeoutMilliseconds} ms");
            long n = Posix.ReceiveMessage(Fd, buffer[got..], received, out int count, out _);
            for (int i = 0; i < count; i++) fds.Add(received[i]);
            if (n == 0)
            {
                if (got == 0 && allowEof) return false;
                throw new Xunit.Sdk.XunitException("the server closed the connection inside a message");
            }

            Assert.True(n > 0, $"recvmsg failed: {n}");
            got += (int)n;
        }

        return true;
    }

    /// <summary>Closes the client's end; the server then ends the connection.</summary>
    public void Dispose()
    {
        if (Fd >= 0)
        {
            Posix.Close(Fd);
            Fd = -1;
        }

        Serving?.Wait(TimeSpan.FromSeconds(10));
    }
}
