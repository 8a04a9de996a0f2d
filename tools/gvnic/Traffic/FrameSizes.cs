using System;
using System.Globalization;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// The frame sizes of <c>--size</c>: one size (<c>60</c>), a range (<c>60-1474</c>: uniformly at random, from a fixed
/// seed), or <c>imix</c> (60, 566 and 1514 bytes, 7:4:1, the simple IMIX without FCS; 1514 is cut to the largest frame
/// the MTU allows). Frames take their sizes in turn from a table built here, so choosing one allocates nothing.
/// </summary>
internal sealed class FrameSizes
{
    /// <summary>The largest frame <c>--size</c> accepts before the NIC is known (MTU 9216 + 14).</summary>
    public const int Largest = 9230;

    private const int RangeTable = 4096;
    private const int ImixLarge = 1514;
    private const int ImixMiddle = 566;

    private FrameSizes(string text, int min, int max, bool imix)
    {
        Text = text;
        Min = min;
        Max = max;
        IsImix = imix;
    }

    /// <summary>What was given (<c>60</c>, <c>60-1474</c>, <c>imix</c>).</summary>
    public string Text { get; }

    /// <summary>The smallest size.</summary>
    public int Min { get; }

    /// <summary>The largest size asked for (for imix: 1514 before it is cut to the MTU).</summary>
    public int Max { get; }

    /// <summary>Whether this is imix.</summary>
    public bool IsImix { get; }

    /// <summary>Parses <c>--size</c>; errors name the option and say what is allowed.</summary>
    public static FrameSizes Parse(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t == "imix") return new FrameSizes("imix", TrafficFrame.MinFrame, ImixLarge, true);
        int dash = t.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            int size = Number(t, text);
            return new FrameSizes(size.ToString(CultureInfo.InvariantCulture), size, size, false);
        }
        int min = Number(t[..dash], text);
        int max = Number(t[(dash + 1)..], text);
        if (min > max) throw new UsageException("--size '" + text + "': the range runs backwards (" + min + " > " + max + "); write MIN-MAX");
        return new FrameSizes(min + "-" + max, min, max, false);
    }

    private static int Number(string part, string text)
    {
        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            throw new UsageException("--size '" + text + "' is not a frame size; write BYTES (e.g. 60), MIN-MAX (e.g. 60-1474) or imix");
        if (value < TrafficFrame.MinFrame || value > Largest)
            throw new UsageException("--size " + value + " is out of range: frames are " + TrafficFrame.MinFrame + " (the smallest Ethernet frame without FCS) to " + Largest + " bytes, and at most what the NIC's MTU allows");
        return value;
    }

    /// <summary>
    /// The sizes for a NIC whose largest frame is <paramref name="maxFrame"/>: a table frames take in turn. An explicit
    /// size above it is an error naming <c>--size</c>; imix's 1514 is cut to it.
    /// </summary>
    public int[] Table(int maxFrame, int mtu)
    {
        if (IsImix)
        {
            int large = Math.Min(ImixLarge, maxFrame);
            int middle = Math.Min(ImixMiddle, maxFrame);
            // 7:4:1, interleaved so that every 12 frames carry the mix.
            return [60, middle, 60, 60, middle, 60, large, 60, middle, 60, 60, middle];
        }
        if (Max > maxFrame)
            throw new UsageException("--size " + Text + ": frames of " + Max + " bytes do not fit: the NIC's MTU is " + mtu + ", so its largest frame is " + maxFrame + " bytes");
        if (Min == Max) return [Min];
        var random = new Random(0x67766e63);
        var table = new int[RangeTable];
        for (int i = 0; i < table.Length; i++) table[i] = random.Next(Min, Max + 1);
        return table;
    }

    /// <summary>How the sizes read in a sentence: <c>60 bytes</c>, <c>60 to 1474 bytes (uniform)</c>, <c>imix (60, 566, 1474 bytes 7:4:1)</c>.</summary>
    public string Describe(int[] table)
    {
        if (IsImix) return "imix (60, " + table[1] + " and " + table[6] + " bytes, 7:4:1)";
        if (Min == Max) return Min + " bytes";
        return Min + " to " + Max + " bytes (uniform)";
    }
}
