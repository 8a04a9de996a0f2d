using System;

namespace Gvnic.Driver;

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
