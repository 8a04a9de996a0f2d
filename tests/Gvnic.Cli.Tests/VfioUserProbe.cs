using System;
using System.Buffers.Binary;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Gvnic.VfioUser.Wire;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>
/// A minimal vfio-user client for the serve tests, on .NET's Unix-domain socket: VERSION, region reads and writes,
/// raw messages. (tests/Gvnic.VfioUser.Tests has the full client, with descriptor passing and a driver on top.)
/// </summary>
internal sealed class VfioUserProbe : IDisposable
{
    private readonly Socket _socket;
    private ushort _id = 1;

    private VfioUserProbe(Socket socket) => _socket = socket;

    /// <summary>Connects to <paramref name="path"/>, waiting up to 10 s for a server to listen there, and negotiates the version.</summary>
    public static VfioUserProbe Connect(string path)
    {
        DateTime end = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                var probe = new VfioUserProbe(socket);
                byte[] json = Encoding.UTF8.GetBytes("{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576}}\0");
                byte[] body = new byte[4 + json.Length];
                json.CopyTo(body, 4);
                (MessageHeader reply, _) = probe.Request(Command.Version, body);
                Assert.False(reply.Error, "VERSION refused");
                return probe;
            }
            catch (SocketException) when (DateTime.UtcNow < end)
            {
                socket.Dispose();
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>Reads <paramref name="count"/> bytes of region <paramref name="region"/> (7: configuration space).</summary>
    public byte[] Read(uint region, ulong offset, uint count)
    {
        byte[] body = new byte[RegionAccess.Size];
        new RegionAccess { Region = region, Offset = offset, Count = count }.Write(body);
        (MessageHeader header, byte[] reply) = Request(Command.RegionRead, body);
        Assert.False(header.Error, "REGION_READ refused: errno " + header.ErrorReply);
        return reply[RegionAccess.Size..];
    }

    /// <summary>Writes <paramref name="data"/> to region <paramref name="region"/>; the reply's error flag.</summary>
    public bool Write(uint region, ulong offset, byte[] data)
    {
        byte[] body = new byte[RegionAccess.Size + data.Length];
        new RegionAccess { Region = region, Offset = offset, Count = (uint)data.Length }.Write(body);
        data.CopyTo(body, RegionAccess.Size);
        return !Request(Command.RegionWrite, body).Header.Error;
    }

    /// <summary>Sends a request and returns the reply's header and body.</summary>
    public (MessageHeader Header, byte[] Body) Request(Command command, byte[] body)
    {
        var header = new MessageHeader { Id = _id++, Command = (ushort)command, MessageSize = (uint)(MessageHeader.Size + body.Length) };
        byte[] message = new byte[MessageHeader.Size + body.Length];
        header.Write(message);
        body.CopyTo(message, MessageHeader.Size);
        _socket.Send(message);
        byte[] head = ReadExactly(MessageHeader.Size);
        MessageHeader reply = MessageHeader.Read(head);
        return (reply, ReadExactly((int)reply.MessageSize - MessageHeader.Size));
    }

    public void Dispose() => _socket.Dispose();

    private byte[] ReadExactly(int count)
    {
        byte[] buffer = new byte[count];
        int got = 0;
        _socket.ReceiveTimeout = 10_000;
        while (got < count)
        {
            int n = _socket.Receive(buffer, got, count - got, SocketFlags.None);
            if (n == 0) throw new IOException("the server closed the connection");
            got += n;
        }

        return buffer;
    }
}
