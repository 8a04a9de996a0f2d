using System;

namespace Gvnic.Driver;

/// <summary>
/// Teardown did not complete. When <see cref="MemoryKept"/> is true the device never confirmed it let go of
/// the admin queue, so the driver kept (did not free) every DMA region the device may still write.
/// </summary>
public sealed class NicTeardownException : GvnicException
{
    /// <summary>Creates the exception.</summary>
    public NicTeardownException(string message, bool memoryKept, int regionsKept, long bytesKept, Exception? inner)
        : base(message, inner)
    {
        MemoryKept = memoryKept;
        RegionsKept = regionsKept;
        BytesKept = bytesKept;
    }

    /// <summary>Whether DMA memory was kept because the device may still use it.</summary>
    public bool MemoryKept { get; }

    /// <summary>How many regions were kept.</summary>
    public int RegionsKept { get; }

    /// <summary>How many bytes were kept.</summary>
    public long BytesKept { get; }
}
