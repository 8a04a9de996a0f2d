using System;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// Reports the steps of bring-up and teardown to <see cref="NicOptions.Progress"/>: a step is a scope around a piece of
/// work (<see cref="Step{T}"/>): when the work returns, the step is reported done with the detail its result gives;
/// when it throws, the step is reported failed with the error's message and the error goes on. A step's time is what
/// passed since the previous report (or since the phase began).
/// </summary>
/// <remarks>
/// During bring-up an exception from the callback propagates (it fails <see cref="Nic.Open"/>); during teardown it is
/// ignored, so teardown always completes (the device could otherwise keep DMA memory).
/// </remarks>
internal sealed class ProgressReporter(Action<NicBringUpStep>? callback, TimeProvider time)
{
    private NicPhase _phase = NicPhase.BringUp;
    private long _last;

    /// <summary>Starts a phase: the next step's time runs from now.</summary>
    public void Begin(NicPhase phase)
    {
        _phase = phase;
        _last = time.GetTimestamp();
    }

    /// <summary>
    /// Runs <paramref name="work"/> as step <paramref name="name"/>; <paramref name="detail"/> describes its result, and
    /// <paramref name="failed"/> (when given) says whether that result is a failure (a wait that never ended, say).
    /// </summary>
    public T Step<T>(string name, Func<T> work, Func<T, string> detail, Func<T, bool>? failed = null)
    {
        T result;
        try
        {
            result = work();
        }
        catch (Exception e)
        {
            Report(name, e.Message, failed: true);
            throw;
        }
        Report(name, detail(result), failed: failed?.Invoke(result) ?? false);
        return result;
    }

    /// <summary>Runs <paramref name="work"/> as step <paramref name="name"/>; <paramref name="detail"/> describes what it did.</summary>
    public void Step(string name, Action work, Func<string> detail)
    {
        try
        {
            work();
        }
        catch (Exception e)
        {
            Report(name, e.Message, failed: true);
            throw;
        }
        Report(name, detail(), failed: false);
    }

    /// <summary>Reports a step whose work was done elsewhere (commands sent in one batch, a wait that did or did not end).</summary>
    public void Report(string name, string detail, bool failed)
    {
        long now = time.GetTimestamp();
        TimeSpan elapsed = time.GetElapsedTime(_last, now);
        _last = now;
        if (callback is not { } progress) return;
        var step = new NicBringUpStep(_phase, name, detail, elapsed, failed);
        if (_phase == NicPhase.BringUp)
        {
            progress(step);
            return;
        }
        try
        {
            progress(step);
        }
        catch (Exception)
        {
            // Documented: a failing progress callback must not stop teardown (the device could keep DMA memory).
        }
    }
}
