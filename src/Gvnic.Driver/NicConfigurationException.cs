namespace Gvnic.Driver;

/// <summary>
/// The requested configuration is invalid, or it and the device do not fit (not a gVNIC, no usable queue format,
/// ring sizes, queue counts, MTU, vectors). <see cref="Option"/> names the <see cref="NicOptions"/> property at fault.
/// </summary>
/// <remarks>
/// Checks that need no device description (a ring size that is not a power of two, zero queues, a format the
/// driver does not implement, too few MSI-X vectors, …) run before <see cref="Nic.Open"/> touches the device.
/// </remarks>
public sealed class NicConfigurationException : GvnicException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, with the values involved.</param>
    /// <param name="option">The <see cref="NicOptions"/> property at fault (<c>nameof(NicOptions.TxQueues)</c>), or null when no option is (not a gVNIC, nothing usable offered).</param>
    public NicConfigurationException(string message, string? option = null) : base(message)
    {
        Option = option;
    }

    /// <summary>
    /// The name of the <see cref="NicOptions"/> property whose value the device or the driver cannot meet
    /// (<c>"QueueFormat"</c>, <c>"TxQueues"</c>, <c>"RxQueues"</c>, <c>"TxRingSize"</c>, <c>"RxRingSize"</c>, <c>"Mtu"</c>,
    /// <c>"WaitMode"</c>, <c>"AdminTimeout"</c>, <c>"TxTimeout"</c>, <c>"RxTimeout"</c>, <c>"TimeProvider"</c>, <c>"RdaTxBufferBytes"</c>, <c>"RxBufferSize"</c>, <c>"HeaderSplit"</c>, <c>"DriverVersion"</c>),
    /// or null when the problem is the device itself.
    /// </summary>
    /// <remarks>When several options together exceed a device limit (page lists for all queues), the queue count is named.</remarks>
    public string? Option { get; }
}
