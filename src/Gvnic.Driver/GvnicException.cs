using System;

namespace Gvnic.Driver;

/// <summary>The base of every error the driver raises about the device or its configuration.</summary>
public class GvnicException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GvnicException(string message, Exception? inner = null) : base(message, inner) { }
}
