using System;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// DQO notification blocks: the doorbell takes an <see cref="ItrDoorbellDqo"/> word (enable, clear_pba, no_update,
/// a 12-bit interrupt throttling interval in 2 µs units). Turn-up enables each block with its throttling interval, as
/// upstream's turn-up does when the driver waits on interrupts: <see cref="Nic.DqoTxItrMicroseconds"/> on a TX queue's
/// block, <see cref="Nic.DqoRxItrMicroseconds"/> on an RX queue's block. A polling driver sets 0 instead (as iPXE's
/// configure-time doorbell write does): nobody waits on the interrupt, and a throttled one would only delay the
/// write-back of what the device holds. A block no queue uses is enabled without changing its interval. A re-arm writes
/// enable with no_update = 3 and a mask no_update = 3 alone, so neither changes the interval.
/// </summary>
/// <remarks>
/// A DQO device holds TX and RX completions in an internal 128-byte line per completion ring and writes them to host
/// memory only when the line fills or when the ring's block asserts its interrupt (iPXE d2e1e591a, measured on GCE); a
/// block that fired stays masked until re-armed. So a polling driver re-arms the block whenever a poll finds nothing new
/// (<see cref="RearmForPoll"/>, as iPXE 4f44f6240 re-arms on every poll): a lone received frame, or the last few
/// transmit completions, then show at once (within the throttling interval in interrupt mode) instead of waiting for
/// three more frames.
/// The block fires only through an enabled MSI-X vector, so the driver enables its vectors in polling mode too.
/// </remarks>
/// <param name="bar2">The BAR2 registers.</param>
/// <param name="doorbells">Each block's doorbell index.</param>
/// <param name="txQueues">TX queues: TX queue <c>i</c> uses block <c>i</c>.</param>
/// <param name="rxQueues">RX queues: RX queue <c>i</c> uses block <paramref name="firstRxBlock"/> + <c>i</c>.</param>
/// <param name="firstRxBlock">The block of RX queue 0.</param>
/// <param name="polling">Whether the driver polls (no throttling) rather than waits on interrupts (upstream's intervals).</param>
internal sealed class DqoNotificationBlocks(Bar2Registers bar2, int[] doorbells, int txQueues, int rxQueues, int firstRxBlock, bool polling) : NotificationBlocks(bar2, doorbells)
{
    protected override void TurnUp(int block)
    {
        int microseconds = block < firstRxBlock ? (block < txQueues ? Interval(Nic.DqoTxItrMicroseconds) : -1)
            : (block - firstRxBlock < rxQueues ? Interval(Nic.DqoRxItrMicroseconds) : -1);
        if (microseconds < 0)
        {
            Rearm(block);
            return;
        }
        ItrDoorbellDqo itr = default;
        itr.Enable = true;
        itr.Interval = (uint)(Math.Min(microseconds, (int)GvnicConstants.MaxItrIntervalDqo) >> 1);
        Bar2.WriteIrqDoorbellDqo(DoorbellOf(block), itr);
    }

    /// <summary>The re-arm word (enable, no_update = 3), encoded once: the polling data path writes it at every empty look.</summary>
    private readonly ItrDoorbellDqo _rearm = RearmWord();

    private static ItrDoorbellDqo RearmWord()
    {
        ItrDoorbellDqo itr = default;
        itr.Enable = true;
        itr.NoUpdate = GvnicConstants.ItrNoUpdateKeepDqo;
        return itr;
    }

    public override void Rearm(int block) => Bar2.WriteIrqDoorbellDqo(DoorbellOf(block), _rearm);

    /// <summary>The interval a queue's block gets at turn-up: <paramref name="interruptMicroseconds"/> when the driver waits on interrupts, 0 when it polls.</summary>
    private int Interval(int interruptMicroseconds) => polling ? 0 : interruptMicroseconds;

    public override bool RearmForPoll(int block)
    {
        Rearm(block);
        return true;
    }

    public override void Mask(int block)
    {
        ItrDoorbellDqo itr = default;
        itr.NoUpdate = GvnicConstants.ItrNoUpdateKeepDqo;
        Bar2.WriteIrqDoorbellDqo(DoorbellOf(block), itr);
    }

    public override string TurnUpNote => polling
        ? " (DQO interrupt throttling 0 µs: polling, every write-back at once)"
        : " (DQO interrupt throttling " + Nic.DqoTxItrMicroseconds + " µs TX, " + Nic.DqoRxItrMicroseconds + " µs RX)";
}
