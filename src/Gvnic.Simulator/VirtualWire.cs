using System;
using System.Collections.Generic;
using System.Threading;

namespace Gvnic.Simulator;

/// <summary>
/// The base of the simulated wires: records every crossing (unless <see cref="Recording"/> is turned off). Use the
/// factories: <see cref="Unplugged"/>, <see cref="Loopback"/>, <see cref="Responder"/> and <see cref="Connect"/>.
/// </summary>
public abstract class VirtualWire : IWire
{
    private readonly object _gate = new();
    private readonly List<WireFrame> _frames = new();
    private readonly List<IWireEndpoint> _endpoints = new();
    private IWireEndpoint[] _plugged = Array.Empty<IWireEndpoint>();
    private long _sequence;
    private volatile bool _recording = true;

    /// <summary>A wire that goes nowhere: transmitted frames are recorded and dropped.</summary>
    public static VirtualWire Unplugged() => new UnpluggedWire();

    /// <summary>A wire that returns every transmitted frame to the sender's receive side.</summary>
    public static VirtualWire Loopback() => new LoopbackWire();

    /// <summary>A wire to a responder: each transmitted frame is handed to <paramref name="responder"/>, and the frames it returns are delivered back to the sender.</summary>
    public static ResponderWire Responder(Func<ReadOnlyMemory<byte>, IEnumerable<byte[]>?> responder) => new(responder);

    /// <summary>A cable between two simulated NICs: what one sends, the other receives. Attaches both.</summary>
    public static VirtualWire Connect(SimulatedGvnic a, SimulatedGvnic b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var wire = new CableWire();
        a.AttachWire(wire);
        b.AttachWire(wire);
        return wire;
    }

    /// <summary>The clock of <see cref="WireFrame.Timestamp"/> (give it the devices' clock to compare a crossing with what the device did).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// Whether each crossing is recorded in <see cref="Frames"/> (a copy of the frame, a timestamp): on by default. Turn it
    /// off for a long run: the wire then keeps nothing, and a steady flow of frames through the device model and a wire
    /// that does not record allocates nothing. Turning it back on records from then on.
    /// </summary>
    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    /// <summary>
    /// Whether a frame handed to <see cref="Transmit"/> may still be referenced after the call returns (a responder or a
    /// wire defined elsewhere may keep what it was given); when not, the sending device reuses the frame's buffer. Only the
    /// model's own wires that hand on a copy (unplugged, loopback, cable) say no.
    /// </summary>
    internal virtual bool KeepsFrames => true;

    /// <inheritdoc/>
    public IReadOnlyList<WireFrame> Frames
    {
        get { lock (_gate) return _frames.ToArray(); }
    }

    /// <summary>The endpoints plugged in.</summary>
    protected IReadOnlyList<IWireEndpoint> Endpoints
    {
        get { lock (_gate) return _endpoints.ToArray(); }
    }

    /// <summary>The endpoints plugged in (a snapshot, replaced on every change; no lock, no copy).</summary>
    private protected IWireEndpoint[] Plugged => Volatile.Read(ref _plugged);

    /// <summary>Forgets the recorded frames.</summary>
    public void ClearRecords()
    {
        lock (_gate) _frames.Clear();
    }

    /// <inheritdoc/>
    public virtual void Attach(IWireEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            if (_endpoints.Contains(endpoint)) return;
            _endpoints.Add(endpoint);
            _plugged = _endpoints.ToArray();
        }
    }

    /// <inheritdoc/>
    public void Detach(IWireEndpoint endpoint)
    {
        lock (_gate)
        {
            if (_endpoints.Remove(endpoint)) _plugged = _endpoints.ToArray();
        }
    }

    /// <inheritdoc/>
    public void Transmit(IWireEndpoint from, byte[] frame, int queue)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(frame);
        Record(from.Name, FrameDirection.Transmit, queue, frame, null);
        Carry(from, frame);
    }

    /// <summary>Sends <paramref name="frame"/> to <paramref name="to"/> from the far side of the wire (a test or a responder originating traffic).</summary>
    public RxResult Inject(IWireEndpoint to, byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(frame);
        return Deliver(to, frame);
    }

    /// <summary>Moves a transmitted frame to wherever this wire leads.</summary>
    protected abstract void Carry(IWireEndpoint from, byte[] frame);

    /// <summary>Hands a frame to an endpoint and records what it did.</summary>
    protected RxResult Deliver(IWireEndpoint to, byte[] frame)
    {
        RxResult result = to.ReceiveFromWire(frame);
        Record(to.Name, FrameDirection.Receive, result.Queue, frame, result.Outcome);
        return result;
    }

    private void Record(string endpoint, FrameDirection direction, int queue, byte[] frame, RxOutcome? outcome)
    {
        if (!_recording) return;
        lock (_gate)
        {
            _frames.Add(new WireFrame(++_sequence, Clock.GetUtcNow().UtcDateTime, endpoint, direction, queue, (byte[])frame.Clone(), outcome));
        }
    }

    private sealed class UnpluggedWire : VirtualWire
    {
        internal override bool KeepsFrames => false;

        protected override void Carry(IWireEndpoint from, byte[] frame)
        {
        }
    }

    private sealed class LoopbackWire : VirtualWire
    {
        internal override bool KeepsFrames => false;

        protected override void Carry(IWireEndpoint from, byte[] frame) => Deliver(from, frame);
    }

    private sealed class CableWire : VirtualWire
    {
        internal override bool KeepsFrames => false;

        public override void Attach(IWireEndpoint endpoint)
        {
            IReadOnlyList<IWireEndpoint> now = Endpoints;
            if (now.Count >= 2 && !System.Linq.Enumerable.Contains(now, endpoint)) throw new InvalidOperationException("a cable joins two endpoints");
            base.Attach(endpoint);
        }

        protected override void Carry(IWireEndpoint from, byte[] frame)
        {
            foreach (IWireEndpoint e in Plugged)
            {
                if (!ReferenceEquals(e, from)) Deliver(e, frame);
            }
        }
    }
}
