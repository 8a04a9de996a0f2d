namespace Gvnic.Runtime.Vfio.Interop;

/// <summary>
/// The system calls the VFIO backend makes, in kernel style: a result of zero or more is success, a negative
/// result is <c>-errno</c>. <see cref="LinuxApi"/> calls libc; tests substitute a model of the VFIO kernel side.
/// </summary>
internal unsafe interface ILinuxApi
{
    /// <summary>open(2): a file descriptor or -errno.</summary>
    int Open(string path, int flags);

    /// <summary>close(2).</summary>
    int Close(int fd);

    /// <summary>access(2) with R_OK | W_OK.</summary>
    int AccessReadWrite(string path);

    /// <summary>ioctl(2) with a pointer argument.</summary>
    int Ioctl(int fd, int request, void* argument);

    /// <summary>ioctl(2) with an integer argument.</summary>
    int Ioctl(int fd, int request, nint argument);

    /// <summary>mmap(2): the address in <paramref name="address"/>, 0 or -errno as the result.</summary>
    int Mmap(nuint length, int protection, int flags, int fd, long offset, out void* address);

    /// <summary>munmap(2).</summary>
    int Munmap(void* address, nuint length);

    /// <summary>mlock(2).</summary>
    int Mlock(void* address, nuint length);

    /// <summary>munlock(2).</summary>
    int Munlock(void* address, nuint length);

    /// <summary>pread(2): bytes read or -errno.</summary>
    long Pread(int fd, void* buffer, nuint count, long offset);

    /// <summary>pwrite(2): bytes written or -errno.</summary>
    long Pwrite(int fd, void* buffer, nuint count, long offset);

    /// <summary>read(2): bytes read or -errno.</summary>
    long Read(int fd, void* buffer, nuint count);

    /// <summary>eventfd(2) with EFD_CLOEXEC | EFD_NONBLOCK: a descriptor or -errno.</summary>
    int EventFd();

    /// <summary>geteuid(2).</summary>
    uint GetEffectiveUserId();

    /// <summary>poll(2) on one descriptor for POLLIN: 1 when readable, 0 on timeout, or -errno.</summary>
    int PollIn(int fd, int timeoutMilliseconds);
}
