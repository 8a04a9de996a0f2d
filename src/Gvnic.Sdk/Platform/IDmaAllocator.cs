namespace Gvnic.Platform;

/// <summary>Hands out DMA memory for one PCI function and takes it back.</summary>
public interface IDmaAllocator
{
    /// <summary>Allocates <paramref name="length"/> zeroed bytes aligned to <paramref name="alignment"/> (a power of two, at least 4096 recommended for device structures).</summary>
    DmaRegion Allocate(int length, int alignment = 4096);

    /// <summary>Returns a region. Call only once the device can no longer touch it.</summary>
    void Free(DmaRegion region);

    /// <summary>How many regions are allocated and not yet freed.</summary>
    int OutstandingRegions { get; }

    /// <summary>How many bytes are allocated and not yet freed.</summary>
    long OutstandingBytes { get; }
}
