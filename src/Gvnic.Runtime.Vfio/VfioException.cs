using System;
using System.IO;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// A VFIO step failed, e.g. <c>VFIO_GROUP_SET_CONTAINER on /dev/vfio/12 failed: EBUSY (16): Device or resource busy</c>,
/// often followed by what to do about it.
/// </summary>
public class VfioException : IOException
{
    /// <summary>Creates the exception for a failed system call.</summary>
    /// <param name="step">What was done, e.g. <c>VFIO_GROUP_SET_CONTAINER</c> or <c>open</c>.</param>
    /// <param name="target">What it was done on, e.g. <c>/dev/vfio/12</c>.</param>
    /// <param name="errno">The positive errno the call returned.</param>
    /// <param name="hint">What the user can do about it, or null.</param>
    public VfioException(string step, string target, int errno, string? hint = null)
        : base(Format(step, target, errno, hint))
    {
        Step = step;
        Target = target;
        Errno = errno;
        Hint = hint;
    }

    /// <summary>Creates the exception for a problem that is not a failed call (errno is 0).</summary>
    public VfioException(string step, string target, string message, string? hint = null, Exception? inner = null)
        : base(message + (hint is null ? "" : " " + hint), inner)
    {
        Step = step;
        Target = target;
        Hint = hint;
    }

    /// <summary>The step that failed, e.g. <c>VFIO_SET_IOMMU</c>.</summary>
    public string Step { get; }

    /// <summary>The file, device or region the step acted on.</summary>
    public string Target { get; }

    /// <summary>The errno of the failed call, or 0.</summary>
    public int Errno { get; }

    /// <summary>The symbolic errno name (<c>EBUSY</c>), or an empty string when <see cref="Errno"/> is 0.</summary>
    public string ErrnoName => Errno == 0 ? "" : Interop.Errno.Name(Errno);

    /// <summary>What to do about it, or null.</summary>
    public string? Hint { get; }

    private static string Format(string step, string target, int errno, string? hint)
        => step + " on " + target + " failed: " + Interop.Errno.Name(errno) + " (" + errno + "): " + Interop.Errno.Describe(errno)
           + (hint is null ? "" : ". " + hint);
}

