using System;
using System.Collections.Generic;
using Gvnic.Platform;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// The device model reaches driver memory only through an <see cref="IDeviceMemory"/> and raises MSI-X only through an
/// <see cref="IMsixSink"/>: given other implementations at construction, every access and message goes to them.
/// </summary>
public sealed class DevicePortTests
{
    /// <summary>Driver memory served by a separate allocator, every resolve logged; addresses in <see cref="Refused"/> fail.</summary>
    private sealed class LoggingMemory(SimulatedDmaAllocator inner) : IDeviceMemory
    {
        public List<(ulong Address, long Length)> Resolved { get; } = new();

        public HashSet<ulong> Refused { get; } = new();

        public bool TryResolve(ulong address, long length, out Span<byte> span, out ViolationKind failure, out string reason)
        {
            Resolved.Add((address, length));
            if (!Refused.Contains(address)) return inner.TryResolve(address, length, out span, out failure, out reason);
            span = default;
            failure = ViolationKind.DmaOutOfBounds;
            reason = "refused by the test memory";
            return false;
        }
    }

    private sealed class RecordingSink : IMsixSink
    {
        public List<int> Raised { get; } = new();

        public bool IsEnabled(int vector) => true;

        public bool Raise(int vector)
        {
            Raised.Add(vector);
            return true;
        }
    }

    private static AdminqStatuses Describe(SimulatedGvnic dev, DmaRegion adminQueue, DmaRegion descriptor, uint sequence)
    {
        Span<byte> slot = adminQueue.Span.Slice((int)(sequence & 63) * AdminqCommand.Size, AdminqCommand.Size);
        slot.Clear();
        ref AdminqCommand c = ref AdminqCommand.AsRef(slot);
        c.Opcode = AdminqOpcodes.DescribeDevice;
        c.DescribeDevice.DeviceDescriptorAddr = descriptor.DeviceAddress;
        c.DescribeDevice.DeviceDescriptorVersion = 1;
        c.DescribeDevice.AvailableLength = 4096;
        new Bar0Registers(dev.Bar0).WriteAdminqDoorbell(sequence + 1);
        return AdminqCommand.AsRef(slot).Status;
    }

    [Fact]
    public void DeviceMemory_GivenAtConstruction_CarriesEveryDmaAndItsRefusalsBecomeViolations()
    {
        using var driverMemory = new SimulatedDmaAllocator(new ViolationLog());
        var memory = new LoggingMemory(driverMemory);
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { Mtu = 1500 }, memory, null);
        Assert.Throws<InvalidOperationException>(() => dev.Dma);
        Assert.Throws<InvalidOperationException>(() => dev.DmaAllocator);

        dev.EnableBusMaster();
        DmaRegion aq = driverMemory.Allocate(4096);
        DmaRegion descriptor = driverMemory.Allocate(4096);
        var bar0 = new Bar0Registers(dev.Bar0);
        bar0.WriteAdminqLength(4096);
        bar0.WriteAdminqBaseAddressHi((uint)(aq.DeviceAddress >> 32));
        bar0.WriteAdminqBaseAddressLo((uint)aq.DeviceAddress);
        bar0.WriteDriverStatus(DriverStatusFlags.Run);

        Assert.Equal(AdminqStatuses.CommandPassed, Describe(dev, aq, descriptor, 0));
        Assert.Equal(1500, DeviceDescriptor.Read(descriptor.Span).Mtu);
        Assert.Contains((aq.DeviceAddress, (long)AdminqCommand.Size), memory.Resolved);
        Assert.Contains(memory.Resolved, r => r.Address == descriptor.DeviceAddress);
        Assert.Empty(dev.Violations);

        memory.Refused.Add(descriptor.DeviceAddress);
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, Describe(dev, aq, descriptor, 1));
        ProtocolViolation v = Assert.Single(dev.Violations);
        Assert.Equal(ViolationKind.DmaOutOfBounds, v.Kind);
        Assert.Equal("DESCRIBE_DEVICE descriptor: refused by the test memory", v.Detail);
    }

    [Fact]
    public void MsixSink_GivenAtConstruction_GetsEveryMessage()
    {
        var sink = new RecordingSink();
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { MsixVectors = 4 }, null, sink);
        Assert.Throws<InvalidOperationException>(() => dev.Interrupts);
        Assert.Throws<InvalidOperationException>(() => dev.InterruptController);
        Assert.Equal(0, dev.Dma.OutstandingRegions); // the in-process allocator is still there

        dev.SetLink(false);
        dev.RequestReset();
        dev.SetLink(true);
        Assert.Equal(new[] { 3, 3, 3 }, sink.Raised); // before configuration the management vector is the last
    }
}
