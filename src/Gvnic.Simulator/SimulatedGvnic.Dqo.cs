using System;

namespace Gvnic.Simulator;

/// <summary>The DQO-only controls and counters of the device model: held completions, ring counters, interrupt throttling.</summary>
public sealed partial class SimulatedGvnic
{
    /// <summary>
    /// DQO ring-full pressure: while <paramref name="hold"/> is true, every TX packet completion (and re-injection) waits in
    /// the device, so the driver's tags and ring run out; <see cref="ReleaseDqoTxCompletions"/> writes them. Turning it off
    /// releases what waits beyond <see cref="SimulatedDeviceConfig.DqoReorderWindow"/>.
    /// </summary>
    public void HoldDqoTxCompletions(bool hold)
    {
        lock (_lock)
        {
            foreach (TxQueue? q in _tx)
            {
                if (q is not DqoTxQueue d) continue;
                d.HoldAll = hold;
                if (!hold) d.ReleaseBeyondWindow();
            }
        }
    }

    /// <summary>Writes the completion of every TX packet the DQO device holds (reorder window or pressure mode), in a seeded random order; returns how many.</summary>
    public int ReleaseDqoTxCompletions()
    {
        lock (_lock)
        {
            int n = 0;
            foreach (TxQueue? q in _tx)
            {
                if (q is DqoTxQueue d) n += d.ReleaseHeld();
            }
            return n;
        }
    }

    /// <summary>The completion counters of DQO TX queue <paramref name="queue"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No DQO TX queue <paramref name="queue"/> exists.</exception>
    public DqoTxCounters DqoTxCounters(int queue)
    {
        lock (_lock)
        {
            if ((uint)queue < (uint)_tx.Length && _tx[queue] is DqoTxQueue d) return d.DqoCounters;
            throw new ArgumentOutOfRangeException(nameof(queue), queue, "no DQO TX queue " + queue + " exists (is the device configured for DQO and the queue created?)");
        }
    }

    /// <summary>The completion counters of DQO RX queue <paramref name="queue"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No DQO RX queue <paramref name="queue"/> exists.</exception>
    public DqoRxCounters DqoRxCounters(int queue)
    {
        lock (_lock)
        {
            if ((uint)queue < (uint)_rx.Length && _rx[queue] is DqoRxQueue d) return d.DqoCounters;
            throw new ArgumentOutOfRangeException(nameof(queue), queue, "no DQO RX queue " + queue + " exists (is the device configured for DQO and the queue created?)");
        }
    }

    /// <summary>
    /// The interrupt throttling interval in microseconds the driver last set on notification block <paramref name="block"/>
    /// through its DQO IRQ doorbell (an ITR word whose no_update is not 3), or -1 when it never set one.
    /// </summary>
    public int DqoItrIntervalMicroseconds(int block)
    {
        lock (_lock)
        {
            if ((uint)block >= (uint)_blocks.Length)
                throw new ArgumentOutOfRangeException(nameof(block), block, "the device has " + _blocks.Length + " notification blocks");
            return _blocks[block].ItrIntervalUs;
        }
    }
}
