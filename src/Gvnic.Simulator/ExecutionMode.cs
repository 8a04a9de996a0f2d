namespace Gvnic.Simulator;

/// <summary>How a simulated device runs the work doorbells hand it.</summary>
public enum ExecutionMode
{
    /// <summary>Work happens inside the MMIO write that rings a doorbell, and frames are delivered as they arrive.</summary>
    Synchronous,
    /// <summary>Data-path work waits until <see cref="SimulatedGvnic.Step"/> or <see cref="SimulatedGvnic.RunPending"/> (admin commands still run on their doorbell).</summary>
    Manual,
}
