using System;
using System.Linq;
using Gvnic.Cli.Scenario;
using Gvnic.Driver;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary><c>gvnic demo</c>'s RX results table (checksum verdicts, packet types, RSS hashes) and <c>--timestamps</c>.</summary>
public class DemoRxResultsTests
{
    /// <summary>The queue-0 row of the RX results table, split on runs of two or more spaces.</summary>
    private static string[] ResultsRow(string output)
    {
        string after = output[output.IndexOf("RX results (what the device said about the frames received)", StringComparison.Ordinal)..];
        string row = after.Split('\n').First(l => l.TrimStart().StartsWith("RX 0 ", StringComparison.Ordinal));
        return row.Trim().Split("  ", StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()).ToArray();
    }

    [Theory]
    [InlineData("dqo-rda", "IPv4/UDP 26, IPv4/ICMP 1, other 1")]
    [InlineData("dqo-qpl", "IPv4/UDP 26, IPv4/ICMP 1, other 1")]
    [InlineData("gqi-qpl", "IPv4/UDP 26, IPv4 1, unknown 1")]
    [InlineData("gqi-rda", "IPv4/UDP 26, IPv4 1, unknown 1")]
    public void TheStatisticsShowWhatTheDeviceSaidAboutTheFramesReceived(string format, string types)
    {
        string o = Cli.Run("demo", "--format", format, "--frames", "25").Ok().Out;
        string[] row = ResultsRow(o);
        // 28 frames in: the DHCP offer, the ARP reply (not IP: nothing to check), the ping reply, 25 UDP echoes; the
        // responder's checksums are all right (GQI: the IPv4 header's for the ICMP reply; DQO: the ICMP checksum too).
        Assert.Equal("RX 0", row[0]);
        Assert.Equal("27", row[1]);
        Assert.Equal("0", row[2]);
        Assert.Equal("1", row[3]);
        // Distinct hashes: the 25 echoes come from 25 source ports (the echo run spreads over 256 flows for RSS), plus the
        // DHCP offer's and the ping reply's; on DQO the ARP reply carries a hash too (an L2 hash), so 27 on GQI and 28 on DQO.
        string distinct = format.StartsWith("dqo", StringComparison.Ordinal) ? "28" : "27";
        Assert.Matches("^" + distinct + " \\(e\\.g\\. 0x[0-9a-f]{8}\\)$", row[4]);
        Assert.Equal(types, row[5]);
        Assert.Equal(6, row.Length); // no timestamp column without --timestamps
        Assert.DoesNotContain("NIC clock:", o);
    }

    [Fact]
    public void WithTimestampsEveryFrameIsStampedAndTheClockShown()
    {
        string o = Cli.Run("demo", "--timestamps", "--frames", "25").Ok().Out;
        string[] row = ResultsRow(o);
        Assert.Equal("28", row[6]);
        Assert.Contains("✓ REPORT_NIC_TIMESTAMP", o.Replace("  ", " ").Replace("  ", " "));
        string clock = o.Split('\n').Single(l => l.StartsWith("NIC clock: last read ", StringComparison.Ordinal)).Trim();
        var m = System.Text.RegularExpressions.Regex.Match(clock, "^NIC clock: last read ([0-9]+) ns; frames stamped from ([0-9]+) to ([0-9]+) ns$");
        Assert.True(m.Success, clock);
        ulong first = ulong.Parse(m.Groups[2].Value), last = ulong.Parse(m.Groups[3].Value);
        Assert.True(first <= last, clock);
        Assert.True(first > 0, clock);
    }

    [Fact]
    public void TimestampsOnAFormatWithoutThemIsABadInputNamingTheOption()
        => Cli.Run("demo", "--timestamps", "--format", "gqi-qpl", "--frames", "1")
            .BadInput("--timestamps: hardware timestamps were requested but the GqiQpl option does not enable NIC timestamps");

    [Fact]
    public void TheTallyCountsABadChecksumAndNamesTheTypes()
    {
        var tally = new RxResultTally();
        tally.Add(new RxInfo(100, RxFlags.Ipv4 | RxFlags.Tcp, 0, 0x1234, 2) { L3Type = RxL3Type.Ipv4, L4Type = RxL4Type.Tcp, L3Checksum = RxChecksum.Good, L4Checksum = RxChecksum.Bad, RssHashType = RssHashType.L4 });
        tally.Add(new RxInfo(100, RxFlags.Ipv6 | RxFlags.Udp, 0, 0x5678, 2) { L3Type = RxL3Type.Ipv6, L4Type = RxL4Type.Udp, L4Checksum = RxChecksum.Good, RssHashType = RssHashType.L4, Timestamp = 900 });
        tally.Add(new RxInfo(60, RxFlags.None, 0, 0, 2) { Timestamp = 1000 });
        var (id, q) = tally.Queues.Single();
        Assert.Equal(2, id);
        Assert.Equal((3L, 1L, 1L, 1L), (q.Frames, q.ChecksumGood, q.ChecksumBad, q.ChecksumUnknown));
        Assert.Equal(2, q.Hashes.Count);
        Assert.Equal((2L, 900UL, 1000UL), (q.Stamped, q.FirstStamp, q.LastStamp));
        Assert.Equal("IPv4/TCP 1, IPv6/UDP 1, unknown 1", RxResultTally.TypesText(q));
    }
}
