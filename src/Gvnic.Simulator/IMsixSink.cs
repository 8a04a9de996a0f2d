namespace Gvnic.Simulator;

/// <summary>
/// Where the device model's MSI-X messages go. <see cref="SimulatedInterruptController"/> is the in-process
/// implementation (a driver waits on it); a device for a driver in another process gets its own through the
/// <see cref="SimulatedGvnic(SimulatedDeviceConfig?, IDeviceMemory?, IMsixSink?)"/> constructor (Gvnic.VfioUser signals
/// the client's eventfds this way). The device calls it with its lock held, from any thread.
/// </summary>
public interface IMsixSink
{
    /// <summary>
    /// Whether <paramref name="vector"/> exists and the driver enabled it. A device asserts an interrupt (and, on DQO, writes
    /// back the completions it holds) only through an enabled vector.
    /// </summary>
    bool IsEnabled(int vector);

    /// <summary>Sends the message of <paramref name="vector"/>; false when it was lost (no such vector, or the vector is not enabled).</summary>
    bool Raise(int vector);
}
