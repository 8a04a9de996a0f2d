using System.Text.Json;

namespace Gvnic.Platform.Tracing;

/// <summary>What a doorbell belongs to.</summary>
/// <param name="IsBlock">A notification block (IRQ doorbell) rather than a queue.</param>
/// <param name="IsTx">For a queue: TX rather than RX.</param>
/// <param name="Number">The queue id or block number.</param>
/// <param name="Label">For a queue: <c>tx 0</c> or <c>rx 0</c>.</param>
internal sealed record DoorbellRole(bool IsBlock, bool IsTx, int Number, JsonEncodedText Label);
