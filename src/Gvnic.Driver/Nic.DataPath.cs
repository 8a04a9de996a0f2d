using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Gvnic.Driver.DataPlane;
using Gvnic.Wire;

namespace Gvnic.Driver;

public sealed partial class Nic
{
    // Every data-path call that may meet a device fault (Transmit, TransmitBatch, ReclaimTransmitted, both TryReceive)
    // is a small struct (a "call") run by Guard, the one place that takes the queue for the calling thread and applies
    // NicOptions.AutoRecover: the queue's ownership flag first, a reset waiting for a lease next, then the call, and a
    // DeviceFaultException from it turned into a reset. Calls are ref structs passed by reference to a generic method, so
    // nothing is allocated and the JIT compiles each call into its own Guard (each Run is inlined there: it has that one
    // caller).

    /// <summary>One data-path call: what it does, and what it did so far (its fields) when a device fault cut it short.</summary>
    private interface IDataPathCall
    {
        /// <summary>The ownership flag of the queue the call uses (checks the queue exists and the NIC is open).</summary>
        ref int Owner(Nic nic);

        /// <summary>Runs the call; may throw <see cref="DeviceFaultException"/> (a fault the queue cannot be trusted after).</summary>
        void Run(Nic nic);
    }

    /// <summary>Per queue: 1 while a data-path call runs on it (<see cref="Guard"/>, <see cref="WaitForReceive"/>), else 0.</summary>
    private int[] _txOwners = [];
    private int[] _rxOwners = [];

    /// <summary>
    /// Runs <paramref name="call"/> with its queue taken for the calling thread and under <see cref="NicOptions.AutoRecover"/>:
    /// a second thread (or a re-entrant call) on the same queue meanwhile is refused at once; a pending reset runs first
    /// (or, while an <see cref="RxLease"/> is open, the call does not run); a <see cref="DeviceFaultException"/> from the
    /// call resets the device and brings it up again, and the call's result is what it did before the fault.
    /// </summary>
    /// <returns>Whether the call ran to its end.</returns>
    /// <exception cref="InvalidOperationException">Another call is running on the same queue.</exception>
    private bool Guard<TCall>(ref TCall call) where TCall : IDataPathCall, allows ref struct
    {
        ref int owner = ref call.Owner(this);
        if (Interlocked.CompareExchange(ref owner, 1, 0) != 0) ThrowInUse(ref owner);
        try
        {
            if (_resetPending && !RecoverPending()) return false;
            try
            {
                call.Run(this);
                return true;
            }
            catch (DeviceFaultException e) when (_options.AutoRecover)
            {
                AutoRecover(e);
                return false;
            }
        }
        finally
        {
            Volatile.Write(ref owner, 0);
        }
    }

    private ref int TxOwner(int queue)
    {
        if ((uint)queue >= (uint)_tx.Length) ThrowQueue(queue, _tx.Length, "TX");
        return ref _txOwners[queue];
    }

    private ref int RxOwner(int queue)
    {
        if ((uint)queue >= (uint)_rx.Length) ThrowQueue(queue, _rx.Length, "RX");
        return ref _rxOwners[queue];
    }

    /// <summary>Refuses a call on a queue another call is using, naming the queue.</summary>
    private void ThrowInUse(ref int owner)
    {
        for (int q = 0; q < _txOwners.Length; q++)
            if (Unsafe.AreSame(ref owner, ref _txOwners[q])) throw InUse("TX queue " + q);
        for (int q = 0; q < _rxOwners.Length; q++)
            if (Unsafe.AreSame(ref owner, ref _rxOwners[q])) throw InUse("RX queue " + q);
        throw InUse("a queue");
    }

    private static InvalidOperationException InUse(string queue)
        => new(queue + " is in use by another call (another thread, or a call made from inside one): each queue belongs to one thread at a time");

    /// <summary>Sends one frame (Ethernet header included, no FCS) on <paramref name="queue"/>.</summary>
    /// <returns>False when the ring or its buffer space is full (nothing was sent; try again after completions).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The frame is empty or longer than <see cref="MaxFrameSize"/>, or the queue does not exist.</exception>
    /// <exception cref="DeviceFaultException">The device reported more completions than were posted.</exception>
    /// <remarks>
    /// With <see cref="NicOptions.AutoRecover"/> a device fault found on the way (while reclaiming space) resets the device
    /// and brings it up again; the call then returns false (the frame was not sent: send it again).
    /// </remarks>
    public bool Transmit(ReadOnlySpan<byte> frame, int queue = 0)
    {
        var call = new Send(frame, queue);
        Guard(ref call);
        return call.Sent;
    }

    private ref struct Send(ReadOnlySpan<byte> frame, int queue) : IDataPathCall
    {
        private readonly ReadOnlySpan<byte> _frame = frame;
        public bool Sent;

        public readonly ref int Owner(Nic nic) => ref nic.TxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            TxQueue tx = nic.TxAt(queue);
            if (!tx.TryEnqueue(_frame)) return;
            tx.RingDoorbell();
            Sent = true;
        }
    }

    /// <summary>Sends frames in order with one doorbell; returns how many were taken (the rest did not fit).</summary>
    /// <remarks>
    /// With <see cref="NicOptions.AutoRecover"/> a device fault found on the way resets the device; the frames taken before
    /// it are then reported dropped (<see cref="NicResetReport.TxDropped"/>) and the count of them is returned.
    /// </remarks>
    public int TransmitBatch(ReadOnlySpan<ReadOnlyMemory<byte>> frames, int queue = 0)
    {
        var call = new SendBatch(frames, queue);
        Guard(ref call);
        return call.Taken;
    }

    private ref struct SendBatch(ReadOnlySpan<ReadOnlyMemory<byte>> frames, int queue) : IDataPathCall
    {
        private readonly ReadOnlySpan<ReadOnlyMemory<byte>> _frames = frames;
        public int Taken;

        public readonly ref int Owner(Nic nic) => ref nic.TxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            TxQueue tx = nic.TxAt(queue);
            int taken = 0;
            while (taken < _frames.Length && tx.TryEnqueue(_frames[taken].Span)) Taken = ++taken; // kept as it goes: a fault ends the loop
            tx.RingDoorbell();
        }
    }

    /// <summary>Reclaims ring and buffer space of frames the device has sent; returns how many completed.</summary>
    /// <remarks>
    /// Also reads device_status: with <see cref="NicOptions.AutoRecover"/> a reset the device asks for, or a device fault
    /// found in the completions, resets the device and brings it up again (the frames in flight are reported dropped).
    /// </remarks>
    /// <exception cref="DeviceFaultException">The device reported more completions than were posted (only without <see cref="NicOptions.AutoRecover"/>).</exception>
    public int ReclaimTransmitted(int queue = 0)
    {
        var call = new Reclaim(queue);
        if (!Guard(ref call)) return 0;
        if (_options.AutoRecover && StatusCallsForService()) Service(); // outside the guard: a failed bring-up propagates as is
        return call.Completed;
    }

    private ref struct Reclaim(int queue) : IDataPathCall
    {
        public int Completed;

        public readonly ref int Owner(Nic nic) => ref nic.TxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            TxQueue tx = nic.TxAt(queue);
            Completed = tx.Reclaim();
            // Completions still awaited: a DQO device may hold them until the block fires (re-arm, look again).
            if (tx.AwaitsCompletions && nic._blocks!.RearmForPoll(tx.Block)) Completed += tx.Reclaim();
        }
    }

    /// <summary>
    /// One read of device_status: whether the device asks for a reset, or (revision ≥ 1) shows DEVICE_IS_RESET after this
    /// instance saw it clear (or still, <see cref="NicOptions.AdminTimeout"/> after the bring-up). (Revision 0's adminq_pfn is left to <see cref="Service"/>: one read per reclaim is enough.)
    /// </summary>
    private bool StatusCallsForService()
    {
        DeviceStatusFlags status = _bar0.ReadDeviceStatus();
        if ((status & DeviceStatusFlags.Reset) != 0) return true;
        return _pci.RevisionId != 0 && DeviceResetItself(status);
    }

    /// <summary>Frames posted on <paramref name="queue"/> that the device has neither reported sent nor the driver counted dropped (a DQO miss whose re-injection timed out: <see cref="TxQueueStatistics.TimedOut"/>), as of the last reclaim.</summary>
    public int TransmitsInFlight(int queue = 0) => TxAt(queue).InFlight;

    /// <summary>Copies the next received frame into <paramref name="buffer"/>, whole, however many RX buffers it spans.</summary>
    /// <returns>False when no frame is waiting (or the device has not finished writing a multi-buffer frame).</returns>
    /// <exception cref="ArgumentException">The frame is longer than <paramref name="buffer"/> (it stays queued; retry with <see cref="MaxFrameSize"/> bytes).</exception>
    /// <exception cref="InvalidOperationException">An <see cref="RxLease"/> on this queue is still open.</exception>
    /// <exception cref="DeviceFaultException">The device wrote an invalid descriptor or chain.</exception>
    /// <remarks>
    /// A frame the device described wrongly is dropped and counted (<see cref="RxQueueStatistics.DeviceFaults"/>). With
    /// <see cref="NicOptions.AutoRecover"/> a fault the ring cannot be trusted after resets the device and brings it up
    /// again; the call then returns false.
    /// </remarks>
    public bool TryReceive(Span<byte> buffer, out int length, out RxInfo info, int queue = 0)
    {
        var call = new Copy(buffer, queue);
        Guard(ref call);
        length = call.Length;
        info = call.Info;
        return call.Received;
    }

    private ref struct Copy(Span<byte> buffer, int queue) : IDataPathCall
    {
        private readonly Span<byte> _buffer = buffer;
        public bool Received;
        public int Length;
        public RxInfo Info;

        public readonly ref int Owner(Nic nic) => ref nic.RxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            if (nic.PeekAt(queue, out RxInfo info) is not RxQueue rx) return;
            if (info.Length > _buffer.Length) ThrowTooSmall(info.Length, _buffer.Length);
            Length = rx.PeekedSegments == 1 ? CopySingle(rx, _buffer) : rx.CopyPeeked(_buffer);
            Info = info;
            rx.Consume();
            Received = true;
        }
    }

    /// <summary>
    /// Lends the next received frame without copying; dispose the lease to give its buffers back. A frame longer
    /// than one RX buffer is lent as <see cref="RxLease.SegmentCount"/> segments (<see cref="RxLease.Segment"/>).
    /// </summary>
    /// <returns>False when no frame is waiting.</returns>
    public bool TryReceive(out RxLease lease, int queue = 0)
    {
        var call = new Lend(queue);
        Guard(ref call);
        lease = call.Lease;
        return call.Lent;
    }

    private ref struct Lend(int queue) : IDataPathCall
    {
        public bool Lent;
        public RxLease Lease;

        public readonly ref int Owner(Nic nic) => ref nic.RxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            if (nic.PeekAt(queue, out RxInfo info) is not RxQueue rx) return;
            Lease = new RxLease(rx, rx.BeginLease(), info);
            Lent = true;
        }
    }

    /// <summary>RX queue <paramref name="queue"/> with its next frame peeked, or null when no frame is waiting.</summary>
    /// <exception cref="InvalidOperationException">A lease on the queue is still open.</exception>
    private RxQueue? PeekAt(int queue, out RxInfo info)
    {
        RxQueue rx = RxAt(queue);
        if (rx.Leased) ThrowLeased(rx);
        if (rx.TryPeek(out info)) return rx;
        // Nothing new: a DQO device may hold the frame's completion until the queue's block fires (re-arm, look again).
        if (_blocks!.RearmForPoll(rx.Block) && rx.TryPeek(out info)) return rx;
        rx.FlushDoorbell(); // the queue is empty: announce every buffer given back
        return null;
    }

    private static int CopySingle(RxQueue rx, Span<byte> buffer)
    {
        ReadOnlySpan<byte> frame = rx.PeekedSegment(0);
        frame.CopyTo(buffer);
        return frame.Length;
    }

    /// <summary>
    /// Waits until <paramref name="queue"/> has a received descriptor or <paramref name="timeout"/> passes.
    /// Polling mode polls (on DQO re-arming the queue's notification block at every look, so that the device writes back
    /// a completion it holds); interrupt mode re-arms the block (GQI: ACK | EVENT; DQO: ITR enable) and waits on its MSI-X vector.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another call is running on the same queue.</exception>
    public bool WaitForReceive(TimeSpan timeout, int queue = 0)
    {
        ref int owner = ref RxOwner(queue);
        if (Interlocked.CompareExchange(ref owner, 1, 0) != 0) ThrowInUse(ref owner);
        try
        {
            return Wait(timeout, queue);
        }
        finally
        {
            Volatile.Write(ref owner, 0);
        }
    }

    private bool Wait(TimeSpan timeout, int queue)
    {
        RxQueue rx = RxAt(queue);
        if (rx.HasPending) return true;
        rx.FlushDoorbell(); // about to wait: the device must have every buffer given back
        if (_options.WaitMode == NicWaitMode.Interrupts)
        {
            Lifecycle.NicInstance instance = _instance!;
            int vector = instance.Resources.Vector(rx.Block);
            long began = _options.TimeProvider.GetTimestamp();
            while (true)
            {
                instance.Blocks.Rearm(rx.Block);
                if (rx.HasPending) return true;
                TimeSpan left = timeout - _options.TimeProvider.GetElapsedTime(began);
                if (left <= TimeSpan.Zero || !_pci.Interrupts.Wait(vector, left)) break;
                instance.Blocks.Mask(rx.Block);
                if (rx.HasPending) return true;
                // A wake-up with nothing new: the interrupt of a frame already seen (the block fired at a re-arm that
                // raced the look after it). Arm again and wait out the rest of the time.
            }
            ServiceHolding(queue); // nothing came: maybe the device asks for a reset
            return false;
        }
        long start = _options.TimeProvider.GetTimestamp();
        var spin = new SpinWait();
        NotificationBlocks blocks = _blocks!;
        while (!rx.HasPending)
        {
            if (blocks.RearmForPoll(rx.Block) && rx.HasPending) break;
            if (_options.TimeProvider.GetElapsedTime(start) >= timeout)
            {
                ServiceHolding(queue); // nothing came: maybe the device asks for a reset
                return false;
            }
            spin.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }

    /// <summary>The counters of TX queue <paramref name="queue"/>.</summary>
    public TxQueueStatistics GetTxStatistics(int queue = 0) => TxAt(queue).Statistics;

    /// <summary>The counters of RX queue <paramref name="queue"/>.</summary>
    public RxQueueStatistics GetRxStatistics(int queue = 0) => RxAt(queue).Statistics;

    private static void ThrowLeased(RxQueue rx) => throw new InvalidOperationException(rx.Name + " has an " + (rx.Bursting ? nameof(RxBurst) : nameof(RxLease)) + " that was not disposed");

    private static void ThrowTooSmall(int needed, int have) => throw new ArgumentException("the frame has " + needed + " bytes but the buffer only " + have + "; it stays queued", "buffer");
}
