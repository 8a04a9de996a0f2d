namespace Gvnic.Cli.Traffic;

/// <summary>Which traffic command runs.</summary>
internal enum TrafficCommand
{
    /// <summary><c>gvnic gen</c>: transmit.</summary>
    Gen,

    /// <summary><c>gvnic sink</c>: receive, count and check.</summary>
    Sink,

    /// <summary><c>gvnic fwd</c>: forward between two NICs, or reflect on one.</summary>
    Fwd,
}
