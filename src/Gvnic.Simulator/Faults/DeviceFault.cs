using Gvnic.Wire;

namespace Gvnic.Simulator.Faults;

/// <summary>One fault to inject into a <see cref="SimulatedGvnic"/>.</summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="Queue">The queue it hits (TX or RX by kind), or -1 for any queue.</param>
/// <param name="Skip">How many chances to let pass before it fires (0: the next one).</param>
/// <param name="Persistent">Fire on every chance from then on instead of once.</param>
/// <param name="Opcode">For <see cref="DeviceFaultKind.AdminCommandStatus"/>: the command that fails.</param>
/// <param name="Status">For <see cref="DeviceFaultKind.AdminCommandStatus"/>: the status it answers.</param>
public sealed record DeviceFault(DeviceFaultKind Kind, int Queue = -1, int Skip = 0, bool Persistent = false,
    AdminqOpcodes Opcode = AdminqOpcodes.DescribeDevice, AdminqStatuses Status = AdminqStatuses.CommandErrorInternalError)
{
    /// <summary>Whether the fault acts at once when injected (a device event) instead of waiting for a chance.</summary>
    public bool IsEvent => Kind is DeviceFaultKind.ResetRequest or DeviceFaultKind.LinkFlap or DeviceFaultKind.AdminEventCounterStalled;

    /// <inheritdoc/>
    public override string ToString()
        => Kind + (Queue >= 0 ? " q" + Queue : "") + (Skip > 0 ? " after " + Skip : "") + (Persistent ? " persistent" : "")
           + (Kind == DeviceFaultKind.AdminCommandStatus ? " " + Opcode + "=" + Status : "");
}
