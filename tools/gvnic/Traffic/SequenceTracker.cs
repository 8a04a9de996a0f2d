namespace Gvnic.Cli.Traffic;

/// <summary>
/// The sequence numbers of every flow seen on one RX queue: a gap counts the frames skipped, a number below the next
/// expected one counts a late frame. A flow is keyed by its flow index (0 … 65535); a frame of another generator run
/// (its run id differs) starts the flow again without counting. One table of 512 KiB per RX queue, allocated once.
/// </summary>
/// <remarks>
/// RSS sends every frame of a flow to the same RX queue, so per-queue tracking sees each flow whole. Frames lost after
/// the last one received are not seen (nothing follows them).
/// </remarks>
internal sealed class SequenceTracker
{
    private const ulong Seen = 1UL << 40;
    private readonly ulong[] _flows = new ulong[65536]; // bit 40: seen; bits 32–39: run; bits 0–31: next sequence expected

    /// <summary>Records one frame of <paramref name="flow"/>, counting gaps and late frames into <paramref name="counters"/>.</summary>
    public void Record(ushort flow, byte run, uint sequence, QueueCounters counters)
    {
        ulong state = _flows[flow];
        if ((state & Seen) == 0 || (byte)(state >> 32) != run)
        {
            _flows[flow] = Seen | ((ulong)run << 32) | (sequence + 1);
            return;
        }
        uint next = (uint)state;
        int ahead = (int)(sequence - next);
        if (ahead < 0)
        {
            counters.RxLate++;
            return;
        }
        counters.RxGaps += ahead;
        _flows[flow] = Seen | ((ulong)run << 32) | (sequence + 1);
    }
}
