using System;
using System.Collections.Generic;

namespace Gvnic.Platform.Tracing;

/// <summary>How <see cref="TraceComparer"/> compares.</summary>
public sealed record TraceCompareOptions
{
    /// <summary>
    /// Names left out of the comparison: a member of that name at any depth (<c>mac</c>, <c>link_speed</c>), and the value
    /// of a register of that name (<c>max_tx_queues</c>). For values that differ between two devices of the same kind.
    /// </summary>
    public IReadOnlyCollection<string> Ignore { get; init; } = Array.Empty<string>();

    /// <summary>Equal events to show before a divergence.</summary>
    public int Context { get; init; } = 3;

    /// <summary>Events to show after a divergence on each side.</summary>
    public int After { get; init; } = 2;

    /// <summary>How far past a divergence to look for the point where the traces agree again.</summary>
    public int Lookahead { get; init; } = 64;
}
