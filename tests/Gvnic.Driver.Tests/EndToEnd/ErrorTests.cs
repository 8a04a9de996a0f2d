using System;
using System.Buffers.Binary;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

public class AdminErrorTests
{
    public static TheoryData<AdminqStatuses> ErrorStatuses()
    {
        var data = new TheoryData<AdminqStatuses>();
        foreach (AdminqStatuses s in Enum.GetValues<AdminqStatuses>())
            if (s is not AdminqStatuses.CommandPassed and not AdminqStatuses.CommandUnset) data.Add(s);
        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorStatuses))]
    public void EveryErrorStatusOnQueueCreationIsReportedAndUndone(AdminqStatuses status)
    {
        using SimulatedGvnic device = TestDevices.Create();
        device.FailNextCommand(AdminqOpcodes.CreateRxQueue, status);
        var e = Assert.Throws<AdminCommandException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl)));
        Assert.Equal(AdminqOpcodes.CreateRxQueue, e.Opcode);
        Assert.Equal(status, e.Status);
        Assert.Equal(0u, e.QueueId);
        Assert.StartsWith("CREATE_RX_QUEUE (0x6) for queue 0 failed: ", e.Message);
        Assert.EndsWith("(0x" + ((uint)status).ToString("X") + ")", e.Message);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        Assert.Equal(0, device.TxQueueCount);
        Assert.Null(device.ConfiguredFormat);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void InvalidArgumentMessageMatchesTheStyleGuide()
    {
        using SimulatedGvnic device = TestDevices.Create();
        device.FailNextCommand(AdminqOpcodes.CreateRxQueue, AdminqStatuses.CommandErrorInvalidArgument);
        var e = Assert.Throws<AdminCommandException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiRda)));
        Assert.Equal("CREATE_RX_QUEUE (0x6) for queue 0 failed: INVALID_ARGUMENT (0xFFFFFFF7)", e.Message);
    }

    [Theory]
    [InlineData(AdminqOpcodes.DescribeDevice)]
    [InlineData(AdminqOpcodes.ConfigureDeviceResources)]
    [InlineData(AdminqOpcodes.RegisterPageList)]
    [InlineData(AdminqOpcodes.CreateTxQueue)]
    public void FailuresAtEachBringUpStepAreUndone(AdminqOpcodes opcode)
    {
        using SimulatedGvnic device = TestDevices.Create();
        device.FailNextCommand(opcode, AdminqStatuses.CommandErrorResourceExhausted);
        var e = Assert.Throws<AdminCommandException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl, queues: 2)));
        Assert.Equal(opcode, e.Opcode);
        Assert.Contains("RESOURCE_EXHAUSTED (0xFFFFFFFC)", e.Message);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        Assert.Equal(0, device.TxQueueCount);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void SecondQueueFailingLeavesTheFirstToBeDestroyed()
    {
        using SimulatedGvnic device = TestDevices.Create();
        device.FailNextCommand(AdminqOpcodes.CreateTxQueue, AdminqStatuses.CommandPassed); // first passes through the fault queue
        device.FailNextCommand(AdminqOpcodes.CreateTxQueue, AdminqStatuses.CommandErrorAlreadyExists);
        var e = Assert.Throws<AdminCommandException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiRda, queues: 2)));
        Assert.Equal(1u, e.QueueId);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        Assert.Equal(0, device.TxQueueCount);
    }

    [Fact]
    public void UnimplementedCompatibilityCheckIsFine()
    {
        using SimulatedGvnic device = TestDevices.Create();
        device.FailNextCommand(AdminqOpcodes.VerifyDriverCompatibility, AdminqStatuses.CommandErrorUnimplemented);
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        Assert.Equal(QueueFormat.GqiQpl, nic.QueueFormat);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void StalledAdminQueueTimesOutAndKeepsMemory(byte revision)
    {
        using SimulatedGvnic device = TestDevices.Create(revision);
        device.StallAdminQueue();
        var e = Assert.Throws<DeviceTimeoutException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl)));
        Assert.Equal("VERIFY_DRIVER_COMPATIBILITY (0xF)", e.Command);
        Assert.Equal(0u, e.EventCounter);
        Assert.Equal(1u, e.Expected);
        Assert.True(e.Waited >= TimeSpan.FromMilliseconds(300));
        Assert.Matches(@"^VERIFY_DRIVER_COMPATIBILITY \(0xF\) got no answer in \d+(\.\d)? ms \(event counter 0, expected 1\)$", e.Message);
        Assert.True(device.DmaAllocator.OutstandingRegions > 0, "the admin queue page must be kept: the device never let go of it");
    }

    [Fact]
    public void UnresponsiveDeviceAtTeardownKeepsMemory()
    {
        using SimulatedGvnic device = TestDevices.Create();
        Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        int regions = device.DmaAllocator.OutstandingRegions;
        device.StallAdminQueue();
        var e = Assert.Throws<NicTeardownException>(nic.Dispose);
        Assert.True(e.MemoryKept);
        Assert.Equal(regions, e.RegionsKept);
        Assert.Equal(regions, device.DmaAllocator.OutstandingRegions);
        Assert.IsType<DeviceTimeoutException>(e.InnerException);
        Assert.Contains("DEVICE_IS_RESET", e.Message);
        Assert.False(device.BusMasterEnabled);
        nic.Dispose(); // a second dispose does nothing
    }

    [Fact]
    public void UnofferedFormatListsWhatTheDeviceOffered()
    {
        using SimulatedGvnic device = TestDevices.Create(formats: OfferedFormats.GqiQpl | OfferedFormats.GqiRda);
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoQpl)));
        Assert.Equal("queue format DqoQpl was requested but the device offers only GqiRda, GqiQpl", e.Message);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(OfferedFormats.DqoRda | OfferedFormats.DqoQpl | OfferedFormats.GqiQpl | OfferedFormats.GqiRda, QueueFormat.DqoRda)]
    [InlineData(OfferedFormats.DqoQpl | OfferedFormats.GqiQpl | OfferedFormats.GqiRda, QueueFormat.DqoQpl)]
    [InlineData(OfferedFormats.GqiQpl | OfferedFormats.GqiRda, QueueFormat.GqiRda)]
    [InlineData(OfferedFormats.GqiQpl, QueueFormat.GqiQpl)]
    public void DefaultChoiceFollowsUpstreamPreference(OfferedFormats offered, QueueFormat chosen)
    {
        using SimulatedGvnic device = TestDevices.Create(formats: offered);
        using Nic nic = Nic.Open(device);
        Assert.Equal(chosen, nic.QueueFormat);
        Assert.Equal(chosen, device.ConfiguredFormat);
    }

    [Fact]
    public void RequestedFormatMustBeOffered()
    {
        using SimulatedGvnic device = TestDevices.Create(formats: OfferedFormats.GqiQpl);
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiRda)));
        Assert.Contains("offers only GqiQpl", e.Message);
    }

    [Fact]
    public void NotAGvnicIsRefused()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var pci = new TamperingPci(device) { };
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(new WrongIdPci(pci)));
        Assert.Contains("not a gVNIC", e.Message);
    }

    internal sealed class WrongIdPci(IPciFunction inner) : IPciFunction
    {
        public string Address => inner.Address;
        public ushort VendorId => 0x8086;
        public ushort DeviceId => 0x1572;
        public byte RevisionId => inner.RevisionId;
        public IMmioRegion Bar0 => inner.Bar0;
        public IMmioRegion Bar2 => inner.Bar2;
        public long Bar2Length => inner.Bar2Length;
        public IDmaAllocator Dma => inner.Dma;
        public IInterruptController Interrupts => inner.Interrupts;
        public void EnableBusMaster() => inner.EnableBusMaster();
        public void DisableBusMaster() => inner.DisableBusMaster();
        public void Dispose() { }
    }
}

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
