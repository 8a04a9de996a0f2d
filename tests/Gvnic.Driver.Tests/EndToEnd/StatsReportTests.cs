using System;
using System.Collections.Generic;
using Gvnic.Simulator;
using Gvnic.Wire;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// REPORT_STATS: the driver writes its real per-queue counters into the report it registered (at bring-up, then whenever
/// <see cref="Nic.Service"/> finds the 20 s interval it gave the device passed), and the device model, reading the report
/// at that interval on its clock, finds exactly what was sent and received, in upstream's layout, with no violation.
/// </summary>
public class StatsReportTests
{
    private static readonly StatNames[] TxNames =
        [StatNames.TxWakeCnt, StatNames.TxStopCnt, StatNames.TxFramesSent, StatNames.TxBytesSent, StatNames.TxLastCompletionProcessed, StatNames.TxTimeoutCnt];

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void TheDeviceReadsTheDriversCounters_TheyMatchWhatWasSentAndReceived(QueueFormat format)
    {
        var clock = new FakeTimeProvider();
        using SimulatedGvnic device = new(new SimulatedDeviceConfig { TimeProvider = clock });
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(format, 2) with { TimeProvider = clock });

        // The first read, an interval after REPORT_STATS, finds the bring-up's write: nothing sent yet.
        clock.Advance(TimeSpan.FromSeconds(20));
        StatsReportRead first = device.StatsReport;
        Assert.Equal(1, first.Reads);
        Assert.Equal(1UL, first.WrittenCount);
        Assert.Equal(2 * 6 + 2 * 2, first.DriverEntries.Count);
        Assert.Equal(0UL, first.DriverEntries[2].Value);

        // Three frames on TX queue 0 and five on TX queue 1, back through the loopback, all received and reclaimed.
        var sent = new[] { 3, 5 };
        var bytes = new long[2];
        int total = 0;
        for (int q = 0; q < 2; q++)
        {
            for (int i = 0; i < sent[q]; i++)
            {
                byte[] frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[60 + 100 * i + q], (ushort)(5000 + i));
                Assert.True(nic.Transmit(frame, q));
                bytes[q] += frame.Length;
                total++;
            }
        }
        var buffer = new byte[nic.MaxFrameSize];
        int received = 0;
        for (int look = 0; look < 100 && received < total; look++)
        {
            for (int q = 0; q < 2; q++)
                while (nic.TryReceive(buffer, out _, out _, q)) received++;
        }
        Assert.Equal(total, received);
        for (int q = 0; q < 2; q++)
        {
            for (int look = 0; look < 100 && nic.TransmitsInFlight(q) > 0; look++) nic.ReclaimTransmitted(q);
            Assert.Equal(0, nic.TransmitsInFlight(q));
        }

        Assert.False(nic.Service()); // the interval has passed since the bring-up's write: the driver writes again
        Assert.False(nic.Service()); // not again before the next interval
        clock.Advance(TimeSpan.FromSeconds(20));
        StatsReportRead read = device.StatsReport;
        Assert.Equal(2, read.Reads);
        Assert.Equal(2UL, read.WrittenCount);
        IReadOnlyList<StatsReportEntry> e = read.DriverEntries;
        Assert.Equal(2 * 6 + 2 * 2, e.Count);
        for (int q = 0; q < 2; q++)
        {
            TxQueueStatistics s = nic.GetTxStatistics(q);
            Assert.Equal(sent[q], s.Packets);
            Assert.Equal(bytes[q], s.BytesCompleted);
            ulong[] expected = [0, 0, (ulong)sent[q], (ulong)bytes[q], (ulong)sent[q], 0];
            for (int i = 0; i < 6; i++)
            {
                Assert.Equal(new StatsReportEntry(TxNames[i], (uint)q, expected[i]), e[q * 6 + i]);
            }
            Assert.Equal(device.TxStatistics(q).Frames, (long)e[q * 6 + 2].Value); // what the device itself sent
            Assert.Equal(device.TxStatistics(q).Bytes, (long)e[q * 6 + 3].Value);
        }
        long frames = 0;
        for (int q = 0; q < 2; q++)
        {
            RxQueueStatistics r = nic.GetRxStatistics(q);
            frames += r.Packets;
            // GQI: sequence numbers 1..7 from 1, one a frame; DQO: the completion-ring index, one completion a frame.
            ulong next = format is QueueFormat.GqiQpl or QueueFormat.GqiRda ? (ulong)(r.Packets % 7 + 1) : (ulong)r.Packets;
            Assert.Equal(new StatsReportEntry(StatNames.RxNextExpectedSequence, (uint)q, next), e[12 + 2 * q]);
            Assert.Equal(new StatsReportEntry(StatNames.RxBuffersPosted, (uint)q, (ulong)r.BuffersPosted), e[13 + 2 * q]);
            Assert.Equal(device.RxStatistics(q).Frames, r.Packets);
        }
        Assert.Equal(total, frames);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void StopsAndWakesAreCounted()
    {
        var clock = new FakeTimeProvider();
        using SimulatedGvnic device = new(new SimulatedDeviceConfig { TimeProvider = clock });
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { TimeProvider = clock });
        device.HoldDqoTxCompletions(true);
        byte[] frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[100]);
        int accepted = 0;
        while (nic.Transmit(frame)) accepted++;
        Assert.False(nic.Transmit(frame));
        Assert.Equal(accepted, device.ReleaseDqoTxCompletions());
        device.HoldDqoTxCompletions(false);
        Assert.Equal(accepted, nic.ReclaimTransmitted());
        Assert.True(nic.Transmit(frame));
        TxQueueStatistics s = nic.GetTxStatistics();
        Assert.Equal(2, s.Full);
        Assert.Equal(1, s.Wakes);

        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(nic.Service());
        clock.Advance(TimeSpan.FromSeconds(20));
        IReadOnlyList<StatsReportEntry> e = device.StatsReport.DriverEntries;
        Assert.Equal(new StatsReportEntry(StatNames.TxWakeCnt, 0, 1), e[0]);
        Assert.Equal(new StatsReportEntry(StatNames.TxStopCnt, 0, 2), e[1]);
        Assert.Equal(new StatsReportEntry(StatNames.TxFramesSent, 0, (ulong)accepted + 1), e[2]);
        Assert.Empty(device.Violations);
    }
}
