using System;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Zero-copy transmit: frames built in place in buffers lent out of the queue's DMA memory (<see cref="TxBuffer"/>).</summary>
public class ZeroCopyTransmitTests
{
    private static (SimulatedGvnic Device, VirtualWire Wire, Nic Nic) Open(QueueFormat format, int queues = 1, ExecutionMode execution = ExecutionMode.Synchronous, int? mtu = null)
    {
        SimulatedGvnic device = TestDevices.Create(formats: JumboFrameTests.AllFormats, execution: execution);
        VirtualWire wire = VirtualWire.Loopback();
        device.AttachWire(wire);
        Nic nic = Nic.Open(device, TestDevices.Options(format, queues) with { Mtu = mtu });
        return (device, wire, nic);
    }

    private static byte[][] Sent(VirtualWire wire) => wire.Frames.Where(f => f.Direction == FrameDirection.Transmit).Select(f => f.Data).ToArray();

    /// <summary>Acquires every buffer the queue will lend (the count).</summary>
    private static int AcquireAll(Nic nic, TxBuffer[] into, int queue = 0)
    {
        int n = nic.AcquireTxBuffers(into, queue);
        Assert.True(n < into.Length, "the array was too small to take every buffer");
        return n;
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void The_bytes_on_the_wire_are_the_bytes_written_in_place(QueueFormat format)
    {
        var (device, wire, nic) = Open(format, mtu: JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            // Around GQI's 182-byte header descriptor and DQO's 2048-byte chunks, up to the largest frame.
            int[] lengths = [60, 181, 182, 183, 1000, 2047, 2048, 2049, 4100, 8000, nic.MaxFrameSize];
            var buffers = new TxBuffer[lengths.Length];
            Assert.Equal(lengths.Length, nic.AcquireTxBuffers(buffers));
            Assert.Equal(lengths.Length, nic.TxBuffersLent());
            var frames = new byte[lengths.Length][];
            for (int i = 0; i < lengths.Length; i++)
            {
                frames[i] = JumboFrameTests.Frame(lengths[i], i);
                Assert.Equal(nic.MaxFrameSize, buffers[i].Capacity);
                Assert.Equal(nic.MaxFrameSize, buffers[i].Data.Length);
                frames[i].CopyTo(buffers[i].Data);
                buffers[i].Length = lengths[i];
                Assert.True(frames[i].AsSpan().SequenceEqual(buffers[i].Frame));
            }
            // A copied frame between zero-copy batches keeps its place in the order.
            byte[] copied = JumboFrameTests.Frame(300, 99);
            Assert.Equal(4, nic.TransmitBuffers(buffers.AsSpan(0, 4)));
            Assert.True(nic.Transmit(copied));
            Assert.Equal(lengths.Length - 4, nic.TransmitBuffers(buffers.AsSpan(4)));
            Assert.Equal(0, nic.TxBuffersLent());

            byte[][] expected = [.. frames[..4], copied, .. frames[4..]];
            byte[][] sent = Sent(wire);
            Assert.Equal(expected.Length, sent.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(expected[i].AsSpan().SequenceEqual(sent[i]), "frame " + i + " (" + expected[i].Length + " bytes) differs on the wire");

            // And back through the loopback, the same bytes.
            var buffer = new byte[nic.MaxFrameSize];
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(nic.TryReceive(buffer, out int length, out _));
                Assert.True(expected[i].AsSpan().SequenceEqual(buffer.AsSpan(0, length)), "received frame " + i + " differs");
            }
            nic.ReclaimTransmitted();
            Assert.Equal(0, nic.TransmitsInFlight());
            TxQueueStatistics stats = nic.GetTxStatistics();
            Assert.Equal(expected.Length, stats.Packets);
            Assert.Equal(expected.Sum(f => (long)f.Length), stats.Bytes);
            Assert.Equal(expected.Length, stats.Completed);
            Assert.Empty(device.Violations);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void Every_buffer_comes_back_sent_or_released_in_any_order(QueueFormat format)
    {
        var (device, wire, nic) = Open(format, execution: ExecutionMode.Manual);
        using (device)
        using (nic)
        {
            var all = new TxBuffer[4096];
            int pool = AcquireAll(nic, all);
            Assert.True(pool >= 64, "only " + pool + " buffers lent");
            Assert.Equal(pool, nic.TxBuffersLent());
            nic.ReleaseTxBuffers(all.AsSpan(0, pool));
            Assert.Equal(0, nic.TxBuffersLent());

            var rng = new Random(18);
            long sentTotal = 0;
            var held = new TxBuffer[64];
            for (int round = 0; round < 40; round++)
            {
                // Take a batch, send some out of order, release others, keep a few across the round.
                int n = nic.AcquireTxBuffers(held);
                Assert.Equal(held.Length, n);
                for (int i = 0; i < n; i++)
                {
                    int length = 60 + rng.Next(nic.MaxFrameSize - 60);
                    byte[] frame = JumboFrameTests.Frame(length, round * 64 + i);
                    frame.CopyTo(held[i].Data);
                    held[i].Length = length;
                }
                rng.Shuffle(held);
                int send = rng.Next(n);
                int sent = nic.TransmitBuffers(held.AsSpan(0, send));
                Assert.Equal(send, sent);
                nic.ReleaseTxBuffers(held.AsSpan(send));
                sentTotal += sent;
                device.RunPending();
                nic.ReclaimTransmitted();
                Assert.Equal(0, nic.TxBuffersLent());
                Assert.Equal(0, nic.TransmitsInFlight());
                while (nic.TryReceive(out RxLease lease)) lease.Dispose();
            }
            Assert.Equal(sentTotal, Sent(wire).Length);
            Assert.Equal(sentTotal, nic.GetTxStatistics().Completed);

            // Nothing leaked: the whole pool lends again.
            Assert.Equal(pool, AcquireAll(nic, all));
            nic.ReleaseTxBuffers(all.AsSpan(0, pool));
            Assert.Empty(device.Violations);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void A_buffer_kept_while_copied_frames_wrap_the_buffer_space_is_not_overwritten(QueueFormat format)
    {
        var (device, wire, nic) = Open(format);
        using (device)
        using (nic)
        {
            var kept = new TxBuffer[2];
            Assert.Equal(2, nic.AcquireTxBuffers(kept));
            byte[] first = JumboFrameTests.Frame(nic.MaxFrameSize, 1), second = JumboFrameTests.Frame(700, 2);
            first.CopyTo(kept[0].Data);
            kept[0].Length = first.Length;
            second.CopyTo(kept[1].Data);
            kept[1].Length = second.Length;

            // Far more copied bytes than the queue's buffer space (512 KiB), each completed at once (synchronous device).
            byte[] filler = JumboFrameTests.Frame(1400, 3);
            int copied = 0;
            for (int i = 0; i < 2000; i++)
            {
                if (nic.Transmit(filler)) copied++;
                nic.ReclaimTransmitted();
            }
            Assert.True(copied > 0);
            // GQI: the kept buffers hold back the FIFO space after them, so the copying path stops short of them;
            // DQO: other tags carry the copies. Either way the kept bytes are intact.
            Assert.True(first.AsSpan().SequenceEqual(kept[0].Frame));
            Assert.Equal(2, nic.TransmitBuffers([kept[1], kept[0]]));
            byte[][] sent = Sent(wire);
            Assert.Equal(copied + 2, sent.Length);
            Assert.True(second.AsSpan().SequenceEqual(sent[^2]));
            Assert.True(first.AsSpan().SequenceEqual(sent[^1]));
            nic.ReclaimTransmitted();

            // Once they are sent the space is free again: the copying path runs without refusals.
            long full = nic.GetTxStatistics().Full;
            for (int i = 0; i < 2000; i++)
            {
                Assert.True(nic.Transmit(filler), "copied frame " + i + " refused after the kept buffers were sent");
                nic.ReclaimTransmitted();
            }
            Assert.Equal(full, nic.GetTxStatistics().Full);
            Assert.Empty(device.Violations);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void A_full_ring_sends_what_fits_and_the_rest_stays_lent(QueueFormat format)
    {
        var (device, wire, nic) = Open(format, execution: ExecutionMode.Manual);
        using (device)
        using (nic)
        {
            var buffers = new TxBuffer[4096];
            int pool = AcquireAll(nic, buffers);
            for (int i = 0; i < pool; i++)
            {
                JumboFrameTests.Frame(200, i).CopyTo(buffers[i].Data);
                buffers[i].Length = 200;
            }
            // 200 bytes: 2 GQI descriptors or 2 DQO ones (context + data) a frame, so a 256-entry ring takes at most 128.
            int sent = nic.TransmitBuffers(buffers.AsSpan(0, pool));
            Assert.InRange(sent, 1, 128);
            Assert.True(sent < pool, "every lent buffer fit the ring");
            Assert.Equal(pool - sent, nic.TxBuffersLent());
            Assert.True(nic.GetTxStatistics().Full > 0);
            device.RunPending();
            nic.ReclaimTransmitted();
            int rest = sent;
            while (rest < pool)
            {
                int more = nic.TransmitBuffers(buffers.AsSpan(rest, pool - rest));
                Assert.True(more > 0);
                rest += more;
                device.RunPending();
                nic.ReclaimTransmitted();
            }
            Assert.Equal(0, nic.TxBuffersLent());
            byte[][] onWire = Sent(wire);
            Assert.Equal(pool, onWire.Length);
            for (int i = 0; i < pool; i++) Assert.True(JumboFrameTests.Frame(200, i).AsSpan().SequenceEqual(onWire[i]), "frame " + i + " differs");
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void Bad_hand_backs_are_refused_and_change_nothing(QueueFormat format)
    {
        var (device, wire, nic) = Open(format, queues: 2);
        using (device)
        using (nic)
        {
            var buffers = new TxBuffer[3];
            Assert.Equal(3, nic.AcquireTxBuffers(buffers));
            for (int i = 0; i < 3; i++)
            {
                JumboFrameTests.Frame(100, i).CopyTo(buffers[i].Data);
                buffers[i].Length = 100;
            }
            var other = new TxBuffer[1];
            Assert.Equal(1, nic.AcquireTxBuffers(other, queue: 1));
            Assert.Equal(1, other[0].Queue);
            other[0].Length = 100;

            // A length above the buffer, or none.
            var tooLong = Assert.Throws<ArgumentOutOfRangeException>(() => buffers[0].Length = nic.MaxFrameSize + 1);
            Assert.Contains("0 … " + nic.MaxFrameSize, tooLong.Message);
            TxBuffer empty = buffers[2];
            empty.Length = 0;
            var noLength = Assert.Throws<ArgumentOutOfRangeException>(() => nic.TransmitBuffers([buffers[0], empty]));
            Assert.Contains("buffers[1]", noLength.Message);
            Assert.Contains("Length 0", noLength.Message);

            // One from another queue: named, and the buffers before it in the batch are not sent.
            var foreign = Assert.Throws<ArgumentException>(() => nic.TransmitBuffers([buffers[0], other[0]]));
            Assert.Contains("buffers[1] was lent by TX queue 1, not by TX queue 0", foreign.Message);
            var defaultBuffer = Assert.Throws<ArgumentException>(() => nic.TransmitBuffers([default(TxBuffer)]));
            Assert.Contains("default TxBuffer", defaultBuffer.Message);

            // The same buffer twice in one batch.
            var twice = Assert.Throws<InvalidOperationException>(() => nic.TransmitBuffers([buffers[0], buffers[1], buffers[0]]));
            Assert.Contains("buffers[2]", twice.Message);
            Assert.Contains("appears twice", twice.Message);
            Assert.Empty(Sent(wire));
            Assert.Equal(3, nic.TxBuffersLent());

            // Handed back twice: after it was sent, or released.
            Assert.Equal(1, nic.TransmitBuffers(buffers.AsSpan(0, 1)));
            var again = Assert.Throws<InvalidOperationException>(() => nic.TransmitBuffers(buffers.AsSpan(0, 2)));
            Assert.Contains("buffers[0]", again.Message);
            Assert.Contains("already handed back", again.Message);
            Assert.Throws<InvalidOperationException>(() => nic.ReleaseTxBuffers(buffers.AsSpan(0, 1)));
            Assert.Throws<InvalidOperationException>(() => buffers[0].Data.Length);
            nic.ReleaseTxBuffers(buffers.AsSpan(1, 1));
            var released = Assert.Throws<InvalidOperationException>(() => nic.TransmitBuffers(buffers.AsSpan(1, 1)));
            Assert.Contains("already handed back", released.Message);

            // A stale handle is refused even when its buffer is lent again (to a new handle, which works).
            nic.ReclaimTransmitted();
            var fresh = new TxBuffer[4096];
            int n = nic.AcquireTxBuffers(fresh);
            if (format is QueueFormat.DqoRda or QueueFormat.DqoQpl)
                Assert.Contains(fresh.Take(n), b => IsSameBuffer(b, buffers[1])); // DQO lends its tags again, last freed first
            Assert.Throws<InvalidOperationException>(() => nic.TransmitBuffers(buffers.AsSpan(1, 1)));
            Assert.Throws<InvalidOperationException>(() => buffers[1].Data.Length);
            nic.ReleaseTxBuffers(fresh.AsSpan(0, n));

            Assert.Single(Sent(wire));
            Assert.True(JumboFrameTests.Frame(100, 0).AsSpan().SequenceEqual(Sent(wire)[0]));
            Assert.Equal(1, nic.TxBuffersLent()); // buffers[2]
            Assert.Equal(1, nic.TxBuffersLent(1));
            nic.ReleaseTxBuffers(buffers.AsSpan(2, 1));
            nic.ReleaseTxBuffers(other, queue: 1);
            Assert.Equal(0, nic.TxBuffersLent());
            Assert.Equal(0, nic.TxBuffersLent(1));
        }
    }

    /// <summary>Whether two handles name the same buffer of the same queue (lent at different times).</summary>
    private static bool IsSameBuffer(TxBuffer a, TxBuffer b) => a.Owner == b.Owner && a.Index == b.Index;

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void Buffers_lent_when_the_nic_resets_or_is_disposed_are_refused_and_the_memory_is_freed(QueueFormat format)
    {
        var (device, wire, nic) = Open(format);
        using (device)
        {
            var buffers = new TxBuffer[2];
            Assert.Equal(2, nic.AcquireTxBuffers(buffers));
            buffers[0].Length = 60;
            nic.Recover();
            var reset = Assert.Throws<ObjectDisposedException>(() => nic.TransmitBuffers(buffers.AsSpan(0, 1)));
            Assert.Contains("disposed or reset", reset.Message);
            Assert.Throws<ObjectDisposedException>(() => buffers[1].Data.Length);
            Assert.Equal(0, nic.TxBuffersLent()); // the new queue lends from a full pool

            Assert.Equal(2, nic.AcquireTxBuffers(buffers));
            nic.Dispose();
            Assert.Throws<ObjectDisposedException>(() => buffers[0].Data.Length);
            Assert.Throws<ObjectDisposedException>(() => nic.TransmitBuffers(buffers));
            Assert.Throws<ObjectDisposedException>(() => nic.AcquireTxBuffers(buffers));
            Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
            Assert.Empty(Sent(wire));
        }
    }
}
