using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Gvnic.Runtime.Vfio.Interop;

/// <summary><see cref="ILinuxApi"/> over libc (Tmds.LibC); errno is read right after each failing call.</summary>
internal sealed unsafe class LinuxApi : ILinuxApi
{
    /// <summary>The one instance.</summary>
    public static readonly LinuxApi Instance = new();

    private LinuxApi()
    {
    }

    private static int Fail() => -errno;

    private static byte[] PathBytes(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
        return bytes;
    }

    public int Open(string path, int flags)
    {
        fixed (byte* p = PathBytes(path))
        {
            int fd = open(p, flags | O_CLOEXEC, 0);
            return fd < 0 ? Fail() : fd;
        }
    }

    public int Close(int fd) => close(fd) < 0 ? Fail() : 0;

    public int AccessReadWrite(string path)
    {
        fixed (byte* p = PathBytes(path))
        {
            return access(p, R_OK | W_OK) < 0 ? Fail() : 0;
        }
    }

    public int Ioctl(int fd, int request, void* argument)
    {
        int result = ioctl(fd, request, argument);
        return result < 0 ? Fail() : result;
    }

    public int Ioctl(int fd, int request, nint argument)
    {
        int result = ioctl(fd, request, (int)argument);
        return result < 0 ? Fail() : result;
    }

    public int Mmap(nuint length, int protection, int flags, int fd, long offset, out void* address)
    {
        void* result = mmap(null, (size_t)(ulong)length, protection, flags, fd, offset);
        if (result == MAP_FAILED)
        {
            address = null;
            return Fail();
        }

        address = result;
        return 0;
    }

    public int Munmap(void* address, nuint length) => munmap(address, (size_t)(ulong)length) < 0 ? Fail() : 0;

    public int Mlock(void* address, nuint length) => mlock(address, (size_t)(ulong)length) < 0 ? Fail() : 0;

    public int Munlock(void* address, nuint length) => munlock(address, (size_t)(ulong)length) < 0 ? Fail() : 0;

    public long Pread(int fd, void* buffer, nuint count, long offset)
    {
        long result = pread(fd, buffer, (size_t)(ulong)count, offset);
        return result < 0 ? Fail() : result;
    }

    public long Pwrite(int fd, void* buffer, nuint count, long offset)
    {
        long result = pwrite(fd, buffer, (size_t)(ulong)count, offset);
        return result < 0 ? Fail() : result;
    }

    public long Read(int fd, void* buffer, nuint count)
    {
        long result = read(fd, buffer, (size_t)(ulong)count);
        return result < 0 ? Fail() : result;
    }

    public int EventFd()
    {
        int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        return fd < 0 ? Fail() : fd;
    }

    public uint GetEffectiveUserId() => geteuid();

    public int PollIn(int fd, int timeoutMilliseconds)
    {
        pollfd entry = default;
        entry.fd = fd;
        entry.events = POLLIN;
        int result = poll(&entry, 1, timeoutMilliseconds);
        if (result < 0) return Fail();
        return result > 0 && (entry.revents & POLLIN) != 0 ? 1 : result > 0 ? -Errno.EIO : 0;
    }
}
