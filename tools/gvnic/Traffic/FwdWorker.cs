using System;
using System.Collections.Generic;
using Gvnic.Driver;

namespace Gvnic.Cli.Traffic;

/// <summary>How <c>gvnic fwd</c> changes a frame before sending it on.</summary>
internal enum ForwardMode
{
    /// <summary>As it came (testpmd's io mode).</summary>
    Io,

    /// <summary>Source and destination MAC swapped (testpmd's macswap).</summary>
    MacSwap,

    /// <summary>MACs, IPv4 addresses and TCP/UDP ports swapped (testpmd's 5tswap): what a reflector in a VPC needs, whose fabric drops frames not from the VM's own address.</summary>
    FiveTupleSwap,
}

/// <summary>
/// <c>gvnic fwd</c>'s work on one queue pair: frames received on one port are sent on the other (two NICs: both ways),
/// or back out of the same port (<c>--reflect</c>), changed as <see cref="ForwardMode"/> says. What the TX ring does
/// not take after a few reclaims is dropped and counted, as testpmd does.
/// </summary>
internal sealed class FwdWorker : TrafficWorker
{
    private const int FlushAttempts = 4;

    private readonly TrafficPort[] _ports;
    private readonly FrameBudget _budget;
    private readonly int _reclaimAbove;
    private Forwarder _forwarder;

    /// <summary>A forwarder between <paramref name="ports"/> (one: reflect; two: each to the other), taking frames out of <paramref name="budget"/>.</summary>
    public FwdWorker(string name, TrafficPort[] ports, ForwardMode mode, FrameBudget budget)
        : base(name, ports[0].Queue)
    {
        if (ports.Length is not (1 or 2)) throw new ArgumentException("a forwarder has one port (reflect) or two", nameof(ports));
        _ports = ports;
        _budget = budget;
        _reclaimAbove = ports[0].Burst;
        _forwarder = new Forwarder { Mode = mode };
    }

    /// <summary>How frames are changed.</summary>
    public ForwardMode Mode => _forwarder.Mode;

    /// <inheritdoc/>
    public override IReadOnlyList<TrafficPort> Ports => _ports;

    /// <inheritdoc/>
    public override bool Finished => _budget.Limited && _budget.Remaining == 0;

    /// <inheritdoc/>
    public override int Step()
    {
        int done = 0;
        for (int i = 0; i < _ports.Length; i++)
        {
            TrafficPort input = _ports[i];
            TrafficPort output = _ports[_ports.Length - 1 - i];
            if (output.InFlight > _reclaimAbove) output.Reclaim();
            if (Quiesce) continue;
            int want = _budget.Claim(output.Ready(output.Burst - output.Staged)); // a TX buffer for every frame taken
            if (want == 0) continue;
            _forwarder.Output = output;
            int received = input.Receive(ref _forwarder, want);
            _budget.Return(want - received);
            if (received == 0) continue;
            Counters.RxFrames += received;
            Counters.RxBytes += _forwarder.TakeBytes();
            Counters.RxBursts++;
            done += received;
            Send(output);
        }
        Counters.TxInFlight = _ports[0].InFlight;
        return done;
    }

    private void Send(TrafficPort output)
    {
        for (int attempt = 0; ; attempt++)
        {
            int taken = output.Flush(out long bytes);
            Counters.TxFrames += taken;
            Counters.TxBytes += bytes;
            if (output.Staged == 0) return;
            Counters.TxFull++;
            if (attempt == FlushAttempts)
            {
                Counters.TxDropped += output.DropStaged();
                return;
            }
            output.Reclaim();
        }
    }

    /// <summary>Copies each received frame into the output port's next TX buffer (lent by its queue), changed as the mode says.</summary>
    private struct Forwarder : IFrameHandler
    {
        public TrafficPort Output;
        public ForwardMode Mode;
        private long _bytes;

        public void OnFrame(ReadOnlySpan<byte> frame, in RxInfo info)
        {
            Span<byte> buffer = Output.NextTxBuffer();
            frame.CopyTo(buffer);
            Span<byte> copy = buffer[..frame.Length];
            if (Mode != ForwardMode.Io) FrameSwap.Swap(copy, Mode == ForwardMode.FiveTupleSwap);
            Output.Commit(frame.Length);
            _bytes += frame.Length;
        }

        public long TakeBytes()
        {
            long bytes = _bytes;
            _bytes = 0;
            return bytes;
        }
    }
}
