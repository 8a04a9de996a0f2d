using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>One admin command the engine executed (the facade shows these as <c>AdminCommandRecord</c>s).</summary>
/// <param name="Sequence">Its position in the free-running command count.</param>
/// <param name="Opcode">The opcode as read.</param>
/// <param name="Status">The status written.</param>
/// <param name="Injected">Whether the status was injected instead of the command running.</param>
internal readonly record struct ExecutedCommand(uint Sequence, AdminqOpcodes Opcode, AdminqStatuses Status, bool Injected);
