using System;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The stats report REPORT_STATS handed over: the device writes its RX statistics after the driver's part (upstream: 6
/// entries per TX queue and 2 per RX queue), four entries per RX queue, as far as the report is long enough.
/// </summary>
internal sealed class StatsReportWriter
{
    private ulong _address;
    private ulong _length;

    public void Configure(ulong address, ulong length)
    {
        _address = address;
        _length = length;
    }

    public void Clear()
    {
        _address = 0;
        _length = 0;
    }

    /// <summary>Rewrites the device's entries (nothing when no report was handed over, or bus mastering is off).</summary>
    public void Write(DeviceDma dma, TxQueue?[] tx, RxQueue?[] rx, QueueCounters[] rxCounters)
    {
        if (_address == 0) return;
        if (!dma.TryResolve(_address, (long)_length, out Span<byte> report, out _, out _) || !dma.BusMaster) return;
        int index = (int)(GvnicConstants.TxStatsReportNum + GvnicConstants.NicTxStatsReportNum) * DeviceState.CountLive(tx) + (int)GvnicConstants.RxStatsReportNum * DeviceState.CountLive(rx);
        for (int q = 0; q < rx.Length; q++)
        {
            if (rx[q] is null) continue;
            QueueCounters c = rxCounters[q];
            ReadOnlySpan<(StatNames, long)> entries =
            [
                (StatNames.RxQueueDropCnt, c.NoBufferDrops + c.OverMruDrops + c.Errors + c.LoadDrops),
                (StatNames.RxNoBuffersPosted, c.NoBufferDrops),
                (StatNames.RxDropsPacketOverMru, c.OverMruDrops),
                (StatNames.RxDropsInvalidChecksum, 0),
            ];
            foreach ((StatNames name, long value) in entries)
            {
                int at = StatsReport.Size + index * Stats.Size;
                if (at + Stats.Size > report.Length) return;
                ref Stats s = ref Stats.AsRef(report.Slice(at));
                s.StatName = name;
                s.QueueId = (uint)q;
                s.Value = (ulong)value;
                index++;
            }
        }
    }
}
