namespace Gvnic.Driver;

/// <summary>A received frame's metadata.</summary>
/// <param name="Length">Frame length in bytes (the 2-byte pad removed).</param>
/// <param name="Flags">Protocol flags from the descriptor.</param>
/// <param name="Checksum">The device's 16-bit ones'-complement partial checksum.</param>
/// <param name="RssHash">The Toeplitz RSS hash.</param>
/// <param name="Queue">The RX queue the frame came from.</param>
public readonly record struct RxInfo(int Length, RxFlags Flags, ushort Checksum, uint RssHash, int Queue);
