using System;
using System.Threading;

namespace Gvnic.Fuzz.Tests;

/// <summary>
/// A clock that moves 20 ms every time it is read: a driver wait that the device never ends times out after a
/// few polls instead of after real seconds, so a stalled device costs a fuzz case microseconds, not the timeout.
/// <see cref="OnNextRead"/> runs once, at the next read (a moment the reader is inside a driver call).
/// </summary>
internal sealed class SteppingTimeProvider : TimeProvider
{
    private long _now;
    private Action? _onNextRead;

    public override long TimestampFrequency => 1000;

    /// <summary>Runs once at the next read (then is cleared), on the reading thread.</summary>
    public Action? OnNextRead
    {
        set => Volatile.Write(ref _onNextRead, value);
    }

    /// <summary>Moves the clock on by <paramref name="milliseconds"/> (time passing between calls).</summary>
    public void Advance(long milliseconds) => Interlocked.Add(ref _now, milliseconds);

    public override long GetTimestamp()
    {
        Interlocked.Exchange(ref _onNextRead, null)?.Invoke();
        return Interlocked.Add(ref _now, 20);
    }
}
