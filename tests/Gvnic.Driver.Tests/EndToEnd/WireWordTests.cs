using System.Buffers.Binary;
using System.Linq;
using Gvnic.Driver.DataPlane;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// The words the driver exchanges with the device outside descriptors and commands (page-list entries, event
/// counters, IRQ doorbell indexes, the link-speed report) have the schema's byte order. BinaryPrimitives here is the
/// independent oracle for what the generated types do in the driver.
/// </summary>
public class WireWordTests
{
    [Fact]
    public void PageListEntriesAreBigEndianPageAddresses()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(QueueFormat.GqiQpl));
        int tx = pci.Allocations.FindIndex(r => r.Length == 128 * 4096);
        DmaRegion pages = pci.Allocations[tx];
        DmaRegion list = pci.Allocations[tx + 1];
        Assert.Equal(128 * PageListEntry.Size, list.Length);
        for (int i = 0; i < 128; i++)
            Assert.Equal(pages.DeviceAddress + (ulong)i * 4096, BinaryPrimitives.ReadUInt64BigEndian(list.Span[(i * 8)..]));
        Assert.Equal(2, device.RegisteredPageLists.Count); // one TX and one RX list
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void EventCountersAndIrqDoorbellIndexesAreReadBigEndian()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(QueueFormat.GqiRda));
        DmaRegion blocks = pci.Allocations.Single(r => r.Length == 2 * DeviceResources.IrqDoorbellStride);
        uint first = BinaryPrimitives.ReadUInt32BigEndian(blocks.Span);
        Assert.InRange(first, 1u, (uint)(pci.Bar2Length / 4 - 1)); // a doorbell index, not a byte-swapped one
        Assert.True(nic.Transmit(TestDevices.Udp(TestDevices.DeviceMac, new byte[10])));
        Assert.Equal(1, nic.ReclaimTransmitted()); // the counter the device wrote big-endian reads as the descriptor count
        DmaRegion counters = pci.Allocations.First(r => r.Length == nic.Device.EventCounters * EventCounter.Size);
        Assert.Contains(Enumerable.Range(0, nic.Device.EventCounters), i => BinaryPrimitives.ReadUInt32BigEndian(counters.Span[(i * 4)..]) == 1); // one descriptor: the frame fits the packet descriptor
    }

    [Fact]
    public void LinkSpeedIsABigEndianMbitPerSecondCount()
    {
        using SimulatedGvnic device = new(new SimulatedDeviceConfig { LinkSpeed = 0x0102_0304_0506, Formats = OfferedFormats.GqiQpl });
        using Nic nic = Nic.Open(device);
        Assert.Equal(0x0102_0304_0506ul, nic.LinkSpeedMbps);
    }
}
