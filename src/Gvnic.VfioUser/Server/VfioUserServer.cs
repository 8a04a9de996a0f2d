using System;
using System.IO;
using System.Threading;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Pci;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Server;

/// <summary>
/// Serves one PCI device over vfio-user, as QEMU's <c>-device vfio-user-pci,socket=PATH</c> client speaks it
/// (QEMU docs/interop/vfio-user.rst, protocol 0.0): version negotiation, device, region and interrupt info,
/// region reads and writes (no region is mappable, so every BAR access is a message), DMA mappings of client
/// memory from passed file descriptors (or reached by DMA_READ/DMA_WRITE messages without them), MSI-X through
/// eventfds, and device reset. One client at a time; when it leaves, its DMA mappings and eventfds are dropped and
/// the device keeps its state for the next, as the protocol asks. A malformed or unsupported request is answered
/// with an errno (<see cref="VfioUserStatistics.RecentRefusals"/> says why); only a stream that can no longer be
/// followed ends the connection, never the server.
/// </summary>
public sealed class VfioUserServer : IDisposable
{
    private readonly object _gate = new();
    private int _listenFd = -1;
    private string? _socketPath;
    private VfioUserConnection? _current;
    private bool _disposed;

    /// <summary>A server for <paramref name="device"/>; the device is attached (given its context) here.</summary>
    /// <exception cref="PlatformNotSupportedException">The host is big-endian (the protocol is in host order; the codecs are little-endian).</exception>
    public VfioUserServer(IVfioUserDevice device, VfioUserServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the vfio-user server runs on little-endian hosts only");
        Options = options ?? new VfioUserServerOptions();
        Options.Validate();
        Device = device;
        Function = device.Function ?? throw new ArgumentException("the device describes no function", nameof(device));
        Config = new PciConfigSpace(Function);
        Interrupts = new MsixInterrupts(Function.MsixVectors);
        MsixBar = new MsixBar(Function, Interrupts);
        Memory = new GuestMemory();
        Config.CommandChanged += (_, now) => Memory.SetBusMaster((now & CommandFlags.BusMaster) != 0);
        device.Attach(new DeviceContext(Memory, Interrupts, Config));
    }

    /// <summary>The device served.</summary>
    public IVfioUserDevice Device { get; }

    /// <summary>Its function description.</summary>
    public PciFunctionDescription Function { get; }

    /// <summary>The limits in force.</summary>
    public VfioUserServerOptions Options { get; }

    /// <summary>Configuration space.</summary>
    public PciConfigSpace Config { get; }

    /// <summary>The MSI-X vectors.</summary>
    public MsixInterrupts Interrupts { get; }

    /// <summary>The MSI-X BAR (table and PBA).</summary>
    public MsixBar MsixBar { get; }

    /// <summary>The client memory the device reaches.</summary>
    public GuestMemory Memory { get; }

    /// <summary>What the server has done.</summary>
    public VfioUserStatistics Statistics { get; } = new();

    /// <summary>
    /// Binds and listens on a Unix socket at <paramref name="path"/>. A stale socket file there (one no one listens
    /// on) is replaced; any other file is an error.
    /// </summary>
    /// <exception cref="IOException">The socket cannot be made, with the path and the system's reason.</exception>
    public void Listen(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_listenFd >= 0) throw new InvalidOperationException($"already listening on {_socketPath}");
            int kind = Posix.IsSocket(path);
            if (kind != -2) // ENOENT: nothing there
            {
                if (kind != 1) throw new IOException($"{path} exists and is not a socket; choose another path or remove it");
                if (SomeoneListens(path)) throw new IOException($"{path} is a socket another server listens on");
                Posix.Unlink(path);
            }

            int fd = Posix.UnixStreamSocket();
            if (fd < 0) throw new IOException($"socket(AF_UNIX) failed: {Errno.Name(-fd)}");
            int result = Posix.Bind(fd, path);
            if (result == 0) result = Posix.Listen(fd, 1);
            if (result < 0)
            {
                Posix.Close(fd);
                throw new IOException($"cannot listen on {path}: {Errno.Name(-result)}{(result == -Errno.EINVAL ? " (a socket path is at most 107 bytes)" : "")}");
            }

            _listenFd = fd;
            _socketPath = path;
        }
    }

    /// <summary>
    /// Serves clients of the socket <see cref="Listen"/> opened, one after another, until <paramref name="cancellation"/>
    /// is cancelled (or, with <paramref name="clients"/> given, that many clients have come and gone).
    /// </summary>
    public void Run(CancellationToken cancellation, int clients = int.MaxValue)
    {
        int fd;
        lock (_gate)
        {
            if (_listenFd < 0) throw new InvalidOperationException("Listen(path) first");
            fd = _listenFd;
        }

        using CancellationTokenRegistration registration = cancellation.Register(() =>
        {
            Posix.Shutdown(fd);
            lock (_gate) _current?.Stop();
        });
        for (int served = 0; served < clients && !cancellation.IsCancellationRequested; served++)
        {
            int connection = Posix.Accept(fd);
            if (connection < 0)
            {
                if (cancellation.IsCancellationRequested) break;
                if (connection is -Errno.EAGAIN or -Errno.EINTR or -Errno.ECONNABORTED) { served--; continue; }
                throw new IOException($"accept on {_socketPath} failed: {Errno.Name(-connection)}");
            }

            Serve(connection, cancellation);
        }
    }

    /// <summary>
    /// Serves one client on a connected stream socket (a socketpair end, say) until it disconnects or
    /// <paramref name="cancellation"/> is cancelled; takes ownership of <paramref name="connectedFd"/> and closes it.
    /// </summary>
    public void Serve(int connectedFd, CancellationToken cancellation = default)
    {
        var connection = new VfioUserConnection(this, connectedFd);
        lock (_gate)
        {
            if (_current is not null)
            {
                Posix.Close(connectedFd);
                throw new InvalidOperationException("a client is already being served");
            }

            _current = connection;
        }

        Statistics.Connection();
        Options.Log?.Invoke("vfio-user: client connected");
        Memory.SetMessenger(connection);
        using CancellationTokenRegistration registration = cancellation.Register(connection.Stop);
        try
        {
            connection.Run();
        }
        finally
        {
            ClientLeaving?.Invoke(this);
            // What belongs to the client goes; the device keeps its state.
            Memory.SetMessenger(null);
            Memory.UnmapAll();
            Interrupts.UnassignAll();
            lock (_gate) _current = null;
            Posix.Close(connectedFd);
            Options.Log?.Invoke("vfio-user: client disconnected");
        }
    }

    /// <summary>
    /// Raised on the serving thread when a client's connection has ended, before its DMA mappings and eventfds are
    /// dropped: what the client left mapped (<see cref="Memory"/>) can still be inspected. A handler must not throw.
    /// </summary>
    public event Action<VfioUserServer>? ClientLeaving;

    /// <summary>A function-level reset: device, configuration space, MSI-X table and pending bits.</summary>
    internal void ResetFunction()
    {
        Device.Reset();
        Config.Reset();
        MsixBar.Reset();
        Interrupts.ClearPending();
        Statistics.ResetDone();
    }

    /// <summary>Stops listening (removing the socket file) and drops the client's memory and eventfds.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _current?.Stop();
            if (_listenFd >= 0)
            {
                Posix.Shutdown(_listenFd);
                Posix.Close(_listenFd);
                _listenFd = -1;
                if (_socketPath is not null) Posix.Unlink(_socketPath);
            }
        }

        Memory.Dispose();
        Interrupts.UnassignAll();
    }

    private static bool SomeoneListens(string path)
    {
        int fd = Posix.UnixStreamSocket();
        if (fd < 0) return false;
        try
        {
            return Posix.Connect(fd, path) == 0;
        }
        finally
        {
            Posix.Close(fd);
        }
    }
}
