using System;

namespace Gvnic.Admin;

/// <summary>The device descriptor is malformed in a way the driver cannot work around (lengths that do not fit the buffer).</summary>
public sealed class DeviceDescriptorException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public DeviceDescriptorException(string message) : base(message) { }
}
