namespace Gvnic.Driver.ControlPlane;

/// <summary>The admin-queue counters of one NIC, shared by every control plane its bring-ups make (so they add up across recoveries).</summary>
internal sealed class AdminCounters
{
    public long Commands, Failed, Tolerated, Timeouts, DeviceResets, EventCounterFaults;

    public AdminQueueStatistics Snapshot() => new(Commands, Failed, Tolerated, Timeouts, DeviceResets, EventCounterFaults);
}
