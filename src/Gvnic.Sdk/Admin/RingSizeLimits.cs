namespace Gvnic.Admin;

/// <summary>Ring-size limits from the modify-ring option.</summary>
/// <param name="MaxRxRingSize">Largest RX ring.</param>
/// <param name="MaxTxRingSize">Largest TX ring.</param>
/// <param name="MinRxRingSize">Smallest RX ring (the upstream default when the device gives none).</param>
/// <param name="MinTxRingSize">Smallest TX ring (the upstream default when the device gives none).</param>
/// <param name="DeviceGaveMinimums">Whether the option carried the minimums (12-byte form) or the defaults stand in (8-byte form).</param>
public readonly record struct RingSizeLimits(ushort MaxRxRingSize, ushort MaxTxRingSize, ushort MinRxRingSize, ushort MinTxRingSize, bool DeviceGaveMinimums);
