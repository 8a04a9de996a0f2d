using System;
using Gvnic.Admin;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>The base of every error the driver raises about the device or its configuration.</summary>
public class GvnicException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GvnicException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>An admin command completed with a status other than PASSED.</summary>
/// <remarks>Message: <c>CREATE_RX_QUEUE (0x6) for queue 3 failed: INVALID_ARGUMENT (0xFFFFFFF7)</c>.</remarks>
public sealed class AdminCommandException : GvnicException
{
    /// <summary>Creates the exception.</summary>
    public AdminCommandException(AdminqOpcodes opcode, AdminqStatuses status, uint? queueId)
        : base(AdminNames.Describe(opcode) + (queueId is uint q ? (opcode is AdminqOpcodes.RegisterPageList or AdminqOpcodes.UnregisterPageList ? " for page list " : " for queue ") + q : "")
               + " failed: " + AdminNames.Describe(status)
               + (status == AdminqStatuses.CommandUnset ? " (the device completed the command without writing a status)" : ""))
    {
        Opcode = opcode;
        Status = status;
        QueueId = queueId;
    }

    /// <summary>The command that failed.</summary>
    public AdminqOpcodes Opcode { get; }

    /// <summary>The status the device wrote.</summary>
    public AdminqStatuses Status { get; }

    /// <summary>The queue (or page-list) id the command named, if it names one.</summary>
    public uint? QueueId { get; }
}

/// <summary>The device did not finish an admin command (or a release) in time.</summary>
/// <remarks>Message: <c>DESCRIBE_DEVICE (0x1) got no answer in 2 s (event counter 4, expected 5)</c>.</remarks>
public sealed class DeviceTimeoutException : GvnicException
{
    /// <summary>Creates the exception.</summary>
    public DeviceTimeoutException(string what, TimeSpan waited, uint eventCounter, uint expected)
        : base(what + " got no answer in " + Seconds(waited) + " (event counter " + eventCounter + ", expected " + expected + ")")
    {
        Command = what;
        Waited = waited;
        EventCounter = eventCounter;
        Expected = expected;
    }

    /// <summary>The command (or step) that timed out.</summary>
    public string Command { get; }

    /// <summary>How long the driver waited.</summary>
    public TimeSpan Waited { get; }

    /// <summary>The device's event counter when the driver gave up.</summary>
    public uint EventCounter { get; }

    /// <summary>The count the driver waited for.</summary>
    public uint Expected { get; }

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 1 ? t.TotalSeconds.ToString("0.###") + " s" : t.TotalMilliseconds.ToString("0.#") + " ms";
}

/// <summary>The device reset itself (dropped the admin queue) while the driver was waiting on it.</summary>
public sealed class DeviceResetException : GvnicException
{
    /// <summary>Creates the exception.</summary>
    public DeviceResetException(string message) : base(message) { }
}

/// <summary>
/// The device supplied a value the driver cannot accept: a doorbell or counter index outside its array,
/// an event counter ahead of what was posted, a bad RX length or sequence number, a malformed descriptor.
/// </summary>
/// <remarks>Message: <c>RX queue 0: descriptor 17 has len 4000, more than the 2048-byte buffer</c>.</remarks>
public sealed class DeviceFaultException : GvnicException
{
    /// <summary>Creates the exception.</summary>
    public DeviceFaultException(string queue, string field, long index, ulong value, string detail)
        : base(queue + ": " + field + (index >= 0 ? " at index " + index : "") + " = " + value + " (0x" + value.ToString("X") + "): " + detail)
    {
        Queue = queue;
        Field = field;
        Index = index;
        Value = value;
    }

    /// <summary>Which queue or structure (<c>TX queue 2</c>, <c>admin queue</c>, <c>device descriptor</c>).</summary>
    public string Queue { get; }

    /// <summary>The offending field.</summary>
    public string Field { get; }

    /// <summary>The ring or array index involved (−1 when none).</summary>
    public long Index { get; }

    /// <summary>The value the device supplied.</summary>
    public ulong Value { get; }
}

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
    /// <c>"WaitMode"</c>, <c>"AdminTimeout"</c>, <c>"TimeProvider"</c>, <c>"RdaTxBufferBytes"</c>, <c>"HeaderSplit"</c>, <c>"DriverVersion"</c>),
    /// or null when the problem is the device itself.
    /// </summary>
    /// <remarks>When several options together exceed a device limit (page lists for all queues), the queue count is named.</remarks>
    public string? Option { get; }
}

/// <summary>
/// Teardown did not complete. When <see cref="MemoryKept"/> is true the device never confirmed it let go of
/// the admin queue, so the driver kept (did not free) every DMA region the device may still write.
/// </summary>
public sealed class NicTeardownException : GvnicException
{
    /// <summary>Creates the exception.</summary>
    public NicTeardownException(string message, bool memoryKept, int regionsKept, long bytesKept, Exception? inner)
        : base(message, inner)
    {
        MemoryKept = memoryKept;
        RegionsKept = regionsKept;
        BytesKept = bytesKept;
    }

    /// <summary>Whether DMA memory was kept because the device may still use it.</summary>
    public bool MemoryKept { get; }

    /// <summary>How many regions were kept.</summary>
    public int RegionsKept { get; }

    /// <summary>How many bytes were kept.</summary>
    public long BytesKept { get; }
}
