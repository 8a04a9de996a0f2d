using System.Globalization;
using Gvnic.Wire;

namespace Gvnic.Platform;

/// <summary>The PCI identity of gVNIC, as the schema states it (<see cref="GvnicConstants.PciVendorIdGoogle"/>, <see cref="GvnicConstants.PciDevIdGvnic"/>).</summary>
public static class PciIds
{
    /// <summary>Google's PCI vendor id (<see cref="GvnicConstants.PciVendorIdGoogle"/>).</summary>
    public const ushort GoogleVendor = GvnicConstants.PciVendorIdGoogle;

    /// <summary>The gVNIC device id (<see cref="GvnicConstants.PciDevIdGvnic"/>).</summary>
    public const ushort GvnicDevice = GvnicConstants.PciDevIdGvnic;

    /// <summary>The identity as lspci prints it and takes it (<c>lspci -d 1ae0:0042</c>): <c>vendor:device</c> in lower-case hex.</summary>
    public static string Text { get; } = GoogleVendor.ToString("x4", CultureInfo.InvariantCulture) + ":" + GvnicDevice.ToString("x4", CultureInfo.InvariantCulture);
}
