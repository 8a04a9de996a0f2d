namespace Gvnic.Simulator;

/// <summary>One driver mistake the device model saw.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Queue">The queue involved (TX or RX per <paramref name="Detail"/>), or -1.</param>
/// <param name="Index">The ring index, slot, register offset or admin-queue slot involved, or -1.</param>
/// <param name="Detail">A sentence that says what the device saw.</param>
public sealed record ProtocolViolation(ViolationKind Kind, int Queue, long Index, string Detail)
{
    /// <inheritdoc/>
    public override string ToString() => Kind + (Queue >= 0 ? " queue " + Queue : "") + (Index >= 0 ? " index " + Index : "") + ": " + Detail;
}
