namespace Gvnic.Driver;

/// <summary>The device reset itself (dropped the admin queue) while the driver was waiting on it.</summary>
public sealed class DeviceResetException : GvnicException
{
    /// <summary>Creates the exception.</summary>
    public DeviceResetException(string message) : base(message) { }
}
