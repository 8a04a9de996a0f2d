using System;
using Gvnic.Simulator;
using Gvnic.VfioUser.Device;

namespace Gvnic.VfioUser.Model;

/// <summary>
/// The device model's DMA port (<see cref="IDeviceMemory"/>) over the client's memory (<see cref="GuestMemory"/>): a
/// device address is a DMA address of the client (a guest-physical address, or an IOVA under a virtual IOMMU), resolved
/// in place through <see cref="GuestMemory.TryResolve"/>. A refusal becomes the model's violation:
/// <see cref="ViolationKind.DmaWithoutBusMaster"/> when bus mastering is off, <see cref="ViolationKind.DmaOutOfBounds"/>
/// for everything else (no mapping, no permission, memory without a descriptor).
/// </summary>
internal sealed class GuestMemoryPort : IDeviceMemory
{
    private volatile GuestMemory? _memory;

    /// <summary>The memory to resolve in (the server hands it over when it attaches the device).</summary>
    public void Attach(GuestMemory memory) => _memory = memory;

    /// <inheritdoc/>
    public bool TryResolve(ulong address, long length, out Span<byte> span, out ViolationKind failure, out string reason)
    {
        GuestMemory? memory = _memory;
        if (memory is null)
        {
            span = default;
            failure = ViolationKind.DmaOutOfBounds;
            reason = "no vfio-user server has attached the device: it has no guest memory";
            return false;
        }

        if (memory.TryResolve(address, length, out span, out DmaFaultReason why, out reason))
        {
            failure = default;
            return true;
        }

        failure = why == DmaFaultReason.BusMasterDisabled ? ViolationKind.DmaWithoutBusMaster : ViolationKind.DmaOutOfBounds;
        return false;
    }
}
