using System;
using System.Collections.Generic;
using System.Threading;
using Gvnic.Cli.Pcap;
using Gvnic.Simulator;

namespace Gvnic.Cli.Serve;

/// <summary>
/// The served device's wire for a long run: every frame the device transmits has its checksums checked
/// (<see cref="WireChecksums"/>) and goes to the responder (one frame at a time), and its answers go back into the device. Unlike <see cref="VirtualWire"/> it keeps no record of every frame (a guest
/// may send millions): it counts, keeps the last <see cref="RecentCapacity"/> frames, and streams all of them to a pcap
/// file when asked.
/// </summary>
internal sealed class ResponderLink : IWire, IDisposable
{
    /// <summary>How many of the latest frames <see cref="Frames"/> keeps.</summary>
    public const int RecentCapacity = 64;

    private readonly Func<ReadOnlyMemory<byte>, IEnumerable<byte[]>?> _respond;
    private readonly PcapWriter? _pcap;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Queue<WireFrame> _recent = new();
    private IWireEndpoint? _endpoint;
    private long _sequence, _transmitted, _delivered, _dropped, _badChecksums;
    private string? _firstBadChecksum;

    /// <summary>A link to <paramref name="respond"/>, written to <paramref name="pcap"/> too when given.</summary>
    public ResponderLink(Func<ReadOnlyMemory<byte>, IEnumerable<byte[]>?> respond, PcapWriter? pcap, TimeProvider time)
    {
        _respond = respond;
        _pcap = pcap;
        _time = time;
    }

    /// <summary>Frames the device transmitted.</summary>
    public long Transmitted => Interlocked.Read(ref _transmitted);

    /// <summary>Frames from the device whose IPv4, UDP, TCP or ICMP checksum was wrong (<see cref="WireChecksums"/>).</summary>
    public long BadChecksums => Interlocked.Read(ref _badChecksums);

    /// <summary>What was wrong with the first of them, or null.</summary>
    public string? FirstBadChecksum
    {
        get { lock (_gate) return _firstBadChecksum; }
    }

    /// <summary>Answers the device took into an RX buffer.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Answers the device dropped (no buffer posted, over the MTU, link down, no queue).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The latest frames, oldest first (at most <see cref="RecentCapacity"/>).</summary>
    public IReadOnlyList<WireFrame> Frames
    {
        get { lock (_gate) return _recent.ToArray(); }
    }

    /// <inheritdoc/>
    public void Attach(IWireEndpoint endpoint)
    {
        lock (_gate) _endpoint = endpoint;
    }

    /// <inheritdoc/>
    public void Detach(IWireEndpoint endpoint)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_endpoint, endpoint)) _endpoint = null;
        }
    }

    /// <inheritdoc/>
    public void Transmit(IWireEndpoint from, byte[] frame, int queue)
    {
        IEnumerable<byte[]>? answers;
        lock (_gate)
        {
            Interlocked.Increment(ref _transmitted);
            Record(from.Name, FrameDirection.Transmit, queue, frame, null);
            if (!WireChecksums.Valid(frame, out string problem))
            {
                Interlocked.Increment(ref _badChecksums);
                _firstBadChecksum ??= "frame " + _sequence + " from TX queue " + queue + ": " + problem;
            }
            answers = _respond(frame);
        }

        if (answers is null) return;
        foreach (byte[] answer in answers)
        {
            RxResult result = from.ReceiveFromWire(answer);
            if (result.Outcome == RxOutcome.Delivered) Interlocked.Increment(ref _delivered);
            else Interlocked.Increment(ref _dropped);
            lock (_gate) Record(from.Name, FrameDirection.Receive, result.Queue, answer, result.Outcome);
        }
    }

    /// <summary>Sends <paramref name="frame"/> to the device from the far side; false when no device is plugged in.</summary>
    public bool Inject(byte[] frame)
    {
        IWireEndpoint? to;
        lock (_gate) to = _endpoint;
        if (to is null) return false;
        RxResult result = to.ReceiveFromWire(frame);
        if (result.Outcome == RxOutcome.Delivered) Interlocked.Increment(ref _delivered);
        else Interlocked.Increment(ref _dropped);
        lock (_gate) Record(to.Name, FrameDirection.Receive, result.Queue, frame, result.Outcome);
        return true;
    }

    /// <summary>Closes the pcap file.</summary>
    public void Dispose()
    {
        lock (_gate) _pcap?.Dispose();
    }

    private void Record(string endpoint, FrameDirection direction, int queue, byte[] frame, RxOutcome? outcome)
    {
        DateTimeOffset now = _time.GetUtcNow();
        _pcap?.Write(now, frame);
        if (_recent.Count == RecentCapacity) _recent.Dequeue();
        _recent.Enqueue(new WireFrame(++_sequence, now.UtcDateTime, endpoint, direction, queue, frame, outcome));
    }
}
