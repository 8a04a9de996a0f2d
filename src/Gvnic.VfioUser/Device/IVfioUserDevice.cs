using System;
using Gvnic.VfioUser.Pci;

namespace Gvnic.VfioUser.Device;

/// <summary>
/// A PCI device served over vfio-user. The server owns configuration space and the MSI-X BAR
/// (<see cref="PciFunctionDescription.MsixBar"/>); accesses to every other BAR of <see cref="Function"/> come here,
/// already checked to lie inside the BAR. The device reaches client memory and raises interrupts through the
/// <see cref="DeviceContext"/> it is given once, before any access.
/// <para>
/// Calls come from the server's request thread, one at a time, in the order the client sent them. An exception
/// from a call is answered to the client with EIO (and logged); it does not stop the server.
/// </para>
/// </summary>
public interface IVfioUserDevice
{
    /// <summary>The function: identity, BARs and MSI-X vectors.</summary>
    PciFunctionDescription Function { get; }

    /// <summary>Hands the device its guest memory, interrupts and configuration space (once, when the server is made).</summary>
    void Attach(DeviceContext context);

    /// <summary>Reads <paramref name="data"/>.Length bytes at <paramref name="offset"/> of BAR <paramref name="bar"/>.</summary>
    void ReadBar(int bar, ulong offset, Span<byte> data);

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> of BAR <paramref name="bar"/>.</summary>
    void WriteBar(int bar, ulong offset, ReadOnlySpan<byte> data);

    /// <summary>A function-level reset (DEVICE_RESET): the device returns to its power-on state.</summary>
    void Reset();
}

/// <summary>What a device is given to reach the client: its guest memory, its MSI-X vectors and its configuration space.</summary>
public sealed class DeviceContext
{
    internal DeviceContext(GuestMemory memory, MsixInterrupts interrupts, PciConfigSpace config)
    {
        Memory = memory;
        Interrupts = interrupts;
        Config = config;
    }

    /// <summary>Client memory for DMA.</summary>
    public GuestMemory Memory { get; }

    /// <summary>The MSI-X vectors: <see cref="MsixInterrupts.Raise"/> sends one.</summary>
    public MsixInterrupts Interrupts { get; }

    /// <summary>The configuration space (read it for the command register; only the server writes it).</summary>
    public PciConfigSpace Config { get; }
}
