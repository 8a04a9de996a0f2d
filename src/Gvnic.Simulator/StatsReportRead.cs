using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator;

/// <summary>One entry of the driver's part of the stats report, as the device read it.</summary>
/// <param name="Name">stat_name.</param>
/// <param name="QueueId">queue_id.</param>
/// <param name="Value">value.</param>
public readonly record struct StatsReportEntry(StatNames Name, uint QueueId, ulong Value);

/// <summary>What the device read of the driver's stats report the last time it looked.</summary>
/// <param name="Reads">How many times the device read the report since REPORT_STATS handed it over (0: not yet).</param>
/// <param name="WrittenCount">written_count as read (how many times the driver says it rewrote the report).</param>
/// <param name="DriverEntries">The driver's entries as read, in upstream's layout: 6 per TX queue, then 2 per RX queue.</param>
public sealed record StatsReportRead(long Reads, ulong WrittenCount, IReadOnlyList<StatsReportEntry> DriverEntries);
