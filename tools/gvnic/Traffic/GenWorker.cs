using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// <c>gvnic gen</c>'s work on one queue pair: bursts of frames from the template, each patched with its size, flow,
/// sequence number and timestamp, at a rate or as fast as the ring takes them; and what comes back on the same queue
/// pair counted and checked, with round-trip latency for this run's own frames.
/// </summary>
internal sealed class GenWorker : TrafficWorker
{
    private readonly TrafficPort _port;
    private readonly TrafficPort[] _ports;
    private readonly FrameTemplate _template;
    private readonly int[] _sizes;
    private readonly int[] _flows;
    private readonly uint[] _sequences;
    private readonly byte _stream;
    private readonly double _framesPerTick; // 0: as fast as possible
    private readonly int _reclaimAbove;
    private readonly double _tokenDepth;
    private FrameChecker _checker;
    private long _remaining;                 // -1: no limit
    private int _size;
    private int _flow;
    private double _tokens;
    private long _lastTick;

    /// <summary>
    /// A generator on <paramref name="port"/> sending <paramref name="flows"/> (flow indices) with sizes taken in turn
    /// from <paramref name="sizes"/>, at <paramref name="framesPerSecond"/> (0: as fast as possible), <paramref name="frames"/>
    /// frames in all (null: until stopped).
    /// </summary>
    public GenWorker(string name, TrafficPort port, FrameTemplate template, int[] sizes, int[] flows, double framesPerSecond, long? frames)
        : base(name, port.Queue)
    {
        _port = port;
        _ports = [port];
        _template = template;
        _sizes = sizes;
        _flows = flows;
        _sequences = new uint[flows.Length];
        _stream = (byte)port.Queue;
        _size = port.Queue * 7 % sizes.Length; // queues do not step through the sizes in lockstep
        _framesPerTick = framesPerSecond / Stopwatch.Frequency;
        _tokenDepth = Math.Max(port.Burst, framesPerSecond / 100);
        _remaining = frames ?? -1;
        _reclaimAbove = port.Burst;
        Latency = new LatencyHistogram();
        _checker = new FrameChecker
        {
            Counters = Counters, Sequences = new SequenceTracker(), Latency = Latency, Run = template.Run, NanosecondsPerTick = NanosecondsPerTick,
        };
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TrafficPort> Ports => _ports;

    /// <inheritdoc/>
    public override bool Finished => _remaining == 0 && _port.Staged == 0;

    /// <summary>Frames this worker has still to send (-1: no limit).</summary>
    public long Remaining => _remaining;

    /// <inheritdoc/>
    public override int Step()
    {
        int received = _port.Receive(ref _checker, _port.Burst);
        if (received > 0) Counters.RxBursts++;
        if (_port.InFlight > _reclaimAbove || _port.Staged > 0 || Quiesce) _port.Reclaim();
        Counters.TxInFlight = _port.InFlight;
        if (Quiesce) return received;
        if (_port.Staged > 0) return received + Send(); // what the ring refused last time goes first

        int allowed = _port.Burst;
        if (_remaining >= 0 && _remaining < allowed) allowed = (int)_remaining;
        if (_framesPerTick > 0)
        {
            long now = Stopwatch.GetTimestamp();
            if (_lastTick == 0) _lastTick = now;
            _tokens += (now - _lastTick) * _framesPerTick;
            _lastTick = now;
            if (_tokens > _tokenDepth) _tokens = _tokenDepth; // after a stall, catch up at most 10 ms of frames (in bursts)
            if (_tokens < allowed) allowed = (int)_tokens;
        }
        if (allowed > 0) allowed = _port.Ready(allowed); // buffers the driver lends: fewer while every one is in flight
        if (allowed <= 0) return received;

        long sent = Stopwatch.GetTimestamp(); // after the receive work, so a round trip does not include it
        for (int i = 0; i < allowed; i++)
        {
            Span<byte> buffer = _port.NextTxBuffer();
            int size = _sizes[_size];
            if (++_size == _sizes.Length) _size = 0;
            int slot = _flow;
            if (++_flow == _flows.Length) _flow = 0;
            _template.Write(buffer, size, _flows[slot], _stream, _sequences[slot]++, sent, headersOnly: false);
            _port.Commit(size);
        }
        if (_remaining > 0) _remaining -= allowed;
        if (_framesPerTick > 0) _tokens -= allowed;
        return received + Send();
    }

    private int Send()
    {
        int taken = _port.Flush(out long bytes);
        Counters.TxFrames += taken;
        Counters.TxBytes += bytes;
        if (_port.Staged > 0) Counters.TxFull++;
        return taken;
    }
}
