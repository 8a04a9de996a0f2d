using System;

namespace Gvnic.Platform;

/// <summary>
/// A block of memory both the driver and the device can reach: the driver sees it as a span, the device
/// by <see cref="DeviceAddress"/> (an IOVA under VFIO, a simulated bus address in the device model).
/// </summary>
/// <remarks>
/// Regions come from an <see cref="IDmaAllocator"/> and go back to it with <see cref="IDmaAllocator.Free"/>.
/// A region is pinned native memory: it never moves while the device may use it.
/// </remarks>
public sealed unsafe class DmaRegion
{
    private readonly byte* _pointer;

    /// <summary>Describes a region; allocators create these.</summary>
    /// <param name="pointer">Where the driver sees the memory.</param>
    /// <param name="length">Its length in bytes.</param>
    /// <param name="deviceAddress">Where the device sees it.</param>
    /// <param name="id">The allocator's id for the region (for diagnostics and leak reports).</param>
    public DmaRegion(byte* pointer, int length, ulong deviceAddress, long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _pointer = pointer;
        Length = length;
        DeviceAddress = deviceAddress;
        Id = id;
    }

    /// <summary>The address the device uses for the first byte.</summary>
    public ulong DeviceAddress { get; }

    /// <summary>The length in bytes.</summary>
    public int Length { get; }

    /// <summary>The allocator's id for the region.</summary>
    public long Id { get; }

    /// <summary>Whether the region has been returned to its allocator (then it must not be touched).</summary>
    public bool IsFreed { get; internal set; }

    /// <summary>The driver's view of the memory.</summary>
    /// <exception cref="ObjectDisposedException">The region was freed.</exception>
    public Span<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsFreed, this);
            return new Span<byte>(_pointer, Length);
        }
    }

    /// <summary>The driver's pointer to the first byte (valid until the region is freed).</summary>
    public byte* Pointer => _pointer;

    /// <summary>Marks the region freed; called by allocators only.</summary>
    public void MarkFreed() => IsFreed = true;

    /// <summary>The device address of byte <paramref name="offset"/>.</summary>
    public ulong AddressOf(int offset)
    {
        if ((uint)offset > (uint)Length) ThrowOutside(offset);
        return DeviceAddress + (ulong)offset;
    }

    // Apart, so that AddressOf stays small enough to inline on the data path.
    private void ThrowOutside(int offset) => throw new ArgumentOutOfRangeException(nameof(offset), offset, "offset is outside the " + Length + "-byte region");

    /// <inheritdoc/>
    public override string ToString() => "DMA region #" + Id + " (" + Length + " bytes at device address 0x" + DeviceAddress.ToString("X") + ")";
}
