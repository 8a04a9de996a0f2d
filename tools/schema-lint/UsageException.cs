using System;

namespace Gvnic.SchemaLint;

/// <summary>
/// Bad input on the command line (a missing file, an unreadable git revision, a schema that does not
/// load): reported as one message without a stack trace, exit code 2.
/// </summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception with the message shown to the user.</summary>
    public UsageException(string message) : base(message)
    {
    }
}
