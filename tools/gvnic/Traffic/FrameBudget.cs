using System.Threading;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// The frames the workers of a command may still receive or forward (<c>--frames</c> for sink and fwd), shared: each
/// burst claims what it may take and gives back what it did not, so together the workers stop at exactly the count.
/// </summary>
internal sealed class FrameBudget
{
    private long _remaining;

    /// <summary>A budget of <paramref name="frames"/>; null for none (unlimited).</summary>
    public FrameBudget(long? frames)
    {
        Limited = frames is not null;
        _remaining = frames ?? long.MaxValue;
    }

    /// <summary>Whether there is a limit.</summary>
    public bool Limited { get; }

    /// <summary>Frames still allowed.</summary>
    public long Remaining => Interlocked.Read(ref _remaining);

    /// <summary>Claims up to <paramref name="want"/> frames; returns how many were granted.</summary>
    public int Claim(int want)
    {
        if (!Limited) return want;
        long after = Interlocked.Add(ref _remaining, -want);
        if (after >= 0) return want;
        long over = -after;
        if (over > want) over = want;
        Interlocked.Add(ref _remaining, over);
        return (int)(want - over);
    }

    /// <summary>Gives back <paramref name="frames"/> claimed and not used.</summary>
    public void Return(int frames)
    {
        if (Limited && frames > 0) Interlocked.Add(ref _remaining, frames);
    }
}
