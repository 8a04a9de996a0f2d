using System;
using System.Collections.Generic;

namespace Gvnic.Simulator;

/// <summary>A wire to a function that answers frames (an ARP/DHCP/ICMP responder, a test peer).</summary>
public sealed class ResponderWire : VirtualWire
{
    private readonly Func<ReadOnlyMemory<byte>, IEnumerable<byte[]>?> _responder;

    internal ResponderWire(Func<ReadOnlyMemory<byte>, IEnumerable<byte[]>?> responder)
    {
        _responder = responder ?? throw new ArgumentNullException(nameof(responder));
    }

    /// <inheritdoc/>
    protected override void Carry(IWireEndpoint from, byte[] frame)
    {
        IEnumerable<byte[]>? replies = _responder(frame);
        if (replies is null) return;
        foreach (byte[] reply in replies)
        {
            if (reply is not null) Deliver(from, reply);
        }
    }
}
