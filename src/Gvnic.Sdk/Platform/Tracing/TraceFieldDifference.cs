namespace Gvnic.Platform.Tracing;

/// <summary>One member two events disagree on.</summary>
/// <param name="Path">Where: <c>status</c>, <c>device_descriptor.mtu</c>, <c>device_options[2].payload.max_mtu</c>.</param>
/// <param name="A">The value in the first trace, in compact JSON; null when only the second has the member.</param>
/// <param name="B">The value in the second trace; null when only the first has it.</param>
public sealed record TraceFieldDifference(string Path, string? A, string? B);
