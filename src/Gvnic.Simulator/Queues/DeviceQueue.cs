using Gvnic.Simulator.Registers;

namespace Gvnic.Simulator.Queues;

/// <summary>What every simulated queue shares: the device as it sees it (<see cref="IQueueHost"/>), what its create command bound it to, and its doorbell.</summary>
internal abstract class DeviceQueue(IQueueHost host, QueueBinding binding, string name) : IDoorbellTarget
{
    private readonly QueueBinding _binding = binding;

    protected IQueueHost Host { get; } = host;

    /// <summary>"TX queue 3", "RX queue 0": how violations name it.</summary>
    protected string Name { get; } = name;

    public int Id => _binding.Id;

    public uint NtfyId => _binding.NtfyId;

    public uint DoorbellIndex => _binding.DoorbellIndex;

    public uint CounterIndex => _binding.CounterIndex;

    public QueuePageList? Qpl => _binding.Qpl;

    protected QueueCounters Counters => _binding.Counters;

    /// <summary>The driver wrote <paramref name="raw"/> to the queue's doorbell.</summary>
    public abstract void Ring(uint raw);

    protected void Violate(ViolationKind kind, long index, string detail) => Host.Violate(kind, Id, index, Name + ": " + detail);
}
