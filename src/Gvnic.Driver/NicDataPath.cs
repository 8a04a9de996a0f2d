using System;
using System.Threading;
using Gvnic.Wire;

namespace Gvnic.Driver;

public sealed partial class Nic
{
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
        if (_resetPending && !RecoverPending()) return false;
        TxQueue tx = TxAt(queue);
        try
        {
            if (!tx.TryEnqueue(frame)) return false;
            tx.RingDoorbell();
            return true;
        }
        catch (DeviceFaultException e) when (_options.AutoRecover)
        {
            AutoRecover(e);
            return false;
        }
    }

    /// <summary>Sends frames in order with one doorbell; returns how many were taken (the rest did not fit).</summary>
    /// <remarks>
    /// With <see cref="NicOptions.AutoRecover"/> a device fault found on the way resets the device; the frames taken before
    /// it are then reported dropped (<see cref="NicResetReport.TxDropped"/>) and the count of them is returned.
    /// </remarks>
    public int TransmitBatch(ReadOnlySpan<ReadOnlyMemory<byte>> frames, int queue = 0)
    {
        if (_resetPending && !RecoverPending()) return 0;
        TxQueue tx = TxAt(queue);
        int taken = 0;
        try
        {
            while (taken < frames.Length && tx.TryEnqueue(frames[taken].Span)) taken++;
            tx.RingDoorbell();
        }
        catch (DeviceFaultException e) when (_options.AutoRecover)
        {
            AutoRecover(e);
        }
        return taken;
    }

    /// <summary>Reclaims ring and buffer space of frames the device has sent; returns how many completed.</summary>
    /// <remarks>
    /// Also reads device_status: with <see cref="NicOptions.AutoRecover"/> a reset the device asks for, or a device fault
    /// found in the completions, resets the device and brings it up again (the frames in flight are reported dropped).
    /// </remarks>
    /// <exception cref="DeviceFaultException">The device reported more completions than were posted (only without <see cref="NicOptions.AutoRecover"/>).</exception>
    public int ReclaimTransmitted(int queue = 0)
    {
        if (_resetPending && !RecoverPending()) return 0;
        TxQueue tx = TxAt(queue);
        int done;
        try
        {
            done = tx.Reclaim();
        }
        catch (DeviceFaultException e) when (_options.AutoRecover)
        {
            AutoRecover(e);
            return 0;
        }
        if (_options.AutoRecover && ResetRequested) Service(); // outside the try: a failed bring-up propagates as is
        return done;
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
        length = 0;
        info = default;
        if (_resetPending && !RecoverPending()) return false;
        RxQueue rx = RxAt(queue);
        if (rx.Leased) ThrowLeased(rx);
        if (!Peek(rx, out info)) return false;
        if (info.Length > buffer.Length) ThrowTooSmall(info.Length, buffer.Length);
        length = rx.PeekedSegments == 1 ? CopySingle(rx, buffer) : rx.CopyPeeked(buffer);
        rx.Consume();
        return true;
    }

    /// <summary>
    /// Lends the next received frame without copying; dispose the lease to give its buffers back. A frame longer
    /// than one RX buffer is lent as <see cref="RxLease.SegmentCount"/> segments (<see cref="RxLease.Segment"/>).
    /// </summary>
    /// <returns>False when no frame is waiting.</returns>
    public bool TryReceive(out RxLease lease, int queue = 0)
    {
        lease = default;
        if (_resetPending && !RecoverPending()) return false;
        RxQueue rx = RxAt(queue);
        if (rx.Leased) ThrowLeased(rx);
        if (!Peek(rx, out RxInfo info)) return false;
        lease = new RxLease(rx, rx.BeginLease(), info);
        return true;
    }

    /// <summary>Peeks the next frame; a device fault resets the device (with <see cref="NicOptions.AutoRecover"/>) and reports no frame.</summary>
    private bool Peek(RxQueue rx, out RxInfo info)
    {
        try
        {
            return rx.TryPeek(out info);
        }
        catch (DeviceFaultException e) when (_options.AutoRecover)
        {
            info = default;
            AutoRecover(e);
            return false;
        }
    }

    private static int CopySingle(RxQueue rx, Span<byte> buffer)
    {
        ReadOnlySpan<byte> frame = rx.PeekedSegment(0);
        frame.CopyTo(buffer);
        return frame.Length;
    }

    /// <summary>
    /// Waits until <paramref name="queue"/> has a received descriptor or <paramref name="timeout"/> passes.
    /// Polling mode polls; interrupt mode re-arms the queue's notification block (GQI: ACK | EVENT; DQO: ITR enable) and waits on its MSI-X vector.
    /// </summary>
    public bool WaitForReceive(TimeSpan timeout, int queue = 0)
    {
        RxQueue rx = RxAt(queue);
        if (rx.HasPending) return true;
        rx.FlushDoorbell(); // about to wait: the device must have every buffer given back
        if (_options.WaitMode == NicWaitMode.Interrupts)
        {
            int doorbell = _irqDoorbells[rx.Block];
            Unmask(doorbell, acknowledge: true);
            if (rx.HasPending) return true;
            if (_pci.Interrupts.Wait(_resources!.Vector(rx.Block), timeout)) Mask(doorbell);
            if (rx.HasPending) return true;
            Service(); // nothing came: maybe the device asks for a reset
            return false;
        }
        long start = _options.TimeProvider.GetTimestamp();
        var spin = new SpinWait();
        while (!rx.HasPending)
        {
            if (_options.TimeProvider.GetElapsedTime(start) >= timeout)
            {
                Service(); // nothing came: maybe the device asks for a reset
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
