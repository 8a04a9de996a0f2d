using System;
using System.Runtime.CompilerServices;
using Gvnic.Driver.DataPlane;

namespace Gvnic.Driver;

public sealed partial class Nic
{
    /// <summary>
    /// The largest frame <see cref="Transmit(ReadOnlySpan{byte}, int, in TxOffload)"/> sends with TSO on
    /// <paramref name="queue"/>: what its buffer space holds at once (GQI: its FIFO, at most 65535 bytes as a packet
    /// descriptor's len; DQO: its tags' buffers and ring, at most dqo_tx_max). A lent buffer (<see cref="TxBuffer"/>)
    /// holds <see cref="MaxFrameSize"/> bytes whatever the offload.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The queue does not exist.</exception>
    public int MaxTsoFrameSize(int queue = 0) => TxAt(queue).OffloadLimits.MaxTsoFrame;

    /// <summary>
    /// Sends one frame (Ethernet header included, no FCS) on <paramref name="queue"/> with <paramref name="offload"/>: the
    /// device computes its TCP or UDP checksum (<see cref="TxOffload.L4Checksum"/>), or cuts a TCP frame into segments of
    /// <see cref="TxOffload.Mss"/> payload bytes (<see cref="TxOffload.Tso"/>, frames up to <see cref="MaxTsoFrameSize"/>).
    /// <see cref="TxOffload.None"/> is <see cref="Transmit(ReadOnlySpan{byte}, int)"/>.
    /// </summary>
    /// <returns>False when the ring or its buffer space is full (nothing was sent; try again after completions).</returns>
    /// <remarks>
    /// The driver reads the frame's headers (Ethernet with at most one VLAN tag; IPv4 without fragments or IPv6 without
    /// extension headers, their lengths matching the frame; TCP or UDP) and writes the pseudo-header sum into the copy's
    /// checksum field, as the Linux stack does for upstream's driver: the frame's own checksum field may hold anything.
    /// The frame itself is not changed. Nothing reaches the ring when the frame is refused.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The frame cannot be offloaded, and the message says why: not IPv4/IPv6 with TCP/UDP, lengths that do not match, TSO
    /// of UDP or of a TCP segment without payload, an MSS below the DQO minimum (88, tx_min_tso_mss_dqo) or making segments
    /// larger than the MTU, headers longer than DQO's 255 bytes (tx_max_hdr_size_dqo), a segment needing more than 10 DQO
    /// data descriptors (tx_max_data_descs), a frame larger than <see cref="MaxTsoFrameSize"/> (TSO) or <see cref="MaxFrameSize"/>.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The frame is empty or too long without offload, or the queue does not exist.</exception>
    /// <exception cref="DeviceFaultException">The device reported more completions than were posted (only without <see cref="NicOptions.AutoRecover"/>).</exception>
    public bool Transmit(ReadOnlySpan<byte> frame, int queue, in TxOffload offload)
    {
        if (offload.Kind == TxOffloadKind.None) return Transmit(frame, queue);
        var call = new SendOffloaded(frame, queue, offload);
        Guard(ref call);
        return call.Sent;
    }

    private ref struct SendOffloaded(ReadOnlySpan<byte> frame, int queue, TxOffload offload) : IDataPathCall
    {
        private readonly ReadOnlySpan<byte> _frame = frame;
        public bool Sent;

        public readonly ref int Owner(Nic nic) => ref nic.TxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            TxQueue tx = nic.TxAt(queue);
            TxOffloadPlan plan = TxOffloadPlanner.Plan(_frame, offload, tx.OffloadLimits, tx.Name, "frame");
            if (!tx.TryEnqueue(_frame, plan)) return;
            tx.RingDoorbell();
            Sent = true;
        }
    }

    /// <summary>
    /// As <see cref="TransmitBuffers(ReadOnlySpan{TxBuffer}, int)"/>, every buffer sent with <paramref name="offload"/>
    /// (see <see cref="Transmit(ReadOnlySpan{byte}, int, in TxOffload)"/>). Every buffer is checked before any is sent:
    /// a refused batch sends nothing and leaves every buffer lent. The driver writes the pseudo-header sum into each
    /// buffer's checksum field in place. A TSO frame in a lent buffer is at most <see cref="MaxFrameSize"/> bytes.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="TransmitBuffers(ReadOnlySpan{TxBuffer}, int)"/>, or a buffer's frame cannot be offloaded (the message names buffers[i] and why).</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="TransmitBuffers(ReadOnlySpan{TxBuffer}, int)"/>.</exception>
    /// <exception cref="InvalidOperationException">As <see cref="TransmitBuffers(ReadOnlySpan{TxBuffer}, int)"/>.</exception>
    /// <exception cref="ObjectDisposedException">As <see cref="TransmitBuffers(ReadOnlySpan{TxBuffer}, int)"/>.</exception>
    public int TransmitBuffers(ReadOnlySpan<TxBuffer> buffers, int queue, in TxOffload offload)
    {
        if (offload.Kind == TxOffloadKind.None) return TransmitBuffers(buffers, queue);
        var call = new SendBuffersOffloaded(buffers, queue, offload);
        Guard(ref call);
        return call.Sent;
    }

    private ref struct SendBuffersOffloaded(ReadOnlySpan<TxBuffer> buffers, int queue, TxOffload offload) : IDataPathCall
    {
        private readonly ReadOnlySpan<TxBuffer> _buffers = buffers;
        public int Sent;

        public readonly ref int Owner(Nic nic) => ref nic.TxOwner(queue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(Nic nic)
        {
            TxQueue tx = nic.TxAt(queue);
            tx.Claim(_buffers, send: true);
            tx.PlanClaimed(_buffers, offload);
            tx.PostClaimed(_buffers, ref Sent, offload); // counted as it goes: a fault ends the loop
            tx.RingDoorbell();
        }
    }
}
