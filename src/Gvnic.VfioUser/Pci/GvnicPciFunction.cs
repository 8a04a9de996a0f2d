using Gvnic.Platform;

namespace Gvnic.VfioUser.Pci;

/// <summary>
/// The PCI face of a gVNIC, as Linux's gve documentation describes it (Documentation/networking/device_drivers/
/// ethernet/google/gve.rst): vendor 0x1AE0, device 0x0042, subsystem 0x1AE0:0x0058, class 0x020000 (Ethernet),
/// three 32-bit memory BARs: BAR0 the configuration and status registers, BAR1 the MSI-X vector table, BAR2 the
/// IRQ, TX and RX doorbells. The revision id selects the admin-queue revision (0: the PFN register; 1: base
/// address, length and driver_status). Where the pending-bit array lies is not documented: here it is the second
/// half of BAR1.
/// </summary>
public static class GvnicPciFunction
{
    /// <summary>gVNIC's subsystem id.</summary>
    public const ushort SubsystemId = 0x0058;

    /// <summary>Ethernet controller (base class 0x02, subclass 0x00, interface 0x00).</summary>
    public const uint EthernetClass = 0x020000;

    /// <summary>The BAR of the configuration and status registers.</summary>
    public const int RegisterBar = 0;

    /// <summary>The BAR of the MSI-X table and pending-bit array.</summary>
    public const int MsixBar = 1;

    /// <summary>The BAR of the doorbells.</summary>
    public const int DoorbellBar = 2;

    /// <summary>
    /// A gVNIC with admin-queue revision <paramref name="revision"/>, <paramref name="msixVectors"/> MSI-X vectors
    /// and BARs of the given sizes (BAR1 is sized for the vectors: the table in its first half, the PBA in its
    /// second, at least 4 KiB).
    /// </summary>
    public static PciFunctionDescription Describe(byte revision, int msixVectors, ulong bar0Size = 0x1000, ulong bar2Size = 0x4000)
    {
        ulong msixSize = 0x1000;
        while (msixSize / 2 < (ulong)msixVectors * 16) msixSize *= 2;
        return new PciFunctionDescription(
            PciIds.GoogleVendor,
            PciIds.GvnicDevice,
            PciIds.GoogleVendor,
            SubsystemId,
            revision,
            EthernetClass,
            [new PciBar(RegisterBar, bar0Size), new PciBar(MsixBar, msixSize), new PciBar(DoorbellBar, bar2Size)],
            MsixBar,
            msixVectors);
    }
}
