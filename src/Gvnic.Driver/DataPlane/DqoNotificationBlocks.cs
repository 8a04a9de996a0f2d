using System;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// DQO notification blocks: the doorbell takes an <see cref="ItrDoorbellDqo"/> word (enable, clear_pba, no_update,
/// a 12-bit interrupt throttling interval in 2 µs units). Turn-up enables each block with its throttling interval, as
/// upstream's turn-up does: <see cref="Nic.DqoTxItrMicroseconds"/> on a TX queue's block, <see cref="Nic.DqoRxItrMicroseconds"/>
/// on an RX queue's block; a block no queue uses is enabled without changing its interval. A re-arm writes enable with
/// no_update = 3 and a mask no_update = 3 alone, so neither changes the interval.
/// </summary>
/// <param name="bar2">The BAR2 registers.</param>
/// <param name="doorbells">Each block's doorbell index.</param>
/// <param name="txQueues">TX queues: TX queue <c>i</c> uses block <c>i</c>.</param>
/// <param name="rxQueues">RX queues: RX queue <c>i</c> uses block <paramref name="firstRxBlock"/> + <c>i</c>.</param>
/// <param name="firstRxBlock">The block of RX queue 0.</param>
internal sealed class DqoNotificationBlocks(Bar2Registers bar2, int[] doorbells, int txQueues, int rxQueues, int firstRxBlock) : NotificationBlocks(bar2, doorbells)
{
    protected override void TurnUp(int block)
    {
        int microseconds = block < firstRxBlock ? (block < txQueues ? Nic.DqoTxItrMicroseconds : -1)
            : (block - firstRxBlock < rxQueues ? Nic.DqoRxItrMicroseconds : -1);
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

    public override void Rearm(int block)
    {
        ItrDoorbellDqo itr = default;
        itr.Enable = true;
        itr.NoUpdate = GvnicConstants.ItrNoUpdateKeepDqo;
        Bar2.WriteIrqDoorbellDqo(DoorbellOf(block), itr);
    }

    public override void Mask(int block)
    {
        ItrDoorbellDqo itr = default;
        itr.NoUpdate = GvnicConstants.ItrNoUpdateKeepDqo;
        Bar2.WriteIrqDoorbellDqo(DoorbellOf(block), itr);
    }

    public override string TurnUpNote => " (DQO interrupt throttling " + Nic.DqoTxItrMicroseconds + " µs TX, " + Nic.DqoRxItrMicroseconds + " µs RX)";
}
