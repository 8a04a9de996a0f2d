namespace Gvnic.Admin;

/// <summary>An option the parser skipped, and why.</summary>
/// <param name="Id">The option id (may be one the schema does not know).</param>
/// <param name="Length">Its payload length.</param>
/// <param name="RequiredFeaturesMask">Its required-features mask.</param>
/// <param name="Reason">Why it was skipped.</param>
public readonly record struct SkippedDeviceOption(ushort Id, ushort Length, uint RequiredFeaturesMask, string Reason);
