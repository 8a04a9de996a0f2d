using System;
using System.Threading;
using Gvnic.Driver.Tests.EndToEnd;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.Offload;

/// <summary>Sending with offloads allocates nothing in steady state (run alone, as <see cref="AllocationTests"/>).</summary>
[Collection(nameof(AllocationTests))]
public class TxOffloadAllocationTests
{
    private const int Windows = 5;
    private const int WindowRounds = 100;

    /// <summary>
    /// Each round: a checksum-offloaded TCP frame, a 30 000-byte TSO frame (DQO: chained tags), two lent buffers with
    /// checksum and TSO, then the reclaim. Only the driver runs inside the counted calls (the device runs in manual mode
    /// between them, the doorbells rung inside are delivered afterwards): 0 bytes in all windows but at most one.
    /// </summary>
    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void Offloaded_transmit_allocates_nothing(QueueFormat format)
    {
        using SimulatedGvnic device = new(new SimulatedDeviceConfig
        {
            Formats = JumboFrameTests.AllFormats, Execution = ExecutionMode.Manual, Mac = TestDevices.DeviceMac, Mtu = 1500,
        });
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(format));
        byte[] small = OffloadFrames.Tcp(false, OffloadFrames.Payload(600, 1));
        byte[] large = OffloadFrames.Tcp(true, OffloadFrames.Payload(30000, 2));
        byte[] lentFrame = OffloadFrames.Udp(false, OffloadFrames.Payload(900, 3));
        byte[] lentTso = OffloadFrames.Tcp(false, OffloadFrames.Payload(1400, 4));
        var buffers = new TxBuffer[2];
        TxOffload checksum = TxOffload.L4Checksum, tso = TxOffload.Tso(1400), lentSegments = TxOffload.Tso(500);

        long Round()
        {
            pci.DeferBar2Writes = true;
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool sent = nic.Transmit(small, 0, checksum) & nic.Transmit(large, 0, tso);
            int lent = nic.AcquireTxBuffers(buffers);
            lentFrame.CopyTo(buffers[0].Data);
            buffers[0].Length = lentFrame.Length;
            lentTso.CopyTo(buffers[1].Data);
            buffers[1].Length = lentTso.Length;
            int handed = nic.TransmitBuffers(buffers.AsSpan(0, 1), 0, checksum) + nic.TransmitBuffers(buffers.AsSpan(1), 0, lentSegments);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            pci.DeferBar2Writes = false;
            pci.ReplayBar2Writes();
            device.RunPending();
            pci.DeferBar2Writes = true;
            before = GC.GetAllocatedBytesForCurrentThread();
            int reclaimed = 0;
            for (int pass = 0; pass < 3 && reclaimed < 4; pass++)
            {
                reclaimed += nic.ReclaimTransmitted();
                if (reclaimed < 4)
                {
                    pci.DeferBar2Writes = false;
                    pci.ReplayBar2Writes();
                    device.RunPending();
                    pci.DeferBar2Writes = true;
                }
            }
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            pci.DeferBar2Writes = false;
            pci.ReplayBar2Writes();
            Assert.True(sent);
            Assert.Equal(2, lent);
            Assert.Equal(2, handed);
            return allocated;
        }

        for (int i = 0; i < 300; i++) Round();
        for (int pass = 0; pass < 3; pass++)
        {
            Thread.Sleep(200); // tiered compilation installs its optimised code
            for (int i = 0; i < 100; i++) Round();
        }
        var windows = new long[Windows];
        for (int w = 0; w < Windows; w++)
            for (int i = 0; i < WindowRounds; i++) windows[w] += Round();
        int clean = 0;
        foreach (long bytes in windows) clean += bytes == 0 ? 1 : 0;
        Assert.True(clean >= Windows - 1, "offloaded transmit allocated in " + (Windows - clean) + " of " + Windows + " windows (" + format + "): " + string.Join(", ", windows));
        TxQueueStatistics s = nic.GetTxStatistics();
        Assert.Equal(s.Packets, s.Completed);
        Assert.Equal(2 * s.TsoFrames, s.Packets);
        Assert.Empty(device.Violations);
    }
}
