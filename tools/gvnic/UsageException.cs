using System;

namespace Gvnic.Cli;

/// <summary>
/// Bad input from the user: the message names the argument and what is wrong with it, e.g.
/// <c>TYPE 'tx_pkt_desc_dqoo' is not a schema type (did you mean tx_pkt_desc_dqo? see 'gvnic types')</c>.
/// The top-level handler prints it after <c>gvnic: </c> and exits with <see cref="ExitCodes.BadInput"/>.
/// </summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    /// <param name="message">What was wrong, naming the argument.</param>
    public UsageException(string message) : base(message) { }
}
