namespace Gvnic.Fuzz.Tests;

/// <summary>How a DQO device model completes: a reorder window (0: in order), the share of packets that take the miss path, and the miss scheme.</summary>
internal sealed record DqoBehaviour(int ReorderWindow, double MissRate, bool AltMiss, int Seed)
{
    public static readonly DqoBehaviour InOrder = new(0, 0, false, 1);

    public override string ToString() => ReorderWindow == 0 && MissRate == 0 ? "in-order" : "reorder" + ReorderWindow + " miss" + MissRate + (AltMiss ? " alt" : "") + " seed" + Seed;
}
