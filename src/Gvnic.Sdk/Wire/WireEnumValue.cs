namespace Gvnic.Wire;

/// <summary>One value of a schema enum at run time.</summary>
/// <param name="Name">The schema name.</param>
/// <param name="Value">The value.</param>
/// <param name="Doc">The schema's doc string.</param>
public sealed record WireEnumValue(string Name, ulong Value, string Doc);
