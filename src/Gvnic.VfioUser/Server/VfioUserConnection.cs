using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Server;

/// <summary>
/// One client connection. A reader thread takes messages off the socket: replies go to the DMA request waiting for
/// them, requests into a bounded queue that the serving thread (the caller of <see cref="Run"/>) handles in order,
/// answering each unless it asked for no reply. DMA_READ/DMA_WRITE requests of the server can so be sent from any
/// thread, the request thread included, and their replies still arrive.
/// </summary>
internal sealed class VfioUserConnection : IDmaMessenger
{
    private const int QueueLimit = 256;

    private readonly VfioUserServer _server;
    private readonly MessageChannel _channel;
    private readonly RequestHandler _handler;
    private readonly Queue<InboundMessage> _queue = new();
    private readonly Stack<InboundMessage> _spare = new();
    private readonly Dictionary<ushort, PendingDma> _pending = [];
    private readonly byte[] _reply;
    private int _nextId;
    private bool _readerDone;
    private volatile bool _closed;

    public VfioUserConnection(VfioUserServer server, int fd)
    {
        _server = server;
        _channel = new MessageChannel(fd);
        _handler = new RequestHandler(server);
        _reply = new byte[server.Options.MaxDataTransferSize + 64 * 1024];
    }

    /// <summary>Client-sent bytes a message body may have: the largest transfer plus room for fixed parts and JSON.</summary>
    private int MaxBody => (int)_server.Options.MaxDataTransferSize + 64 * 1024;

    public int MaxTransfer => (int)Math.Min(_server.Options.MaxDataTransferSize, _handler.Client?.MaxDataTransferSize ?? VfioUserConstants.DefaultMaxDataXferSize);

    /// <summary>Serves the client until it disconnects, the stream breaks or <see cref="Stop"/> is called.</summary>
    public void Run()
    {
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "vfio-user reader" };
        reader.Start();
        try
        {
            while (Take() is InboundMessage message)
            {
                try
                {
                    Serve(message);
                }
                finally
                {
                    Recycle(message);
                }
            }
        }
        finally
        {
            Stop();
            reader.Join();
            lock (_queue)
            {
                while (_queue.Count > 0) _queue.Dequeue().Release();
                while (_spare.Count > 0) _spare.Pop().Release();
            }
        }
    }

    /// <summary>Ends the connection: wakes the reader (shutdown of the socket) and every DMA waiter.</summary>
    public void Stop()
    {
        _closed = true;
        Posix.Shutdown(_channel.Fd);
        lock (_pending)
        {
            foreach (PendingDma waiter in _pending.Values) waiter.Fail(-Errno.ENOTSUP);
            _pending.Clear();
        }

        // A reader waiting for room in a full queue sees the connection closed.
        lock (_queue) Monitor.PulseAll(_queue);
    }

    private void Serve(InboundMessage message)
    {
        _server.Statistics.Request();
        MessageHeader header = message.Header;
        int length;
        try
        {
            length = _handler.Handle(message, _reply);
        }
        catch (RequestRefusedException refused)
        {
            Refuse(header, refused.Errno, refused.Message);
            return;
        }
        catch (DmaFaultException fault)
        {
            // A device access whose DMA failed: the access itself is answered, the fault reported.
            _server.Statistics.DeviceException();
            Refuse(header, Errno.EIO, "the device's DMA failed: " + fault.Message);
            return;
        }

        if (header.NoReply) return;
        Reply(header, _reply.AsSpan(0, length));
    }

    private void Reply(MessageHeader request, ReadOnlySpan<byte> body)
    {
        var header = new MessageHeader { Id = request.Id, Command = request.Command, Type = (byte)MessageType.Reply };
        if (_channel.Send(header, body) < 0) Stop();
    }

    private void Refuse(MessageHeader request, int errno, string reason)
    {
        bool replied = !request.NoReply;
        var refusal = new RefusedRequest(request.Id, request.Command, errno, reason, replied);
        _server.Statistics.Refusal(refusal);
        _server.Options.Log?.Invoke("vfio-user: refused " + refusal);
        if (!replied) return;
        var header = new MessageHeader { Id = request.Id, Command = request.Command, Type = (byte)MessageType.Reply, Error = true, ErrorReply = (uint)errno };
        if (_channel.Send(header, default) < 0) Stop();
    }

    private void ReadLoop()
    {
        try
        {
            while (!_closed)
            {
                InboundMessage message = Spare();
                ReceiveStatus status = _channel.Receive(message, MaxBody);
                if (status != ReceiveStatus.Message)
                {
                    if (status != ReceiveStatus.Closed && !_closed)
                    {
                        _server.Options.Log?.Invoke("vfio-user: connection dropped: " + _channel.BrokenReason);
                        // A size below the header's: answer the message, then close (the stream cannot be followed).
                        if (status == ReceiveStatus.BadSize && message.Header.Type == (byte)MessageType.Request)
                            Refuse(message.Header, Errno.EINVAL, _channel.BrokenReason);
                    }

                    Recycle(message);
                    break;
                }

                if (message.Header.Type == (byte)MessageType.Reply)
                {
                    CompleteDma(message);
                    Recycle(message);
                    continue;
                }

                lock (_queue)
                {
                    while (_queue.Count >= QueueLimit && !_closed) Monitor.Wait(_queue);
                    _queue.Enqueue(message);
                    Monitor.PulseAll(_queue);
                }
            }
        }
        finally
        {
            lock (_queue)
            {
                _readerDone = true;
                Monitor.PulseAll(_queue);
            }

            Stop();
        }
    }

    private InboundMessage? Take()
    {
        lock (_queue)
        {
            while (_queue.Count == 0 && !_readerDone) Monitor.Wait(_queue);
            if (_queue.Count == 0) return null;
            InboundMessage message = _queue.Dequeue();
            Monitor.PulseAll(_queue);
            return message;
        }
    }

    private InboundMessage Spare()
    {
        lock (_queue) return _spare.Count > 0 ? _spare.Pop() : new InboundMessage();
    }

    private void Recycle(InboundMessage message)
    {
        message.Clear();
        lock (_queue) _spare.Push(message);
    }

    // --- DMA messages from the server to the client -----------------------------------------------------------

    public int Read(ulong address, Span<byte> destination)
    {
        // QEMU takes a DMA_READ request of its sizeof(VFIOUserDMARW): the 12-byte fixed part and 4 bytes of padding.
        Span<byte> request = stackalloc byte[(int)VfioUserConstants.DmaAccessMessageSize - MessageHeader.Size];
        request.Clear();
        new DmaTransfer { Address = address, Count = (uint)destination.Length }.Write(request);
        return Exchange(Command.DmaRead, request, default, destination);
    }

    public int Write(ulong address, ReadOnlySpan<byte> source)
    {
        Span<byte> fixedPart = stackalloc byte[DmaTransfer.Size];
        new DmaTransfer { Address = address, Count = (uint)source.Length }.Write(fixedPart);
        // QEMU's layout: data right after the 12-byte fixed part, and the message 4 bytes longer (its sizeof).
        Span<byte> padding = stackalloc byte[4];
        padding.Clear();
        return Exchange(Command.DmaWrite, fixedPart, source, default, padding);
    }

    private int Exchange(Command command, ReadOnlySpan<byte> part1, ReadOnlySpan<byte> part2, Span<byte> readInto, ReadOnlySpan<byte> part3 = default)
    {
        if (_closed) return -Errno.ENOTSUP;
        var waiter = new PendingDma(readInto.Length);
        ushort id;
        lock (_pending)
        {
            do id = (ushort)Interlocked.Increment(ref _nextId); while (_pending.ContainsKey(id));
            _pending[id] = waiter;
        }

        var header = new MessageHeader { Id = id, Command = (ushort)command, Type = (byte)MessageType.Request };
        int sent = _channel.Send(header, part1, part2, part3);
        if (sent < 0)
        {
            lock (_pending) _pending.Remove(id);
            return -Errno.ENOTSUP;
        }

        if (!waiter.Wait(_server.Options.DmaReplyTimeout))
        {
            lock (_pending) _pending.Remove(id);
            return -Errno.ETIMEDOUT;
        }

        return waiter.Finish(readInto);
    }

    private void CompleteDma(InboundMessage reply)
    {
        PendingDma? waiter;
        lock (_pending)
        {
            if (_pending.Remove(reply.Header.Id, out waiter) is false)
            {
                _server.Options.Log?.Invoke($"vfio-user: a reply to message {reply.Header.Id}, which the server did not send (dropped)");
                return;
            }
        }

        if (reply.Header.Error)
        {
            waiter!.Fail(-(int)Math.Max(1u, reply.Header.ErrorReply));
            return;
        }

        // A DMA_READ reply: the fixed part, then the data (QEMU's layout, data at 12 of the body).
        ReadOnlySpan<byte> body = reply.Body;
        if (waiter!.Expected == 0)
        {
            waiter.Succeed(default);
            return;
        }

        int dataAt = (int)VfioUserConstants.DmaAccessDataOffset - MessageHeader.Size;
        if (body.Length < dataAt + waiter.Expected || DmaTransfer.Read(body).Count != (uint)waiter.Expected)
        {
            waiter.Fail(-Errno.EIO);
            return;
        }

        waiter.Succeed(body.Slice(dataAt, waiter.Expected));
    }

    /// <summary>A DMA request waiting for its reply.</summary>
    private sealed class PendingDma(int expected)
    {
        private readonly ManualResetEventSlim _done = new();
        private byte[]? _data;
        private int _result;

        public int Expected { get; } = expected;

        public bool Wait(TimeSpan timeout) => _done.Wait(timeout);

        public void Succeed(ReadOnlySpan<byte> data)
        {
            if (!data.IsEmpty)
            {
                _data = ArrayPool<byte>.Shared.Rent(data.Length);
                data.CopyTo(_data);
            }

            _result = 0;
            _done.Set();
        }

        public void Fail(int error)
        {
            _result = error;
            _done.Set();
        }

        public int Finish(Span<byte> into)
        {
            if (_data is not null)
            {
                _data.AsSpan(0, into.Length).CopyTo(into);
                ArrayPool<byte>.Shared.Return(_data);
                _data = null;
            }

            _done.Dispose();
            return _result;
        }
    }
}
