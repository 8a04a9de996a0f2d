using System;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>What the NIC needs from a receive queue, whatever its format.</summary>
internal abstract class RxQueue(int id)
{
    public int Id { get; } = id;

    public string Name { get; } = "RX queue " + id;

    /// <summary>The notification block the queue reports to.</summary>
    public int Block { get; set; }

    /// <summary>Fills CREATE_RX_QUEUE for this queue.</summary>
    public abstract void FillCreate(ref AdminqCommand cmd, uint notifyBlock);

    /// <summary>Reads (and checks) the doorbell index the device wrote into the queue resources.</summary>
    public abstract void Bind(DeviceResources resources);

    /// <summary>Posts every buffer and rings the doorbell (once, after creation).</summary>
    /// <returns>How many buffers were posted.</returns>
    public abstract int PostAll();

    /// <summary>Whether a frame (or a descriptor to drop) is waiting.</summary>
    public abstract bool HasPending { get; }

    /// <summary>
    /// The next frame, without consuming it: its bytes (inside the queue's DMA buffer, valid until
    /// <see cref="Consume"/>) and metadata. Descriptors to drop (errors, multi-buffer frames) are consumed on the way.
    /// </summary>
    public abstract bool TryPeek(out ReadOnlySpan<byte> frame, out RxInfo info);

    /// <summary>Consumes the frame <see cref="TryPeek"/> returned and gives its buffer back to the device.</summary>
    public abstract void Consume();

    private int _leaseToken;
    private bool _leased;

    /// <summary>Whether an <see cref="RxLease"/> on this queue is not yet disposed.</summary>
    public bool Leased => _leased;

    /// <summary>Marks the peeked frame as leased; returns the lease's token.</summary>
    public int BeginLease()
    {
        _leased = true;
        return ++_leaseToken;
    }

    /// <summary>Ends the lease with <paramref name="token"/> (a stale or repeated Dispose does nothing).</summary>
    public void EndLease(int token)
    {
        if (!_leased || token != _leaseToken) return;
        _leased = false;
        Consume();
    }

    public abstract RxQueueStatistics Statistics { get; }
}
