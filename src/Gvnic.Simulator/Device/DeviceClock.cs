using System;
using System.Collections.Generic;
using System.Threading;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The device's sense of time: the configured <see cref="TimeProvider"/>, and the timed work waiting on it (a deferred
/// interrupt, the next stats-report read, a delayed reset). Work runs, under the device lock, when <see cref="RunDue()"/>
/// is called at a well-defined point (a register or doorbell access, a frame arrival, a manual step, an explicit run),
/// and, when timers are on, from a timer the clock arms through the <see cref="TimeProvider"/> for its earliest piece of
/// work (a fake provider fires it when the test advances the clock). Times are the provider's timestamps.
/// </summary>
internal sealed class DeviceClock : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly long _origin;
    private readonly Action? _onTimer;
    private readonly List<TimedWork> _work = new();
    private ITimer? _timer;
    private long _timerDue = long.MaxValue;
    private long _nextDue = long.MaxValue;
    private bool _running;
    private bool _disposed;
    private readonly bool _system;
    // With the system clock: Environment.TickCount64 (a coarse clock, far cheaper to read than a timestamp) below which
    // nothing can be due, so RunDue need not read the clock; long.MinValue when unknown.
    private long _coarseQuietUntil = long.MinValue;

    /// <summary>How far the coarse clock may lag the timestamps (a kernel tick is at most 10 ms), with room to spare.</summary>
    private const long CoarseMarginMs = 20;

    /// <summary>One piece of timed work; <see cref="Cancelled"/> work is dropped when its time comes.</summary>
    public sealed class TimedWork(long due, Action action)
    {
        public long Due { get; } = due;

        public Action Action { get; } = action;

        public bool Cancelled { get; set; }
    }

    /// <summary>
    /// A clock over <paramref name="time"/>; with <paramref name="onTimer"/> (which must take the device lock and call
    /// <see cref="RunDue()"/>) it arms a timer for its earliest work, without it work waits for the next <see cref="RunDue()"/>.
    /// </summary>
    public DeviceClock(TimeProvider time, Action? onTimer)
    {
        _time = time;
        _frequency = time.TimestampFrequency;
        _onTimer = onTimer;
        _origin = time.GetTimestamp();
        _system = ReferenceEquals(time, TimeProvider.System);
    }

    /// <summary>Now, as a timestamp of the provider.</summary>
    public long Now => _time.GetTimestamp();

    /// <summary>The NIC clock now, in nanoseconds: <paramref name="start"/> plus the time since the clock was made (wrapping at 2⁶⁴).</summary>
    public ulong NicNanoseconds(ulong start) => unchecked(start + (ulong)(long)((Int128)(Now - _origin) * 1_000_000_000 / _frequency));

    /// <summary><paramref name="span"/> in timestamp units (rounded up; integer arithmetic, so the clock's own units come out exact).</summary>
    public long Duration(TimeSpan span) => Scale(span.Ticks, _frequency, TimeSpan.TicksPerSecond);

    /// <summary>The timestamp <paramref name="span"/> after <paramref name="from"/> (at least one unit later).</summary>
    public long After(long from, TimeSpan span) => from + Math.Max(1, Duration(span));

    /// <summary>The timestamp <paramref name="microseconds"/> after <paramref name="from"/> (at least one unit later).</summary>
    public long AfterMicroseconds(long from, long microseconds) => from + Math.Max(1, Scale(microseconds, _frequency, 1_000_000));

    /// <summary><paramref name="value"/> × <paramref name="multiply"/> / <paramref name="divide"/>, rounded up, saturating.</summary>
    private static long Scale(long value, long multiply, long divide)
    {
        Int128 r = ((Int128)value * multiply + divide - 1) / divide;
        return r > long.MaxValue / 2 ? long.MaxValue / 2 : (long)r;
    }

    /// <summary>The time from now until timestamp <paramref name="due"/>, at least <paramref name="minimum"/>.</summary>
    private TimeSpan Until(long due, TimeSpan minimum)
    {
        long ticks = Scale(Math.Max(due - Now, 0), TimeSpan.TicksPerSecond, _frequency);
        return TimeSpan.FromTicks(Math.Max(minimum.Ticks, ticks));
    }

    /// <summary>Whether work is waiting at all.</summary>
    public bool HasWork => _work.Count > 0;

    /// <summary>Schedules <paramref name="action"/> at timestamp <paramref name="due"/> (under the device lock).</summary>
    public TimedWork Schedule(long due, Action action)
    {
        var w = new TimedWork(due, action);
        int at = _work.Count;
        while (at > 0 && _work[at - 1].Due > due) at--;
        _work.Insert(at, w);
        if (due < _nextDue)
        {
            _nextDue = due;
            _coarseQuietUntil = long.MinValue;
        }
        Arm();
        return w;
    }

    /// <summary>Drops <paramref name="work"/> (it will not run).</summary>
    public static void Cancel(TimedWork? work)
    {
        if (work is not null) work.Cancelled = true;
    }

    /// <summary>Runs every piece of work that is due, oldest first (under the device lock); returns how many ran.</summary>
    /// <remarks>
    /// With the system clock, when the earliest work is due more than <see cref="CoarseMarginMs"/> from the last look, the
    /// clock is not read until the coarse clock (<see cref="Environment.TickCount64"/>) comes that close: a device model
    /// stepping millions of frames would otherwise spend a good part of its time reading timestamps for work due seconds
    /// later (the stats-report reads).
    /// </remarks>
    public int RunDue()
    {
        if (_work.Count == 0 || _running) return 0;
        if (_system && Environment.TickCount64 < _coarseQuietUntil) return 0;
        return RunDue(Now);
    }

    /// <summary><see cref="RunDue()"/> at <paramref name="now"/>, a time the caller has just read (no second read of the clock).</summary>
    public int RunDue(long now)
    {
        if (_work.Count == 0 || _running) return 0;
        if (now < _nextDue)
        {
            if (_system) _coarseQuietUntil = QuietUntil(now);
            return 0;
        }
        _running = true;
        int ran = 0;
        try
        {
            while (_work.Count > 0 && _work[0].Due <= now)
            {
                TimedWork w = _work[0];
                _work.RemoveAt(0);
                if (w.Cancelled) continue;
                w.Action();
                ran++;
            }
        }
        finally
        {
            _running = false;
            _nextDue = _work.Count > 0 ? _work[0].Due : long.MaxValue;
            _coarseQuietUntil = long.MinValue;
        }
        Arm();
        return ran;
    }

    /// <summary>The coarse-clock reading below which nothing is due, seen from timestamp <paramref name="now"/> (long.MinValue when work is due within the margin).</summary>
    private long QuietUntil(long now)
    {
        long ms = (_nextDue - now) / Math.Max(1, _frequency / 1000);
        return ms <= CoarseMarginMs ? long.MinValue : Environment.TickCount64 + ms - CoarseMarginMs;
    }

    /// <summary>Forgets all waiting work that <paramref name="keep"/> does not keep.</summary>
    public void Clear(Func<TimedWork, bool> keep)
    {
        _work.RemoveAll(w => w.Cancelled || !keep(w));
        _nextDue = _work.Count > 0 ? _work[0].Due : long.MaxValue;
        _coarseQuietUntil = long.MinValue;
    }

    /// <summary>The timer went off (under the device lock): runs what is due and arms the timer again for what waits.</summary>
    public void TimerFired()
    {
        _timerDue = long.MaxValue;
        RunDue();
        if (_timerDue == long.MaxValue) Rearm();
    }

    /// <summary>Arms the timer for the earliest work, when timers are on and the timer is not already set early enough.</summary>
    private void Arm()
    {
        if (_onTimer is null || _disposed || _nextDue == long.MaxValue || _nextDue >= _timerDue) return;
        // Never a zero due time: a fake provider would call back at once, inside the device lock.
        TimeSpan delay = Until(_nextDue, TimeSpan.FromTicks(1));
        _timerDue = _nextDue;
        if (_timer is null)
        {
            Action callback = _onTimer;
            _timer = _time.CreateTimer(_ => callback(), null, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>After a timer callback found nothing due yet (a provider whose timers run ahead of its clock): re-arms, at least a millisecond later.</summary>
    private void Rearm()
    {
        if (_onTimer is null || _disposed || _nextDue == long.MaxValue || _timer is null) return;
        TimeSpan delay = Until(_nextDue, TimeSpan.FromMilliseconds(1));
        _timerDue = _nextDue;
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _disposed = true;
        _timer?.Dispose();
        _timer = null;
        _work.Clear();
        _nextDue = long.MaxValue;
    }
}
