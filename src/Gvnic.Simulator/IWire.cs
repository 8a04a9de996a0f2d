using System.Collections.Generic;

namespace Gvnic.Simulator;

/// <summary>A simulated link between endpoints.</summary>
public interface IWire
{
    /// <summary>Plugs an endpoint in.</summary>
    void Attach(IWireEndpoint endpoint);

    /// <summary>Unplugs an endpoint.</summary>
    void Detach(IWireEndpoint endpoint);

    /// <summary>An endpoint sends a frame from TX queue <paramref name="queue"/>.</summary>
    void Transmit(IWireEndpoint from, byte[] frame, int queue);

    /// <summary>Every frame that crossed, in order.</summary>
    IReadOnlyList<WireFrame> Frames { get; }
}
