using System;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

public class AllocationTests
{
    /// <summary>
    /// The driver's data path allocates nothing. The device runs in manual mode, so its own work (which does
    /// allocate) happens in <see cref="SimulatedGvnic.RunPending"/>, outside the measured calls; what the device
    /// model allocates inside doorbell writes is measured separately and subtracted.
    /// </summary>
    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void DataPathAllocatesNothing(QueueFormat format)
    {
        using SimulatedGvnic device = TestDevices.Create(formats: OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl, execution: ExecutionMode.Manual);
        device.AttachWire(VirtualWire.Loopback());
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(format));
        byte[] small = TestDevices.Udp(TestDevices.DeviceMac, new byte[18]);
        byte[] large = TestDevices.Udp(TestDevices.DeviceMac, new byte[1400]);
        var buffer = new byte[nic.MaxFrameSize];
        ReadOnlyMemory<byte>[] batch = [small, large, small];

        long measured = 0;
        int received = 0;
        for (int round = 0; round < 4000; round++)
        {
            bool warm = round >= 1000;
            long before = GC.GetAllocatedBytesForCurrentThread() - pci.DeviceAllocatedBytes;
            bool sent = nic.Transmit(round % 2 == 0 ? small : large);
            int batched = nic.TransmitBatch(batch);
            long after = GC.GetAllocatedBytesForCurrentThread() - pci.DeviceAllocatedBytes;
            Assert.True(sent);
            Assert.Equal(3, batched);
            if (warm) measured += after - before;

            device.RunPending();

            before = GC.GetAllocatedBytesForCurrentThread() - pci.DeviceAllocatedBytes;
            int got = 0;
            while (nic.TryReceive(buffer, out _, out _)) got++;
            if (nic.TryReceive(out RxLease lease)) { got++; lease.Dispose(); }
            nic.ReclaimTransmitted();
            bool pending = nic.WaitForReceive(TimeSpan.Zero);
            after = GC.GetAllocatedBytesForCurrentThread() - pci.DeviceAllocatedBytes;
            Assert.False(pending);
            if (warm) measured += after - before;
            received += got;
        }
        Assert.Equal(4000 * 4, received);
        Assert.Equal(0, measured);
        Assert.Empty(device.Violations);
    }
}
