namespace Gvnic.Simulator;

/// <summary>Where a frame handed to a device went.</summary>
/// <param name="Queue">The RX queue chosen, or -1.</param>
/// <param name="Outcome">What happened.</param>
public readonly record struct RxResult(int Queue, RxOutcome Outcome);
