using System;
using System.Buffers;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Server;

/// <summary>How a receive ended.</summary>
internal enum ReceiveStatus
{
    /// <summary>A whole message was read (possibly with a <see cref="FramingProblem"/>).</summary>
    Message,

    /// <summary>The peer closed the connection between messages.</summary>
    Closed,

    /// <summary>The stream cannot be followed any more (closed inside a message, a socket error).</summary>
    Broken,

    /// <summary>A whole header was read whose size is below the header's own: the stream cannot be followed.</summary>
    BadSize,
}

/// <summary>
/// vfio-user framing over a connected Unix stream socket: a 16-byte header whose size field covers the whole
/// message, then the body; descriptors ride along as SCM_RIGHTS. Receiving is for one thread; sending is
/// serialised, so replies and the server's own DMA requests can be sent from different threads.
/// </summary>
internal sealed class MessageChannel
{
    private readonly object _sendGate = new();
    private readonly byte[] _discard = new byte[64 * 1024];

    public MessageChannel(int fd) => Fd = fd;

    public int Fd { get; }

    /// <summary>Why the last receive returned <see cref="ReceiveStatus.Broken"/>.</summary>
    public string BrokenReason { get; private set; } = "";

    /// <summary>Reads one message into <paramref name="message"/>; a body over <paramref name="maxBody"/> bytes is read and dropped.</summary>
    public ReceiveStatus Receive(InboundMessage message, int maxBody)
    {
        message.Clear();
        Span<byte> header = stackalloc byte[MessageHeader.Size];
        int got = 0;
        while (got < header.Length)
        {
            long n = ReceiveInto(message, header[got..]);
            if (n < 0) return Broken($"recvmsg failed: {Protocol.Errno.Name((int)-n)}");
            if (n == 0) return got == 0 ? ReceiveStatus.Closed : Broken($"the client closed the connection {got} bytes into a message header");
            got += (int)n;
        }

        message.Header = MessageHeader.Read(header);
        uint size = message.Header.MessageSize;
        if (size < MessageHeader.Size)
        {
            BrokenReason = $"message {message.Header.Id} (command {message.Header.Command}) gives its size as {size}, less than the 16-byte header";
            return ReceiveStatus.BadSize;
        }

        ulong bodyLength = size - (ulong)MessageHeader.Size;
        if (bodyLength > (ulong)maxBody)
        {
            ulong left = bodyLength;
            while (left > 0)
            {
                long n = ReceiveInto(message, _discard.AsSpan(0, (int)Math.Min(left, (ulong)_discard.Length)));
                if (n <= 0) return Broken($"the connection ended inside the {bodyLength}-byte body of message {message.Header.Id}");
                left -= (ulong)n;
            }

            message.PrepareBody(0);
            message.Problem = FramingProblem.TooLarge;
            return ReceiveStatus.Message;
        }

        Span<byte> body = message.PrepareBody((int)bodyLength);
        got = 0;
        while (got < body.Length)
        {
            long n = ReceiveInto(message, body[got..]);
            if (n <= 0) return Broken($"the connection ended {got} bytes into the {body.Length}-byte body of message {message.Header.Id}");
            got += (int)n;
        }

        return ReceiveStatus.Message;
    }

    private long ReceiveInto(InboundMessage message, Span<byte> buffer)
    {
        Span<int> fds = message.Fds.AsSpan(message.FdCount);
        long n = Posix.ReceiveMessage(Fd, buffer, fds, out int count, out bool truncated);
        message.FdCount += count;
        if (truncated) message.Problem = FramingProblem.TooManyFds;
        return n;
    }

    private ReceiveStatus Broken(string reason)
    {
        BrokenReason = reason;
        return ReceiveStatus.Broken;
    }

    /// <summary>
    /// Sends a message: <paramref name="header"/> (its size is set here) and the body parts, descriptors with the
    /// first byte. Returns 0 or -errno (the connection is then unusable).
    /// </summary>
    public int Send(MessageHeader header, ReadOnlySpan<byte> part1, ReadOnlySpan<byte> part2 = default, ReadOnlySpan<byte> part3 = default, ReadOnlySpan<int> fds = default)
    {
        int total = MessageHeader.Size + part1.Length + part2.Length + part3.Length;
        header.MessageSize = (uint)total;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            header.Write(buffer);
            part1.CopyTo(buffer.AsSpan(MessageHeader.Size));
            part2.CopyTo(buffer.AsSpan(MessageHeader.Size + part1.Length));
            part3.CopyTo(buffer.AsSpan(MessageHeader.Size + part1.Length + part2.Length));
            lock (_sendGate)
            {
                int sent = 0;
                while (sent < total)
                {
                    long n = Posix.SendMessage(Fd, buffer.AsSpan(sent, total - sent), sent == 0 ? fds : default);
                    if (n < 0) return (int)n;
                    sent += (int)n;
                }
            }

            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
