using System;
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
