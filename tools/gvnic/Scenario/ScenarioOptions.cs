using System;
using System.Threading;
using Gvnic.Driver;
using Gvnic.Platform.Tracing;
using Gvnic.Wire;

namespace Gvnic.Cli.Scenario;

/// <summary>What the scenario does, from the command line.</summary>
/// <param name="Format">A forced queue format, or null for the driver's choice.</param>
/// <param name="Queues">TX and RX queues to create.</param>
/// <param name="Frames">UDP echo frames in the traffic run (0: none).</param>
/// <param name="PcapPath">Where to write everything sent and received, or null.</param>
/// <param name="ReplyTimeout">How long to wait for each reply.</param>
internal sealed record ScenarioOptions(QueueFormat? Format, int Queues, int Frames, string? PcapPath, TimeSpan ReplyTimeout)
{
    /// <summary>How the driver waits for frames: polling (the default) or on its queues' MSI-X vectors.</summary>
    public NicWaitMode WaitMode { get; init; } = NicWaitMode.Polling;

    /// <summary>Stops the conversation (checked between frames and while waiting for replies); the NIC is then torn down as usual.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Where to write a trace of everything the driver does to the device (docs/trace.md), or null.</summary>
    public string? TracePath { get; init; }

    /// <summary>How much of the data path the trace records.</summary>
    public TraceDataMode TraceData { get; init; } = TraceDataMode.Doorbells;

    /// <summary>Hardware RX timestamps (<see cref="NicOptions.Timestamps"/>): the NIC clock is read and every received frame carries the time the device stamped.</summary>
    public bool Timestamps { get; init; }

    /// <summary>Send the UDP echo frames with L4 checksum offload (the device computes their checksums).</summary>
    public bool ChecksumOffload { get; init; }

    /// <summary>After the echo run, send TCP frames larger than the MTU with TSO to the router's discard port.</summary>
    public bool Tso { get; init; }

    /// <summary>Configure RSS after bring-up: the device's key, a table spreading the buckets over the RX queues round robin.</summary>
    public bool Rss { get; init; }

    /// <summary>Flow rules to add after bring-up (and RSS), in order, each with its text as given.</summary>
    public (string Text, FlowRule Rule)[] Flows { get; init; } = [];

    /// <summary>The MTU to run (null: the device's); the traffic run then sends frames of this MTU.</summary>
    public int? Mtu { get; init; }
}
