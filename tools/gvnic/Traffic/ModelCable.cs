using System;
using System.Collections.Generic;
using Gvnic.Simulator;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// A cable between two simulated NICs that carries frames and keeps no record of them. <see cref="VirtualWire.Connect"/>
/// records every crossing (a copy of each frame, for tests to inspect); a traffic run of millions of frames would hold
/// them all, or, cleared now and then, keep them long enough to push the garbage collector into older generations.
/// </summary>
internal sealed class ModelCable : IWire
{
    private readonly object _gate = new();
    private volatile IWireEndpoint? _a;
    private volatile IWireEndpoint? _b;

    /// <summary>Joins <paramref name="a"/> and <paramref name="b"/>: what one sends, the other receives.</summary>
    public static ModelCable Connect(SimulatedGvnic a, SimulatedGvnic b)
    {
        var cable = new ModelCable();
        a.AttachWire(cable);
        b.AttachWire(cable);
        return cable;
    }

    /// <inheritdoc/>
    public IReadOnlyList<WireFrame> Frames => [];

    /// <inheritdoc/>
    public void Attach(IWireEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            if (ReferenceEquals(endpoint, _a) || ReferenceEquals(endpoint, _b)) return;
            if (_a is null) _a = endpoint;
            else if (_b is null) _b = endpoint;
            else throw new InvalidOperationException("a cable joins two endpoints");
        }
    }

    /// <inheritdoc/>
    public void Detach(IWireEndpoint endpoint)
    {
        lock (_gate)
        {
            if (ReferenceEquals(endpoint, _a)) _a = null;
            if (ReferenceEquals(endpoint, _b)) _b = null;
        }
    }

    /// <inheritdoc/>
    public void Transmit(IWireEndpoint from, byte[] frame, int queue)
    {
        IWireEndpoint? to = ReferenceEquals(from, _a) ? _b : _a;
        to?.ReceiveFromWire(frame);
    }
}
