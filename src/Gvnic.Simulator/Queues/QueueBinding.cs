namespace Gvnic.Simulator.Queues;

/// <summary>What a create command bound a queue to.</summary>
/// <param name="Id">The queue id.</param>
/// <param name="NtfyId">The notification block it completes to.</param>
/// <param name="DoorbellIndex">The BAR2 word index of its doorbell.</param>
/// <param name="CounterIndex">Its event counter's index.</param>
/// <param name="Qpl">Its page list, or null (raw addressing).</param>
/// <param name="Counters">The counters of its queue index.</param>
internal readonly record struct QueueBinding(int Id, uint NtfyId, uint DoorbellIndex, uint CounterIndex, QueuePageList? Qpl, QueueCounters Counters);
