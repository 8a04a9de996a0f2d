namespace Gvnic.Simulator;

/// <summary>What the device did with one DQO RX queue since it was created.</summary>
/// <param name="Completions">Completions written (one per buffer filled).</param>
/// <param name="GenerationWraps">Laps of the completion queue (each flips the generation bit).</param>
/// <param name="BuffersOutOfOrder">Buffers filled in an order other than the one they were posted in.</param>
/// <param name="BuffersHeld">Posted buffers the device holds now.</param>
/// <param name="SplitHeaders">Frames whose headers went to a header buffer (header split).</param>
/// <param name="HeaderOverflows">Frames whose headers did not fit the header buffer (header_buffer_overflow; not split).</param>
/// <param name="CompletionsInLine">Completions written into the device's internal line that host memory does not show yet (they go out when the line fills or the notification block fires).</param>
public readonly record struct DqoRxCounters(long Completions, long GenerationWraps, long BuffersOutOfOrder, int BuffersHeld, long SplitHeaders, long HeaderOverflows, int CompletionsInLine);
