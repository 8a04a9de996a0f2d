using System;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>DQO RDA header split: headers in the header buffer, payload in the packet buffers, the frame delivered whole.</summary>
public class DqoHeaderSplitTests
{
    private const ushort HeaderBuffer = 128;

    private static SimulatedGvnic Device(ushort headerBuffer = HeaderBuffer, bool shuffle = false)
        => new(new SimulatedDeviceConfig { Formats = OfferedFormats.DqoRda | OfferedFormats.DqoQpl, Mac = TestDevices.DeviceMac, HeaderBufferSize = headerBuffer, DqoShuffleRxBuffers = shuffle });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UdpFramesArriveAsHeaderAndPayloadSegments_ByteForByte(bool jumbo)
    {
        using SimulatedGvnic device = Device(shuffle: true);
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { HeaderSplit = true, Mtu = jumbo ? JumboFrameTests.JumboMtu : null });
        var buffer = new byte[nic.MaxFrameSize];
        int[] lengths = jumbo ? [42, 60, 2089, 2090, 8000, JumboFrameTests.JumboMtu + 18] : [42, 43, 60, 1000, nic.MaxFrameSize];
        for (int round = 0; round < 3 * 256 / lengths.Length + 1; round++)
        {
            for (int i = 0; i < lengths.Length; i++)
            {
                byte[] frame = JumboFrameTests.Frame(lengths[i], round * 31 + i);
                Assert.True(nic.Transmit(frame));
                nic.ReclaimTransmitted();
                // By lease: the 42-byte Ethernet/IPv4/UDP header, then the payload in 2048-byte buffers.
                Assert.True(nic.TryReceive(out RxLease lease));
                using (lease)
                {
                    Assert.Equal(frame.Length, lease.Info.Length);
                    int payload = frame.Length - 42;
                    Assert.Equal(1 + (payload + 2047) / 2048, lease.SegmentCount);
                    Assert.Equal(frame.AsSpan(0, 42).ToArray(), lease.Segment(0).ToArray());
                    var whole = new byte[frame.Length];
                    Assert.Equal(frame.Length, lease.CopyTo(whole));
                    Assert.Equal(frame, whole);
                }
                // By copy: the same frame, whole.
                Assert.True(nic.Transmit(frame));
                Assert.True(nic.TryReceive(buffer, out int length, out RxInfo info));
                Assert.Equal(frame, buffer[..length]);
                Assert.Equal(RxFlags.Ipv4 | RxFlags.Udp, info.Flags);
                nic.ReclaimTransmitted();
            }
        }
        DqoRxCounters counters = device.DqoRxCounters(0);
        Assert.Equal(2L * lengths.Length * (3 * 256 / lengths.Length + 1), counters.SplitHeaders);
        Assert.True(counters.GenerationWraps >= 2);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void ANonIpFrameIsNotSplit()
    {
        using SimulatedGvnic device = Device();
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { HeaderSplit = true });
        byte[] frame = new byte[100];
        TestDevices.DeviceMac.CopyTo(frame, 0);
        frame[12] = 0x88;
        frame[13] = 0xB5; // a local experimental EtherType
        for (int i = 14; i < frame.Length; i++) frame[i] = (byte)i;
        Assert.True(nic.Transmit(frame));
        Assert.True(nic.TryReceive(out RxLease lease));
        using (lease)
        {
            Assert.Equal(1, lease.SegmentCount);
            Assert.Equal(frame, lease.Frame.ToArray());
        }
        Assert.Equal(0, device.DqoRxCounters(0).SplitHeaders);
    }

    [Fact]
    public void HeadersLongerThanTheHeaderBuffer_OverflowAndArriveUnsplit()
    {
        using SimulatedGvnic device = Device(headerBuffer: 32);
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { HeaderSplit = true });
        byte[] frame = JumboFrameTests.Frame(500, 3);
        Assert.True(nic.Transmit(frame));
        Assert.True(nic.TryReceive(out RxLease lease));
        using (lease)
        {
            Assert.Equal(1, lease.SegmentCount);
            Assert.Equal(frame, lease.Frame.ToArray());
        }
        Assert.Equal(1, device.DqoRxCounters(0).HeaderOverflows);
    }

    [Theory]
    [InlineData(QueueFormat.DqoQpl, HeaderBuffer, "DqoQpl")]
    [InlineData(QueueFormat.DqoRda, 0, "no header buffer")]
    public void HeaderSplitWhereTheDeviceCannot_NamesTheOption(QueueFormat format, ushort headerBuffer, string why)
    {
        using SimulatedGvnic device = Device(headerBuffer);
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(format) with { HeaderSplit = true }));
        Assert.Equal("HeaderSplit", e.Option);
        Assert.Contains(why, e.Message);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void WithoutTheOption_NothingIsSplit()
    {
        using SimulatedGvnic device = Device();
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda));
        Assert.True(nic.Transmit(JumboFrameTests.Frame(500, 1)));
        Assert.True(nic.TryReceive(out RxLease lease));
        using (lease) Assert.Equal(1, lease.SegmentCount);
        Assert.Equal(0, device.DqoRxCounters(0).SplitHeaders);
    }
}
