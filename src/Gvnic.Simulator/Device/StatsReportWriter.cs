using System;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The stats report REPORT_STATS handed over: the device writes its RX statistics after the driver's part (upstream: 6
/// entries per TX queue and 2 per RX queue), four entries per RX queue, as far as the report is long enough.
/// </summary>
/// <remarks>
/// Asked after every frame arrival, it rewrites only when what it would write changed since its last write: the queues
/// that exist or a counter it reports (the same bytes otherwise), and at the report interval (<see cref="Invalidate"/>,
/// from the device's read of the report), so the entries stay the device's even if something else wrote over them.
/// </remarks>
internal sealed class StatsReportWriter
{
    private ulong _address;
    private ulong _length;
    private long[] _seen = [];
    private bool _current; // the report holds what _seen describes

    /// <summary>The next <see cref="Write"/> rewrites the entries whether or not anything changed.</summary>
    public void Invalidate() => _current = false;

    public void Configure(ulong address, ulong length)
    {
        _address = address;
        _length = length;
        _current = false;
    }

    public void Clear()
    {
        _address = 0;
        _length = 0;
        _current = false;
    }

    /// <summary>Rewrites the device's entries (nothing when no report was handed over, or bus mastering is off).</summary>
    public void Write(DeviceDma dma, TxQueue?[] tx, RxQueue?[] rx, QueueCounters[] rxCounters)
    {
        if (_address == 0) return;
        if (_current && Unchanged(tx, rx, rxCounters)) return;
        _current = false;
        if (!dma.TryResolve(_address, (long)_length, out Span<byte> report, out _, out _) || !dma.BusMaster) return;
        Remember(tx, rx, rxCounters);
        _current = true;
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

    /// <summary>What a write depends on: the live TX queues, and per RX queue whether it exists and the counters it reports.</summary>
    private const int PerQueue = 5;

    private bool Unchanged(TxQueue?[] tx, RxQueue?[] rx, QueueCounters[] rxCounters)
    {
        long[] seen = _seen;
        if (seen.Length != 1 + PerQueue * rx.Length || seen[0] != DeviceState.CountLive(tx)) return false;
        for (int q = 0; q < rx.Length; q++)
        {
            int at = 1 + PerQueue * q;
            if (rx[q] is null)
            {
                if (seen[at] != 0) return false;
                continue;
            }
            QueueCounters c = rxCounters[q];
            if (seen[at] != 1 || seen[at + 1] != c.NoBufferDrops || seen[at + 2] != c.OverMruDrops || seen[at + 3] != c.Errors || seen[at + 4] != c.LoadDrops) return false;
        }
        return true;
    }

    private void Remember(TxQueue?[] tx, RxQueue?[] rx, QueueCounters[] rxCounters)
    {
        if (_seen.Length != 1 + PerQueue * rx.Length) _seen = new long[1 + PerQueue * rx.Length];
        long[] seen = _seen;
        seen[0] = DeviceState.CountLive(tx);
        for (int q = 0; q < rx.Length; q++)
        {
            int at = 1 + PerQueue * q;
            if (rx[q] is null)
            {
                seen.AsSpan(at, PerQueue).Clear();
                continue;
            }
            QueueCounters c = rxCounters[q];
            seen[at] = 1;
            seen[at + 1] = c.NoBufferDrops;
            seen[at + 2] = c.OverMruDrops;
            seen[at + 3] = c.Errors;
            seen[at + 4] = c.LoadDrops;
        }
    }
}
