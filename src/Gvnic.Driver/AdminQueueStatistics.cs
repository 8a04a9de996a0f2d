namespace Gvnic.Driver;

/// <summary>
/// Counters of the admin queue over the NIC's life (every bring-up, teardown and recovery since <see cref="Nic.Open"/>), as
/// upstream counts <c>adminq_cmd_fail</c> and <c>adminq_timeouts</c>.
/// </summary>
/// <param name="Commands">Commands sent to the device.</param>
/// <param name="Failed">Commands the device answered with a status other than PASSED (tolerated ones included).</param>
/// <param name="Tolerated">
/// Failed commands bring-up went on without: UNIMPLEMENTED from VERIFY_DRIVER_COMPATIBILITY, and any error from the
/// optional REPORT_LINK_SPEED and REPORT_STATS (as upstream logs them and goes on).
/// </param>
/// <param name="Timeouts">Waits the device never answered within <see cref="NicOptions.AdminTimeout"/>.</param>
/// <param name="DeviceResets">Waits during which the device turned out to have reset itself.</param>
/// <param name="EventCounterFaults">Waits during which the event counter ran outside the commands posted.</param>
public readonly record struct AdminQueueStatistics(long Commands, long Failed, long Tolerated, long Timeouts, long DeviceResets, long EventCounterFaults);
