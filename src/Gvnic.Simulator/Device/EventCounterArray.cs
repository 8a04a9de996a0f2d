using System;
using Gvnic.Wire;

namespace Gvnic.Simulator.Device;

/// <summary>The event-counter array CONFIGURE_DEVICE_RESOURCES handed over: big-endian 32-bit counters in driver memory (GQI TX completion).</summary>
internal sealed class EventCounterArray(DeviceDma dma)
{
    private ulong _address;

    /// <summary>How many counters the driver handed over (0 while the device is not configured).</summary>
    public uint Count { get; private set; }

    public void Configure(ulong address, uint count)
    {
        _address = address;
        Count = count;
    }

    public void Clear() => Count = 0;

    /// <summary>Writes counter <paramref name="index"/> (checked when its queue was created; ignored when out of range).</summary>
    public void Write(uint index, uint value, int queue)
    {
        if (index >= Count) return;
        if (dma.TryAccess(_address + (ulong)index * EventCounter.Size, EventCounter.Size, queue, index, "event counter", out Span<byte> at))
            new EventCounter { Count = value }.Write(at);
    }
}
