using System;

namespace Gvnic.Simulator;

/// <summary>Something a wire can deliver frames to: a simulated NIC.</summary>
public interface IWireEndpoint
{
    /// <summary>A name for records.</summary>
    string Name { get; }

    /// <summary>Takes a frame from the wire.</summary>
    RxResult ReceiveFromWire(ReadOnlySpan<byte> frame);
}
