using System;

namespace Gvnic.VfioUser.Server;

/// <summary>A request the server answers with an error: the errno and what was wrong.</summary>
internal sealed class RequestRefusedException(int errno, string reason) : Exception(reason)
{
    public int Errno { get; } = errno;
}
