using System;

namespace Gvnic.Simulator;

/// <summary>
/// The device side of DMA: what a bus-master access of the device model reaches in the driver's memory. The model
/// resolves every access through this before touching a byte; <see cref="SimulatedDmaAllocator"/> is the in-process
/// implementation; a device for a driver in another process gets its own through the
/// <see cref="SimulatedGvnic(SimulatedDeviceConfig?, IDeviceMemory?, IMsixSink?)"/> constructor (Gvnic.VfioUser maps a
/// guest's memory this way).
/// </summary>
/// <remarks>
/// The device resolves with its lock held and uses the span only until it releases that lock; an implementation must keep
/// the memory mapped until then (see the constructor's remarks).
/// </remarks>
public interface IDeviceMemory
{
    /// <summary>
    /// The device's view of <paramref name="length"/> bytes at device address <paramref name="address"/>: true with the
    /// span when the whole range is memory the driver handed over; otherwise false with the kind of violation and a
    /// sentence saying why (the device then touches nothing).
    /// </summary>
    bool TryResolve(ulong address, long length, out Span<byte> span, out ViolationKind failure, out string reason);
}
