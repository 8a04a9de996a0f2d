namespace Gvnic.Wire;

/// <summary>A value an option requires in a field of its header.</summary>
/// <param name="Field">The schema name of the header field.</param>
/// <param name="Value">The value it must hold.</param>
public sealed record WireHeaderValue(string Field, ulong Value);
