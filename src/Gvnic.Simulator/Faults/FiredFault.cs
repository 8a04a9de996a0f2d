namespace Gvnic.Simulator.Faults;

/// <summary>A fault that fired: what, on which queue, at which ring index (−1 when none), and what the model wrote instead.</summary>
public sealed record FiredFault(DeviceFaultKind Kind, int Queue, long Index, string Detail);
