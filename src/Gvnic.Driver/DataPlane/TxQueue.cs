using System;

namespace Gvnic.Driver.DataPlane;

/// <summary>What the NIC needs from a transmit queue, whatever its format.</summary>
internal abstract partial class TxQueue(int id, int block)
{
    public int Id { get; } = id;

    public string Name { get; } = "TX queue " + id;

    /// <summary>The notification block the queue reports to.</summary>
    public int Block { get; } = block;

    /// <summary>What CREATE_TX_QUEUE tells the device about this queue.</summary>
    public abstract TxQueueDefinition Definition { get; }

    /// <summary>Reads (and checks) the doorbell and counter indexes the device wrote into the queue resources.</summary>
    public abstract void Bind(DeviceResources resources);

    /// <summary>Places a frame in the ring without ringing the doorbell; false when there is no room.</summary>
    public abstract bool TryEnqueue(ReadOnlySpan<byte> frame);

    /// <summary>Tells the device about every enqueued frame.</summary>
    public abstract void RingDoorbell();

    /// <summary>Frees ring and buffer space for everything the device has finished; returns the frames completed.</summary>
    public abstract int Reclaim();

    /// <summary>Frames posted and not yet completed.</summary>
    public abstract int InFlight { get; }

    /// <summary>Whether the device may still write a completion the driver waits for (frames in flight; on DQO also timed-out packets whose tags a late re-injection may still free).</summary>
    public abstract bool AwaitsCompletions { get; }

    /// <summary>Whether the device has written a completion the driver has not reclaimed yet (progress the watchdog must not mistake for a stall).</summary>
    public abstract bool HasCompletions { get; }

    public abstract TxQueueStatistics Statistics { get; }

    /// <summary>Looks over the whole completion ring for entries written out of order (see <see cref="RxQueue.Audit"/>).</summary>
    public virtual void Audit() { }

    // Zero-copy transmit (TxBuffer): the format picks, posts and takes back the buffers; the lending rules are here.

    /// <summary>The largest frame a lent buffer takes.</summary>
    public abstract int LendCapacity { get; }

    /// <summary>Takes a free buffer out of the queue's DMA memory for lending (reclaiming first when none is free); its index, or -1.</summary>
    protected abstract int TakeBuffer();

    /// <summary>The whole of lent buffer <paramref name="index"/> (<see cref="LendCapacity"/> bytes).</summary>
    protected abstract Span<byte> BufferData(int index);

    /// <summary>Posts the first <paramref name="length"/> bytes of lent buffer <paramref name="index"/> as a frame, without ringing the doorbell; false when the ring has no room.</summary>
    protected abstract bool PostBuffer(int index, int length);

    /// <summary>Takes back lent buffer <paramref name="index"/> unsent.</summary>
    protected abstract void GiveBack(int index);

    private const byte NotLent = 0, Lent = 1, Claimed = 2;
    private byte[] _lendState = [];
    private int[] _lendToken = [];
    private int _lendSerial;
    private int _lentCount;
    private bool _retired;

    /// <summary>Sizes the lending table: buffer indexes run 0 … <paramref name="slots"/> - 1.</summary>
    protected void InitLending(int slots)
    {
        _lendState = new byte[slots];
        _lendToken = new int[slots];
    }

    /// <summary>Buffers lent and not yet handed back.</summary>
    public int LentBuffers => _lentCount;

    /// <summary>Marks the queue as torn down (the device and its memory are gone): its lent buffers are refused from now on.</summary>
    public void RetireLending() => _retired = true;

    /// <summary>Lends a buffer; false when none is free.</summary>
    public bool TryLend(out TxBuffer buffer)
    {
        int index = TakeBuffer();
        if (index < 0)
        {
            buffer = default;
            return false;
        }
        int token = ++_lendSerial;
        _lendToken[index] = token;
        _lendState[index] = Lent;
        _lentCount++;
        buffer = new TxBuffer(this, index, token, LendCapacity);
        return true;
    }

    /// <summary>The bytes of lent buffer <paramref name="index"/>, after checking the handle is the current lending's.</summary>
    public Span<byte> LentData(int index, int token)
    {
        if (_retired) ThrowRetired(Name);
        if (_lendState[index] != Lent || _lendToken[index] != token) ThrowHandedBack(Name, index, -1);
        return BufferData(index);
    }

    /// <summary>
    /// Checks every buffer of a hand-back before any is used (lent by this queue, lent now, not twice in
    /// <paramref name="buffers"/>; with <paramref name="send"/>, a length of 1 … <see cref="LendCapacity"/>) and claims
    /// them; on the first bad one, un-claims the others and throws, so a refused hand-back changes nothing.
    /// </summary>
    public void Claim(ReadOnlySpan<TxBuffer> buffers, bool send)
    {
        int i = 0;
        try
        {
            for (; i < buffers.Length; i++)
            {
                ref readonly TxBuffer b = ref buffers[i];
                if (b.Owner != this) ThrowForeign(b.Owner, i);
                int index = b.Index;
                if (_lendToken[index] != b.Token || _lendState[index] != Lent)
                {
                    if (_lendToken[index] == b.Token && _lendState[index] == Claimed) ThrowTwiceInBatch(Name, index, i);
                    ThrowHandedBack(Name, index, i);
                }
                if (send && (b.Length < 1 || b.Length > LendCapacity)) ThrowBadLength(Name, index, i, b.Length, LendCapacity);
                _lendState[index] = Claimed;
            }
        }
        catch
        {
            for (int k = 0; k < i; k++) _lendState[buffers[k].Index] = Lent;
            throw;
        }
    }

    /// <summary>Posts claimed buffers in order until the ring is full, counting them in <paramref name="posted"/> as it goes; the ones not posted stay lent.</summary>
    public void PostClaimed(ReadOnlySpan<TxBuffer> buffers, ref int posted)
    {
        posted = 0;
        try
        {
            for (; posted < buffers.Length; posted++)
            {
                ref readonly TxBuffer b = ref buffers[posted];
                if (!PostBuffer(b.Index, b.Length)) break;
                _lendState[b.Index] = NotLent;
                _lentCount--;
            }
        }
        finally
        {
            for (int k = posted; k < buffers.Length; k++) _lendState[buffers[k].Index] = Lent;
        }
    }

    /// <summary>Takes claimed buffers back unsent.</summary>
    public void ReturnClaimed(ReadOnlySpan<TxBuffer> buffers)
    {
        foreach (ref readonly TxBuffer b in buffers)
        {
            _lendState[b.Index] = NotLent;
            _lentCount--;
            GiveBack(b.Index);
        }
    }

    private void ThrowForeign(TxQueue? owner, int position)
    {
        if (owner is null) throw new ArgumentException("buffers[" + position + "] names no buffer (a default TxBuffer); get buffers with Nic.AcquireTxBuffers", "buffers");
        if (owner._retired) ThrowRetired(owner.Name);
        throw new ArgumentException("buffers[" + position + "] was lent by " + owner.Name + (owner.Id == Id ? " of another NIC" : "") + ", not by " + Name
            + ": hand a buffer back to the queue it came from", "buffers");
    }

    private static void ThrowRetired(string queue)
        => throw new ObjectDisposedException(nameof(TxBuffer), "the buffer was lent by " + queue + " of a NIC since disposed or reset; its memory is gone: acquire a new buffer");

    private static void ThrowHandedBack(string queue, int index, int position)
        => throw new InvalidOperationException((position >= 0 ? "buffers[" + position + "] (" : "") + "TX buffer " + index + " of " + queue + (position >= 0 ? ")" : "")
            + " was already handed back (sent or released); a buffer is handed back once, then acquire a new one");

    private static void ThrowTwiceInBatch(string queue, int index, int position)
        => throw new InvalidOperationException("buffers[" + position + "] (TX buffer " + index + " of " + queue + ") appears twice in the batch; a buffer is handed back once");

    private static void ThrowBadLength(string queue, int index, int position, int length, int capacity)
        => throw new ArgumentOutOfRangeException("buffers", length, "buffers[" + position + "] (TX buffer " + index + " of " + queue + ") has Length " + length
            + "; set it to the frame's bytes, 1 … " + capacity);
}
