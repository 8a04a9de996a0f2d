using System;
using System.Buffers.Binary;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

public class DeviceFaultTests
{
    [Fact]
    public void DoorbellIndexOutsideBar2IsAFault()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var pci = new TamperingPci(device) { Bar2LengthOverride = 4 }; // one doorbell word
        var e = Assert.Throws<DeviceFaultException>(() => Nic.Open(pci, TestDevices.Options(QueueFormat.GqiQpl)));
        Assert.Contains("outside BAR2 (1 doorbell words)", e.Message);
        Assert.Contains(e.Field, new[] { "irq_db_index", "db_index" });
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void AdminEventCounterAheadOfProducerIsAFault()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var pci = new TamperingPci(device)
        {
            Bar0Read32 = (offset, raw) => offset == Bar0Registers.Offsets.AdminqEventCounter && BinaryPrimitives.ReverseEndianness(raw) >= 2
                ? BinaryPrimitives.ReverseEndianness(BinaryPrimitives.ReverseEndianness(raw) + 5) : raw,
        };
        var e = Assert.Throws<DeviceFaultException>(() => Nic.Open(pci, TestDevices.Options(QueueFormat.GqiQpl)));
        Assert.Equal("admin queue", e.Queue);
        Assert.Equal("adminq_event_counter", e.Field);
        Assert.Equal(7ul, e.Value);
    }

    [Fact]
    public void DeviceResetDuringAdminWaitIsItsOwnError()
    {
        using SimulatedGvnic device = TestDevices.Create(revision: 0);
        var pci = new TamperingPci(device)
        {
            // DESCRIBE_DEVICE never completes and adminq_pfn reads 0: the device reset underneath the driver.
            Bar0Read32 = (offset, raw) => offset == Bar0Registers.Offsets.AdminqEventCounter ? Math.Min(raw, BinaryPrimitives.ReverseEndianness(1u))
                : offset == Bar0Registers.Offsets.AdminqPfn && device.AdminCommands.Count >= 2 ? 0 : raw,
        };
        var e = Assert.Throws<DeviceResetException>(() => Nic.Open(pci, TestDevices.Options(QueueFormat.GqiQpl)));
        Assert.Contains("DESCRIBE_DEVICE (0x1)", e.Message);
        Assert.Contains("adminq_pfn reads 0", e.Message);
    }

    [Fact]
    public void TxCompletionCounterAheadOfPostedIsAFault()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(QueueFormat.GqiQpl) with { AutoRecover = false });
        DmaRegion counters = pci.Allocations.First(r => r.Length == nic.Device.EventCounters * 4);
        for (int i = 0; i < nic.Device.EventCounters; i++) BinaryPrimitives.WriteUInt32BigEndian(counters.Span[(i * 4)..], 1000);
        var e = Assert.Throws<DeviceFaultException>(() => nic.ReclaimTransmitted());
        Assert.Equal("TX queue 0", e.Queue);
        Assert.Equal("event counter", e.Field);
        Assert.Equal(1000ul, e.Value);
    }

    [Fact]
    public void RxLengthBeyondTheBufferIsDroppedAndCounted()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(QueueFormat.GqiRda));
        DmaRegion ring = pci.Allocations.Single(r => r.Length == 256 * RxDesc.Size);
        ref RxDesc d = ref RxDesc.AsRef(ring.Span);
        d.Len = 4000;
        d.Seqno = 1;
        Assert.False(nic.TryReceive(new byte[4096], out _, out _));
        Assert.Equal(1, nic.GetRxStatistics().DeviceFaults);
        Assert.Equal(0, nic.GetRxStatistics().Packets);
        Assert.Equal(0, nic.RecoveryCount);
    }

    [Fact]
    public void RxSequenceNumberOutOfTurnIsAFault()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(QueueFormat.GqiQpl) with { AutoRecover = false });
        DmaRegion ring = pci.Allocations.Single(r => r.Length == 256 * RxDesc.Size);
        RxDesc.AsRef(ring.Span).Seqno = 5;
        var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[4096], out _, out _));
        Assert.Equal("seqno", e.Field);
        Assert.Equal(5ul, e.Value);
    }

    private const OfferedFormats AllFormats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;

    [Fact]
    public void DqoRxBufferIdNotPostedIsDroppedAndCounted()
    {
        using SimulatedGvnic device = TestDevices.Create(formats: AllFormats);
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(QueueFormat.DqoRda));
        // The RX buffer queue and then its completion queue: the second region of 256 × 32 bytes.
        DmaRegion completions = pci.Allocations.Where(r => r.Length == 256 * RxComplDescDqo.Size).ElementAt(1);
        ref RxComplDescDqo c = ref RxComplDescDqo.AsRef(completions.Span);
        c.Generation = true;
        c.BufId = 999;
        c.PacketLen = 60;
        c.EndOfPacket = true;
        long posted = nic.GetRxStatistics().BuffersPosted;
        Assert.False(nic.TryReceive(new byte[4096], out _, out _));
        Assert.Equal(1, nic.GetRxStatistics().DeviceFaults);
        Assert.Equal(posted, nic.GetRxStatistics().BuffersPosted); // buffer 999 does not exist: nothing to give back
    }

    [Fact]
    public void DqoTxCompletionTagOutsideTheTableIsSkippedAndCounted()
    {
        using SimulatedGvnic device = TestDevices.Create(formats: AllFormats);
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(QueueFormat.DqoRda));
        // TX queue 0 allocates its ring (256 × 16), its completion ring (2 × 256 × 8), then its resources block (64).
        var live = pci.Allocations.Where(r => !r.IsFreed).ToList();
        int resources = Enumerable.Range(2, live.Count - 2).First(i => live[i].Length == QueueResources.Size
            && live[i - 1].Length == 512 * TxComplDesc.Size && live[i - 2].Length == 256 * TxPktDescDqo.Size);
        DmaRegion completions = live[resources - 1];
        Assert.Equal(512 * TxComplDesc.Size, completions.Length);
        ref TxComplDesc c = ref TxComplDesc.AsRef(completions.Span);
        c.Type = ComplTypeDqo.Pkt;
        c.CompletionTag = 300;
        c.Generation = true;
        Assert.Equal(0, nic.ReclaimTransmitted());
        Assert.Equal(1, nic.GetTxStatistics().DeviceFaults);
        Assert.Equal(0, nic.GetTxStatistics().Completed);
        Assert.Equal(0, nic.RecoveryCount);
    }
}
