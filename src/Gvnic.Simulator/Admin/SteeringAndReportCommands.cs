using System;
using Gvnic.Simulator.Device;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>
/// The RSS, flow, stats and link group: CONFIGURE_RSS (key and indirection table for <see cref="RxSteering"/>),
/// REPORT_STATS (the report the device writes its RX statistics into), REPORT_LINK_SPEED and REPORT_NIC_TIMESTAMP (the NIC clock). The flow-rule and RSS-query
/// commands of options this model does not offer answer UNIMPLEMENTED from the engine.
/// </summary>
internal sealed class SteeringAndReportCommands(AdminCommandContext context) : AdminCommandGroup(context)
{
    public AdminqStatuses ConfigureRss(ref AdminqConfigureRss c)
    {
        if (!Config.Rss) return AdminqStatuses.CommandErrorUnimplemented;
        if (!State.Configured) return Context.NotConfigured("CONFIGURE_RSS");
        if (c.HashAlg != RssHashAlg.Toeplitz && c.HashAlg != RssHashAlg.NoChange) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.HashKeySize != 0 && c.HashKeySize != Config.RssKeySize) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.HashLutSize != 0 && c.HashLutSize != Config.RssLutSize) return AdminqStatuses.CommandErrorInvalidArgument;
        byte[]? key = null;
        uint[]? lut = null;
        if (c.HashKeySize != 0)
        {
            if (!Context.Aligned(c.HashKeyAddr, "RSS key")) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!Context.TryDma(c.HashKeyAddr, c.HashKeySize, "RSS key", out Span<byte> k)) return AdminqStatuses.CommandErrorInvalidArgument;
            key = k.ToArray();
        }
        if (c.HashLutSize != 0)
        {
            if (!Context.Aligned(c.HashLutAddr, "RSS indirection table")) return AdminqStatuses.CommandErrorInvalidArgument;
            if (!Context.TryDma(c.HashLutAddr, (long)c.HashLutSize * RssLutEntry.Size, "RSS indirection table", out Span<byte> l)) return AdminqStatuses.CommandErrorInvalidArgument;
            lut = new uint[c.HashLutSize];
            for (int i = 0; i < lut.Length; i++)
            {
                lut[i] = RssLutEntry.Read(l.Slice(i * RssLutEntry.Size)).Queue;
                if (lut[i] >= Config.MaxRxQueues) return AdminqStatuses.CommandErrorInvalidArgument;
            }
        }
        State.Steering.Configure(key, lut);
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>
    /// REPORT_STATS: the device writes its part of the report now and after every frame it receives, reads the driver's
    /// part every interval (<see cref="StatsReportReader"/>), and the REPORT_STATS request in device_status is answered.
    /// </summary>
    public AdminqStatuses ReportStats(ref AdminqReportStats r)
    {
        // Length 0 detaches the report: upstream Linux sends REPORT_STATS(0, 0) before DECONFIGURE_DEVICE_RESOURCES
        // (gve_teardown_device_resources) so the device stops writing into memory it is about to free.
        if (r.StatsReportLen == 0)
        {
            State.StatsReport.Clear();
            State.Status &= ~DeviceStatusFlags.ReportStats;
            return AdminqStatuses.CommandPassed;
        }
        if (r.StatsReportLen < (ulong)StatsReport.Size || r.StatsReportLen > int.MaxValue) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.Aligned(r.StatsReportAddr, "stats report")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(r.StatsReportAddr, (long)r.StatsReportLen, "stats report", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
        State.StatsReport.Configure(r.StatsReportAddr, r.StatsReportLen);
        State.StatsReader.Configure(r.StatsReportAddr, r.StatsReportLen, r.Interval);
        State.Status &= ~DeviceStatusFlags.ReportStats;
        State.UpdateStatsReport();
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>REPORT_NIC_TIMESTAMP: the NIC clock, in nanoseconds, into a nic_ts_report (UNIMPLEMENTED without the NIC_TIMESTAMP option).</summary>
    public AdminqStatuses ReportNicTimestamp(ref AdminqReportNicTs r)
    {
        if (!Config.NicTimestamp) return AdminqStatuses.CommandErrorUnimplemented;
        if (r.NicTsReportLen < (ulong)NicTsReport.Size) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.Aligned(r.NicTsReportAddr, "NIC timestamp report")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(r.NicTsReportAddr, NicTsReport.Size, "NIC timestamp report", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        new NicTsReport { NicTimestamp = Context.Faults.OnNicTimestamp(State.Clock.NicNanoseconds(Config.NicClockStart)) }.Write(at);
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses ReportLinkSpeed(ulong address)
    {
        if (!Context.Aligned(address, "link speed")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(address, LinkSpeedReport.Size, "link speed", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        new LinkSpeedReport { LinkSpeed = Context.Faults.OnLinkSpeed(Config.LinkSpeed) }.Write(at);
        return AdminqStatuses.CommandPassed;
    }
}
