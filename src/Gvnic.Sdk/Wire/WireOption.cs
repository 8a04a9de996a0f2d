using System;
using System.Collections.Generic;

namespace Gvnic.Wire;

/// <summary>
/// One option of a schema option list at run time (the generated <c>Options</c> table of the list): the id that
/// names it in the header, its payload, the payload lengths it accepts and the header values it requires.
/// </summary>
/// <param name="Name">The schema name of its id (a value of the header's id enum).</param>
/// <param name="Id">The id's value.</param>
/// <param name="Payload">The schema name of its payload struct, or null for an option without payload.</param>
/// <param name="PayloadType">The generated payload struct, or null.</param>
/// <param name="MinLength">Fewest payload bytes accepted (a longer payload is used for its known prefix).</param>
/// <param name="MaxLength">Most payload bytes accepted: 0 for an option without payload, else the largest length the header can state.</param>
/// <param name="Requires">Header fields that must hold a given value for the option to be accepted (an encoder writes them); null stands for none.</param>
/// <param name="Doc">The schema's doc string.</param>
public sealed record WireOption(
    string Name,
    ulong Id,
    string? Payload = null,
    Type? PayloadType = null,
    int MinLength = 0,
    int MaxLength = 0,
    IReadOnlyList<WireHeaderValue>? Requires = null,
    string Doc = "")
{
    /// <summary>Header fields that must hold a given value for the option to be accepted; empty when none.</summary>
    public IReadOnlyList<WireHeaderValue> Requires { get; init; } = Requires ?? Array.Empty<WireHeaderValue>();
}
