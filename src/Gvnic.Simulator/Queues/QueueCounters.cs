namespace Gvnic.Simulator.Queues;

/// <summary>The counters of one queue index, kept by the device for its lifetime (a queue re-created at that index adds to them).</summary>
internal sealed class QueueCounters
{
    public long Frames;
    public long Bytes;
    public long NoBufferDrops;
    public long OverMruDrops;
    public long Errors;
    public long LinkDownDrops;
    public long LoadDrops;

    public QueueStatistics Snapshot(int queue) => new(queue, Frames, Bytes, NoBufferDrops, OverMruDrops, Errors, LinkDownDrops) { LoadDrops = LoadDrops };
}
