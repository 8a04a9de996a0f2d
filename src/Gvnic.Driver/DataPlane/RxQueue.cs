using System;
using System.Threading;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// What the NIC needs from a receive queue, whatever its format, and what every format does the same way: the
/// counters, consuming a peeked frame, giving its buffers back and announcing them to the device in batches, leases.
/// A format implements reading its ring (<see cref="TryPeek"/>), moving past entries and reposting their buffers
/// (<see cref="GiveBack"/>) and writing its doorbell (<see cref="WriteDoorbell"/>), and for bursts moving past a frame
/// while keeping its buffers (<see cref="Keep"/>) and posting them later (<see cref="GiveBackHeld"/>).
/// </summary>
internal abstract class RxQueue(int id, int block)
{
    public int Id { get; } = id;

    public string Name { get; } = "RX queue " + id;

    /// <summary>The notification block the queue reports to.</summary>
    public int Block { get; } = block;

    /// <summary>What CREATE_RX_QUEUE tells the device about this queue.</summary>
    public abstract RxQueueDefinition Definition { get; }

    /// <summary>Reads (and checks) the doorbell index the device wrote into the queue resources.</summary>
    public abstract void Bind(DeviceResources resources);

    /// <summary>Posts every buffer and rings the doorbell (once, after creation).</summary>
    /// <returns>How many buffers were posted.</returns>
    public abstract int PostAll();

    /// <summary>Whether a frame (or a descriptor to drop) is waiting.</summary>
    public abstract bool HasPending { get; }

    /// <summary>Where the driver looks next, for the stats report's RX_NEXT_EXPECTED_SEQUENCE: the GQI sequence number it expects, or the DQO completion-ring index.</summary>
    public abstract long NextExpected { get; }

    /// <summary>How many given-back buffers wait at most before a doorbell announces them.</summary>
    public const int DoorbellBatch = 16;

    /// <summary>The fewest RX buffers a queue may keep posted: with fewer, real devices drop frames under load (iPXE d2d194bc6, c3-standard-4).</summary>
    public const int MinPostedBuffers = 64;

    /// <summary>
    /// Refuses a queue that would keep fewer than <see cref="MinPostedBuffers"/> buffers posted, naming the RX ring option
    /// when the ring is what limits them (<paramref name="ringLimited"/>), else what does.
    /// </summary>
    protected void CheckPostedBuffers(int posted, int ringSize, bool ringLimited, string limit)
    {
        if (posted >= MinPostedBuffers) return;
        throw new NicConfigurationException(Name + ": " + posted + " RX buffers posted (" + limit + "); devices drop frames under load with fewer than " + MinPostedBuffers
            + " (iPXE d2d194bc6)" + (ringLimited ? ": use an RX ring larger than " + ringSize : ""), ringLimited ? nameof(NicOptions.RxRingSize) : null);
    }

    /// <summary>
    /// How many RX buffers of <paramref name="bufferSize"/> bytes the largest frame of <paramref name="maxFrame"/> bytes
    /// fills: GQI puts the 2-byte pad before the frame in the first buffer, DQO does not.
    /// </summary>
    public static int BuffersPerFrame(int maxFrame, bool dqo, int bufferSize)
    {
        int bytes = maxFrame + (dqo ? 0 : (int)GvnicConstants.RxPad);
        return (bytes + bufferSize - 1) / bufferSize;
    }

    // ---- counters -----------------------------------------------------------------------------------------------

    /// <summary>Frames delivered, and their bytes.</summary>
    protected long DeliveredPackets, DeliveredBytes;

    /// <summary>Frames the device flagged with an error (dropped as it said).</summary>
    protected long Dropped;

    /// <summary>Frames dropped because the device described them wrongly.</summary>
    protected long Faults;

    /// <summary>Buffers posted to the device (the initial fill included).</summary>
    protected long BuffersPosted;

    private long _doorbells;

    public RxQueueStatistics Statistics => new(DeliveredPackets, DeliveredBytes, Dropped, BuffersPosted, _doorbells) { DeviceFaults = Faults };

    // ---- the peeked frame ---------------------------------------------------------------------------------------

    /// <summary>The ring entries (descriptors or completions) the peeked frame spans; 0 when none is peeked.</summary>
    protected int PeekedEntries;

    /// <summary>The peeked frame's length in bytes.</summary>
    protected int PeekedLength;

    /// <summary>
    /// The next frame, without consuming it: its metadata (<see cref="RxInfo.Length"/> is the whole frame) and its
    /// bytes in <see cref="PeekedSegments"/> buffers (<see cref="PeekedSegment"/>, inside the queue's DMA memory,
    /// valid until <see cref="Consume"/>). A frame longer than one buffer is returned only once every descriptor
    /// of its chain is written (meanwhile the buffers given back are announced: the device may need them to finish it).
    /// Error-flagged frames are dropped (consumed) on the way. When the queue is empty the caller announces the buffers
    /// given back (<see cref="FlushDoorbell"/>), once it has made sure the device holds nothing more.
    /// </summary>
    public abstract bool TryPeek(out RxInfo info);

    /// <summary>How many segments the peeked frame is read in (0 when none is peeked).</summary>
    public abstract int PeekedSegments { get; }

    /// <summary>The bytes of the peeked frame in its <paramref name="index"/>-th segment.</summary>
    public abstract ReadOnlySpan<byte> PeekedSegment(int index);

    /// <summary>Copies the peeked frame, buffer by buffer, into <paramref name="destination"/> (which holds it); returns its length.</summary>
    public int CopyPeeked(Span<byte> destination)
    {
        int length = 0;
        int segments = PeekedSegments;
        for (int i = 0; i < segments; i++)
        {
            ReadOnlySpan<byte> segment = PeekedSegment(i);
            segment.CopyTo(destination.Slice(length));
            length += segment.Length;
        }
        return length;
    }

    /// <summary>Consumes the frame <see cref="TryPeek"/> returned and gives its buffers back to the device.</summary>
    public void Consume()
    {
        if (PeekedEntries == 0) return;
        DeliveredPackets++;
        DeliveredBytes += PeekedLength;
        int count = PeekedEntries;
        PeekedEntries = 0;
        Release(count);
    }

    /// <summary>
    /// Moves past the <paramref name="count"/> ring entries at the head (a delivered or dropped frame), posts their
    /// buffers again, and rings the doorbell once <see cref="DoorbellBatch"/> buffers given back before them wait to be
    /// announced. The buffers of this frame are announced by a later doorbell, never by this call: a buffer is the
    /// device's again only from the doorbell that gives it, and by then the driver has looked at the entry after this
    /// frame (a copy of this frame's completion there still names a buffer the device does not own).
    /// </summary>
    protected void Release(int count)
    {
        uint before = Filled;
        GiveBack(count);
        if (before - _rungFilled >= DoorbellBatch) RingDoorbell(before);
    }

    /// <summary>Moves past <paramref name="count"/> entries at the head and posts their buffers again (no doorbell).</summary>
    protected abstract void GiveBack(int count);

    // ---- the doorbell -------------------------------------------------------------------------------------------

    /// <summary>Buffers posted so far, free-running: what the next doorbell announces.</summary>
    protected uint Filled;

    private uint _rungFilled; // what the last doorbell announced

    /// <summary>Buffers announced to the device so far (free-running, what the last doorbell said): a buffer posted at a count below it is the device's.</summary>
    protected uint Announced => _rungFilled;

    /// <summary>Writes <paramref name="filled"/> to the queue's doorbell, in the format's terms.</summary>
    protected abstract void WriteDoorbell(uint filled);

    /// <summary>Announces every posted buffer to the device.</summary>
    protected void RingDoorbell() => RingDoorbell(Filled);

    /// <summary>Announces the buffers posted up to the free-running count <paramref name="filled"/>.</summary>
    private void RingDoorbell(uint filled)
    {
        Interlocked.MemoryBarrier();
        WriteDoorbell(filled);
        _rungFilled = filled;
        _doorbells++;
    }

    /// <summary>
    /// Buffers given back are announced to the device in batches (a doorbell for every <see cref="DoorbellBatch"/>
    /// buffers, as upstream rings once per poll rather than once per frame); this rings for the rest. Called when a
    /// receive finds the queue empty (after the re-arm that makes a DQO device show what it holds) and before a wait, so
    /// the device is never left short while the driver idles.
    /// </summary>
    public void FlushDoorbell()
    {
        if (_rungFilled != Filled) RingDoorbell();
    }

    // ---- leases -------------------------------------------------------------------------------------------------

    private int _leaseToken;
    private bool _leased;
    private bool _retired;

    /// <summary>
    /// Marks the queue as torn down (the device and its memory are gone): a lease still open on it ends without
    /// touching the device.
    /// </summary>
    public void Retire()
    {
        _retired = true;
        _leased = false;
    }

    /// <summary>Whether <paramref name="token"/> is the open lease's.</summary>
    public bool IsLeaseLive(int token) => _leased && !_retired && token == _leaseToken;

    /// <summary>Whether an <see cref="RxLease"/> on this queue is not yet disposed.</summary>
    public bool Leased => _leased;

    /// <summary>Marks the peeked frame as leased; returns the lease's token.</summary>
    public int BeginLease()
    {
        _leased = true;
        return ++_leaseToken;
    }

    /// <summary>Ends the lease (or burst) with <paramref name="token"/> (a stale or repeated Dispose does nothing).</summary>
    public void EndLease(int token)
    {
        if (!IsLeaseLive(token)) return;
        _leased = false;
        if (_bursting)
        {
            _bursting = false;
            _heldFrames = 0;
            _heldSegments = 0;
            GiveBackHeld();
            if (Filled - _rungFilled >= DoorbellBatch) RingDoorbell();
            return;
        }
        Consume();
    }

    // ---- bursts (RxBurst): several frames held at once, their buffers given back together ------------------------

    /// <summary>How many buffers the queue has (the most a burst can hold).</summary>
    public abstract int BufferCount { get; }

    /// <summary>Moves past the <paramref name="count"/> ring entries of the peeked frame, keeping its buffers (and their bytes) until <see cref="GiveBackHeld"/>.</summary>
    protected abstract void Keep(int count);

    /// <summary>Posts every buffer <see cref="Keep"/> held (no doorbell).</summary>
    protected abstract void GiveBackHeld();

    private bool _bursting;
    private RxInfo[] _heldInfo = [];
    private int[] _heldFirst = [];
    private nint[] _heldPointer = [];
    private int[] _heldLength = [];
    private int _heldFrames;
    private int _heldSegments;

    /// <summary>Whether the open lease is a burst.</summary>
    public bool Bursting => _leased && _bursting;

    /// <summary>Starts a burst (a lease over every frame <see cref="Hold"/> adds); returns its token.</summary>
    public int BeginBurst()
    {
        if (_heldInfo.Length == 0)
        {
            // Sized once: a burst holds at most every buffer, a frame at least one (and a DQO header-split frame one more segment).
            _heldInfo = new RxInfo[BufferCount];
            _heldFirst = new int[BufferCount + 1];
            _heldPointer = new nint[2 * BufferCount];
            _heldLength = new int[2 * BufferCount];
        }
        _bursting = true;
        _heldFrames = 0;
        _heldSegments = 0;
        _heldFirst[0] = 0;
        return BeginLease();
    }

    /// <summary>Adds the peeked frame to the burst (counted delivered): records where its segments are, then moves past it keeping its buffers.</summary>
    public unsafe void Hold(in RxInfo info)
    {
        if (PeekedEntries == 0) return;
        int segments = PeekedSegments;
        for (int i = 0; i < segments; i++)
        {
            ReadOnlySpan<byte> segment = PeekedSegment(i);
            fixed (byte* p = segment) _heldPointer[_heldSegments] = (nint)p;
            _heldLength[_heldSegments++] = segment.Length;
        }
        _heldInfo[_heldFrames++] = info;
        _heldFirst[_heldFrames] = _heldSegments;
        DeliveredPackets++;
        DeliveredBytes += PeekedLength;
        int count = PeekedEntries;
        PeekedEntries = 0;
        Keep(count);
    }

    /// <summary>Frames held by the burst.</summary>
    public int HeldFrames => _heldFrames;

    /// <summary>Metadata of held frame <paramref name="frame"/>.</summary>
    public RxInfo HeldInfo(int frame) => _heldInfo[frame];

    /// <summary>How many segments held frame <paramref name="frame"/> has.</summary>
    public int HeldSegmentCount(int frame) => _heldFirst[frame + 1] - _heldFirst[frame];

    /// <summary>The bytes of segment <paramref name="segment"/> of held frame <paramref name="frame"/> (in the queue's DMA memory).</summary>
    public unsafe ReadOnlySpan<byte> HeldSegment(int frame, int segment)
    {
        int at = _heldFirst[frame] + segment;
        return new ReadOnlySpan<byte>((void*)_heldPointer[at], _heldLength[at]);
    }

    // ---- recovery -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Frames the device has handed over (their last descriptor or completion written) that the driver has not taken:
    /// counted, without checking them, when a reset is about to drop them. At most a ring's worth.
    /// </summary>
    public abstract int CountUntaken();

    /// <summary>
    /// Looks over the whole ring for entries the device wrote behind one that is not (a head, or the rest of a chain,
    /// never made valid, or entries out of order; slower than the data path's one-entry look-ahead; run by <see cref="Nic.Service"/>). Throws
    /// <see cref="DeviceFaultException"/> when it finds one.
    /// </summary>
    public abstract void Audit();

    /// <summary>
    /// Whether the head holds something the device wrote that is not (yet) a frame the driver can take: a frame whose
    /// first entries are written and whose last is not, or (GQI, first lap) a descriptor written in full whose sequence
    /// number says it is not. Normal for an instant; the RX watchdog in <see cref="Nic.Service"/> resets the device when
    /// it lasts. <paramref name="slot"/> is the head's ring index.
    /// </summary>
    public abstract bool HeadStuck(out int slot);
}
