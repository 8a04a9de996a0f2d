using System;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// The driver's part of the stats report REPORT_STATS handed over, written as upstream's gve_handle_report_stats writes
/// it: per TX queue TX_WAKE_CNT, TX_STOP_CNT, TX_FRAMES_SENT, TX_BYTES_SENT, TX_LAST_COMPLETION_PROCESSED, TX_TIMEOUT_CNT
/// (<see cref="GvnicConstants.TxStatsReportNum"/> entries), then per RX queue RX_NEXT_EXPECTED_SEQUENCE and
/// RX_BUFFERS_POSTED (<see cref="GvnicConstants.RxStatsReportNum"/>), queues in id order, then written_count raised by
/// one. The device reads it every interval the command gave and writes its own RX entries after the driver's.
/// </summary>
/// <remarks>
/// The values are the queues' own counters: wakes (frames accepted after a refusal), stops (refusals for a full ring),
/// frames handed over, bytes and frames the device completed, the watchdog's timeouts that re-armed the queue's
/// block instead of resetting (upstream's tx_timeout "kick"); the RX queue's next expected GQI sequence number or DQO
/// completion index, and the buffers posted. Upstream writes 0 for frames and last completion on DQO; the driver has
/// the real figures in every format and writes them.
/// </remarks>
/// <param name="report">The zeroed report region the device was given.</param>
/// <param name="interval">How often the report is rewritten: the interval REPORT_STATS gave the device.</param>
internal sealed class StatsReportWriter(DmaRegion report, TimeSpan interval)
{
    private ulong _written;
    private long _lastWrite = long.MinValue;

    /// <summary>The interval REPORT_STATS gave the device.</summary>
    public TimeSpan Interval { get; } = interval;

    /// <summary>How many times the driver has written the report (written_count).</summary>
    public ulong WrittenCount => _written;

    /// <summary>The bytes of the report for <paramref name="txQueues"/> and <paramref name="rxQueues"/>: the header, the driver's entries and the device's.</summary>
    public static int Length(int txQueues, int rxQueues)
        => StatsReport.Size + Stats.Size * (int)((GvnicConstants.TxStatsReportNum + GvnicConstants.NicTxStatsReportNum) * (uint)txQueues
            + (GvnicConstants.RxStatsReportNum + GvnicConstants.NicRxStatsReportNum) * (uint)rxQueues);

    /// <summary>Whether a write is due at <paramref name="now"/> (never written, or an interval since the last write).</summary>
    public bool IsDue(TimeProvider time, long now) => _lastWrite == long.MinValue || time.GetElapsedTime(_lastWrite, now) >= Interval;

    /// <summary>Writes every queue's counters, then written_count.</summary>
    /// <param name="tx">The TX queues, by id.</param>
    /// <param name="rx">The RX queues, by id.</param>
    /// <param name="txTimeouts">Per TX queue: the watchdog's timeouts that re-armed the queue rather than resetting the device (null: none).</param>
    /// <param name="now">The timestamp of this write.</param>
    public void Write(TxQueue[] tx, RxQueue[] rx, long[]? txTimeouts, long now)
    {
        Span<byte> span = report.Span;
        int index = 0;
        for (int q = 0; q < tx.Length; q++)
        {
            TxQueueStatistics s = tx[q].Statistics;
            uint id = (uint)tx[q].Id;
            Put(span, index++, StatNames.TxWakeCnt, id, s.Wakes);
            Put(span, index++, StatNames.TxStopCnt, id, s.Full);
            Put(span, index++, StatNames.TxFramesSent, id, s.Packets);
            Put(span, index++, StatNames.TxBytesSent, id, s.BytesCompleted);
            Put(span, index++, StatNames.TxLastCompletionProcessed, id, s.Completed);
            Put(span, index++, StatNames.TxTimeoutCnt, id, txTimeouts is not null && q < txTimeouts.Length ? txTimeouts[q] : 0);
        }
        for (int q = 0; q < rx.Length; q++)
        {
            uint id = (uint)rx[q].Id;
            Put(span, index++, StatNames.RxNextExpectedSequence, id, rx[q].NextExpected);
            Put(span, index++, StatNames.RxBuffersPosted, id, rx[q].Statistics.BuffersPosted);
        }
        Interlocked.MemoryBarrier(); // the entries before the count that says they are new (upstream writes the count last)
        StatsReport.AsRef(span).WrittenCount = ++_written;
        _lastWrite = now;
    }

    private static void Put(Span<byte> report, int index, StatNames name, uint queue, long value)
    {
        ref Stats s = ref Stats.AsRef(report.Slice(StatsReport.Size + index * Stats.Size));
        s.StatName = name;
        s.QueueId = queue;
        s.Value = (ulong)value;
    }
}
