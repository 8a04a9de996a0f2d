using Gvnic.Simulator.Faults;

namespace Gvnic.Fuzz.Tests;

/// <summary>One step: a frame of <paramref name="Length"/> bytes on <paramref name="Queue"/>, or a fault.</summary>
internal sealed record Step(StepKind Kind, int Queue, int Length, DeviceFault? Fault)
{
    public override string ToString() => Kind == StepKind.Fault ? "fault " + Fault : Kind + " q" + Queue + " " + Length + "B";

    /// <summary>For <see cref="StepKind.SendBatch"/>: how many frames (2 … 8, from the length).</summary>
    public int BatchSize => 2 + Length % 7;

    /// <summary>For <see cref="StepKind.Contend"/>: whether an RX queue is contended (else a TX queue), from the length.</summary>
    public bool ContendsRx => (Length & 1) != 0;

    /// <summary>For <see cref="StepKind.Contend"/>: whether the second call comes from another thread (else from inside the first, on its thread).</summary>
    public bool FromAnotherThread => (Length & 2) != 0;

    /// <summary>For <see cref="StepKind.Contend"/>: which call the second one is (0 … 3), from the length.</summary>
    public int ContendingCall => (Length >> 2) & 3;
}
