using System;
using Gvnic.VfioUser.Interop;

namespace Gvnic.VfioUser.Tests;

/// <summary>A real memfd, mapped in the test too, to pass to the server as guest memory.</summary>
internal sealed unsafe class Memfd : IDisposable
{
    private readonly byte* _memory;

    public Memfd(long size)
    {
        Size = size;
        Fd = Posix.MemFd("gvnic-test-guest-ram", size);
        Assert.True(Fd >= 0, $"memfd_create failed: {Fd}");
        Assert.Equal(0, Posix.MapShared(Fd, (ulong)size, 0, writable: true, out _memory));
    }

    public int Fd { get; }

    public long Size { get; }

    public Span<byte> Bytes => new(_memory, (int)Size);

    public void Dispose()
    {
        Posix.Unmap(_memory, (ulong)Size);
        Posix.Close(Fd);
    }
}
