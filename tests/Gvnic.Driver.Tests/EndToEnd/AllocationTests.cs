using System;
using System.Threading;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    private const int Queues = 2;
    private const int MeasuredRounds = 2000;
    private const int WindowRounds = 400;

    /// <summary>
    /// The driver's data path allocates nothing: exactly 0 bytes in every window of hundreds of rounds on every queue
    /// (all windows but at most one, which a one-off runtime allocation may touch; see step 3).
    /// </summary>
    /// <remarks>
    /// Only the driver runs inside the measured windows: the device runs in manual mode (its work happens in
    /// <see cref="SimulatedGvnic.RunPending"/>, between windows) and the doorbells the driver rings inside a window
    /// are logged by <see cref="TamperingPci.DeferBar2Writes"/> and delivered, in order, after it. Before measuring,
    /// every path is warmed up (every TX and RX queue, each ring wrapped several times, the TX buffer FIFO wrapped,
    /// copies and leases, batches) and tiered compilation is given time to install its optimised code, so the JIT
    /// has nothing left to do on this thread when the counting starts.
    /// </remarks>
    /// <remarks>With <paramref name="jumbo"/>, the MTU is 8896 and a third of the frames are 8000 bytes long, so
    /// every receive reassembles a chain of four buffers (copies, and leases read segment by segment).</remarks>
    [Theory]
    [InlineData(QueueFormat.GqiQpl, false)]
    [InlineData(QueueFormat.GqiRda, false)]
    [InlineData(QueueFormat.DqoRda, false)]
    [InlineData(QueueFormat.DqoQpl, false)]
    [InlineData(QueueFormat.GqiQpl, true)]
    [InlineData(QueueFormat.GqiRda, true)]
    [InlineData(QueueFormat.DqoRda, true)]
    [InlineData(QueueFormat.DqoQpl, true)]
    [InlineData(QueueFormat.DqoRda, false, true)]
    [InlineData(QueueFormat.DqoQpl, true, true)]
    [InlineData(QueueFormat.DqoRda, false, true, true)]
    [InlineData(QueueFormat.DqoRda, true, false, true)]
    [InlineData(QueueFormat.DqoRda, false, false, false, true)]
    [InlineData(QueueFormat.DqoQpl, true, true, false, true)]
    public void DataPathAllocatesNothing(QueueFormat format, bool jumbo, bool dqoOutOfOrder = false, bool headerSplit = false, bool timestamps = false)
    {
        // dqoOutOfOrder: the device completes out of order with misses and re-injections, and fills RX buffers shuffled.
        using SimulatedGvnic device = new(new SimulatedDeviceConfig
        {
            Formats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl, Execution = ExecutionMode.Manual,
            Mac = TestDevices.DeviceMac, DqoReorderWindow = dqoOutOfOrder ? 8 : 0, DqoMissRate = dqoOutOfOrder ? 0.25 : 0, DqoShuffleRxBuffers = dqoOutOfOrder,
            HeaderBufferSize = headerSplit ? (ushort)128 : (ushort)0, NicTimestamp = timestamps,
        });
        device.AttachWire(VirtualWire.Loopback());
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(format, Queues) with { RdaTxBufferBytes = 64 * 1024, Mtu = jumbo ? JumboFrameTests.JumboMtu : null, HeaderSplit = headerSplit, Timestamps = timestamps });
        var run = new Rounds(nic, device, pci, jumbo);

        // 1. Warm up every path: at least 1000 rounds, and until every ring has wrapped three times.
        int warm = 0;
        while (warm < 1000 || !run.EveryRingWrapped(3))
        {
            run.Round();
            warm++;
            Assert.True(warm < 50_000, "the rings did not wrap: " + run.Describe());
        }
        // 2. Let tiered compilation catch up: methods hot in the warm-up are recompiled on a background thread
        //    after a delay; give it that time, then run them again so the new code is what gets measured.
        for (int pass = 0; pass < 3; pass++)
        {
            Thread.Sleep(200);
            for (int i = 0; i < 300; i++) run.Round();
        }

        // 3. Measure, in windows. Any allocation the data path makes per frame, per batch or periodically (at
        //    least once every WindowRounds rounds) shows in every window. The runtime itself has been seen, rarely
        //    and only in a full parallel test run, to charge a single one-off allocation to this thread; that can
        //    taint one window, never two, so all but one window must measure exactly 0 bytes.
        long receivedBefore = run.Received;
        long[] perQueueBefore = run.ReceivedPerQueue();
        var windows = new long[MeasuredRounds / WindowRounds];
        for (int w = 0; w < windows.Length; w++)
        {
            for (int i = 0; i < WindowRounds; i++) windows[w] += run.Round();
        }
        int clean = 0;
        foreach (long bytes in windows) clean += bytes == 0 ? 1 : 0;
        Assert.True(clean >= windows.Length - 1,
            "the driver allocated in " + (windows.Length - clean) + " of " + windows.Length + " windows of " + WindowRounds + " rounds (" + format + (jumbo ? ", jumbo" : "") +
            "): bytes per window " + string.Join(", ", windows));
        Assert.True(run.LeasedBytes > 0, "no frame was received through a lease");
        if (jumbo || headerSplit) Assert.True(run.Segments > 0, "no multi-segment frame was received through a lease");
        if (headerSplit) Assert.True(device.DqoRxCounters(0).SplitHeaders > 0, "no header was split");
        Assert.Equal((long)MeasuredRounds * Queues * 4, run.Received - receivedBefore);
        long[] perQueue = run.ReceivedPerQueue();
        for (int q = 0; q < Queues; q++) Assert.True(perQueue[q] > perQueueBefore[q], "RX queue " + q + " received nothing while measured");
        Assert.Empty(device.Violations);
        if (dqoOutOfOrder)
        {
            for (int q = 0; q < Queues; q++)
            {
                Assert.True(nic.GetDqoTxStatistics(q).Misses > 0, "TX queue " + q + " saw no miss completion");
                Assert.True(device.DqoTxCounters(q).OutOfOrder > 0, "TX queue " + q + " completed in order");
            }
        }
    }

    /// <summary>One round: every TX queue sends a frame and a batch of three; the device runs; every RX queue is drained (copy and lease), every TX queue reclaimed.</summary>
    private sealed class Rounds
    {
        private readonly Nic _nic;
        private readonly SimulatedGvnic _device;
        private readonly TamperingPci _pci;
        private readonly byte[][] _single;
        private readonly ReadOnlyMemory<byte>[][] _batches;
        private readonly byte[] _buffer;
        private int _round;

        public Rounds(Nic nic, SimulatedGvnic device, TamperingPci pci, bool jumbo)
        {
            int large = jumbo ? 8000 - 42 : 1400;
            _nic = nic;
            _device = device;
            _pci = pci;
            _buffer = new byte[nic.MaxFrameSize];
            _single = new byte[Queues * 2][];
            _batches = new ReadOnlyMemory<byte>[Queues][];
            for (int q = 0; q < Queues; q++)
            {
                // Several flows per queue (source ports), so RSS spreads them over every RX queue.
                _single[2 * q] = TestDevices.Udp(TestDevices.DeviceMac, new byte[18], sourcePort: (ushort)(5000 + 8 * q));
                _single[2 * q + 1] = TestDevices.Udp(TestDevices.DeviceMac, new byte[large], sourcePort: (ushort)(5001 + 8 * q));
                _batches[q] =
                [
                    TestDevices.Udp(TestDevices.DeviceMac, new byte[18], sourcePort: (ushort)(5002 + 8 * q)),
                    TestDevices.Udp(TestDevices.DeviceMac, new byte[large], sourcePort: (ushort)(5003 + 8 * q)),
                    TestDevices.Udp(TestDevices.DeviceMac, new byte[300], sourcePort: (ushort)(5004 + 8 * q)),
                ];
            }
        }

        public long Received { get; private set; }

        private long _segments;
        private long _segmentBytes;

        /// <summary>Segments read from leases of multi-buffer frames.</summary>
        public long Segments => _segments;

        /// <summary>Bytes read through leases.</summary>
        public long LeasedBytes => _segmentBytes;

        /// <summary>Runs one round; returns the bytes the driver allocated inside its calls.</summary>
        public long Round()
        {
            bool sent = true;
            int batched = 0;
            _pci.DeferBar2Writes = true;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int q = 0; q < Queues; q++)
            {
                sent &= _nic.Transmit(_single[2 * q + (_round & 1)], q);
                batched += _nic.TransmitBatch(_batches[q], q);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            _pci.DeferBar2Writes = false;
            _pci.ReplayBar2Writes();
            Assert.True(sent);
            Assert.Equal(3 * Queues, batched);

            _device.RunPending();

            // Receive until every frame of the round is in: a DQO device shows a part-filled completion line only once the
            // driver's re-arm (a doorbell, logged in the window) has reached it, so a pass may leave a frame for the next.
            int got = 0;
            bool pending = false;
            for (int pass = 0; ; pass++)
            {
                _pci.DeferBar2Writes = true;
                before = GC.GetAllocatedBytesForCurrentThread();
                for (int q = 0; q < Queues; q++)
                {
                    // The first frame of each queue by lease (segment by segment), the rest by copy.
                    if (_nic.TryReceive(out RxLease lease, q))
                    {
                        got++;
                        for (int i = 0; i < lease.SegmentCount; i++) _segmentBytes += lease.Segment(i).Length;
                        if (lease.SegmentCount > 1) _segments += lease.SegmentCount;
                        lease.Dispose();
                    }
                    while (_nic.TryReceive(_buffer, out _, out _, q)) got++;
                }
                if (got == 4 * Queues)
                {
                    for (int q = 0; q < Queues; q++)
                    {
                        _nic.ReclaimTransmitted(q);
                        pending |= _nic.WaitForReceive(TimeSpan.Zero, q);
                    }
                }
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                _pci.DeferBar2Writes = false;
                _pci.ReplayBar2Writes();
                if (got == 4 * Queues) break;
                Assert.True(pass < 8, "round " + _round + ": " + got + " of " + 4 * Queues + " frames after " + (pass + 1) + " passes");
                _device.RunPending();
            }
            Assert.False(pending);
            Received += got;
            _round++;
            return allocated;
        }

        public long[] ReceivedPerQueue()
        {
            var counts = new long[Queues];
            for (int q = 0; q < Queues; q++) counts[q] = _nic.GetRxStatistics(q).Packets;
            return counts;
        }

        /// <summary>Whether every TX ring has carried <paramref name="laps"/> rings' worth of descriptors and every RX ring as many frames.</summary>
        public bool EveryRingWrapped(int laps)
        {
            for (int q = 0; q < Queues; q++)
            {
                if (_nic.GetTxStatistics(q).Descriptors < laps * (long)_nic.TxRingSize) return false;
                if (_nic.GetRxStatistics(q).Packets < laps * (long)_nic.RxRingSize) return false;
            }
            return true;
        }

        public string Describe()
        {
            var text = new System.Text.StringBuilder();
            for (int q = 0; q < Queues; q++)
                text.Append("TX ").Append(q).Append(": ").Append(_nic.GetTxStatistics(q).Descriptors).Append(" descriptors, RX ").Append(q).Append(": ")
                    .Append(_nic.GetRxStatistics(q).Packets).Append(" frames; ");
            return text.ToString();
        }
    }
}
