namespace Gvnic.Wire;

/// <summary>A mapped BAR (or part of one): 8- to 64-bit loads and stores at byte offsets.</summary>
/// <remarks>
/// A value is the bytes at that offset as a plain load of the host sees them; the generated register
/// code converts from the register's byte order. A VFIO mapping, a simulated device or a test double implement it.
/// </remarks>
public interface IMmioRegion
{
    /// <summary>Loads the 8-bit value at byte <paramref name="offset"/>.</summary>
    byte Read8(long offset);

    /// <summary>Stores a 8-bit value at byte <paramref name="offset"/>.</summary>
    void Write8(long offset, byte value);

    /// <summary>Loads the 16-bit value at byte <paramref name="offset"/>.</summary>
    ushort Read16(long offset);

    /// <summary>Stores a 16-bit value at byte <paramref name="offset"/>.</summary>
    void Write16(long offset, ushort value);

    /// <summary>Loads the 32-bit value at byte <paramref name="offset"/>.</summary>
    uint Read32(long offset);

    /// <summary>Stores a 32-bit value at byte <paramref name="offset"/>.</summary>
    void Write32(long offset, uint value);

    /// <summary>Loads the 64-bit value at byte <paramref name="offset"/>.</summary>
    ulong Read64(long offset);

    /// <summary>Stores a 64-bit value at byte <paramref name="offset"/>.</summary>
    void Write64(long offset, ulong value);
}
