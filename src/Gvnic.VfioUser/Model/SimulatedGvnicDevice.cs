using System;
using System.Buffers.Binary;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Pci;
using Gvnic.Wire;

namespace Gvnic.VfioUser.Model;

/// <summary>
/// The gVNIC device model (<see cref="SimulatedGvnic"/>) as a vfio-user device: a guest kernel's driver (Linux's gve, or
/// vfio-pci under <c>gvnic up</c>) drives the model through QEMU's vfio-user client. BAR0 and BAR2 accesses go to the
/// model's registers and doorbells; its DMA resolves in the client's memory in place (<see cref="GuestMemory.TryResolve"/>);
/// its MSI-X messages go to the client's eventfds; the command register's bus-master bit is the model's; a DEVICE_RESET
/// is the model's function-level reset (<see cref="SimulatedGvnic.ResetFunction"/>). The server owns configuration space
/// and the MSI-X BAR.
/// </summary>
/// <remarks>
/// The model uses a span of guest memory only inside its lock, so the guest-memory barrier (run before a DMA_UNMAP
/// unmaps anything) takes and releases that lock. Faults, the wire and everything the model records are reached through
/// <see cref="Model"/>.
/// </remarks>
public sealed class SimulatedGvnicDevice : IVfioUserDevice, IDisposable
{
    private readonly GuestMemoryPort _memory = new();
    private readonly EventFdMsixSink _msix = new();
    private DeviceContext? _context;

    /// <summary>A device with the model's configuration <paramref name="config"/> (the model's defaults when null).</summary>
    /// <exception cref="ArgumentException">The configuration is invalid (the model's check names the value).</exception>
    public SimulatedGvnicDevice(SimulatedDeviceConfig? config = null)
    {
        Model = new SimulatedGvnic(config, _memory, _msix);
        Function = GvnicPciFunction.Describe(Model.Config.Revision, Model.Config.MsixVectors, Bar0Size, (ulong)Model.Config.Bar2Length);
    }

    /// <summary>BAR0's size: the registers take 0x20 bytes, a page is what real devices expose.</summary>
    public const ulong Bar0Size = 0x1000;

    /// <summary>The device model: its configuration, faults, wire, violations and statistics.</summary>
    public SimulatedGvnic Model { get; }

    /// <inheritdoc/>
    public PciFunctionDescription Function { get; }

    /// <summary>MSI-X messages the model sent while MSI-X was disabled in configuration space (lost, as on a real function).</summary>
    public long LostInterrupts => _msix.Lost;

    /// <inheritdoc/>
    public void Attach(DeviceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_context is not null) throw new InvalidOperationException("the device is already attached to a server");
        _context = context;
        _memory.Attach(context.Memory);
        _msix.Attach(context);
        context.Memory.SetDeviceBarrier(WaitForModel);
        context.Config.CommandChanged += (_, now) =>
        {
            if ((now & CommandFlags.BusMaster) != 0) Model.EnableBusMaster();
            else Model.DisableBusMaster();
        };
        if (context.Config.BusMaster) Model.EnableBusMaster();
    }

    /// <inheritdoc/>
    public void ReadBar(int bar, ulong offset, Span<byte> data)
    {
        IMmioRegion region = Region(bar);
        long at = (long)offset;
        switch (data.Length)
        {
            case 1: data[0] = region.Read8(at); break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(data, region.Read16(at)); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(data, region.Read32(at)); break;
            case 8: BinaryPrimitives.WriteUInt64LittleEndian(data, region.Read64(at)); break;
            default: throw Width(bar, offset, data.Length, "read");
        }
    }

    /// <inheritdoc/>
    public void WriteBar(int bar, ulong offset, ReadOnlySpan<byte> data)
    {
        IMmioRegion region = Region(bar);
        long at = (long)offset;
        switch (data.Length)
        {
            case 1: region.Write8(at, data[0]); break;
            case 2: region.Write16(at, BinaryPrimitives.ReadUInt16LittleEndian(data)); break;
            case 4: region.Write32(at, BinaryPrimitives.ReadUInt32LittleEndian(data)); break;
            case 8: region.Write64(at, BinaryPrimitives.ReadUInt64LittleEndian(data)); break;
            default: throw Width(bar, offset, data.Length, "write");
        }
    }

    /// <inheritdoc/>
    public void Reset() => Model.ResetFunction();

    /// <summary>Disposes the model.</summary>
    public void Dispose() => Model.Dispose();

    // Any locked member of the model returns only once no other thread is inside the model's lock.
    private void WaitForModel() => _ = Model.BusMasterEnabled;

    private IMmioRegion Region(int bar) => bar switch
    {
        GvnicPciFunction.RegisterBar => Model.Bar0,
        GvnicPciFunction.DoorbellBar => Model.Bar2,
        _ => throw new ArgumentOutOfRangeException(nameof(bar), bar, "a gVNIC has registers in BAR0 and doorbells in BAR2 (the server serves BAR1, MSI-X)"),
    };

    private static ArgumentException Width(int bar, ulong offset, int length, string what) =>
        new($"a {length}-byte {what} at 0x{offset:X} of BAR{bar}: memory accesses on PCI are 1, 2, 4 or 8 bytes wide");
}
