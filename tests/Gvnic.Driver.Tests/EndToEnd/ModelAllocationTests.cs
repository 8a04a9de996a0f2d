using System;
using System.Threading;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// The device model and the driver together allocate nothing per frame in steady state: a loopback round trip (the driver
/// transmits, the model reads the descriptors, copies each frame out, carries it over a wire that does not record, writes
/// it into a posted buffer with its descriptor or completion, raises or holds the notification; the driver receives,
/// re-posts, reclaims) measures exactly 0 bytes over hundreds of rounds, in each of the four formats.
/// </summary>
[Collection(nameof(AllocationTests))]
public class ModelAllocationTests
{
    private const int Batch = 32;
    private const int WindowRounds = 200;
    private const int Windows = 5;

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void LoopbackRoundTripAllocatesNothingPerFrame(QueueFormat format)
    {
        using SimulatedGvnic device = new(new SimulatedDeviceConfig
        {
            Formats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl,
            Execution = ExecutionMode.Manual, Mac = TestDevices.DeviceMac,
        });
        VirtualWire wire = VirtualWire.Loopback();
        wire.Recording = false;
        device.AttachWire(wire);
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { RdaTxBufferBytes = 64 * 1024 });
        // 64-byte UDP frames (14 + 20 + 8 + 22), and one of 1000 bytes, so that two frame lengths cross the wire.
        var batch = new ReadOnlyMemory<byte>[Batch];
        for (int i = 0; i < Batch; i++) batch[i] = TestDevices.Udp(TestDevices.DeviceMac, new byte[i == 7 ? 958 : 22], sourcePort: (ushort)(6000 + i));
        long received = 0, bytes = 0;

        long Round()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            int sent = nic.TransmitBatch(batch);
            if (sent != Batch) Assert.Fail("the driver took " + sent + " of " + Batch + " frames"); // (Assert.Equal allocates)
            device.RunPending();
            int got = 0;
            for (int pass = 0; got < Batch; pass++)
            {
                while (nic.TryReceive(out RxLease lease))
                {
                    bytes += lease.Frame.Length;
                    lease.Dispose();
                    got++;
                }
                if (got == Batch) break;
                // A DQO completion line part-filled shows once the driver's re-arm lets its block fire (at once, or after
                // the throttling interval on the device's clock).
                if (pass == 1_000_000) Assert.Fail(got + " of " + Batch + " frames came back");
                device.RunPending();
                device.RunDueWork();
            }
            nic.ReclaimTransmitted();
            device.RunPending();
            received += got;
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // Warm up: every ring wrapped three times and the frame buffers of both lengths pooled; then give tiered
        // compilation time to install its optimised code (see AllocationTests).
        for (int i = 0; i < 500 || nic.GetRxStatistics(0).Packets < 3L * nic.RxRingSize || nic.GetTxStatistics(0).Descriptors < 3L * nic.TxRingSize; i++) Round();
        for (int pass = 0; pass < 3; pass++)
        {
            Thread.Sleep(200);
            for (int i = 0; i < 200; i++) Round();
        }

        long start = received;
        var windows = new long[Windows];
        for (int w = 0; w < Windows; w++)
        {
            for (int i = 0; i < WindowRounds; i++) windows[w] += Round();
        }
        // As in AllocationTests: a one-off runtime allocation charged to this thread may taint one window, never two.
        int clean = 0;
        foreach (long b in windows) clean += b == 0 ? 1 : 0;
        Assert.True(clean >= Windows - 1, format + ": the model and driver allocated in " + (Windows - clean) + " of " + Windows + " windows of " + WindowRounds * Batch
            + " frames: bytes per window " + string.Join(", ", windows));
        Assert.Equal((long)Windows * WindowRounds * Batch, received - start);
        Assert.True(bytes > 0);
        Assert.Empty(device.Violations);
        Assert.Empty(wire.Frames); // the wire kept no record
    }
}
