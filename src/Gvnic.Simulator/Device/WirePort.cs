using System.Collections.Generic;
using System.Threading;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The device's connection to its wire: frames the TX queues finish wait here (device state: a reset drops them) and
/// leave after the device lock is released, so two devices on one cable never hold both locks. The device's frame
/// buffers (<see cref="Frames"/>) live here too: a frame that a wire of the model's own carried without keeping goes back
/// to them.
/// </summary>
/// <remarks>
/// One lock a step: the caller that already holds the device lock for its work (a doorbell, a manual step) takes the
/// waiting frames in the same lock (<see cref="TakeBatch"/>) and puts them on the wire after releasing it
/// (<see cref="Send"/>). A sent batch comes back without the lock, through a one-slot handoff that the next
/// <see cref="TakeBatch"/> empties (its frames back to the pool, its list kept for reuse).
/// </remarks>
internal sealed class WirePort
{
    private readonly Lock _gate;
    private readonly IWireEndpoint _endpoint;
    private Batch _outbox = new();
    private Batch? _spare = new();
    private Batch? _handback; // a sent batch, handed back without the lock (Interlocked); emptied under it
    private IWire _wire;

    /// <summary>Frames that left (or wait to leave) together, and the wire they left on.</summary>
    public sealed class Batch
    {
        public readonly List<(byte[] Frame, int Queue)> Items = new();

        /// <summary>The wire the batch goes out on (set when it is taken).</summary>
        public IWire? Wire;

        /// <summary>Whether the wire kept no reference to the frames, so they go back to the pool.</summary>
        public bool Reuse;
    }

    /// <summary>Plugs <paramref name="endpoint"/> (the device as the wire knows it: only handed to the wire, never called) into an unplugged wire.</summary>
    public WirePort(Lock gate, IWireEndpoint endpoint)
    {
        _gate = gate;
        _endpoint = endpoint;
        _wire = VirtualWire.Unplugged();
        _wire.Attach(_endpoint);
    }

    /// <summary>The device's frame buffers (used under the device lock).</summary>
    public FramePool Frames { get; } = new();

    /// <summary>The wire plugged in now (read under the device lock).</summary>
    public IWire Wire => _wire;

    /// <summary>Plugs into <paramref name="wire"/>, unplugging from the previous one (call without the device lock).</summary>
    public void Attach(IWire wire)
    {
        IWire old;
        lock (_gate)
        {
            old = _wire;
            _wire = wire;
        }
        old.Detach(_endpoint);
        wire.Attach(_endpoint);
    }

    /// <summary>Unplugs from the wire for good.</summary>
    public void Detach() => _wire.Detach(_endpoint);

    /// <summary>A TX queue finished <paramref name="frame"/> (under the device lock).</summary>
    public void Queue(byte[] frame, int queue) => _outbox.Items.Add((frame, queue));

    /// <summary>Drops the frames not yet on the wire (device reset).</summary>
    public void DropQueued() => _outbox.Items.Clear();

    /// <summary>
    /// Under the device lock: takes the frames waiting for the wire (null when none), to be put on it by <see cref="Send"/>
    /// once the lock is released. The batch moves out of the outbox by swapping lists (no copy); a batch handed back since
    /// the last call returns its frames to the pool here.
    /// </summary>
    public Batch? TakeBatch()
    {
        // A plain read first: most steps find the slot empty and need no interlocked instruction.
        if (Volatile.Read(ref _handback) is not null && Interlocked.Exchange(ref _handback, null) is Batch back) Recycle(back);
        if (_outbox.Items.Count == 0) return null;
        Batch batch = _outbox;
        _outbox = _spare ?? new Batch();
        _spare = null;
        batch.Wire = _wire;
        return batch;
    }

    /// <summary>
    /// Without the device lock: puts <paramref name="batch"/> (from <see cref="TakeBatch"/>) on its wire, then hands it
    /// back; then flushes whatever else this thread queued meanwhile (<see cref="Flush"/>).
    /// </summary>
    public void Send(Batch batch)
    {
        Put(batch);
        Flush();
    }

    /// <summary>Transmits <paramref name="batch"/> and hands it back (under the lock only when the handoff slot is taken).</summary>
    private void Put(Batch batch)
    {
        IWire wire = batch.Wire!;
        List<(byte[] Frame, int Queue)> items = batch.Items;
        for (int i = 0; i < items.Count; i++) wire.Transmit(_endpoint, items[i].Frame, items[i].Queue);
        batch.Reuse = wire is VirtualWire { KeepsFrames: false };
        batch.Wire = null;
        if (Interlocked.CompareExchange(ref _handback, batch, null) is not null)
        {
            // The slot holds another thread's batch, not yet collected: this one goes back under the lock.
            lock (_gate) Recycle(batch);
        }
    }

    /// <summary>Under the device lock: a sent batch's frames back to the pool (when the wire kept none), its list kept for the next swap.</summary>
    private void Recycle(Batch sent)
    {
        if (sent.Reuse)
        {
            List<(byte[] Frame, int Queue)> items = sent.Items;
            for (int i = 0; i < items.Count; i++) Frames.Return(items[i].Frame);
        }
        sent.Items.Clear();
        sent.Reuse = false;
        _spare ??= sent;
    }

    /// <summary>
    /// Puts every waiting frame on the wire; call without the device lock (it takes it per batch). A second thread flushing
    /// meanwhile takes its batch in a list of its own.
    /// </summary>
    public void Flush()
    {
        // Only frames this thread queued (under the device lock, released since) need flushing by it, and it sees those:
        // an empty outbox needs no lock.
        while (_outbox.Items.Count != 0)
        {
            Batch? batch;
            lock (_gate) batch = TakeBatch();
            if (batch is null) return;
            Put(batch);
        }
    }
}
