using System;
using System.Collections.Generic;
using System.Numerics;

namespace Gvnic.VfioUser.Pci;

/// <summary>
/// What a PCI function looks like from its configuration space: identity, the memory BARs and the MSI-X
/// capability (its table and pending-bit array in one BAR of their own). The server builds the type-0 header
/// from it (<see cref="PciConfigSpace"/>) and serves the MSI-X BAR itself (<see cref="MsixBar"/>); every other
/// BAR goes to the device.
/// </summary>
public sealed class PciFunctionDescription
{
    /// <summary>Checks the description; every problem is an <see cref="ArgumentException"/> naming the value.</summary>
    public PciFunctionDescription(
        ushort vendorId,
        ushort deviceId,
        ushort subsystemVendorId,
        ushort subsystemId,
        byte revisionId,
        uint classCode,
        IReadOnlyList<PciBar> bars,
        int msixBar,
        int msixVectors)
    {
        ArgumentNullException.ThrowIfNull(bars);
        if (classCode > 0xFFFFFF) throw new ArgumentException($"class code 0x{classCode:X} does not fit in 24 bits", nameof(classCode));
        if (msixVectors is < 1 or > 2048) throw new ArgumentException($"MSI-X vectors {msixVectors}: a function has 1 to 2048", nameof(msixVectors));
        var byIndex = new PciBar?[6];
        foreach (PciBar bar in bars)
        {
            if (byIndex[bar.Index] is not null) throw new ArgumentException($"BAR {bar.Index} is described twice", nameof(bars));
            byIndex[bar.Index] = bar;
        }

        if (msixBar is < 0 or > 5 || byIndex[msixBar] is null)
            throw new ArgumentException($"the MSI-X BAR {msixBar} is not one of the described BARs", nameof(msixBar));
        ulong tableBytes = (ulong)msixVectors * 16;
        ulong pbaBytes = (ulong)((msixVectors + 63) / 64) * 8;
        ulong msixSize = byIndex[msixBar]!.Size;
        if (tableBytes > msixSize / 2 || pbaBytes > msixSize / 2)
            throw new ArgumentException(
                $"the MSI-X BAR {msixBar} ({msixSize} bytes) is too small for {msixVectors} vectors: the table ({tableBytes} bytes) goes in its first half, the PBA in its second",
                nameof(msixVectors));

        VendorId = vendorId;
        DeviceId = deviceId;
        SubsystemVendorId = subsystemVendorId;
        SubsystemId = subsystemId;
        RevisionId = revisionId;
        ClassCode = classCode;
        Bars = byIndex;
        MsixBar = msixBar;
        MsixVectors = msixVectors;
        MsixTableOffset = 0;
        MsixPbaOffset = (uint)(msixSize / 2);
    }

    /// <summary>Vendor id.</summary>
    public ushort VendorId { get; }

    /// <summary>Device id.</summary>
    public ushort DeviceId { get; }

    /// <summary>Subsystem vendor id.</summary>
    public ushort SubsystemVendorId { get; }

    /// <summary>Subsystem id.</summary>
    public ushort SubsystemId { get; }

    /// <summary>Revision id.</summary>
    public byte RevisionId { get; }

    /// <summary>The 24-bit class code: base class, subclass, programming interface (0x020000: Ethernet).</summary>
    public uint ClassCode { get; }

    /// <summary>The six BAR slots; null where the function has no BAR.</summary>
    public IReadOnlyList<PciBar?> Bars { get; }

    /// <summary>The BAR holding the MSI-X table (at its start) and pending-bit array (at its middle).</summary>
    public int MsixBar { get; }

    /// <summary>Number of MSI-X vectors.</summary>
    public int MsixVectors { get; }

    /// <summary>Offset of the MSI-X table in <see cref="MsixBar"/>.</summary>
    public uint MsixTableOffset { get; }

    /// <summary>Offset of the pending-bit array in <see cref="MsixBar"/>: the second half of the BAR.</summary>
    public uint MsixPbaOffset { get; }

    /// <summary>The size of BAR <paramref name="index"/>, 0 when the function has none there.</summary>
    public ulong BarSize(int index) => index is >= 0 and <= 5 && Bars[index] is PciBar bar ? bar.Size : 0;
}

/// <summary>A 32-bit, non-prefetchable memory BAR.</summary>
public sealed class PciBar
{
    /// <summary>A BAR of <paramref name="size"/> bytes (a power of two, 16 bytes to 2 GiB) at slot <paramref name="index"/>.</summary>
    public PciBar(int index, ulong size)
    {
        if (index is < 0 or > 5) throw new ArgumentException($"BAR index {index}: a type-0 function has BARs 0 to 5", nameof(index));
        if (size < 16 || size > 0x8000_0000 || !BitOperations.IsPow2(size))
            throw new ArgumentException($"BAR {index} size {size}: a 32-bit memory BAR is a power of two from 16 bytes to 2 GiB", nameof(size));
        Index = index;
        Size = size;
    }

    /// <summary>The BAR slot, 0 to 5.</summary>
    public int Index { get; }

    /// <summary>Size in bytes.</summary>
    public ulong Size { get; }
}
