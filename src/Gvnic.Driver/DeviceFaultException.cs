namespace Gvnic.Driver;

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
