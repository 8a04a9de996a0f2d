namespace Gvnic.Simulator.Faults;

/// <summary>What a faulty device does to its admin event counter after running a command.</summary>
internal enum AdminCounterLie
{
    /// <summary>Nothing: the counter counts the command.</summary>
    None,

    /// <summary>The counter reads 5 past the commands posted (<see cref="DeviceFaultKind.AdminEventCounterAhead"/>).</summary>
    Ahead,

    /// <summary>The counter stops before the command (<see cref="DeviceFaultKind.AdminStallAfterCommand"/>).</summary>
    Stall,
}
