using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// Issue 15, class 1: every number the device supplies (DESCRIBE_DEVICE and its options, BAR0's queue limits, the indexes
/// CONFIGURE_DEVICE_RESOURCES and CREATE_* answer with, the link speed, the packet-type map) is checked or clamped where
/// it enters: a value the driver cannot run with is a typed error naming the field and the value, never a framework
/// exception from the arithmetic behind it.
/// </summary>
public class HostileValueTests
{
    private const OfferedFormats AllFormats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;

    private static readonly QueueFormat[] Formats = [QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl];

    /// <summary>Values a lying device picks: 0, off-by-ones around powers of two, the largest of each width.</summary>
    private static readonly ulong[] Hostile = [0, 1, 2, 3, 7, 68, 255, 256, 1023, 1024, 4097, 16385, 32768, 65535, 65536, uint.MaxValue, ulong.MaxValue];

    private static SimulatedGvnic Device(byte revision = 1, OfferedFormats formats = AllFormats, bool jumbo = true)
        => new(new SimulatedDeviceConfig { Revision = revision, Formats = formats, JumboFrames = jumbo, TxQueueEntries = 64, RxQueueEntries = 64 });

    private static NicOptions Options(QueueFormat format, int queues = 2) => TestDevices.Options(format, queues);

    [Fact]
    public void NoFrameworkExceptionEscapesOpenAcrossEveryFieldAndHostileValue()
    {
        int opened = 0, refused = 0;
        var fields = new HashSet<string>();
        foreach (HostileField field in Enum.GetValues<HostileField>())
        foreach (ulong value in Hostile)
        foreach (QueueFormat format in Formats)
        {
            using SimulatedGvnic device = Device(revision: (byte)(value & 1));
            device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: field, Value: value));
            Nic? nic = null;
            try
            {
                nic = Nic.Open(device, Options(format));
                opened++;
            }
            catch (GvnicException e)
            {
                refused++;
                Assert.True(e is DeviceFaultException or NicConfigurationException or AdminCommandException, field + "=" + value + " " + format + ": " + e);
                if (e is DeviceFaultException f) fields.Add(f.Field);
            }
            catch (Exception e)
            {
                Assert.Fail(field + "=" + value + " on " + format + " let a framework exception escape Nic.Open: " + e);
            }
            try
            {
                nic?.Dispose();
            }
            catch (NicTeardownException e)
            {
                Assert.Fail(field + "=" + value + " on " + format + ": teardown failed: " + e.Message);
            }
            Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        }
        Assert.True(opened > 0 && refused > 0, opened + " opened, " + refused + " refused");
        // The typed errors name what was wrong, by the device's own field names.
        Assert.Superset(new HashSet<string> { "mtu", "counters", "tx_queue_entries", "rx_queue_entries", "db_index", "irq_db_index", "counter_index" }, fields);
    }

    [Theory]
    [InlineData(HostileField.TxQueueEntries, 0, "tx_queue_entries")]
    [InlineData(HostileField.TxQueueEntries, 100, "tx_queue_entries")]
    [InlineData(HostileField.RxQueueEntries, 65535, "rx_queue_entries")]
    [InlineData(HostileField.RxQueueEntries, 1, "rx_queue_entries")]
    [InlineData(HostileField.Mtu, 67, "mtu")]
    [InlineData(HostileField.Mtu, 65518, "mtu")]
    [InlineData(HostileField.Counters, 0, "counters")]
    public void ADescriptorValueTheDriverCannotRunWithIsAFaultNamingIt(HostileField field, ulong value, string name)
    {
        foreach (QueueFormat format in Formats)
        {
            using SimulatedGvnic device = Device();
            device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: field, Value: value));
            var e = Assert.Throws<DeviceFaultException>(() => Nic.Open(device, Options(format)));
            Assert.Equal("device descriptor", e.Queue);
            Assert.Equal(name, e.Field);
            Assert.Equal(value, e.Value);
            Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
            Assert.Empty(device.Violations);
        }
    }

    [Fact]
    public void AnMtuAboveWhatFramesCarryIsRefusedEvenWhereNoJumboOptionLimitsIt()
    {
        // The case: GQI with no jumbo-frames option takes the descriptor's MTU as its limit; 65535 used to open,
        // and a maximum-size frame then had its length truncated into a 16-bit descriptor field.
        using SimulatedGvnic device = Device(formats: OfferedFormats.GqiRda | OfferedFormats.GqiQpl, jumbo: false);
        device.InjectFault(new DeviceFault(DeviceFaultKind.DescriptorMtuAbsurd));
        var e = Assert.Throws<DeviceFaultException>(() => Nic.Open(device, Options(QueueFormat.GqiRda)));
        Assert.Equal("mtu", e.Field);
        Assert.Equal(65535UL, e.Value);
        Assert.Contains("must fit the 16-bit length fields", e.Message);
    }

    [Fact]
    public void ADqoTxRingWhoseCompletionRingWouldNotFitSixteenBitsIsRefused()
    {
        // DQO TX keeps a completion ring twice the descriptor ring: 32768 would make 65536, which tx_comp_ring_size cannot say.
        using SimulatedGvnic device = Device();
        device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.TxQueueEntries, Value: 32768));
        var e = Assert.Throws<DeviceFaultException>(() => Nic.Open(device, Options(QueueFormat.DqoRda)));
        Assert.Equal("tx_queue_entries", e.Field);
        Assert.Contains("from 1 to 16384 in DqoRda", e.Message);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.DqoRda)]
    public void ARingTooSmallForTheLargestFrameIsTheDevicesFaultWhenItIsTheDevicesDefault(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.TxQueueEntries, Value: 2));
        var e = Assert.Throws<DeviceFaultException>(() => Nic.Open(device, Options(format)));
        Assert.Equal("tx_queue_entries", e.Field);
        Assert.Contains("cannot take one 1478-byte frame", e.Message);
    }

    [Theory]
    [InlineData(HostileField.DoorbellIndex, 0x100, "db_index", "notification block 0")] // a queue given block 0's doorbell
    [InlineData(HostileField.IrqDoorbellIndex, 0x100, "irq_db_index", "notification block 0")] // block 1 given block 0's
    public void ADoorbellGivenTwiceIsAFault(HostileField field, ulong value, string name, string other)
    {
        foreach (QueueFormat format in Formats)
        {
            using SimulatedGvnic device = Device();
            device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Queue: 1, Field: field, Value: value));
            var e = Assert.Throws<DeviceFaultException>(() => Nic.Open(device, Options(format)));
            Assert.Equal(name, e.Field);
            Assert.Equal(value, e.Value);
            Assert.Contains("also the doorbell of " + other, e.Message);
            Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
            Assert.Empty(device.Violations);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    public void AnEventCounterGivenToTwoGqiTxQueuesIsAFault(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Queue: 1, Field: HostileField.CounterIndex, Value: 0));
        var e = Assert.Throws<DeviceFaultException>(() => Nic.Open(device, Options(format)));
        Assert.Equal("TX queue 1", e.Queue);
        Assert.Equal("counter_index", e.Field);
        Assert.Contains("also the event counter of TX queue 0", e.Message);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void HugeQueueLimitsAreClampedAndPageListIdsStayDistinct(byte revision)
    {
        using SimulatedGvnic device = Device(revision);
        device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.MaxTxQueues, Value: uint.MaxValue));
        var steps = new List<NicBringUpStep>();
        using Nic nic = Nic.Open(device, Options(QueueFormat.GqiQpl) with { Progress = steps.Add });
        // RX page lists start at max_tx_queues: taken as read, 0xFFFFFFFF + i would have wrapped onto raw addressing's id.
        Assert.Equal([0u, 1u, 65535u, 65536u], device.RegisteredPageLists.Order().ToArray());
        Assert.Contains("the device reads 4294967295 and 4; the driver takes at most 65535", steps.Single(s => s.Name == "queue limits").Detail);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(HostileField.JumboMaxMtu, 65535UL)]
    [InlineData(HostileField.JumboMaxMtu, 0UL)]
    [InlineData(HostileField.ModifyRingMaxTx, 65535UL)]
    [InlineData(HostileField.DqoQplTxPages, 65535UL)]
    [InlineData(HostileField.PacketBufferSize, 0UL)]
    [InlineData(HostileField.RssKeySize, 65535UL)]
    [InlineData(HostileField.DefaultNumQueues, 0UL)]
    [InlineData(HostileField.LinkSpeed, ulong.MaxValue)]
    [InlineData(HostileField.PacketTypes, 0xFFUL)]
    public void ALimitBeyondWhatTheDriverUsesIsClampedAndTrafficGoesOn(HostileField field, ulong value)
    {
        foreach (QueueFormat format in Formats)
        {
            using SimulatedGvnic device = Device();
            device.AttachWire(VirtualWire.Loopback());
            device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: field, Value: value));
            using (Nic nic = Nic.Open(device, Options(format, queues: 1)))
            {
                byte[] frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[300]);
                Assert.True(nic.Transmit(frame));
                var buffer = new byte[nic.MaxFrameSize];
                Assert.True(nic.TryReceive(buffer, out int length, out RxInfo info));
                Assert.Equal(frame, buffer[..length]);
                if (field == HostileField.PacketTypes && format is QueueFormat.DqoRda or QueueFormat.DqoQpl) Assert.Equal(RxFlags.None, info.Flags);
                if (field == HostileField.LinkSpeed) Assert.Equal(ulong.MaxValue, nic.LinkSpeedMbps);
                if (field == HostileField.JumboMaxMtu) Assert.Equal(1460, nic.Mtu);
            }
            Assert.Empty(device.Violations);
            Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        }
    }

    [Theory]
    [InlineData(65535, 1460, 65517)] // the option's limit, clamped to what a 16-bit length carries
    [InlineData(0, 1460, 1460)]      // an option below the descriptor's MTU does not lower it
    [InlineData(9000, 1460, 9000)]
    public void TheJumboLimitIsClampedToWhatFramesCarryAndNeverBelowTheDevicesMtu(int jumbo, int mtu, int limit)
    {
        var caps = new Gvnic.Admin.FormatCapabilities(QueueFormat.GqiQpl, SupFeatureMask.JumboFrames, jumbo, null, 0, 0);
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, Options(QueueFormat.GqiQpl, queues: 1));
        Assert.Equal(mtu, nic.Device.Mtu);
        Assert.Equal(limit, Lifecycle.DeviceValues.MtuLimit(caps, nic.Device));
    }

    [Fact]
    public void PagesPerQplBeyondWhatAPageListHoldsAreClamped()
    {
        // A device offering 2000 pages a TX page list: the driver registers 1024 (what a page list holds on real devices).
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.GqiQpl, TxPagesPerQpl = 2000, TxQueueEntries = 64, RxQueueEntries = 64 });
        var pci = new TamperingPci(device);
        using (Nic nic = Nic.Open(pci, Options(QueueFormat.GqiQpl, queues: 1)))
            Assert.Contains(pci.Allocations, r => r.Length == 1024 * 4096);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void AnUnusableHeaderBufferSizeRefusesHeaderSplitNamingIt()
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.DqoRda, HeaderBufferSize = 128 });
        device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.HeaderBufferSize, Value: 65535));
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { HeaderSplit = true }));
        Assert.Equal(nameof(NicOptions.HeaderSplit), e.Option);
        Assert.Contains("65535-byte header buffers (header_buffer_size)", e.Message);
    }
}
