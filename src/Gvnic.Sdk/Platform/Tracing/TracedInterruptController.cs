using System;

namespace Gvnic.Platform.Tracing;

/// <summary>MSI-X that records enabling and disabling, and (in <see cref="TraceDataMode.All"/>) every wait and poll.</summary>
internal sealed class TracedInterruptController(IInterruptController inner, PciTraceRecorder recorder) : IInterruptController
{
    public int VectorCount => inner.VectorCount;

    public void Enable(int count)
    {
        recorder.InterruptsEnabled(count);
        inner.Enable(count);
    }

    public void Disable()
    {
        recorder.InterruptsDisabled();
        inner.Disable();
    }

    public bool TryConsume(int vector)
    {
        bool fired = inner.TryConsume(vector);
        recorder.InterruptPolled(vector, fired);
        return fired;
    }

    public bool Wait(int vector, TimeSpan timeout)
    {
        bool fired = inner.Wait(vector, timeout);
        recorder.InterruptWaited(vector, timeout, fired);
        return fired;
    }
}
