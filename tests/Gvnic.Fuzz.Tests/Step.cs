using Gvnic.Simulator.Faults;

namespace Gvnic.Fuzz.Tests;

/// <summary>One step: a frame of <paramref name="Length"/> bytes on <paramref name="Queue"/>, or a fault.</summary>
internal sealed record Step(StepKind Kind, int Queue, int Length, DeviceFault? Fault)
{
    public override string ToString() => Kind == StepKind.Fault ? "fault " + Fault : Kind + " q" + Queue + " " + Length + "B";

    /// <summary>For <see cref="StepKind.SendBatch"/>: how many frames (2 … 8, from the length).</summary>
    public int BatchSize => 2 + Length % 7;
}
