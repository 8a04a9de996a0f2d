namespace Gvnic.VfioUser.Protocol;

/// <summary>The Linux errno values the server puts in error replies, with their names for messages.</summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;

    /// <summary>Interrupted system call.</summary>
    public const int EINTR = 4;

    /// <summary>Input/output error: the device failed the access.</summary>
    public const int EIO = 5;

    /// <summary>Argument list too long: a transfer larger than the negotiated maximum.</summary>
    public const int E2BIG = 7;

    /// <summary>Bad file descriptor.</summary>
    public const int EBADF = 9;

    /// <summary>Resource temporarily unavailable.</summary>
    public const int EAGAIN = 11;

    /// <summary>Out of memory.</summary>
    public const int ENOMEM = 12;

    /// <summary>Permission denied.</summary>
    public const int EACCES = 13;

    /// <summary>Bad address: an address outside every DMA mapping.</summary>
    public const int EFAULT = 14;

    /// <summary>Device or resource busy.</summary>
    public const int EBUSY = 16;

    /// <summary>Exists: a DMA mapping over an existing one.</summary>
    public const int EEXIST = 17;

    /// <summary>No such device: a file descriptor that cannot be mapped.</summary>
    public const int ENODEV = 19;

    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;

    /// <summary>No space left: too many DMA mappings.</summary>
    public const int ENOSPC = 28;

    /// <summary>Function not implemented: an unknown command.</summary>
    public const int ENOSYS = 38;

    /// <summary>Operation not supported: a known command or variant this server does not implement.</summary>
    public const int ENOTSUP = 95;

    /// <summary>Connection aborted (before accept took it).</summary>
    public const int ECONNABORTED = 103;

    /// <summary>Connection timed out: the client did not answer a DMA message in time.</summary>
    public const int ETIMEDOUT = 110;

    /// <summary>The symbolic name, e.g. <c>EINVAL</c>, or <c>errno 123</c> for one not listed.</summary>
    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        EINTR => "EINTR",
        EIO => "EIO",
        E2BIG => "E2BIG",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EFAULT => "EFAULT",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        ENODEV => "ENODEV",
        EINVAL => "EINVAL",
        ENOSPC => "ENOSPC",
        ENOSYS => "ENOSYS",
        ENOTSUP => "ENOTSUP",
        ECONNABORTED => "ECONNABORTED",
        ETIMEDOUT => "ETIMEDOUT",
        _ => "errno " + errno,
    };
}
