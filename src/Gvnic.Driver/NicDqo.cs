using System;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>What only the DQO formats have: interrupt throttling at turn-up and the completion state machine's counters.</summary>
public sealed partial class Nic
{
    /// <summary>The interrupt throttling interval DQO TX notification blocks get at turn-up, in microseconds (upstream's default tx_coalesce_usecs).</summary>
    public const int DqoTxItrMicroseconds = (int)GvnicConstants.TxIrqRatelimitUsDqo;

    /// <summary>The interrupt throttling interval DQO RX notification blocks get at turn-up, in microseconds (upstream's default rx_coalesce_usecs).</summary>
    public const int DqoRxItrMicroseconds = (int)GvnicConstants.RxIrqRatelimitUsDqo;

    /// <summary>
    /// Unmasks notification block <paramref name="block"/> at turn-up. GQI writes 0 to its doorbell; DQO writes an ITR word
    /// that enables the interrupt and sets the throttling interval (2 µs units): the TX interval on a TX queue's block, the
    /// RX interval on an RX queue's block, as upstream's turn-up does. Later re-arms keep the interval (no_update = 3).
    /// </summary>
    private void TurnUpBlock(int block)
    {
        int doorbell = _irqDoorbells[block];
        int microseconds = !Plan.IsDqo ? -1
            : block < _resources!.RxBlock(0) ? (block < _tx.Length ? DqoTxItrMicroseconds : -1)
            : (block - _resources.RxBlock(0) < _rx.Length ? DqoRxItrMicroseconds : -1);
        if (microseconds < 0)
        {
            Unmask(doorbell);
            return;
        }
        ItrDoorbellDqo itr = default;
        itr.Enable = true;
        itr.Interval = (uint)(Math.Min(microseconds, (int)GvnicConstants.MaxItrIntervalDqo) >> 1);
        _bar2.WriteIrqDoorbellDqo(doorbell, itr);
    }

    /// <summary>The counters of the DQO completion state machine of TX queue <paramref name="queue"/>: misses, re-injections, timeouts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The queue does not exist.</exception>
    /// <exception cref="InvalidOperationException">The NIC runs a GQI format (no miss or re-injection completions).</exception>
    public DqoTxStatistics GetDqoTxStatistics(int queue = 0)
    {
        TxQueue tx = TxAt(queue);
        if (tx is DqoTxQueue dqo) return dqo.DqoStatistics;
        throw new InvalidOperationException(tx.Name + " runs " + Plan.Format + ": DQO statistics exist only with QueueFormat.DqoRda or DqoQpl");
    }
}
