namespace Gvnic.Platform;

/// <summary>The PCI identity of gVNIC.</summary>
public static class PciIds
{
    /// <summary>Google's PCI vendor id.</summary>
    public const ushort GoogleVendor = 0x1AE0;

    /// <summary>The gVNIC device id.</summary>
    public const ushort GvnicDevice = 0x0042;
}
