namespace Gvnic.Wire;

/// <summary>One problem found by a generated <c>Validate</c> method, naming the wire type, the field and the value.</summary>
/// <param name="Type">The schema name of the struct.</param>
/// <param name="Field">The schema name of the field or bit range.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Value">The offending value.</param>
public readonly record struct WireIssue(string Type, string Field, WireIssueKind Kind, ulong Value)
{
    /// <summary>A one-line description, e.g. <c>tx_pkt_desc_dqo.reserved0: ReservedNotZero (0x1)</c>.</summary>
    public override string ToString() => Type + "." + Field + ": " + Kind + " (0x" + Value.ToString("X") + ")";
}
