using System;
using Gvnic.Simulator.Device;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>
/// What an admin command handler works with: the configuration, the device state it changes, DMA, the violation log,
/// the fault hooks, and the position of the command being executed (the index of the violations it records).
/// </summary>
internal sealed class AdminCommandContext(DeviceState state, ViolationLog violations, FaultInjector faults)
{
    public SimulatedDeviceConfig Config => state.Config;

    public DeviceState State => state;

    public FaultInjector Faults => faults;

    /// <summary>The free-running position of the command being executed.</summary>
    public uint Sequence { get; set; }

    /// <summary>DMA for the command (queue -1, the command's position as the index).</summary>
    public bool TryDma(ulong address, long length, string what, out Span<byte> span) => state.Dma.TryAccess(address, length, -1, Sequence, what, out span);

    /// <summary>DMA naming a queue and index of its own.</summary>
    public bool TryDma(ulong address, long length, int queue, long index, string what, out Span<byte> span) => state.Dma.TryAccess(address, length, queue, index, what, out span);

    public void Violate(ViolationKind kind, long index, string detail) => violations.Add(kind, -1, index, detail);

    /// <summary>
    /// Whether the DMA structure <paramref name="what"/> at <paramref name="address"/> starts on a 4 KiB page, as devices
    /// need (<see cref="SimulatedDeviceConfig.RequirePageAlignedDma"/>); a misaligned one is recorded (the command then
    /// answers INVALID_ARGUMENT).
    /// </summary>
    public bool Aligned(ulong address, string what, int queue = -1)
    {
        if (!state.Config.RequirePageAlignedDma || (address & (GvnicConstants.PageSize - 1)) == 0) return true;
        violations.Add(ViolationKind.MisalignedDma, queue, Sequence, what + " at 0x" + address.ToString("X") + " does not start on a 4096-byte page (devices need every DMA structure page-aligned)");
        return false;
    }

    /// <summary>Records a command that came in the wrong state (it then answers FAILED_PRECONDITION).</summary>
    public AdminqStatuses OutOfOrder(string detail)
    {
        violations.Add(ViolationKind.CommandOutOfOrder, -1, Sequence, detail);
        return AdminqStatuses.CommandErrorFailedPrecondition;
    }

    /// <summary>A command that needs CONFIGURE_DEVICE_RESOURCES first.</summary>
    public AdminqStatuses NotConfigured(string command) => OutOfOrder(command + " before CONFIGURE_DEVICE_RESOURCES");
}
