using System;
using Gvnic.Simulator.Queues;

namespace Gvnic.Simulator.Device;

/// <summary>
/// Every DMA the device performs goes through here: the bus-master check, then <see cref="IDeviceMemory"/>; a failed
/// access is recorded as a violation and touches nothing.
/// </summary>
internal sealed class DeviceDma(IDeviceMemory memory, ViolationLog violations)
{
    /// <summary>Whether bus mastering is on (the device performs DMA only then).</summary>
    public bool BusMaster { get; set; }

    /// <summary>The device's view of <paramref name="length"/> bytes at <paramref name="address"/>; a failure is recorded naming <paramref name="queue"/>, <paramref name="index"/> and <paramref name="what"/>.</summary>
    public bool TryAccess(ulong address, long length, int queue, long index, scoped in DmaWhat what, out Span<byte> span)
    {
        span = default;
        if (!BusMaster)
        {
            violations.Add(ViolationKind.DmaWithoutBusMaster, queue, index, what.ToString() + ": the device needed DMA at 0x" + address.ToString("X") + " but bus mastering is off");
            return false;
        }
        if (memory.TryResolve(address, length, out span, out ViolationKind kind, out string reason)) return true;
        violations.Add(kind, queue, index, what.ToString() + ": " + reason);
        return false;
    }

    /// <summary>Resolves without the bus-master check and without recording anything (the caller decides).</summary>
    public bool TryResolve(ulong address, long length, out Span<byte> span, out ViolationKind failure, out string reason)
        => memory.TryResolve(address, length, out span, out failure, out reason);
}
