using System;

namespace Gvnic.Runtime.Vfio;

/// <summary>Makes pinned memory reachable by the device and says at which address.</summary>
internal unsafe interface IDmaMapper : IDisposable
{
    /// <summary>How messages and docs name the mode (<c>type1 IOMMU</c>, <c>no-IOMMU</c>).</summary>
    string Mode { get; }

    /// <summary>Maps <paramref name="length"/> bytes at <paramref name="pointer"/> (page-aligned, locked) and returns the device address.</summary>
    ulong Map(byte* pointer, ulong length, ulong alignment);

    /// <summary>Undoes <see cref="Map"/>.</summary>
    void Unmap(byte* pointer, ulong deviceAddress, ulong length);
}
