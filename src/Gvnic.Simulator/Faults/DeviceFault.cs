using Gvnic.Wire;

namespace Gvnic.Simulator.Faults;

/// <summary>One fault to inject into a <see cref="SimulatedGvnic"/>.</summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="Queue">The queue it hits (TX or RX by kind), or -1 for any queue.</param>
/// <param name="Skip">How many chances to let pass before it fires (0: the next one).</param>
/// <param name="Persistent">Fire on every chance from then on instead of once.</param>
/// <param name="Opcode">For the admin-queue kinds (<see cref="DeviceFaultKind.AdminCommandStatus"/>, <see cref="DeviceFaultKind.AdminSelfReset"/>, …): the command it hits.</param>
/// <param name="Status">For <see cref="DeviceFaultKind.AdminCommandStatus"/>: the status it answers.</param>
/// <param name="Field">For <see cref="DeviceFaultKind.HostileValue"/>: the number it replaces.</param>
/// <param name="Value">For <see cref="DeviceFaultKind.HostileValue"/>: what the device supplies instead (truncated to the field's width).</param>
public sealed record DeviceFault(DeviceFaultKind Kind, int Queue = -1, int Skip = 0, bool Persistent = false,
    AdminqOpcodes Opcode = AdminqOpcodes.DescribeDevice, AdminqStatuses Status = AdminqStatuses.CommandErrorInternalError,
    HostileField Field = HostileField.Mtu, ulong Value = 0)
{
    /// <summary>Whether the fault acts at once when injected (a device event) instead of waiting for a chance.</summary>
    public bool IsEvent => Kind is DeviceFaultKind.ResetRequest or DeviceFaultKind.LinkFlap or DeviceFaultKind.AdminEventCounterStalled or DeviceFaultKind.DeviceSelfReset;

    /// <summary>Whether the fault names a command (<see cref="Opcode"/>).</summary>
    public bool NamesCommand => Kind is DeviceFaultKind.AdminCommandStatus or DeviceFaultKind.AdminSelfReset or DeviceFaultKind.AdminEventCounterAhead
        or DeviceFaultKind.AdminStallAfterCommand;

    /// <inheritdoc/>
    public override string ToString()
        => Kind + (Queue >= 0 ? " q" + Queue : "") + (Skip > 0 ? " after " + Skip : "") + (Persistent ? " persistent" : "")
           + (Kind == DeviceFaultKind.AdminCommandStatus ? " " + Opcode + "=" + Status : NamesCommand ? " " + Opcode : "")
           + (Kind == DeviceFaultKind.HostileValue ? " " + Field + "=" + Value : "");
}
