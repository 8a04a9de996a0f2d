using System.Collections.Generic;

namespace Gvnic.Platform.Tracing;

/// <summary>Where two traces stop agreeing.</summary>
/// <param name="IndexA">How many compared events of the first trace agreed before this one.</param>
/// <param name="IndexB">The same for the second trace (equal to <paramref name="IndexA"/>: the traces agree up to here).</param>
/// <param name="A">The first trace's event, or null when that trace ended here.</param>
/// <param name="B">The second trace's event, or null when that trace ended here.</param>
/// <param name="Before">The last equal events before the divergence (the first trace's lines).</param>
/// <param name="AfterA">The first trace's next events after <paramref name="A"/>.</param>
/// <param name="AfterB">The second trace's next events after <paramref name="B"/>.</param>
/// <param name="Differences">The members <paramref name="A"/> and <paramref name="B"/> disagree on (empty when one trace ended).</param>
/// <param name="Resync">Where the traces agree again, in words, or null when they do not within the lookahead.</param>
public sealed record TraceDivergence(long IndexA, long IndexB, TraceEvent? A, TraceEvent? B, IReadOnlyList<TraceEvent> Before,
    IReadOnlyList<TraceEvent> AfterA, IReadOnlyList<TraceEvent> AfterB, IReadOnlyList<TraceFieldDifference> Differences, string? Resync);
