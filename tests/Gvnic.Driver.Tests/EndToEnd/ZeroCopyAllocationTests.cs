using System;
using System.Threading;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>The zero-copy paths allocate nothing in steady state (run alone, as <see cref="AllocationTests"/>).</summary>
[Collection(nameof(AllocationTests))]
public class ZeroCopyAllocationTests
{
    private const int Batch = 16;
    private const int Windows = 5;
    private const int WindowRounds = 200;

    /// <summary>
    /// Acquire, build in place, transmit the batch, release some, reclaim, receive in bursts (frame by frame and segment by
    /// segment): exactly 0 bytes in all windows but at most one (a one-off runtime allocation, as in <see cref="AllocationTests"/>).
    /// Only the driver runs inside the counted calls: the device runs in manual mode between them, and the doorbells rung
    /// inside them are delivered afterwards.
    /// </summary>
    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void Zero_copy_transmit_and_burst_receive_allocate_nothing(QueueFormat format)
    {
        using SimulatedGvnic device = new(new SimulatedDeviceConfig
        {
            Formats = JumboFrameTests.AllFormats, Execution = ExecutionMode.Manual, Mac = TestDevices.DeviceMac,
        });
        device.AttachWire(VirtualWire.Loopback());
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(format) with { RdaTxBufferBytes = 64 * 1024 });
        var run = new Rounds(nic, device, pci);

        for (int i = 0; i < 1500; i++) run.Round(); // every ring and the FIFO wrap several times
        for (int pass = 0; pass < 3; pass++)
        {
            Thread.Sleep(200); // tiered compilation installs its optimised code
            for (int i = 0; i < 300; i++) run.Round();
        }
        long received = run.Received;
        var windows = new long[Windows];
        for (int w = 0; w < Windows; w++)
            for (int i = 0; i < WindowRounds; i++) windows[w] += run.Round();
        int clean = 0;
        foreach (long bytes in windows) clean += bytes == 0 ? 1 : 0;
        Assert.True(clean >= Windows - 1, "the zero-copy paths allocated in " + (Windows - clean) + " of " + Windows + " windows (" + format + "): " + string.Join(", ", windows));
        Assert.Equal((long)Windows * WindowRounds * (Batch - 2), run.Received - received);
        Assert.Equal(0, nic.TxBuffersLent());
        Assert.Empty(device.Violations);
    }

    private sealed class Rounds(Nic nic, SimulatedGvnic device, TamperingPci pci)
    {
        private readonly TxBuffer[] _buffers = new TxBuffer[Batch];
        private readonly byte[] _frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[300]);
        private int _round;

        public long Received { get; private set; }

        /// <summary>One round; the bytes the driver allocated inside its calls.</summary>
        public long Round()
        {
            _round++;
            pci.DeferBar2Writes = true;
            long before = GC.GetAllocatedBytesForCurrentThread();
            int lent = nic.AcquireTxBuffers(_buffers);
            for (int i = 0; i < lent; i++)
            {
                int length = i % 2 == 0 ? 60 : _frame.Length; // one descriptor or two (GQI), one chunk (DQO)
                _frame.AsSpan(0, length).CopyTo(_buffers[i].Data);
                _buffers[i].Length = length;
            }
            int sent = nic.TransmitBuffers(_buffers.AsSpan(0, Batch - 2));
            nic.ReleaseTxBuffers(_buffers.AsSpan(Batch - 2));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            pci.DeferBar2Writes = false;
            pci.ReplayBar2Writes();
            Assert.Equal(Batch, lent);
            Assert.Equal(Batch - 2, sent);

            device.RunPending();

            int got = 0;
            // A DQO device holds the last completions of a part-filled line until the re-arm the driver makes when the
            // queue looks empty reaches it; with BAR2 writes deferred that is after the pass, so a second pass takes them.
            for (int pass = 0; pass < 3 && got < Batch - 2; pass++)
            {
                pci.DeferBar2Writes = true;
                before = GC.GetAllocatedBytesForCurrentThread();
                while (nic.TryReceiveBurst(out RxBurst burst, maxFrames: _round % 2 == 0 ? 32 : 5))
                {
                    for (int i = 0; i < burst.Count; i++)
                    {
                        if (burst.Frame(i).Length != burst.Info(i).Length || burst.Segment(i, 0).Length != burst.Info(i).Length) got = int.MinValue;
                        got++;
                    }
                    burst.Dispose();
                }
                nic.ReclaimTransmitted();
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                pci.DeferBar2Writes = false;
                pci.ReplayBar2Writes();
                device.RunPending();
            }
            Assert.Equal(Batch - 2, got);
            Received += got;
            return allocated;
        }
    }
}
