using System;
using System.Threading;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// A clock that moves 20 ms every time it is read: a wait the device never ends times out after a few polls, and the
/// total a bring-up waited can be read off the clock (<see cref="Now"/>).
/// </summary>
internal sealed class SteppingClock : TimeProvider
{
    private long _ms;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Interlocked.Add(ref _ms, 20);

    /// <summary>Milliseconds the clock has moved.</summary>
    public long Now => Interlocked.Read(ref _ms);
}
