using System;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// A log-linear latency histogram in the style of HdrHistogram: fixed buckets, allocated once, so recording allocates
/// nothing and costs a few instructions. Values are nanoseconds (0 … 2^62).
/// </summary>
/// <remarks>
/// Values below <see cref="ExactBelow"/> (128 ns) have a bucket each. Above, every power of two [2^m, 2^(m+1)) is cut
/// into <see cref="SubBuckets"/> (64) equal buckets, so a bucket is at most 1/64 of its values wide: a percentile is
/// reported as the highest value of its bucket (never below the true value, at most 1.6 % above it), capped at the
/// exact maximum. <see cref="Min"/> and <see cref="Max"/> are exact. Percentiles follow the nearest-rank rule: the
/// p-th percentile of n values is the smallest recorded value v such that at least ceil(p/100 × n) values are ≤ v.
/// </remarks>
internal sealed class LatencyHistogram
{
    /// <summary>Values below this have a bucket of their own.</summary>
    public const long ExactBelow = 128;

    /// <summary>Buckets per power of two above <see cref="ExactBelow"/>.</summary>
    public const int SubBuckets = 64;

    private const int ExactBits = 7;   // 2^7 = ExactBelow
    private const int SubBits = 6;     // 2^6 = SubBuckets
    private const int MaxExponent = 62;
    private const int BucketCount = (int)ExactBelow + (MaxExponent - ExactBits + 1) * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>The smallest value recorded (0 when none).</summary>
    public long Min { get; private set; }

    /// <summary>The largest value recorded (0 when none).</summary>
    public long Max { get; private set; }

    /// <summary>Records one value; negative values count as 0 (a clock read on another core may be a little behind).</summary>
    public void Record(long nanoseconds)
    {
        long v = nanoseconds < 0 ? 0 : nanoseconds;
        _counts[Index(v)]++;
        if (Count == 0 || v < Min) Min = v;
        if (v > Max) Max = v;
        Count++;
    }

    /// <summary>Adds every value of <paramref name="other"/> (to merge the histograms of several queues).</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0) return;
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        if (Count == 0 || other.Min < Min) Min = other.Min;
        if (other.Max > Max) Max = other.Max;
        Count += other.Count;
    }

    /// <summary>Forgets every value.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
        Min = 0;
        Max = 0;
    }

    /// <summary>
    /// The <paramref name="percentile"/>-th percentile (0 &lt; p ≤ 100) by nearest rank, as the highest value of its
    /// bucket capped at <see cref="Max"/>; 0 when nothing was recorded.
    /// </summary>
    public long Percentile(double percentile)
    {
        if (!(percentile > 0 && percentile <= 100)) throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "a percentile is above 0 and at most 100");
        if (Count == 0) return 0;
        long rank = (long)Math.Ceiling((decimal)percentile * Count / 100); // decimal: 99.9 % of 1000 is 999, not 999.0000000000001
        if (rank < 1) rank = 1;
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(HighestInBucket(i), Max);
        }
        return Max;
    }

    /// <summary>The bucket of <paramref name="value"/> (≥ 0).</summary>
    internal static int Index(long value)
    {
        if (value < ExactBelow) return (int)value;
        int exponent = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value); // ≥ ExactBits
        if (exponent > MaxExponent) exponent = MaxExponent;
        int shift = exponent - SubBits;
        int sub = (int)((value >> shift) - SubBuckets); // 0 … SubBuckets-1
        if (sub >= SubBuckets) sub = SubBuckets - 1;
        return (int)ExactBelow + (exponent - ExactBits) * SubBuckets + sub;
    }

    /// <summary>The largest value that falls in bucket <paramref name="index"/>.</summary>
    internal static long HighestInBucket(int index)
    {
        if (index < ExactBelow) return index;
        int rest = index - (int)ExactBelow;
        int exponent = rest / SubBuckets + ExactBits;
        int sub = rest % SubBuckets;
        int shift = exponent - SubBits;
        long low = (long)(SubBuckets + sub) << shift;
        return low + (1L << shift) - 1;
    }
}
