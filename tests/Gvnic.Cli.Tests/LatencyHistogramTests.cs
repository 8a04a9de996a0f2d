using System;
using Gvnic.Cli.Traffic;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>The latency histogram of gen, sink and fwd: buckets, percentiles by nearest rank, merging.</summary>
public class LatencyHistogramTests
{
    [Fact]
    public void Small_values_are_exact()
    {
        var h = new LatencyHistogram();
        for (int v = 1; v <= 100; v++) h.Record(v);
        Assert.Equal(100, h.Count);
        Assert.Equal(1, h.Min);
        Assert.Equal(100, h.Max);
        Assert.Equal(50, h.Percentile(50));
        Assert.Equal(99, h.Percentile(99));
        Assert.Equal(100, h.Percentile(99.9)); // rank ceil(99.9) = 100
        Assert.Equal(1, h.Percentile(1));
        Assert.Equal(100, h.Percentile(100));
    }

    [Fact]
    public void A_tail_shows_only_where_its_rank_falls()
    {
        var h = new LatencyHistogram();
        for (int i = 0; i < 999; i++) h.Record(1000);
        h.Record(1_000_000);
        // 1000 falls in [1000, 1007] (2^9 … 2^10 in 64 buckets of 8): a percentile is its bucket's highest value.
        Assert.Equal(1007, h.Percentile(50));
        Assert.Equal(1007, h.Percentile(99));
        Assert.Equal(1007, h.Percentile(99.9)); // rank 999 of 1000
        Assert.Equal(1_000_000, h.Percentile(100)); // capped at the exact maximum
        Assert.Equal(1_000_000, h.Max);
        Assert.Equal(1000, h.Min);

        h.Record(2_000_000);
        // rank ceil(0.999 × 1001) = 1000: the value 1,000,000, whose bucket is [999424, 1007615] (2^19 … 2^20 in 64 buckets).
        Assert.Equal(1_007_615, h.Percentile(99.9));
        Assert.Equal(2_000_000, h.Percentile(100));
    }

    [Fact]
    public void A_percentile_never_exceeds_the_maximum()
    {
        var h = new LatencyHistogram();
        h.Record(1000);
        Assert.Equal(1000, h.Percentile(50));
        Assert.Equal(1000, h.Percentile(99.9));
    }

    [Fact]
    public void Buckets_hold_their_values_within_one_sixty_fourth()
    {
        var random = new Random(7);
        int last = -1;
        for (long v = 0; v < 5000; v++)
        {
            int index = LatencyHistogram.Index(v);
            Assert.True(index >= last, "bucket indexes go up with the value");
            last = index;
            long high = LatencyHistogram.HighestInBucket(index);
            Assert.InRange(high, v, v + Math.Max(0, v / 64));
        }
        for (int i = 0; i < 100_000; i++)
        {
            long v = random.NextInt64(0, long.MaxValue >> random.Next(0, 62));
            long high = LatencyHistogram.HighestInBucket(LatencyHistogram.Index(v));
            Assert.True(high >= v && (decimal)high <= (decimal)v + v / 64, v + " is in a bucket up to " + high);
            if (v > 0) Assert.True(LatencyHistogram.HighestInBucket(LatencyHistogram.Index(v - 1)) <= high);
        }
    }

    [Fact]
    public void Merging_equals_recording_everything_in_one()
    {
        var random = new Random(3);
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var all = new LatencyHistogram();
        for (int i = 0; i < 10_000; i++)
        {
            long v = random.Next(0, 5_000_000);
            (i % 3 == 0 ? a : b).Record(v);
            all.Record(v);
        }
        a.Add(b);
        Assert.Equal(all.Count, a.Count);
        Assert.Equal(all.Min, a.Min);
        Assert.Equal(all.Max, a.Max);
        foreach (double p in new[] { 1, 50, 90, 99, 99.9, 99.99, 100 }) Assert.Equal(all.Percentile(p), a.Percentile(p));

        var empty = new LatencyHistogram();
        empty.Add(new LatencyHistogram());
        Assert.Equal(0, empty.Count);
        empty.Add(a);
        Assert.Equal(a.Min, empty.Min);
    }

    [Fact]
    public void Negative_values_count_as_zero_and_empty_reads_zero()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.Percentile(50));
        h.Record(-5);
        Assert.Equal(0, h.Max);
        Assert.Equal(0, h.Percentile(99));
        Assert.Equal(1, h.Count);
        h.Clear();
        Assert.Equal(0, h.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Percentile(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Percentile(100.5));
    }

    [Fact]
    public void Recording_allocates_nothing()
    {
        var h = new LatencyHistogram();
        for (int i = 0; i < 1000; i++) h.Record(i * 997);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++) h.Record(i * 7919L);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
