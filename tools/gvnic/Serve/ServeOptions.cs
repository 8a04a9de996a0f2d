using System.Collections.Generic;
using Gvnic.Simulator;

namespace Gvnic.Cli.Serve;

/// <summary>What <c>gvnic serve</c> was asked for, checked.</summary>
/// <param name="SocketPath">The Unix socket to listen on.</param>
/// <param name="Formats">The queue formats the device offers.</param>
/// <param name="Revision">The admin-queue revision.</param>
/// <param name="Queues">Most TX and RX queues (and the default count).</param>
/// <param name="Faults">Faults to inject.</param>
/// <param name="PcapPath">Where to write the wire's frames, or null.</param>
/// <param name="Once">Exit when the first client leaves.</param>
internal sealed record ServeOptions(string SocketPath, OfferedFormats Formats, byte Revision, int Queues, IReadOnlyList<ScheduledFault> Faults, string? PcapPath, bool Once)
{
    /// <summary>The device model's configuration for these options.</summary>
    public SimulatedDeviceConfig DeviceConfig() => new()
    {
        Formats = Formats,
        Revision = Revision,
        MaxTxQueues = (uint)Queues,
        MaxRxQueues = (uint)Queues,
        DefaultNumQueues = (ushort)Queues,
        MsixVectors = 2 * Queues + 1,
    };
}
