namespace Gvnic.SchemaLint.Diff;

/// <summary>
/// One difference between two schemas: breaking (a reader of the old layout misreads the new one) or
/// compatible. <paramref name="Subject"/> names the item, e.g. <c>struct tx_pkt_desc_dqo</c>.
/// </summary>
public sealed record SchemaChange(bool Breaking, string Subject, string Message)
{
    /// <summary>The change as <c>diff</c> prints it: <c>breaking: struct x: field y moved from offset 12 to 14</c>.</summary>
    public override string ToString() => (Breaking ? "breaking: " : "compatible: ") + Subject + ": " + Message;
}
