namespace Gvnic.Driver;

/// <summary>
/// Counters of the DQO TX completion state machine of one queue, since it was created (DQO formats only). Every tag
/// leaves through exactly one of: a packet completion, a re-injection, or the deallocation timeout.
/// </summary>
/// <param name="Misses">Miss completions (type miss, or a packet completion with alt_miss_compl_bit): the packet waits for its re-injection.</param>
/// <param name="Reinjections">Re-injection completions that freed a missed packet's tag in time (counted in <see cref="TxQueueStatistics.Completed"/>).</param>
/// <param name="TimedOut">Missed packets whose re-injection did not come within 1 s: counted dropped; their tags wait 60 s more.</param>
/// <param name="Deallocated">Timed-out tags freed after the further 60 s.</param>
/// <param name="LateReinjections">Re-injections that came after their packet timed out (they free the tag early).</param>
/// <param name="Skipped">Completions upstream skips: a packet completion after a miss, a re-injection without a miss, a second miss.</param>
public readonly record struct DqoTxStatistics(long Misses, long Reinjections, long TimedOut, long Deallocated, long LateReinjections, long Skipped);
