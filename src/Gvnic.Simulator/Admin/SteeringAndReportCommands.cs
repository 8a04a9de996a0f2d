using System;
using Gvnic.Simulator.Device;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>
/// The RSS, flow, stats and link group: CONFIGURE_RSS (key and indirection table for <see cref="RxSteering"/>),
/// QUERY_RSS, REPORT_STATS (the report the device writes its RX statistics into), REPORT_LINK_SPEED and REPORT_NIC_TIMESTAMP
/// (the NIC clock). The flow rules are <see cref="FlowRuleCommands"/>'s.
/// </summary>
internal sealed class SteeringAndReportCommands : AdminCommandGroup
{
    public SteeringAndReportCommands(AdminCommandContext context) : base(context)
    {
        // The default table has the size QUERY_RSS reports, so that what it reports is what the device does.
        State.Steering.DefaultTableSize = Config.Rss ? Config.RssLutSize : GvnicConstants.RssIndirSize;
    }

    /// <summary>
    /// CONFIGURE_RSS: the hash types (0: unchanged), the key and the table (a zero size leaves each unchanged), in the
    /// RSS_CONFIG option's sizes; without the option a DQO device takes upstream's 40-byte key and 128-entry table (upstream
    /// configures them: gve_set_default_rss_sizes) and a GQI device answers UNIMPLEMENTED.
    /// </summary>
    public AdminqStatuses ConfigureRss(ref AdminqConfigureRss c)
    {
        if (!State.Configured) return Config.Rss ? Context.NotConfigured("CONFIGURE_RSS") : AdminqStatuses.CommandErrorUnimplemented;
        if (!RssSizes(out int keySize, out int lutSize)) return AdminqStatuses.CommandErrorUnimplemented;
        if (c.HashAlg != RssHashAlg.Toeplitz && c.HashAlg != RssHashAlg.NoChange) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!RssHashTypesInfo.IsDefined(c.HashTypes)) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.HashKeySize != 0 && c.HashKeySize != keySize) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.HashLutSize != 0 && c.HashLutSize != lutSize) return AdminqStatuses.CommandErrorInvalidArgument;
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
        State.Steering.Configure(c.HashTypes, key, lut);
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>
    /// QUERY_RSS (only with the RSS_CONFIG option): a <see cref="QueryRssDescriptor"/>, the key, then the table as
    /// big-endian u32 entries (the default table over the live RX queues when none was configured).
    /// </summary>
    public AdminqStatuses QueryRss(ref AdminqQueryRss q)
    {
        if (!Config.Rss) return AdminqStatuses.CommandErrorUnimplemented;
        if (!State.Configured) return Context.NotConfigured("QUERY_RSS");
        int total = QueryRssDescriptor.Size + Config.RssKeySize + Config.RssLutSize * RssLutEntry.Size;
        if (q.AvailableLength < (ulong)total) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.Aligned(q.RssDescriptorAddr, "RSS query")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(q.RssDescriptorAddr, total, "RSS query", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        new QueryRssDescriptor { TotalLength = (uint)total, HashTypes = State.Steering.HashTypes, HashAlg = RssHashAlg.Toeplitz }.Write(at);
        State.Steering.Key.CopyTo(at.Slice(QueryRssDescriptor.Size, Config.RssKeySize));
        uint[] table = State.Steering.Table(State.Rx);
        Span<byte> entries = at.Slice(QueryRssDescriptor.Size + Config.RssKeySize);
        for (int i = 0; i < Config.RssLutSize; i++) new RssLutEntry { Queue = table[i] }.Write(entries.Slice(i * RssLutEntry.Size));
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>The key and table sizes CONFIGURE_RSS takes: the option's, or upstream's defaults on a DQO device without it; false on GQI without it.</summary>
    private bool RssSizes(out int keySize, out int lutSize)
    {
        (keySize, lutSize) = Config.Rss ? (Config.RssKeySize, Config.RssLutSize) : (GvnicConstants.RssKeySize, GvnicConstants.RssIndirSize);
        return Config.Rss || State.IsDqo;
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
