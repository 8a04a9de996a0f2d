using System;
using System.Collections.Generic;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The device's reads of the stats report REPORT_STATS handed over: every interval the command gave (milliseconds on the
/// device clock), it reads the driver's part, in upstream's layout (per TX queue: TX_WAKE_CNT, TX_STOP_CNT, TX_FRAMES_SENT,
/// TX_BYTES_SENT, TX_LAST_COMPLETION_PROCESSED, TX_TIMEOUT_CNT; then per RX queue: RX_NEXT_EXPECTED_SEQUENCE,
/// RX_BUFFERS_POSTED; queues in id order), and checks it once the driver has written it (written_count above 0):
/// each entry's name and queue id; written_count and the counters never going back while their queue lives; and no
/// value claiming more than the device did: frames handed over beyond those it completed plus a ring's worth, bytes and
/// completions beyond those it completed, buffers beyond those it was handed plus a ring's worth, an RX sequence number
/// outside 1..7 on GQI or a completion index outside the ring on DQO.
/// What is wrong is recorded as <see cref="ViolationKind.StatsReport"/>.
/// </summary>
internal sealed class StatsReportReader(DeviceState state, ViolationLog violations)
{
    private static readonly StatNames[] TxNames =
    [
        StatNames.TxWakeCnt, StatNames.TxStopCnt, StatNames.TxFramesSent, StatNames.TxBytesSent, StatNames.TxLastCompletionProcessed, StatNames.TxTimeoutCnt,
    ];

    private static readonly StatNames[] RxNames = [StatNames.RxNextExpectedSequence, StatNames.RxBuffersPosted];

    private readonly Dictionary<(object Queue, StatNames Name), ulong> _last = new();
    private ulong _address;
    private ulong _length;
    private long _interval;
    private DeviceClock.TimedWork? _next;
    private long _due;
    private ulong _writtenCount;

    /// <summary>Reads so far since the report was handed over.</summary>
    public long Reads { get; private set; }

    /// <summary>The last read.</summary>
    public StatsReportRead LastRead { get; private set; } = new(0, 0, Array.Empty<StatsReportEntry>());

    /// <summary>REPORT_STATS: the report at <paramref name="address"/>, read every <paramref name="intervalMs"/> milliseconds (0: never).</summary>
    public void Configure(ulong address, ulong length, ulong intervalMs)
    {
        Clear();
        if (!state.Config.ReadStatsReport || intervalMs == 0) return;
        _address = address;
        _length = length;
        _interval = state.Clock.Duration(TimeSpan.FromMilliseconds(Math.Min(intervalMs, (ulong)TimeSpan.MaxValue.TotalMilliseconds / 2)));
        _interval = Math.Max(1, _interval);
        _due = state.Clock.Now + _interval;
        _next = state.Clock.Schedule(_due, Read);
    }

    /// <summary>No report from now on (reset).</summary>
    public void Clear()
    {
        DeviceClock.Cancel(_next);
        _next = null;
        _address = 0;
        _writtenCount = 0;
        _last.Clear();
        Reads = 0;
        LastRead = new StatsReportRead(0, 0, Array.Empty<StatsReportEntry>());
    }

    private void Read()
    {
        // Every interval from the command on: a clock that jumps ahead gets every read it passed.
        _due += _interval;
        _next = state.Clock.Schedule(_due, Read);
        state.StatsReport.Invalidate(); // the device's own entries are rewritten at the next arrival, changed or not
        if (!state.Dma.BusMaster) return; // the device cannot read; nothing to check
        if (!state.Dma.TryAccess(_address, (long)_length, -1, -1, "stats report", out Span<byte> report)) return;
        Reads++;
        ulong written = StatsReport.Read(report).WrittenCount;
        var entries = new List<StatsReportEntry>();
        var expected = new List<(StatNames Name, uint Queue, object Owner)>();
        for (int q = 0; q < state.Tx.Length; q++)
            if (state.Tx[q] is TxQueue t) foreach (StatNames n in TxNames) expected.Add((n, (uint)q, t));
        for (int q = 0; q < state.Rx.Length; q++)
            if (state.Rx[q] is RxQueue r) foreach (StatNames n in RxNames) expected.Add((n, (uint)q, r));
        for (int i = 0; i < expected.Count; i++)
        {
            int at = StatsReport.Size + i * Stats.Size;
            if (at + Stats.Size > report.Length) break;
            Stats s = Stats.Read(report.Slice(at));
            entries.Add(new StatsReportEntry(s.StatName, s.QueueId, s.Value));
        }
        LastRead = new StatsReportRead(Reads, written, entries);
        if (written == 0) return; // not written yet
        if (written < _writtenCount)
            Violate(-1, "written_count went back from " + _writtenCount + " to " + written);
        _writtenCount = written;
        for (int i = 0; i < entries.Count; i++)
        {
            StatsReportEntry e = entries[i];
            (StatNames name, uint queue, object owner) = expected[i];
            if (e.Name != name || e.QueueId != queue)
            {
                Violate(i, "entry " + i + " is " + e.Name + " of queue " + e.QueueId + "; upstream's layout (6 entries per TX queue, then 2 per RX queue, in queue order) puts " + name + " of queue " + queue + " there");
                return; // the rest cannot be matched to queues
            }
            if (e.Name != StatNames.RxNextExpectedSequence)
            {
                if (_last.TryGetValue((owner, name), out ulong before) && e.Value < before)
                    Violate(i, name + " of queue " + queue + " went back from " + before + " to " + e.Value);
                _last[(owner, name)] = e.Value;
            }
            string? problem = Beyond(name, e.Value, owner);
            if (problem is not null) Violate(i, name + " of queue " + queue + " is " + e.Value + ", " + problem);
        }
    }

    /// <summary>Why <paramref name="value"/> claims more than the device did for the queue, or null.</summary>
    private static string? Beyond(StatNames name, ulong value, object owner)
    {
        switch (owner)
        {
            case TxQueue t when name == StatNames.TxFramesSent && value > (ulong)(t.PacketsDone + t.RingCapacity):
                return "but the device completed " + t.PacketsDone + " packets on it and the ring holds " + t.RingCapacity + " more at most";
            case TxQueue t when name == StatNames.TxBytesSent && value > (ulong)t.BytesDone:
                return "but the device completed only " + t.BytesDone + " bytes on it";
            case TxQueue t when name == StatNames.TxLastCompletionProcessed && value > (ulong)t.PacketsDone:
                return "but the device completed only " + t.PacketsDone + " packets on it";
            case GqiRxQueue when name == StatNames.RxNextExpectedSequence && value is < 1 or > GvnicConstants.GqiSeqnoCount:
                return "not a GQI sequence number (1.." + GvnicConstants.GqiSeqnoCount + ")";
            case DqoRxQueue d when name == StatNames.RxNextExpectedSequence && value >= (ulong)d.CompletionRingSize:
                return "outside the " + d.CompletionRingSize + "-entry completion queue";
            case RxQueue r when name == StatNames.RxBuffersPosted && value > (ulong)(r.BuffersPosted + r.RingCapacity):
                return "but the device was handed " + r.BuffersPosted + " buffers and the ring holds " + r.RingCapacity + " more at most";
            default:
                return null;
        }
    }

    private void Violate(long index, string detail) => violations.Add(ViolationKind.StatsReport, -1, index, "stats report (read " + Reads + "): " + detail);
}
