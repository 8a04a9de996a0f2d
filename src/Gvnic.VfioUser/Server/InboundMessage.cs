using System;
using System.Buffers;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Server;

/// <summary>What was wrong with a message as it came off the socket (before its command is looked at).</summary>
internal enum FramingProblem
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>Its body was larger than the server takes; the bytes were read and dropped.</summary>
    TooLarge,

    /// <summary>It came with more descriptors than the server takes; those received were closed.</summary>
    TooManyFds,
}

/// <summary>
/// One message read from the socket: its header, its body (a pooled buffer) and the descriptors that came with it.
/// Reused: <see cref="Clear"/> returns the body and closes descriptors no handler took.
/// </summary>
internal sealed class InboundMessage
{
    private byte[] _body = [];

    public MessageHeader Header;

    /// <summary>Bytes of body (the message size less the header).</summary>
    public int BodyLength { get; private set; }

    public int[] Fds { get; } = new int[Posix.MaxFdsPerMessage];

    public int FdCount { get; set; }

    public FramingProblem Problem { get; set; }

    public Span<byte> Body => _body.AsSpan(0, BodyLength);

    public ReadOnlySpan<int> ReceivedFds => Fds.AsSpan(0, FdCount);

    public Command Command => (Command)Header.Command;

    /// <summary>Makes room for <paramref name="length"/> bytes of body.</summary>
    public Span<byte> PrepareBody(int length)
    {
        if (_body.Length < length)
        {
            if (_body.Length > 0) ArrayPool<byte>.Shared.Return(_body);
            _body = ArrayPool<byte>.Shared.Rent(length);
        }

        BodyLength = length;
        return _body.AsSpan(0, length);
    }

    /// <summary>Takes descriptor <paramref name="index"/> (the caller now owns it; it is not closed by <see cref="Clear"/>).</summary>
    public int TakeFd(int index)
    {
        int fd = Fds[index];
        Fds[index] = -1;
        return fd;
    }

    /// <summary>Closes the descriptors no one took and forgets the message (keeping the buffer for the next one).</summary>
    public void Clear()
    {
        for (int i = 0; i < FdCount; i++)
        {
            if (Fds[i] >= 0) Posix.Close(Fds[i]);
            Fds[i] = -1;
        }

        FdCount = 0;
        BodyLength = 0;
        Problem = FramingProblem.None;
        Header = default;
    }

    /// <summary>Clears and returns the buffer to the pool (the message is not used again).</summary>
    public void Release()
    {
        Clear();
        if (_body.Length > 0) ArrayPool<byte>.Shared.Return(_body);
        _body = [];
    }
}
