using System.Text.Json;

namespace Gvnic.Platform.Tracing;

/// <summary>The first line of a trace: the format, the program that wrote it, when, the device and the data mode.</summary>
/// <param name="Version">The format version (<see cref="TraceFormat.Version"/>).</param>
/// <param name="Tool">The program that recorded it.</param>
/// <param name="Start">When recording started (UTC, ISO 8601).</param>
/// <param name="Address">The device's address (<c>sim:0</c>, <c>0000:00:05.0</c>).</param>
/// <param name="VendorId">PCI vendor id, as written (<c>0x1ae0</c>).</param>
/// <param name="DeviceId">PCI device id, as written (<c>0x0042</c>).</param>
/// <param name="Revision">PCI revision (the admin-queue revision).</param>
/// <param name="Bar2Length">BAR2's size in bytes.</param>
/// <param name="MsixVectors">MSI-X vectors the function offers.</param>
/// <param name="Data">How much of the data path was recorded.</param>
/// <param name="Json">The whole line.</param>
public sealed record TraceHeader(int Version, string Tool, string Start, string Address, string VendorId, string DeviceId, int Revision,
    long Bar2Length, int MsixVectors, TraceDataMode Data, JsonElement Json)
{
    /// <summary><c>sim:0 1ae0:0042 rev 1</c>.</summary>
    public string DeviceText => Address + " " + VendorId.Replace("0x", "") + ":" + DeviceId.Replace("0x", "") + " rev " + Revision;
}
