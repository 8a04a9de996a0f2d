namespace Gvnic.Simulator;

/// <summary>What the device wrote into one DQO TX completion ring since the queue was created.</summary>
/// <param name="PacketCompletions">Packet completions (type pkt, without alt_miss_compl_bit).</param>
/// <param name="DescriptorCompletions">Descriptor completions (type desc, carrying the new head).</param>
/// <param name="MissCompletions">Miss completions (type miss, or pkt with alt_miss_compl_bit under the alternative scheme).</param>
/// <param name="ReinjectionCompletions">Re-injection completions (each follows a miss of the same tag).</param>
/// <param name="LostReinjections">Missed packets whose re-injection the device never sent (the driver's timeout frees those tags).</param>
/// <param name="OutOfOrder">Packet and re-injection completions written after one of a later-posted packet.</param>
/// <param name="GenerationWraps">Laps of the completion ring (each flips the generation bit).</param>
/// <param name="Held">Packets whose completion waits in the reorder window now.</param>
/// <param name="GeneralContexts">General context descriptors read (TX metadata).</param>
/// <param name="TsoContexts">TSO context descriptors read.</param>
/// <param name="CompletionsInLine">Completions written into the device's internal line that host memory does not show yet (they go out when the line fills or the notification block fires).</param>
public readonly record struct DqoTxCounters(long PacketCompletions, long DescriptorCompletions, long MissCompletions, long ReinjectionCompletions,
    long LostReinjections, long OutOfOrder, long GenerationWraps, int Held, long GeneralContexts, long TsoContexts, int CompletionsInLine);
