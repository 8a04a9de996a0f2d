namespace Gvnic.Simulator;

/// <summary>
/// Where the device model's MSI-X messages go. <see cref="SimulatedInterruptController"/> is the in-process
/// implementation (a driver waits on it); a server for a driver in another process would signal that process instead.
/// </summary>
public interface IMsixSink
{
    /// <summary>Sends the message of <paramref name="vector"/>; false when it was lost (no such vector, or the vector is not enabled).</summary>
    bool Raise(int vector);
}
