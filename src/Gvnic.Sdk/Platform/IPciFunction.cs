using System;
using Gvnic.Wire;

namespace Gvnic.Platform;

/// <summary>
/// One PCI function as a driver needs it: its identity, BAR0 (registers) and BAR2 (doorbells) mapped,
/// DMA memory, MSI-X vectors and a function reset. Shaped after what Linux VFIO gives, so the VFIO
/// backend is thin; the device model implements it too.
/// </summary>
public interface IPciFunction : IDisposable
{
    /// <summary>A human-readable address, e.g. <c>0000:00:04.0</c> or <c>sim:0</c>.</summary>
    string Address { get; }

    /// <summary>PCI vendor id (Google's for a gVNIC: the schema constant <c>pci_vendor_id_google</c>).</summary>
    ushort VendorId { get; }

    /// <summary>PCI device id (the schema constant <c>pci_dev_id_gvnic</c> for a gVNIC).</summary>
    ushort DeviceId { get; }

    /// <summary>PCI revision id: 0 selects the legacy (PFN) admin queue, 1 and later the base/length one.</summary>
    byte RevisionId { get; }

    /// <summary>BAR0: configuration and status registers.</summary>
    IMmioRegion Bar0 { get; }

    /// <summary>BAR2: interrupt and queue doorbells.</summary>
    IMmioRegion Bar2 { get; }

    /// <summary>The length of BAR2 in bytes (doorbell indexes from the device are checked against it).</summary>
    long Bar2Length { get; }

    /// <summary>DMA memory the device can reach.</summary>
    IDmaAllocator Dma { get; }

    /// <summary>MSI-X vectors.</summary>
    IInterruptController Interrupts { get; }

    /// <summary>Turns on memory decoding and bus mastering.</summary>
    void EnableBusMaster();

    /// <summary>Turns off bus mastering (the device stops DMA).</summary>
    void DisableBusMaster();
}
