using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>What every simulated TX queue shares: the path of a finished frame to the wire.</summary>
internal abstract class TxQueue(IQueueHost host, QueueBinding binding) : DeviceQueue(host, binding, "TX queue " + binding.Id)
{
    /// <summary>Whether posted descriptors wait for processing.</summary>
    public abstract bool HasWork { get; }

    /// <summary>Processes one packet; false when none was ready.</summary>
    public abstract bool ProcessOne();

    /// <summary>Packets the device completed since the queue was created (sent or failed).</summary>
    public long PacketsDone { get; private set; }

    /// <summary>Bytes of those packets, as the driver posted them.</summary>
    public long BytesDone { get; private set; }

    /// <summary>The most packets the driver can have handed over without the device completing them (the ring's entries).</summary>
    public abstract int RingCapacity { get; }

    /// <summary>Counts one completed packet of <paramref name="bytes"/> bytes.</summary>
    protected void CountDone(long bytes)
    {
        PacketsDone++;
        BytesDone += bytes;
    }

    /// <summary>Puts a finished frame on the wire (after the device lock is released), with the MTU and link checks.</summary>
    protected void Emit(byte[] frame, long index)
    {
        QueueCounters c = Counters;
        int max = Host.Mtu + (int)GvnicConstants.FrameOverhead;
        if (frame.Length < 14 || frame.Length > max)
        {
            Violate(ViolationKind.BadFrameLength, index, "frame of " + frame.Length + " bytes (an Ethernet frame for MTU " + Host.Mtu + " is 14.." + max + ")");
            c.Errors++;
            return;
        }
        if (!Host.LinkUp)
        {
            c.LinkDownDrops++;
            return;
        }
        c.Frames++;
        c.Bytes += frame.Length;
        Host.Transmit(frame, Id);
    }
}
