using System;
using Gvnic.Driver;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// One queue pair of a NIC as the traffic engine drives it: frames are built in place in TX buffers the driver lends out
/// of the queue's DMA memory (<see cref="TxBuffer"/>: no copy), committed, and handed back to be sent behind one
/// doorbell; received frames are taken in bursts (<see cref="RxBurst"/>) and handed to a struct handler. Nothing here
/// allocates after construction.
/// </summary>
/// <remarks>
/// This is the one place that calls the driver's data path. The port keeps up to a burst of lent buffers: those
/// committed and not yet sent (<see cref="Staged"/>) and, after them, those ready to be written (<see cref="Ready"/>).
/// A recovered NIC has new queues: <see cref="ForgetTxBuffers"/> drops the handles of the old ones.
/// </remarks>
internal sealed class TrafficPort
{
    private readonly Nic _nic;
    private readonly TxBuffer[] _tx;
    private readonly byte[] _scratch;
    private int _head;   // first committed frame not yet taken by the driver
    private int _count;  // frames committed
    private int _lent;   // buffers lent: committed ones, then ready ones

    /// <summary>Queue pair <paramref name="queue"/> of <paramref name="nic"/>, named <paramref name="nicName"/> in messages, with bursts of up to <paramref name="burst"/> frames.</summary>
    public TrafficPort(Nic nic, string nicName, int queue, int burst)
    {
        _nic = nic;
        NicName = nicName;
        Queue = queue;
        Burst = burst;
        MaxFrame = nic.MaxFrameSize;
        _tx = new TxBuffer[burst];
        _scratch = new byte[MaxFrame];
    }

    /// <summary>The NIC.</summary>
    public Nic Nic => _nic;

    /// <summary>The NIC's name (<c>sim:0</c>, a PCI address).</summary>
    public string NicName { get; }

    /// <summary>The queue pair.</summary>
    public int Queue { get; }

    /// <summary>The most frames in one burst.</summary>
    public int Burst { get; }

    /// <summary>The largest frame.</summary>
    public int MaxFrame { get; }

    /// <summary>The TX ring's size.</summary>
    public int TxRingSize => _nic.TxRingSize;

    /// <summary>Frames committed and not yet taken by the driver.</summary>
    public int Staged => _count - _head;

    /// <summary>The device fault the last failing call met (the worker's supervisor recovers the NIC), or null.</summary>
    public DeviceFaultException? Fault { get; set; }

    /// <summary>
    /// Makes up to <paramref name="want"/> TX buffers ready to be written (borrowing them from the driver as needed, up
    /// to a burst in all); returns how many are ready (fewer when the queue has none free: every one is in flight).
    /// </summary>
    public int Ready(int want)
    {
        int ready = _lent - _count;
        if (ready < want && _lent < _tx.Length)
        {
            try
            {
                _lent += _nic.AcquireTxBuffers(_tx.AsSpan(_lent, Math.Min(want - ready, _tx.Length - _lent)), Queue);
            }
            catch (DeviceFaultException e)
            {
                Fault = e;
                throw;
            }
            ready = _lent - _count;
        }
        return Math.Min(ready, want);
    }

    /// <summary>The buffer for the next frame (<see cref="MaxFrame"/> bytes, in the queue's DMA memory), or an empty span when none is <see cref="Ready"/>.</summary>
    public Span<byte> NextTxBuffer() => _count < _lent ? _tx[_count].Data : Span<byte>.Empty;

    /// <summary>Commits the frame written into the last <see cref="NextTxBuffer"/>: its first <paramref name="length"/> bytes.</summary>
    public void Commit(int length)
    {
        _tx[_count].Length = length;
        _count++;
    }

    /// <summary>
    /// Hands the committed frames to the driver behind one doorbell; returns how many it took, and their bytes in
    /// <paramref name="bytes"/>. Frames it did not take (ring full) stay committed for the next call.
    /// </summary>
    public int Flush(out long bytes)
    {
        bytes = 0;
        if (_count == _head) return 0;
        int taken;
        try
        {
            taken = _nic.TransmitBuffers(_tx.AsSpan(_head, _count - _head), Queue);
        }
        catch (DeviceFaultException e)
        {
            Fault = e;
            throw;
        }
        for (int i = _head; i < _head + taken; i++) bytes += _tx[i].Length;
        _head += taken;
        if (_head == _count) Compact();
        return taken;
    }

    /// <summary>Gives the committed frames the driver did not take back unsent; returns how many.</summary>
    public int DropStaged()
    {
        int dropped = _count - _head;
        if (dropped > 0) _nic.ReleaseTxBuffers(_tx.AsSpan(_head, dropped), Queue);
        _head = _count;
        Compact();
        return dropped;
    }

    /// <summary>Forgets every lent buffer without handing it back: the NIC was recovered and its old queues (and their buffers) are gone.</summary>
    public void ForgetTxBuffers()
    {
        Array.Clear(_tx);
        _head = _count = _lent = 0;
    }

    /// <summary>Everything committed was taken: the ready buffers move to the front.</summary>
    private void Compact()
    {
        int ready = _lent - _count;
        if (_count > 0) Array.Copy(_tx, _count, _tx, 0, ready);
        _head = _count = 0;
        _lent = ready;
    }

    /// <summary>Reclaims the TX ring space of frames the device has sent; returns how many.</summary>
    public int Reclaim()
    {
        try
        {
            return _nic.ReclaimTransmitted(Queue);
        }
        catch (DeviceFaultException e)
        {
            Fault = e;
            throw;
        }
    }

    /// <summary>TX frames in flight.</summary>
    public int InFlight => _nic.TransmitsInFlight(Queue);

    /// <summary>
    /// Receives up to <paramref name="max"/> frames in one burst, handing each to <paramref name="handler"/> while it lies
    /// in the driver's RX buffer (a frame spanning several buffers is first copied into one); returns how many.
    /// </summary>
    public int Receive<THandler>(ref THandler handler, int max) where THandler : struct, IFrameHandler
    {
        if (max <= 0) return 0;
        RxBurst burst;
        try
        {
            if (!_nic.TryReceiveBurst(out burst, max, Queue)) return 0;
        }
        catch (DeviceFaultException e)
        {
            Fault = e;
            throw;
        }
        try
        {
            for (int i = 0; i < burst.Count; i++)
            {
                if (burst.SegmentCount(i) == 1)
                {
                    handler.OnFrame(burst.Frame(i), burst.Info(i));
                }
                else
                {
                    int length = burst.CopyTo(i, _scratch);
                    handler.OnFrame(_scratch.AsSpan(0, length), burst.Info(i));
                }
            }
            return burst.Count;
        }
        finally
        {
            burst.Dispose();
        }
    }
}
