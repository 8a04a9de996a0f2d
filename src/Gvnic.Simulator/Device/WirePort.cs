using System.Collections.Generic;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The device's connection to its wire: frames the TX queues finish wait here (device state: a reset drops them) and
/// leave after the device lock is released, so two devices on one cable never hold both locks. The device's frame
/// buffers (<see cref="Frames"/>) live here too: a frame that a wire of the model's own carried without keeping goes back
/// to them.
/// </summary>
internal sealed class WirePort
{
    private readonly object _gate;
    private readonly IWireEndpoint _endpoint;
    private List<(byte[] Frame, int Queue)> _outbox = new();
    private List<(byte[] Frame, int Queue)>? _spare = new();
    private IWire _wire;

    /// <summary>Plugs <paramref name="endpoint"/> (the device as the wire knows it: only handed to the wire, never called) into an unplugged wire.</summary>
    public WirePort(object gate, IWireEndpoint endpoint)
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
    public void Queue(byte[] frame, int queue) => _outbox.Add((frame, queue));

    /// <summary>Drops the frames not yet on the wire (device reset).</summary>
    public void DropQueued() => _outbox.Clear();

    /// <summary>
    /// Puts every waiting frame on the wire; call without the device lock (it takes it per batch). The batch moves out of
    /// the outbox by swapping lists (no copy); a second thread flushing meanwhile takes its batch in a list of its own.
    /// The frames of a batch go back to the pool (when the wire kept none) in the same lock that looks for the next batch.
    /// </summary>
    public void Flush()
    {
        // Only frames this thread queued (under the device lock, released since) need flushing by it, and it sees those:
        // an empty outbox needs no lock.
        if (_outbox.Count == 0) return;
        List<(byte[] Frame, int Queue)>? sent = null;
        bool reuse = false;
        while (true)
        {
            List<(byte[] Frame, int Queue)> batch;
            IWire wire;
            lock (_gate)
            {
                if (sent is not null)
                {
                    if (reuse)
                    {
                        for (int i = 0; i < sent.Count; i++) Frames.Return(sent[i].Frame);
                    }
                    sent.Clear();
                    _spare ??= sent;
                }
                if (_outbox.Count == 0) return;
                batch = _outbox;
                _outbox = _spare ?? new List<(byte[] Frame, int Queue)>();
                _spare = null;
                wire = _wire;
            }
            for (int i = 0; i < batch.Count; i++) wire.Transmit(_endpoint, batch[i].Frame, batch[i].Queue);
            reuse = wire is VirtualWire { KeepsFrames: false };
            sent = batch;
        }
    }
}
