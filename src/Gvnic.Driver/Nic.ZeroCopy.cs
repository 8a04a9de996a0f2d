using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Gvnic.Driver.DataPlane;

namespace Gvnic.Driver;

public sealed partial class Nic
{
    /// <summary>
    /// Lends up to <c>buffers.Length</c> transmit buffers out of <paramref name="queue"/>'s own DMA memory, to build
    /// frames in place (no copy): write each frame into <see cref="TxBuffer.Data"/>, set <see cref="TxBuffer.Length"/>,
    /// then hand the buffers back with <see cref="TransmitBuffers(ReadOnlySpan{TxBuffer}, int)"/> (or <see cref="ReleaseTxBuffers"/> to send nothing).
    /// </summary>
    /// <returns>How many buffers were lent, at the start of <paramref name="buffers"/> (0 when none is free: hand some back, or let the device complete some).</returns>
    /// <remarks>
    /// RDA formats lend the queue's registered buffers (DQO: a completion tag's buffer; GQI: a stretch of the queue's
    /// DMA FIFO), QPL formats slots of its page list. On GQI a lent buffer keeps its place in the FIFO: the space after
    /// it is freed only once it is handed back, so hand buffers back promptly. With <see cref="NicOptions.AutoRecover"/>
    /// a device fault found while reclaiming resets the device; the call then lends nothing.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The queue does not exist.</exception>
    /// <exception cref="InvalidOperationException">Another call is running on the same queue.</exception>
    /// <exception cref="DeviceFaultException">The device reported more completions than were posted (only without <see cref="NicOptions.AutoRecover"/>).</exception>
    public int AcquireTxBuffers(Span<TxBuffer> buffers, int queue = 0)
    {
        var call = new Borrow(buffers, queue);
        return Guard(ref call) ? call.Lent : 0; // after a reset the buffers lent before the fault went with the queues
    }

    private ref struct Borrow(Span<TxBuffer> buffers, int queue) : IDataPathCall
    {
        private readonly Span<TxBuffer> _buffers = buffers;
        public int Lent;

        public readonly ref int Owner(Nic nic) => ref nic.TxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            TxQueue tx = nic.TxAt(queue);
            while (Lent < _buffers.Length && tx.TryLend(out _buffers[Lent])) Lent++;
        }
    }

    /// <summary>
    /// Sends lent buffers as they are (their first <see cref="TxBuffer.Length"/> bytes), in order, with one doorbell.
    /// Every buffer is checked before any is sent; a refused batch sends nothing and leaves every buffer lent.
    /// </summary>
    /// <returns>
    /// How many were sent, from the start (the rest did not fit the ring and stay lent: hand them back again later, or
    /// release them). The sent ones are the device's until it completes them, then free to be lent again.
    /// </returns>
    /// <remarks>
    /// With <see cref="NicOptions.AutoRecover"/> a device fault found on the way resets the device: the frames sent before
    /// it are reported dropped, the buffers not sent are gone with the queue, and the count sent is returned.
    /// </remarks>
    /// <exception cref="ArgumentException">A buffer was lent by another queue (or NIC), or is a default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A buffer's <see cref="TxBuffer.Length"/> is 0, or the queue does not exist.</exception>
    /// <exception cref="InvalidOperationException">A buffer was already handed back (sent or released), or appears twice; or another call is running on the same queue.</exception>
    /// <exception cref="ObjectDisposedException">A buffer's NIC was disposed or reset since it was lent.</exception>
    public int TransmitBuffers(ReadOnlySpan<TxBuffer> buffers, int queue = 0)
    {
        var call = new SendBuffers(buffers, queue);
        Guard(ref call);
        return call.Sent;
    }

    private ref struct SendBuffers(ReadOnlySpan<TxBuffer> buffers, int queue) : IDataPathCall
    {
        private readonly ReadOnlySpan<TxBuffer> _buffers = buffers;
        public int Sent;

        public readonly ref int Owner(Nic nic) => ref nic.TxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            TxQueue tx = nic.TxAt(queue);
            tx.Claim(_buffers, send: true);
            tx.PostClaimed(_buffers, ref Sent); // counted as it goes: a fault ends the loop
            tx.RingDoorbell();
        }
    }

    /// <summary>Gives lent buffers back unsent (abandoned frames). Every buffer is checked first; a refused call gives back none.</summary>
    /// <exception cref="ArgumentException">A buffer was lent by another queue (or NIC), or is a default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The queue does not exist.</exception>
    /// <exception cref="InvalidOperationException">A buffer was already handed back (sent or released), or appears twice; or another call is running on the same queue.</exception>
    /// <exception cref="ObjectDisposedException">A buffer's NIC was disposed or reset since it was lent.</exception>
    public void ReleaseTxBuffers(ReadOnlySpan<TxBuffer> buffers, int queue = 0)
    {
        ref int owner = ref TxOwner(queue);
        if (Interlocked.CompareExchange(ref owner, 1, 0) != 0) ThrowInUse(ref owner);
        try
        {
            TxQueue tx = TxAt(queue);
            tx.Claim(buffers, send: false);
            tx.ReturnClaimed(buffers);
        }
        finally
        {
            Volatile.Write(ref owner, 0);
        }
    }

    /// <summary>Transmit buffers of <paramref name="queue"/> lent (<see cref="AcquireTxBuffers"/>) and not yet handed back.</summary>
    public int TxBuffersLent(int queue = 0) => TxAt(queue).LentBuffers;

    /// <summary>
    /// Lends up to <paramref name="maxFrames"/> received frames at once without copying (a burst); dispose the burst to
    /// give every buffer back. Frames are taken while they are waiting: the burst ends at the first gap.
    /// </summary>
    /// <returns>False when no frame is waiting (the burst is then empty).</returns>
    /// <remarks>
    /// A device fault met after the first frame ends the burst there (the frames before it are delivered); the next
    /// receive meets it again. Error-flagged frames are dropped on the way, as by <see cref="TryReceive(out RxLease, int)"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFrames"/> is below 1, or the queue does not exist.</exception>
    /// <exception cref="InvalidOperationException">An <see cref="RxLease"/> or <see cref="RxBurst"/> on this queue is still open, or another call is running on the same queue.</exception>
    /// <exception cref="DeviceFaultException">The device wrote an invalid descriptor or chain (only without <see cref="NicOptions.AutoRecover"/>).</exception>
    public bool TryReceiveBurst(out RxBurst burst, int maxFrames = 32, int queue = 0)
    {
        if (maxFrames < 1) throw new ArgumentOutOfRangeException(nameof(maxFrames), maxFrames, "a burst takes at least 1 frame");
        var call = new Burst(maxFrames, queue);
        Guard(ref call);
        burst = call.Frames;
        return call.Received;
    }

    private ref struct Burst(int maxFrames, int queue) : IDataPathCall
    {
        public bool Received;
        public RxBurst Frames;

        public readonly ref int Owner(Nic nic) => ref nic.RxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            if (nic.PeekAt(queue, out RxInfo info) is not RxQueue rx) return;
            int token = rx.BeginBurst();
            rx.Hold(info);
            try
            {
                while (rx.HeldFrames < maxFrames)
                {
                    // As PeekAt: a DQO device may hold the next completions until the queue's block fires (re-arm, look again).
                    if (!rx.TryPeek(out info) && !(nic._blocks!.RearmForPoll(rx.Block) && rx.TryPeek(out info))) break;
                    rx.Hold(info);
                }
            }
            catch (DeviceFaultException)
            {
                // Left where it is: the next receive meets it again (and recovers, with AutoRecover).
            }
            Frames = new RxBurst(rx, token);
            Received = true;
        }
    }
}
