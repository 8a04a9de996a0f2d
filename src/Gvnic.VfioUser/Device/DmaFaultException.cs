using System;

namespace Gvnic.VfioUser.Device;

/// <summary>Why a device's DMA access failed.</summary>
public enum DmaFaultReason
{
    /// <summary>Part of the range is in no DMA mapping the client made.</summary>
    NotMapped,

    /// <summary>The mapping does not allow this direction (a read-only mapping written, say).</summary>
    NoPermission,

    /// <summary>The command register's bus-master bit is off: the function may not master the bus.</summary>
    BusMasterDisabled,

    /// <summary>A lease asked for a range that spans two mappings (a copy can cross them, a span cannot).</summary>
    CrossesMappings,

    /// <summary>A lease asked for memory the client gave without a file descriptor (reachable only by copy).</summary>
    NotDirectlyMapped,

    /// <summary>The server could not map a view of the range into its own address space (mmap failed).</summary>
    HostMappingFailed,

    /// <summary>The client answered a DMA_READ or DMA_WRITE message with an error.</summary>
    ClientError,

    /// <summary>The client did not answer a DMA_READ or DMA_WRITE message in time.</summary>
    Timeout,

    /// <summary>No client is connected to carry a DMA_READ or DMA_WRITE message.</summary>
    Disconnected,
}

/// <summary>A DMA access of the device that did not happen: which range, which direction, and why.</summary>
public sealed class DmaFaultException : Exception
{
    /// <summary>A fault of <paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    public DmaFaultException(ulong address, long length, DmaAccess access, DmaFaultReason reason, string detail)
        : base($"DMA {(access == DmaAccess.Write ? "write" : "read")} of {length} bytes at 0x{address:X}: {detail}")
    {
        Address = address;
        Length = length;
        Access = access;
        Reason = reason;
    }

    /// <summary>First byte of the access.</summary>
    public ulong Address { get; }

    /// <summary>Its length.</summary>
    public long Length { get; }

    /// <summary>Read or write.</summary>
    public DmaAccess Access { get; }

    /// <summary>Why it failed.</summary>
    public DmaFaultReason Reason { get; }
}

/// <summary>The direction of a DMA access.</summary>
public enum DmaAccess
{
    /// <summary>The device reads guest memory.</summary>
    Read = 1,

    /// <summary>The device writes guest memory.</summary>
    Write = 2,
}
