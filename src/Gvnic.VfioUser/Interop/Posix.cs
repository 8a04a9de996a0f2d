using System;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Gvnic.VfioUser.Interop;

/// <summary>
/// The system calls the vfio-user server makes, in kernel style: a result of zero or more is success, a negative
/// result is <c>-errno</c>. Unix stream sockets with descriptor passing (SCM_RIGHTS), mmap of passed guest memory,
/// eventfds for MSI-X. Every descriptor this class creates or receives is close-on-exec.
/// </summary>
internal static unsafe class Posix
{
    /// <summary>The most descriptors one message may carry in either direction (QEMU's VFIO_USER_MAX_MAX_FDS).</summary>
    public const int MaxFdsPerMessage = 16;

    // sizeof(struct cmsghdr) on 64-bit Linux, already a multiple of 8: where a control message's data starts.
    private const int HeaderLength = 16;

    private static int Fail() => -errno;

    /// <summary>socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0).</summary>
    public static int UnixStreamSocket()
    {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        return fd < 0 ? Fail() : fd;
    }

    /// <summary>socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): two connected descriptors.</summary>
    public static int SocketPair(out int first, out int second)
    {
        int* fds = stackalloc int[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
        {
            first = second = -1;
            return Fail();
        }

        first = fds[0];
        second = fds[1];
        return 0;
    }

    private static int Address(string path, out sockaddr_un address)
    {
        address = default;
        address.sun_family = AF_UNIX;
        int length = Encoding.UTF8.GetByteCount(path);
        // sun_path holds 108 bytes with the terminating NUL.
        if (length == 0 || length > 107) return -22; // EINVAL
        fixed (sockaddr_un* a = &address)
        {
            Encoding.UTF8.GetBytes(path, new Span<byte>(a->sun_path, 108));
        }

        return 0;
    }

    /// <summary>bind(2) to a filesystem path.</summary>
    public static int Bind(int fd, string path)
    {
        int check = Address(path, out sockaddr_un address);
        if (check < 0) return check;
        return bind(fd, (sockaddr*)&address, (uint)sizeof(sockaddr_un)) < 0 ? Fail() : 0;
    }

    /// <summary>connect(2) to a filesystem path.</summary>
    public static int Connect(int fd, string path)
    {
        int check = Address(path, out sockaddr_un address);
        if (check < 0) return check;
        return connect(fd, (sockaddr*)&address, (uint)sizeof(sockaddr_un)) < 0 ? Fail() : 0;
    }

    /// <summary>listen(2).</summary>
    public static int Listen(int fd, int backlog) => listen(fd, backlog) < 0 ? Fail() : 0;

    /// <summary>accept4(2) with SOCK_CLOEXEC: the connection's descriptor or -errno.</summary>
    public static int Accept(int fd)
    {
        int result = accept4(fd, null, null, SOCK_CLOEXEC);
        return result < 0 ? Fail() : result;
    }

    /// <summary>shutdown(2) of both directions: wakes a thread blocked in recvmsg or accept on the descriptor.</summary>
    public static int Shutdown(int fd) => shutdown(fd, SHUT_RDWR) < 0 ? Fail() : 0;

    /// <summary>close(2).</summary>
    public static int Close(int fd) => close(fd) < 0 ? Fail() : 0;

    /// <summary>
    /// recvmsg(2) into <paramref name="buffer"/>, with MSG_CMSG_CLOEXEC. Descriptors that came with the bytes are
    /// stored in <paramref name="fds"/> (at most its length; <paramref name="fdCount"/> says how many);
    /// <paramref name="truncated"/> is true when the kernel dropped some (more than the buffer for them holds,
    /// MSG_CTRUNC). Returns the bytes read (0 at end of stream) or -errno; EINTR is retried.
    /// </summary>
    public static long ReceiveMessage(int fd, Span<byte> buffer, Span<int> fds, out int fdCount, out bool truncated)
    {
        fdCount = 0;
        truncated = false;
        // Control buffer for MaxFdsPerMessage descriptors: CMSG_SPACE(16 * 4) = 16 + 64.
        const int ControlLength = 16 + MaxFdsPerMessage * sizeof(int);
        byte* control = stackalloc byte[ControlLength];
        fixed (byte* data = buffer)
        {
            while (true)
            {
                iovec vector = default;
                vector.iov_base = data;
                vector.iov_len = (size_t)(ulong)buffer.Length;
                msghdr message = default;
                message.msg_iov = &vector;
                message.msg_iovlen = 1;
                message.msg_control = control;
                message.msg_controllen = (socklen_t)(uint)ControlLength;
                long received = (long)recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
                if (received < 0)
                {
                    int error = errno;
                    if (error == EINTR) continue;
                    return -error;
                }

                truncated = (message.msg_flags & MSG_CTRUNC) != 0;
                // The control messages, walked by hand (struct cmsghdr: a size_t length, two ints, then the data,
                // each message padded to 8 bytes): Tmds.LibC 0.5.0's CMSG_LEN pads the length too, which is wrong.
                long controlLength = (long)(ulong)message.msg_controllen;
                for (long at = 0; at + HeaderLength <= controlLength;)
                {
                    var header = (cmsghdr*)(control + at);
                    long length = (long)(ulong)header->cmsg_len;
                    if (length < HeaderLength || at + length > controlLength) break;
                    if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS)
                    {
                        int count = (int)((length - HeaderLength) / sizeof(int));
                        int* passed = (int*)(control + at + HeaderLength);
                        for (int i = 0; i < count; i++)
                        {
                            if (fdCount < fds.Length) fds[fdCount++] = passed[i];
                            else
                            {
                                close(passed[i]);
                                truncated = true;
                            }
                        }
                    }

                    at += (length + 7) & ~7L;
                }

                return received;
            }
        }
    }

    /// <summary>
    /// sendmsg(2) of <paramref name="buffer"/> with MSG_NOSIGNAL, passing <paramref name="fds"/> (SCM_RIGHTS) with
    /// the first byte. Returns the bytes sent (possibly fewer than asked) or -errno; EINTR is retried.
    /// </summary>
    public static long SendMessage(int fd, ReadOnlySpan<byte> buffer, ReadOnlySpan<int> fds)
    {
        if (fds.Length > MaxFdsPerMessage) return -22; // EINVAL
        const int ControlLength = 16 + MaxFdsPerMessage * sizeof(int);
        byte* control = stackalloc byte[ControlLength];
        fixed (byte* data = buffer)
        {
            while (true)
            {
                iovec vector = default;
                vector.iov_base = data;
                vector.iov_len = (size_t)(ulong)buffer.Length;
                msghdr message = default;
                message.msg_iov = &vector;
                message.msg_iovlen = 1;
                if (fds.Length > 0)
                {
                    // One SCM_RIGHTS message: length = header + data (not padded), space = padded to 8.
                    int dataLength = fds.Length * sizeof(int);
                    message.msg_control = control;
                    message.msg_controllen = (socklen_t)(uint)(HeaderLength + ((dataLength + 7) & ~7));
                    var header = (cmsghdr*)control;
                    header->cmsg_level = SOL_SOCKET;
                    header->cmsg_type = SCM_RIGHTS;
                    header->cmsg_len = (socklen_t)(uint)(HeaderLength + dataLength);
                    int* passed = (int*)(control + HeaderLength);
                    for (int i = 0; i < fds.Length; i++) passed[i] = fds[i];
                }

                long sent = (long)sendmsg(fd, &message, MSG_NOSIGNAL);
                if (sent < 0)
                {
                    int error = errno;
                    if (error == EINTR) continue;
                    return -error;
                }

                return sent;
            }
        }
    }

    /// <summary>mmap(2) of a shared file mapping: 0 and the address, or -errno.</summary>
    public static int MapShared(int fd, ulong length, long offset, bool writable, out byte* address)
    {
        int protection = PROT_READ | (writable ? PROT_WRITE : 0);
        void* result = mmap(null, (size_t)length, protection, MAP_SHARED, fd, offset);
        if (result == MAP_FAILED)
        {
            address = null;
            return Fail();
        }

        address = (byte*)result;
        return 0;
    }

    /// <summary>munmap(2).</summary>
    public static int Unmap(byte* address, ulong length) => munmap(address, (size_t)length) < 0 ? Fail() : 0;

    /// <summary>fstat(2): whether the descriptor is a regular file (memfd, tmpfs, hugetlbfs), its size and which file it is.</summary>
    public static int FileIdentity(int fd, out bool regular, out long size, out ulong device, out ulong inode)
    {
        stat info = default;
        if (fstat(fd, &info) < 0)
        {
            regular = false;
            size = 0;
            device = inode = 0;
            return Fail();
        }

        regular = (info.st_mode & S_IFMT) == S_IFREG;
        size = (long)info.st_size;
        device = (ulong)info.st_dev;
        inode = (ulong)info.st_ino;
        return 0;
    }

    /// <summary>Reserves <paramref name="length"/> bytes of address space (mmap(2) PROT_NONE, anonymous, no swap reserved).</summary>
    public static int Reserve(ulong length, out byte* address)
    {
        void* result = mmap(null, (size_t)length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (result == MAP_FAILED)
        {
            address = null;
            return Fail();
        }

        address = (byte*)result;
        return 0;
    }

    /// <summary>
    /// mmap(2) of <paramref name="length"/> bytes of a file at <paramref name="offset"/>, readable and writable, at
    /// <paramref name="at"/> exactly (MAP_FIXED, inside a <see cref="Reserve"/>d range): shared (writes reach the file)
    /// or private (writes stay in this process).
    /// </summary>
    public static int MapFixed(byte* at, ulong length, int fd, long offset, bool shared)
    {
        void* result = mmap(at, (size_t)length, PROT_READ | PROT_WRITE, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, fd, offset);
        return result == MAP_FAILED ? Fail() : 0;
    }

    /// <summary>Adds <paramref name="value"/> to an eventfd's counter (write(2) of 8 bytes).</summary>
    public static int EventFdSignal(int fd, ulong value)
    {
        while (true)
        {
            long written = (long)write(fd, &value, (size_t)8UL);
            if (written == 8) return 0;
            if (written >= 0) return -5; // EIO: a short write to an eventfd cannot happen
            int error = errno;
            if (error != EINTR) return -error;
        }
    }

    /// <summary>eventfd(2) with EFD_CLOEXEC | EFD_NONBLOCK.</summary>
    public static int EventFd()
    {
        int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        return fd < 0 ? Fail() : fd;
    }

    /// <summary>Reads (and so resets) an eventfd's counter: the counter, 0 when it was zero (EAGAIN), or -errno.</summary>
    public static long EventFdTake(int fd)
    {
        ulong value = 0;
        long read = (long)LibC.read(fd, &value, (size_t)8UL);
        if (read == 8) return (long)value;
        if (read < 0) return errno == EAGAIN ? 0 : Fail();
        return -5;
    }

    /// <summary>memfd_create(2) with MFD_CLOEXEC, sized with ftruncate(2).</summary>
    public static int MemFd(string name, long size)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, 0, name.Length, bytes, 0);
        int fd;
        fixed (byte* n = bytes)
        {
            fd = memfd_create(n, MFD_CLOEXEC);
        }

        if (fd < 0) return Fail();
        if (ftruncate(fd, size) < 0)
        {
            int error = errno;
            close(fd);
            return -error;
        }

        return fd;
    }

    /// <summary>poll(2) for readability: 1 when readable (or hung up), 0 on timeout, or -errno.</summary>
    public static int WaitReadable(int fd, int timeoutMilliseconds)
    {
        pollfd entry = default;
        entry.fd = fd;
        entry.events = POLLIN;
        int result = poll(&entry, 1, timeoutMilliseconds);
        return result < 0 ? Fail() : result;
    }

    /// <summary>lstat(2): 1 when <paramref name="path"/> is a socket, 0 when it is something else, or -errno (-ENOENT: nothing there).</summary>
    public static int IsSocket(string path)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
        stat info = default;
        fixed (byte* p = bytes)
        {
            if (lstat(p, &info) < 0) return Fail();
        }

        return (info.st_mode & S_IFMT) == S_IFSOCK ? 1 : 0;
    }

    /// <summary>unlink(2).</summary>
    public static int Unlink(string path)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
        fixed (byte* p = bytes)
        {
            return unlink(p) < 0 ? Fail() : 0;
        }
    }
}
