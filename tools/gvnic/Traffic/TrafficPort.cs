using System;
using Gvnic.Driver;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// One queue pair of a NIC as the traffic engine drives it: frames are written into TX buffers the port hands out,
/// committed, and sent behind one doorbell; received frames are handed to a struct handler in bursts. Nothing here
/// allocates after construction.
/// </summary>
/// <remarks>
/// This is the one place that calls the driver's data path, so the driver's later zero-copy transmit and burst
/// receive change only this class: <see cref="NextTxBuffer"/> would return a span of a device TX buffer (and
/// <see cref="TxBuffersKeepContents"/> turn false), <see cref="Flush"/> would ring the doorbell over what was
/// committed, and <see cref="Receive{THandler}"/> would take many leases at once. Today the port stages frames in its
/// own buffers and sends them with <see cref="Nic.TransmitBatch"/> (the driver copies them), and receives with one
/// <see cref="RxLease"/> at a time.
/// </remarks>
internal sealed class TrafficPort
{
    private readonly Nic _nic;
    private readonly byte[][] _slots;
    private readonly ReadOnlyMemory<byte>[] _batch;
    private readonly byte[] _scratch;
    private int _head;   // first committed frame not yet taken by the driver
    private int _count;  // frames committed

    /// <summary>Queue pair <paramref name="queue"/> of <paramref name="nic"/>, named <paramref name="nicName"/> in messages, with bursts of up to <paramref name="burst"/> frames.</summary>
    public TrafficPort(Nic nic, string nicName, int queue, int burst)
    {
        _nic = nic;
        NicName = nicName;
        Queue = queue;
        Burst = burst;
        MaxFrame = nic.MaxFrameSize;
        _slots = new byte[burst][];
        for (int i = 0; i < burst; i++) _slots[i] = new byte[MaxFrame];
        _batch = new ReadOnlyMemory<byte>[burst];
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
    /// Whether a TX buffer keeps what was written into it across frames: then <see cref="FillTxBuffers"/> writes the
    /// unchanging part of a frame once and each frame patches only its headers.
    /// </summary>
    public bool TxBuffersKeepContents => true;

    /// <summary>Writes <paramref name="contents"/> into every TX buffer (see <see cref="TxBuffersKeepContents"/>).</summary>
    public void FillTxBuffers(ReadOnlySpan<byte> contents)
    {
        foreach (byte[] slot in _slots) contents.CopyTo(slot);
    }

    /// <summary>The buffer for the next frame (<see cref="MaxFrame"/> bytes), or an empty span when a whole burst is committed and not yet sent.</summary>
    public Span<byte> NextTxBuffer() => _count < _slots.Length ? _slots[_count] : Span<byte>.Empty;

    /// <summary>Commits the frame written into the last <see cref="NextTxBuffer"/>: its first <paramref name="length"/> bytes.</summary>
    public void Commit(int length)
    {
        _batch[_count] = new ReadOnlyMemory<byte>(_slots[_count], 0, length);
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
            taken = _nic.TransmitBatch(_batch.AsSpan(_head, _count - _head), Queue);
        }
        catch (DeviceFaultException e)
        {
            Fault = e;
            throw;
        }
        for (int i = _head; i < _head + taken; i++) bytes += _batch[i].Length;
        _head += taken;
        if (_head == _count)
        {
            _head = 0;
            _count = 0;
        }
        return taken;
    }

    /// <summary>Forgets the committed frames the driver did not take; returns how many.</summary>
    public int DropStaged()
    {
        int dropped = _count - _head;
        _head = 0;
        _count = 0;
        return dropped;
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
    /// Receives up to <paramref name="max"/> frames, handing each to <paramref name="handler"/> while it lies in the
    /// driver's RX buffer (a frame spanning several buffers is first copied into one); returns how many.
    /// </summary>
    public int Receive<THandler>(ref THandler handler, int max) where THandler : struct, IFrameHandler
    {
        int received = 0;
        try
        {
            while (received < max && _nic.TryReceive(out RxLease lease, Queue))
            {
                try
                {
                    if (lease.SegmentCount == 1)
                    {
                        handler.OnFrame(lease.Frame, lease.Info);
                    }
                    else
                    {
                        int length = lease.CopyTo(_scratch);
                        handler.OnFrame(_scratch.AsSpan(0, length), lease.Info);
                    }
                }
                finally
                {
                    lease.Dispose();
                }
                received++;
            }
        }
        catch (DeviceFaultException e)
        {
            Fault = e;
            throw;
        }
        return received;
    }
}
