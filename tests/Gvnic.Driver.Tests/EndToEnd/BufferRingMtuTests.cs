using System;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// The sizes the device advertises and the driver chooses within: RX buffer sizes (BUFFER_SIZES), ring sizes
/// (MODIFY_RING), the MTU (JUMBO_FRAMES); each refused with the allowed range when outside it or not offered.
/// </summary>
public class BufferRingMtuTests
{
    private static SimulatedGvnic Device(bool bufferSizes = true, ushort maxPacketBuffer = 4096, bool modifyRing = true, bool jumbo = true)
        => new(new SimulatedDeviceConfig { Formats = JumboFrameTests.AllFormats, BufferSizes = bufferSizes, MaxPacketBufferSize = maxPacketBuffer, ModifyRing = modifyRing, JumboFrames = jumbo });

    [Theory]
    [InlineData(QueueFormat.DqoRda, 4096, 3)]
    [InlineData(QueueFormat.DqoQpl, 4096, 3)]
    [InlineData(QueueFormat.DqoRda, 3072, 3)]
    [InlineData(QueueFormat.DqoRda, 1024, 9)]
    [InlineData(QueueFormat.DqoQpl, 1024, 9)]
    [InlineData(QueueFormat.DqoRda, 2048, 5)]
    public void DqoRunsTheBufferSizeAskedAndAJumboFrameSpansThatManyBuffers(QueueFormat format, int size, int segments)
    {
        using SimulatedGvnic device = Device();
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { Mtu = JumboFrameTests.JumboMtu, RxBufferSize = size, RxRingSize = 512 });
        byte[] jumbo = JumboFrameTests.Frame(JumboFrameTests.JumboMtu + 14, 5); // the largest untagged frame: 8910 bytes
        Assert.True(nic.Transmit(jumbo));
        Assert.True(nic.TryReceive(out RxLease lease));
        using (lease)
        {
            Assert.Equal(segments, lease.SegmentCount);
            var joined = new System.Collections.Generic.List<byte>();
            for (int i = 0; i < segments; i++)
            {
                if (i < segments - 1) Assert.Equal(size, lease.Segment(i).Length);
                joined.AddRange(lease.Segment(i).ToArray());
            }
            Assert.Equal(jumbo, joined.ToArray());
        }
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl, 4096, "RX buffer size 4096 requested, but GqiQpl runs 2048-byte RX buffers only (as upstream; other sizes need a DQO format)")]
    [InlineData(QueueFormat.GqiRda, 1024, "RX buffer size 1024 requested, but GqiRda runs 2048-byte RX buffers only (as upstream; other sizes need a DQO format)")]
    [InlineData(QueueFormat.DqoRda, 8192, "RX buffer size 8192 is outside what DqoRda allows: 1024 … 4096 in steps of 128 (the device's buffer-sizes option allows up to 4096, packet_buffer_size)")]
    [InlineData(QueueFormat.DqoRda, 3000, "RX buffer size 3000 is outside what DqoRda allows: 1024 … 4096 in steps of 128 (the device's buffer-sizes option allows up to 4096, packet_buffer_size)")]
    [InlineData(QueueFormat.DqoRda, 512, "RX buffer size 512 is outside what DqoRda allows: 1024 … 4096 in steps of 128 (the device's buffer-sizes option allows up to 4096, packet_buffer_size)")]
    [InlineData(QueueFormat.DqoQpl, 3072, "RX buffer size 3072 is not one DqoQpl can use: its buffers are cut from 4096-byte pages, so 1024, 2048 or 4096 (the device allows up to 4096, packet_buffer_size)")]
    public void ABufferSizeOutsideWhatTheFormatAllowsIsRefused(QueueFormat format, int size, string message)
    {
        using SimulatedGvnic device = Device();
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(format) with { RxBufferSize = size }));
        Assert.Equal(("RxBufferSize", message), (e.Option, e.Message));
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void WithoutTheBufferSizesOptionOnlyTheDefaultIsPossible()
    {
        using SimulatedGvnic device = Device(bufferSizes: false);
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { RxBufferSize = 4096 }));
        Assert.Equal("RX buffer size 4096 requested, but the device offers no buffer-sizes option with DqoRda (BUFFER_SIZES, listed by the format's supported features); only the 2048-byte default is possible", e.Message);
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { RxBufferSize = 2048 });
        Assert.Equal(QueueFormat.DqoRda, nic.QueueFormat);
    }

    [Fact]
    public void ANonPositiveBufferSizeIsRefusedBeforeTheDeviceIsTouched()
    {
        using SimulatedGvnic device = Device();
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { RxBufferSize = 0 }));
        Assert.Equal("RX buffer size 0 requested; it must be positive (null for the 2048-byte default)", e.Message);
        Assert.Empty(device.AdminCommands);
    }

    [Fact]
    public void AHostilePacketBufferSizeIsRefusedWhenASizeIsAsked()
    {
        using SimulatedGvnic device = Device();
        device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.PacketBufferSize, Value: 1000));
        var e = Assert.Throws<DeviceFaultException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { RxBufferSize = 4096 }));
        Assert.Equal(("buffer-sizes option", "packet_buffer_size", 1000UL), (e.Queue, e.Field, e.Value));
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void RingSizesAreChosenWithinTheAdvertisedRange(QueueFormat format)
    {
        using (SimulatedGvnic device = Device())
        {
            device.AttachWire(VirtualWire.Loopback());
            using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TxRingSize = 512, RxRingSize = 128 });
            Assert.Equal((512, 128), (nic.TxRingSize, nic.RxRingSize));
            byte[] frame = JumboFrameTests.Frame(600, 1);
            Assert.True(nic.Transmit(frame));
            var buffer = new byte[nic.MaxFrameSize];
            Assert.True(nic.TryReceive(buffer, out int length, out _));
            Assert.Equal(frame, buffer[..length]);
        }
        using (SimulatedGvnic device = Device())
        {
            var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(format) with { TxRingSize = 128 }));
            Assert.Equal(("TxRingSize", "TX ring size 128 is outside the device's 256 … 1024"), (e.Option, e.Message));
            e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(format) with { RxRingSize = 2048 }));
            Assert.Equal(("RxRingSize", "RX ring size 2048 is outside the device's 64 … 1024"), (e.Option, e.Message));
        }
        using (SimulatedGvnic device = Device(modifyRing: false))
        {
            var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(format) with { RxRingSize = 512 }));
            Assert.Equal("RX ring size 512 requested, but the device does not allow changing it from 256 (no modify-ring option)", e.Message);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void TheMtuIsChosenUpToTheJumboLimitAndSentToTheDevice(QueueFormat format)
    {
        using (SimulatedGvnic device = Device())
        {
            using Nic nic = Nic.Open(device, TestDevices.Options(format) with { Mtu = 8896 });
            Assert.Equal(8896, nic.Mtu);
            Assert.Equal(8896, device.Mtu); // SET_DRIVER_PARAMETER reached the device
            Assert.Contains(device.AdminCommands, c => c.Opcode == AdminqOpcodes.SetDriverParameter && c.Status == AdminqStatuses.CommandPassed);
        }
        using (SimulatedGvnic device = Device())
        {
            var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(format) with { Mtu = 8897 }));
            Assert.Equal(("Mtu", "MTU 8897 is outside 68 … 8896 for " + format), (e.Option, e.Message));
        }
        using (SimulatedGvnic device = Device(jumbo: false))
        {
            var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(format) with { Mtu = 8896 }));
            Assert.Equal(("Mtu", "MTU 8896 is outside 68 … 1460 for " + format), (e.Option, e.Message));
        }
    }
}
