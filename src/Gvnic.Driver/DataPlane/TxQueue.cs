using System;

namespace Gvnic.Driver.DataPlane;

/// <summary>What the NIC needs from a transmit queue, whatever its format.</summary>
internal abstract class TxQueue(int id, int block)
{
    public int Id { get; } = id;

    public string Name { get; } = "TX queue " + id;

    /// <summary>The notification block the queue reports to.</summary>
    public int Block { get; } = block;

    /// <summary>What CREATE_TX_QUEUE tells the device about this queue.</summary>
    public abstract TxQueueDefinition Definition { get; }

    /// <summary>Reads (and checks) the doorbell and counter indexes the device wrote into the queue resources.</summary>
    public abstract void Bind(DeviceResources resources);

    /// <summary>Places a frame in the ring without ringing the doorbell; false when there is no room.</summary>
    public abstract bool TryEnqueue(ReadOnlySpan<byte> frame);

    /// <summary>Tells the device about every enqueued frame.</summary>
    public abstract void RingDoorbell();

    /// <summary>Frees ring and buffer space for everything the device has finished; returns the frames completed.</summary>
    public abstract int Reclaim();

    /// <summary>Frames posted and not yet completed.</summary>
    public abstract int InFlight { get; }

    /// <summary>Whether the device has written a completion the driver has not reclaimed yet (progress the watchdog must not mistake for a stall).</summary>
    public abstract bool HasCompletions { get; }

    public abstract TxQueueStatistics Statistics { get; }

    /// <summary>Looks over the whole completion ring for entries written out of order (see <see cref="RxQueue.Audit"/>).</summary>
    public virtual void Audit() { }
}
