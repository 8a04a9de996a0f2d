using System.Collections.Generic;

namespace Gvnic.Platform.Tracing;

/// <summary>The result of comparing two traces.</summary>
/// <param name="A">The first trace's header.</param>
/// <param name="B">The second trace's header.</param>
/// <param name="Compared">Compared events that agreed (up to the divergence, or all of them).</param>
/// <param name="Divergence">The first divergence, or null when the traces are equivalent.</param>
/// <param name="Notes">Differences that do not make the traces diverge: headers (tool, address, data mode), a missing end record, an incomplete last line.</param>
public sealed record TraceComparison(TraceHeader A, TraceHeader B, long Compared, TraceDivergence? Divergence, IReadOnlyList<string> Notes)
{
    /// <summary>Whether every compared event agreed and both traces have the same number of them.</summary>
    public bool Equivalent => Divergence is null;
}
