using System.Collections.Generic;
using System.Threading;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Server;

/// <summary>A request the server refused: which message, which errno it answered (or would have), and why.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Command">The command number.</param>
/// <param name="Errno">The errno of the error reply.</param>
/// <param name="Reason">What was wrong, in words.</param>
/// <param name="Replied">False for a request that asked for no reply (the error was only recorded).</param>
public readonly record struct RefusedRequest(ushort Id, ushort Command, int Errno, string Reason, bool Replied)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"message {Id} {CommandName(Command)}: {Protocol.Errno.Name(Errno)}: {Reason}{(Replied ? "" : " (no reply asked)")}";

    /// <summary>The command's protocol name, e.g. <c>REGION_READ</c>, or its number.</summary>
    public static string CommandName(ushort command) => (Command)command switch
    {
        Wire.Command.Version => "VERSION",
        Wire.Command.DmaMap => "DMA_MAP",
        Wire.Command.DmaUnmap => "DMA_UNMAP",
        Wire.Command.DeviceGetInfo => "DEVICE_GET_INFO",
        Wire.Command.DeviceGetRegionInfo => "DEVICE_GET_REGION_INFO",
        Wire.Command.DeviceGetRegionIoFds => "DEVICE_GET_REGION_IO_FDS",
        Wire.Command.DeviceGetIrqInfo => "DEVICE_GET_IRQ_INFO",
        Wire.Command.DeviceSetIrqs => "DEVICE_SET_IRQS",
        Wire.Command.RegionRead => "REGION_READ",
        Wire.Command.RegionWrite => "REGION_WRITE",
        Wire.Command.DmaRead => "DMA_READ",
        Wire.Command.DmaWrite => "DMA_WRITE",
        Wire.Command.DeviceReset => "DEVICE_RESET",
        Wire.Command.DirtyPages => "DIRTY_PAGES",
        Wire.Command.RegionWriteMulti => "REGION_WRITE_MULTI",
        Wire.Command.DeviceFeature => "DEVICE_FEATURE",
        Wire.Command.MigDataRead => "MIG_DATA_READ",
        Wire.Command.MigDataWrite => "MIG_DATA_WRITE",
        _ => "command " + command,
    };
}

/// <summary>What a server has done, for tests and diagnostics. Thread-safe.</summary>
public sealed class VfioUserStatistics
{
    private const int Kept = 64;
    private readonly Queue<RefusedRequest> _refused = new();
    private long _connections, _requests, _refusedCount, _regionReads, _regionWrites, _dmaMaps, _dmaUnmaps, _resets, _deviceExceptions;

    /// <summary>Clients served (connections accepted).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Requests handled.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests refused with an errno.</summary>
    public long Refused => Interlocked.Read(ref _refusedCount);

    /// <summary>Region reads done.</summary>
    public long RegionReads => Interlocked.Read(ref _regionReads);

    /// <summary>Region writes done (REGION_WRITE and each write of REGION_WRITE_MULTI).</summary>
    public long RegionWrites => Interlocked.Read(ref _regionWrites);

    /// <summary>DMA mappings added.</summary>
    public long DmaMaps => Interlocked.Read(ref _dmaMaps);

    /// <summary>DMA mappings removed by DMA_UNMAP.</summary>
    public long DmaUnmaps => Interlocked.Read(ref _dmaUnmaps);

    /// <summary>DEVICE_RESET requests done.</summary>
    public long Resets => Interlocked.Read(ref _resets);

    /// <summary>Exceptions the device threw from a BAR access or reset (each answered with EIO).</summary>
    public long DeviceExceptions => Interlocked.Read(ref _deviceExceptions);

    /// <summary>The last 64 refused requests, oldest first.</summary>
    public IReadOnlyList<RefusedRequest> RecentRefusals
    {
        get
        {
            lock (_refused) return [.. _refused];
        }
    }

    internal void Connection() => Interlocked.Increment(ref _connections);

    internal void Request() => Interlocked.Increment(ref _requests);

    internal void RegionRead() => Interlocked.Increment(ref _regionReads);

    internal void RegionWrite() => Interlocked.Increment(ref _regionWrites);

    internal void DmaMap() => Interlocked.Increment(ref _dmaMaps);

    internal void DmaUnmap() => Interlocked.Increment(ref _dmaUnmaps);

    internal void ResetDone() => Interlocked.Increment(ref _resets);

    internal void DeviceException() => Interlocked.Increment(ref _deviceExceptions);

    internal void Refusal(RefusedRequest refusal)
    {
        Interlocked.Increment(ref _refusedCount);
        lock (_refused)
        {
            if (_refused.Count == Kept) _refused.Dequeue();
            _refused.Enqueue(refusal);
        }
    }
}
