using System;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Wire;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// REPORT_STATS: the device reads the driver's part of the report at the interval the command gave, in upstream's layout
/// (Linux gve_handle_report_stats: 6 entries per TX queue, then 2 per RX queue), and checks it against what it did.
/// </summary>
public sealed class StatsReportReadTests
{
    private static readonly StatNames[] Tx = [StatNames.TxWakeCnt, StatNames.TxStopCnt, StatNames.TxFramesSent, StatNames.TxBytesSent, StatNames.TxLastCompletionProcessed, StatNames.TxTimeoutCnt];

    private sealed record Rig(FakeTimeProvider Clock, SimulatedGvnic Dev, RawDriver Drv, RawTxQueue TxQueue, RawRxQueue RxQueue, DmaRegion Report);

    private static Rig Up(ulong intervalMs = 1000)
    {
        var clock = new FakeTimeProvider();
        var dev = new SimulatedGvnic(new SimulatedDeviceConfig { TimeProvider = clock });
        dev.AttachWire(VirtualWire.Loopback());
        var drv = new RawDriver(dev);
        var (tx, rx) = drv.BringUpGqiRda();
        DmaRegion report = drv.Dma.Allocate(4096);
        RawDriver.Check(drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.ReportStats;
            c.ReportStats.StatsReportLen = 4096;
            c.ReportStats.StatsReportAddr = report.DeviceAddress;
            c.ReportStats.Interval = intervalMs;
        }));
        return new Rig(clock, dev, drv, tx, rx, report);
    }

    /// <summary>Writes the driver's part as upstream lays it out: TX queue 0's six entries, then RX queue 0's two.</summary>
    private static void Write(DmaRegion report, ulong written, ulong framesSent, ulong bytesSent, ulong lastCompletion, ulong seqno, ulong posted, StatNames first = StatNames.TxWakeCnt)
    {
        ulong[] tx = [0, 0, framesSent, bytesSent, lastCompletion, 0];
        for (int i = 0; i < 6; i++)
            Stats.AsRef(report.Span.Slice(StatsReport.Size + i * Stats.Size)) = new Stats { StatName = i == 0 ? first : Tx[i], QueueId = 0, Value = tx[i] };
        Stats.AsRef(report.Span.Slice(StatsReport.Size + 6 * Stats.Size)) = new Stats { StatName = StatNames.RxNextExpectedSequence, QueueId = 0, Value = seqno };
        Stats.AsRef(report.Span.Slice(StatsReport.Size + 7 * Stats.Size)) = new Stats { StatName = StatNames.RxBuffersPosted, QueueId = 0, Value = posted };
        StatsReport.AsRef(report.Span).WrittenCount = written;
    }

    [Fact]
    public void TheDeviceReadsTheReport_AtTheInterval()
    {
        Rig r = Up();
        r.Drv.PostGqiRx(r.RxQueue, 64);
        for (int i = 0; i < 3; i++) r.Drv.SendGqi(r.TxQueue, Frames.Udp4(100));
        Write(r.Report, 1, 3, (ulong)(3 * Frames.Udp4(100).Length), 3, 4, 64);
        r.Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, r.Dev.StatsReport.Reads);
        r.Clock.Advance(TimeSpan.FromMilliseconds(1));
        StatsReportRead read = r.Dev.StatsReport;
        Assert.Equal(1, read.Reads);
        Assert.Equal(1UL, read.WrittenCount);
        Assert.Equal(8, read.DriverEntries.Count);
        Assert.Equal([.. Tx, StatNames.RxNextExpectedSequence, StatNames.RxBuffersPosted], read.DriverEntries.Select(e => e.Name));
        Assert.Equal(3UL, read.DriverEntries[2].Value);
        r.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(3, r.Dev.StatsReport.Reads);
        Assert.Empty(r.Dev.Violations);
    }

    /// <summary>
    /// The device's own entries (after the driver's) follow its counters: rewritten when a counter they report changes,
    /// and at the first arrival after each read of the report, so they are the device's again even if something wrote
    /// over them; between those, an arrival that changes nothing leaves the bytes alone.
    /// </summary>
    [Fact]
    public void TheDevicesEntries_FollowItsCounters_AndAreRestoredAfterEachRead()
    {
        Rig r = Up();
        int noBuffers = StatsReport.Size + (6 + 2 + 1) * Stats.Size; // RX_NO_BUFFERS_POSTED of RX queue 0
        Stats Entry() => Stats.Read(r.Report.Span.Slice(noBuffers));
        Assert.Equal(RxOutcome.DroppedNoBuffers, r.Dev.InjectFrame(Frames.Udp4(100), 0).Outcome); // no buffers posted
        Assert.Equal(StatNames.RxNoBuffersPosted, Entry().StatName);
        Assert.Equal(1UL, Entry().Value);

        Stats.AsRef(r.Report.Span.Slice(noBuffers)).Value = 77; // written over
        r.Drv.PostGqiRx(r.RxQueue, 64);
        Assert.Equal(RxOutcome.Delivered, r.Dev.InjectFrame(Frames.Udp4(100), 0).Outcome);
        Assert.Equal(77UL, Entry().Value); // nothing the entries report changed

        r.Clock.Advance(TimeSpan.FromSeconds(1)); // the device reads the report
        Assert.Equal(1, r.Dev.StatsReport.Reads);
        Assert.Equal(77UL, Entry().Value); // the read itself writes nothing
        Assert.Equal(RxOutcome.Delivered, r.Dev.InjectFrame(Frames.Udp4(100), 0).Outcome);
        Assert.Equal(1UL, Entry().Value); // the next arrival rewrites them

        Stats.AsRef(r.Report.Span.Slice(noBuffers)).Value = 77;
        r.Dev.InjectFrame(new byte[2000], 0); // over the MTU: RX_DROPS_PACKET_OVER_MRU changes, and the entries are rewritten
        Assert.Equal(1UL, Entry().Value);
        Assert.Equal(1UL, Stats.Read(r.Report.Span.Slice(noBuffers + Stats.Size)).Value);
        Assert.Equal(2UL, Stats.Read(r.Report.Span.Slice(noBuffers - Stats.Size)).Value); // RX_QUEUE_DROP_CNT: both drops
    }

    [Fact]
    public void AReportNotWrittenYet_IsNotChecked()
    {
        Rig r = Up();
        r.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(5, r.Dev.StatsReport.Reads);
        Assert.Equal(0UL, r.Dev.StatsReport.WrittenCount);
        Assert.Empty(r.Dev.Violations);
    }

    [Fact]
    public void ALayoutOtherThanUpstreams_IsAViolation()
    {
        Rig r = Up();
        Write(r.Report, 1, 0, 0, 0, 1, 0, first: StatNames.TxFramesSent);
        r.Clock.Advance(TimeSpan.FromSeconds(1));
        ProtocolViolation v = Assert.Single(r.Dev.Violations);
        Assert.Equal(ViolationKind.StatsReport, v.Kind);
        Assert.Contains("entry 0 is TxFramesSent", v.Detail);
    }

    [Fact]
    public void ClaimingMoreThanTheDeviceDid_IsAViolation()
    {
        Rig r = Up();
        r.Drv.SendGqi(r.TxQueue, Frames.Udp4(100));
        Write(r.Report, 1, 300, 0, 2, 9, 300); // 300 frames handed over, 2 completed (the device did 1), sequence 9, 300 buffers (ring 256, none posted)
        r.Clock.Advance(TimeSpan.FromSeconds(1));
        string[] details = r.Dev.Violations.Select(v => v.Detail).ToArray();
        Assert.Equal(4, details.Length);
        Assert.Contains(details, d => d.Contains("TxFramesSent of queue 0 is 300, but the device completed 1 packets on it and the ring holds 256 more at most"));
        Assert.Contains(details, d => d.Contains("TxLastCompletionProcessed of queue 0 is 2, but the device completed only 1"));
        Assert.Contains(details, d => d.Contains("RxNextExpectedSequence of queue 0 is 9, not a GQI sequence number"));
        Assert.Contains(details, d => d.Contains("RxBuffersPosted of queue 0 is 300"));
    }

    [Fact]
    public void CountersGoingBack_IsAViolation()
    {
        Rig r = Up();
        r.Drv.SendGqi(r.TxQueue, Frames.Udp4(100));
        r.Drv.SendGqi(r.TxQueue, Frames.Udp4(100));
        Write(r.Report, 1, 2, 0, 2, 1, 0);
        r.Clock.Advance(TimeSpan.FromSeconds(1));
        Write(r.Report, 2, 1, 0, 2, 1, 0);
        r.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("TxFramesSent of queue 0 went back from 2 to 1", Assert.Single(r.Dev.Violations).Detail);
        Write(r.Report, 1, 2, 0, 2, 1, 0); // frames back at 2 (no violation), written_count back at 1
        r.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("written_count went back from 2 to 1", r.Dev.Violations[1].Detail);
    }

    [Fact]
    public void IntervalZero_OrTheIdealDevice_NeverReads()
    {
        Rig r = Up(intervalMs: 0);
        r.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, r.Dev.StatsReport.Reads);
        var clock = new FakeTimeProvider();
        using var ideal = new SimulatedGvnic(SimulatedDeviceConfig.Ideal with { TimeProvider = clock });
        var drv = new RawDriver(ideal);
        drv.BringUpGqiRda();
        DmaRegion report = drv.Dma.Allocate(4096);
        RawDriver.Check(drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.ReportStats;
            c.ReportStats.StatsReportLen = 4096;
            c.ReportStats.StatsReportAddr = report.DeviceAddress;
            c.ReportStats.Interval = 1000;
        }));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, ideal.StatsReport.Reads);
    }

    [Fact]
    public void FreeingTheReportWhileTheDeviceReadsIt_IsCaught()
    {
        Rig r = Up();
        r.Drv.Dma.Free(r.Report);
        r.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ViolationKind.DmaToFreedRegion, Assert.Single(r.Dev.Violations).Kind);
    }
}
