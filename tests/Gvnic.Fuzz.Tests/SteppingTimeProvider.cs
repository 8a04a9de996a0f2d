using System;
using System.Threading;

namespace Gvnic.Fuzz.Tests;

/// <summary>
/// A clock that moves 20 ms every time it is read: a driver wait that the device never ends times out after a
/// few polls instead of after real seconds, so a stalled device costs a fuzz case microseconds, not the timeout.
/// </summary>
internal sealed class SteppingTimeProvider : TimeProvider
{
    private long _now;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Interlocked.Add(ref _now, 20);
}
