using System;
using Gvnic.Cli.Pcap;

namespace Gvnic.Cli.Scenario;

/// <summary>Counts everything sent and received in a scenario and streams it, in order, to a pcap file when one was asked for.</summary>
internal sealed class Capture : IDisposable
{
    private readonly TimeProvider _time;
    private readonly PcapWriter? _pcap;

    /// <summary>Records with <paramref name="time"/>'s clock, into <paramref name="pcap"/> too when given.</summary>
    public Capture(TimeProvider time, PcapWriter? pcap)
    {
        _time = time;
        _pcap = pcap;
    }

    /// <summary>Frames sent.</summary>
    public int Sent { get; private set; }

    /// <summary>Frames received.</summary>
    public int Received { get; private set; }

    /// <summary>Records a frame.</summary>
    public void Add(bool sent, ReadOnlySpan<byte> frame)
    {
        var now = _time.GetUtcNow();
        _pcap?.Write(now, frame);
        if (sent) Sent++;
        else Received++;
    }

    /// <summary>Closes the pcap file.</summary>
    public void Dispose() => _pcap?.Dispose();
}
