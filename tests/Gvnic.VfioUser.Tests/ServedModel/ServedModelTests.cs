using System;
using System.Threading;
using Gvnic.Driver;
using Gvnic.Simulator;
using Gvnic.VfioUser.Model;
using Gvnic.VfioUser.Server;
using Gvnic.VfioUser.Wire;
using Gvnic.Wire;

namespace Gvnic.VfioUser.Tests.ServedModel;

/// <summary>
/// The device model served over vfio-user (<see cref="SimulatedGvnicDevice"/>), brought up by our own driver core
/// through a test-side PCI function that speaks the protocol (<see cref="VfioUserPciFunction"/>): admin queue, queues,
/// traffic on a loopback wire, MSI-X through eventfds, teardown, all across the socket.
/// </summary>
public sealed class ServedModelTests
{
    private sealed class Rig : IDisposable
    {
        public Rig(SimulatedDeviceConfig config, ClientDmaLayout layout)
        {
            Device = new SimulatedGvnicDevice(config);
            Device.Model.AttachWire(VirtualWire.Loopback());
            Server = new VfioUserServer(Device);
            Pci = new VfioUserPciFunction(Server, layout);
        }

        public SimulatedGvnicDevice Device { get; }

        public SimulatedGvnic Model => Device.Model;

        public VfioUserServer Server { get; }

        public VfioUserPciFunction Pci { get; }

        public void Dispose()
        {
            Pci.Dispose();
            Server.Dispose();
            Device.Dispose();
        }
    }

    /// <summary>A frame of <paramref name="length"/> bytes: our MAC as destination, an experimental EtherType, a numbered pattern.</summary>
    private static byte[] Frame(MacAddress destination, int length, int number)
    {
        var frame = new byte[length];
        destination.CopyTo(frame);
        frame[6] = 0x02;
        frame[11] = (byte)number;
        frame[12] = 0x88;
        frame[13] = 0xB5;
        for (int i = 14; i < length; i++) frame[i] = (byte)(number * 7 + i);
        return frame;
    }

    /// <summary>Waits up to 5 s for a frame on any RX queue (by polling, or on the queue's vector).</summary>
    private static byte[] Receive(Nic nic)
    {
        var buffer = new byte[nic.MaxFrameSize];
        DateTime end = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < end)
        {
            for (int q = 0; q < nic.RxQueueCount; q++)
            {
                if (nic.TryReceive(buffer, out int length, out _, q)) return buffer[..length];
            }

            if (nic.WaitMode == NicWaitMode.Interrupts) nic.WaitForReceive(TimeSpan.FromMilliseconds(20), 0);
            else Thread.Sleep(1);
        }

        throw new Xunit.Sdk.XunitException("no frame arrived within 5 s");
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl, 1, ClientDmaLayout.Flat, NicWaitMode.Polling)]
    [InlineData(QueueFormat.GqiQpl, 0, ClientDmaLayout.PerPageIommu, NicWaitMode.Interrupts)]
    [InlineData(QueueFormat.GqiRda, 1, ClientDmaLayout.PerPageIommu, NicWaitMode.Polling)]
    [InlineData(QueueFormat.GqiRda, 0, ClientDmaLayout.Flat, NicWaitMode.Interrupts)]
    [InlineData(QueueFormat.DqoRda, 1, ClientDmaLayout.PerPageIommu, NicWaitMode.Interrupts)]
    [InlineData(QueueFormat.DqoRda, 0, ClientDmaLayout.Flat, NicWaitMode.Polling)]
    [InlineData(QueueFormat.DqoQpl, 1, ClientDmaLayout.Flat, NicWaitMode.Interrupts)]
    [InlineData(QueueFormat.DqoQpl, 0, ClientDmaLayout.PerPageIommu, NicWaitMode.Polling)]
    public void OurDriverBringsUpTheServedModel_FramesCrossByteForByte_AndTeardownLeavesNothing(QueueFormat format, byte revision, ClientDmaLayout layout, NicWaitMode wait)
    {
        using var rig = new Rig(new SimulatedDeviceConfig { Revision = revision }, layout);
        var nic = Nic.Open(rig.Pci, new NicOptions { QueueFormat = format, TxQueues = 2, RxQueues = 2, WaitMode = wait });
        Assert.Equal(format, nic.QueueFormat);
        Assert.Equal(format, rig.Model.ConfiguredFormat);
        Assert.Equal(2, rig.Model.TxQueueCount);

        const int Frames = 120;
        for (int i = 0; i < Frames; i++)
        {
            byte[] frame = Frame(nic.MacAddress, 60 + (i * 37) % 1400, i);
            Assert.True(nic.Transmit(frame, i % 2));
            Assert.Equal(frame, Receive(nic));
            nic.ReclaimTransmitted(i % 2);
        }

        Assert.Equal(Frames, rig.Model.TxStatistics(0).Frames + rig.Model.TxStatistics(1).Frames);
        if (wait == NicWaitMode.Interrupts)
        {
            // Frames that arrive while the driver waits: it sleeps on the queue's eventfd until the model's MSI-X wakes it.
            for (int i = 0; i < 6; i++)
            {
                int queue = i % 2;
                byte[] frame = Frame(nic.MacAddress, 200, 1000 + i);
                long taken = rig.Pci.ClientInterrupts.Taken;
                using var arrival = new Timer(_ => rig.Model.InjectFrame(frame, queue), null, 30, Timeout.Infinite);
                // A wait may end early on an interrupt left from the frames before (the driver then reports nothing): wait again.
                DateTime end = DateTime.UtcNow.AddSeconds(5);
                bool woken = false;
                while (!woken && DateTime.UtcNow < end) woken = nic.WaitForReceive(end - DateTime.UtcNow, queue);
                Assert.True(woken, "the driver was not woken on RX queue " + queue);
                Assert.True(rig.Pci.ClientInterrupts.Taken > taken, "the driver woke without taking the interrupt from its eventfd");
                var buffer = new byte[nic.MaxFrameSize];
                Assert.True(nic.TryReceive(buffer, out int length, out _, queue));
                Assert.Equal(frame, buffer[..length]);
            }

            Assert.Equal(0, rig.Device.LostInterrupts);
        }

        if (layout == ClientDmaLayout.PerPageIommu)
        {
            Assert.True(rig.Server.Memory.DeviceViewsMade > 0, "no range crossed pages: the test does not exercise device views");
        }

        nic.Dispose();

        Assert.Empty(rig.Model.Violations);
        Assert.Equal(0, rig.Model.TxQueueCount);
        Assert.Equal(0, rig.Model.RxQueueCount);
        Assert.Empty(rig.Model.RegisteredPageLists);
        Assert.Null(rig.Model.ConfiguredFormat);
        Assert.Equal(0, rig.Pci.Dma.OutstandingRegions);
        Assert.True(rig.Server.Statistics.Refused == 0, string.Join("\n", rig.Server.Statistics.RecentRefusals));
        Assert.Equal(0, rig.Server.Statistics.DeviceExceptions);
        if (layout == ClientDmaLayout.PerPageIommu)
        {
            Assert.Equal(0, rig.Server.Memory.MappingCount);
            Assert.Equal(0, rig.Server.Memory.DeviceViewCount);
            Assert.Equal(0, rig.Server.Memory.OpenFiles);
        }
    }

    [Fact]
    public void DeviceReset_IsTheModelsFunctionLevelReset()
    {
        using var rig = new Rig(new SimulatedDeviceConfig(), ClientDmaLayout.Flat);
        var nic = Nic.Open(rig.Pci, new NicOptions { QueueFormat = QueueFormat.GqiQpl });
        Assert.True(rig.Model.BusMasterEnabled);
        long resets = rig.Model.ResetCount;

        Assert.False(rig.Pci.Request(Command.DeviceReset, []).IsError);

        Assert.Equal(resets + 1, rig.Model.ResetCount);
        Assert.Equal(0, rig.Model.TxQueueCount);
        Assert.Empty(rig.Model.RegisteredPageLists);
        Assert.Null(rig.Model.ConfiguredFormat);
        Assert.False(rig.Model.BusMasterEnabled); // the command register is reset with it
        Assert.False(rig.Server.Config.BusMaster);
        Assert.Equal(DeviceStatusFlags.LinkStatus, new Bar0Registers(rig.Pci.Bar0).ReadDeviceStatus());
        // The driver's memory is its own to free; its teardown now finds a device with nothing to destroy.
        GC.KeepAlive(nic);
    }

    [Fact]
    public void TheBusMasterBitIsTheModels()
    {
        using var rig = new Rig(new SimulatedDeviceConfig(), ClientDmaLayout.Flat);
        Assert.False(rig.Model.BusMasterEnabled);
        rig.Pci.EnableBusMaster();
        Assert.True(rig.Model.BusMasterEnabled);
        rig.Pci.DisableBusMaster();
        Assert.False(rig.Model.BusMasterEnabled);
    }

    [Fact]
    public void ARingUnmappedUnderTheDeviceIsAViolationNotACrash()
    {
        using var rig = new Rig(new SimulatedDeviceConfig(), ClientDmaLayout.Flat);
        var nic = Nic.Open(rig.Pci, new NicOptions { QueueFormat = QueueFormat.GqiQpl });
        // The client takes all guest memory away while the queues live, then the driver rings a TX doorbell.
        Assert.False(rig.Pci.Request(Command.DmaUnmap, Messages.DmaUnmap(0, 0, flags: 2)).IsError);
        nic.Transmit(Frame(nic.MacAddress, 100, 1));

        Assert.Contains(rig.Model.Violations, v => v.Kind == ViolationKind.DmaOutOfBounds && v.Detail.Contains("is in no DMA mapping of the client", StringComparison.Ordinal));
        Assert.Equal(0, rig.Server.Statistics.DeviceExceptions);
        Assert.Equal(0, rig.Server.Memory.OpenFiles);
    }

    [Fact]
    public void RaisesWithMsixDisabledAreLost()
    {
        using var rig = new Rig(new SimulatedDeviceConfig(), ClientDmaLayout.Flat);
        rig.Model.SetLink(false); // the management vector, before anyone enabled MSI-X
        Assert.Equal(1, rig.Device.LostInterrupts);
        Assert.Equal(0, rig.Server.Interrupts.Delivered);
        Assert.False(rig.Server.Interrupts.IsPending(rig.Server.Function.MsixVectors - 1));
    }
}
