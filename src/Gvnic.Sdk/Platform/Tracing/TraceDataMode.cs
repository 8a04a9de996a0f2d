namespace Gvnic.Platform.Tracing;

/// <summary>
/// How much of the data path a trace records. The control path (BAR0, notification-block doorbells, admin commands and
/// answers, DMA regions, bus mastering, MSI-X enable and disable) is always recorded; what a mode leaves out is counted
/// in the trace's <c>end</c> record.
/// </summary>
public enum TraceDataMode
{
    /// <summary>No queue doorbells: the trace is the control path only (bring-up, teardown, recovery).</summary>
    Off,

    /// <summary>Every queue doorbell write, named by its queue (the default).</summary>
    Doorbells,

    /// <summary>
    /// Everything: queue doorbells, every device_status read that repeats the last value recorded (the data path reads it
    /// on every reclaim), and every MSI-X wait and poll with its outcome.
    /// </summary>
    All,
}
