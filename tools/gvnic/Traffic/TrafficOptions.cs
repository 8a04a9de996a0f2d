using System;
using System.Collections.Generic;
using System.Net;
using Gvnic.Wire;

namespace Gvnic.Cli.Traffic;

/// <summary>What a traffic command does, from its command line (checked: every value is in range).</summary>
/// <param name="Command">gen, sink or fwd.</param>
/// <param name="Format">A forced queue format, or null for the driver's choice.</param>
/// <param name="Queues">Queue pairs per NIC (one thread each).</param>
/// <param name="Sizes">Frame sizes of the generator.</param>
/// <param name="Rate">Frames per second over all queues; 0: as fast as possible.</param>
/// <param name="Flows">UDP flows, split over the TX queues.</param>
/// <param name="Duration">How long to run, or null.</param>
/// <param name="Frames">How many frames to send (gen), receive (sink) or forward (fwd), or null.</param>
/// <param name="Interval">How often the live table (or a JSON line) is written.</param>
/// <param name="Json">One JSON object per interval and a summary object, instead of text.</param>
/// <param name="Mode">How fwd changes frames.</param>
/// <param name="Reflect">fwd on one NIC, sending frames back out of it.</param>
/// <param name="Pci">Real devices (empty: the device model).</param>
/// <param name="UnsafeNoIommu">Accept VFIO's no-IOMMU mode.</param>
/// <param name="Destination">gen on a real device: the address to send to.</param>
internal sealed record TrafficOptions(
    TrafficCommand Command, QueueFormat? Format, int Queues, FrameSizes Sizes, double Rate, int Flows, TimeSpan? Duration, long? Frames,
    TimeSpan Interval, bool Json, ForwardMode Mode, bool Reflect, IReadOnlyList<string> Pci, bool UnsafeNoIommu, IPAddress? Destination)
{
    /// <summary>Whether the run is on the device model.</summary>
    public bool OnModel => Pci.Count == 0;

    /// <summary>The command's name.</summary>
    public string Name => Command switch { TrafficCommand.Gen => "gen", TrafficCommand.Sink => "sink", _ => "fwd" };
}
