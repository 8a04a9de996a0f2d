using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// Each fault mode of the device model against the driver (docs/reliability.md): per-packet faults are counted and
/// dropped and traffic goes on; device-level faults reset the device and bring it up again with every TX frame in
/// flight reported dropped; bring-up faults are typed errors from <see cref="Nic.Open"/> with all memory returned.
/// </summary>
public class FaultTests
{
    private const OfferedFormats AllFormats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;
    private static readonly byte[] Peer = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x01];

    private static SimulatedGvnic Device(ExecutionMode execution = ExecutionMode.Synchronous)
        => new(new SimulatedDeviceConfig { Formats = AllFormats, TxQueueEntries = 256, RxQueueEntries = 128, Execution = execution });

    private static byte[] Frame(int id, int length = 200)
    {
        var f = new byte[length];
        TestDevices.DeviceMac.CopyTo(f, 0);
        Peer.CopyTo(f, 6);
        f[12] = 0x88; f[13] = 0xB5;
        for (int i = 14; i < length; i++) f[i] = (byte)(id * 13 + i);
        return f;
    }

    /// <summary>Injects frame <paramref name="id"/> and returns what the driver received (null: nothing).</summary>
    private static byte[]? RoundTrip(SimulatedGvnic device, Nic nic, int id)
    {
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(id), 0).Outcome);
        var buffer = new byte[nic.MaxFrameSize];
        return nic.TryReceive(buffer, out int length, out _) ? buffer[..length] : null;
    }

    private static void AssertTrafficGoesOn(SimulatedGvnic device, Nic nic, int id)
    {
        Assert.Equal(Frame(id), RoundTrip(device, nic, id));
        byte[] tx = Frame(id + 1000);
        Assert.True(nic.Transmit(tx));
        nic.ReclaimTransmitted();
        Assert.Equal(tx, ((VirtualWire)device.Wire).Frames.Last(f => f.Direction == FrameDirection.Transmit).Data);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl, DeviceFaultKind.GqiRxLenTooLarge)]
    [InlineData(QueueFormat.GqiRda, DeviceFaultKind.GqiRxLenZero)]
    [InlineData(QueueFormat.DqoRda, DeviceFaultKind.DqoRxLenZero)]
    [InlineData(QueueFormat.DqoQpl, DeviceFaultKind.DqoRxLenTooLarge)]
    [InlineData(QueueFormat.DqoRda, DeviceFaultKind.DqoRxBufferIdOutOfRange)]
    public void MalformedRxFrameIsCountedAndDroppedAndTrafficGoesOn(QueueFormat format, DeviceFaultKind kind)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        device.InjectFault(new DeviceFault(kind, Queue: 0));
        Assert.Null(RoundTrip(device, nic, 1));
        Assert.Equal(kind, Assert.Single(device.FiredFaults).Kind);
        RxQueueStatistics rx = nic.GetRxStatistics();
        Assert.Equal(1, rx.DeviceFaults);
        Assert.Equal(0, rx.Dropped);
        Assert.Equal(0, rx.Packets);
        AssertTrafficGoesOn(device, nic, 2);
        Assert.Equal(1, nic.GetRxStatistics().Packets);
        Assert.Equal(0, nic.RecoveryCount);
        nic.Dispose();
        Assert.Empty(device.Violations);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void ErrorFlagDropsTheFrameAsTheDeviceSaid()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxErrorFlag));
        Assert.Null(RoundTrip(device, nic, 1));
        Assert.Equal(1, nic.GetRxStatistics().Dropped);
        Assert.Equal(0, nic.GetRxStatistics().DeviceFaults);
        AssertTrafficGoesOn(device, nic, 2);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    public void DataSlotOverwrittenByTheDeviceIsNeverTrusted(QueueFormat format)
    {
        // The driver places each buffer by its slot index and rewrites the slot when it posts it again: a device that
        // scribbles an offset outside the page list into a consumed slot changes nothing.
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxDataSlotOutsideQpl, Persistent: true));
        for (int id = 0; id < 150; id++) Assert.Equal(Frame(id), RoundTrip(device, nic, id)); // more than two laps of the 64-entry ring
        Assert.Equal(150, device.FiredFaults.Count);
        Assert.Empty(device.Violations);
        Assert.Equal(0, nic.RecoveryCount);
    }

    [Theory]
    [InlineData(DeviceFaultKind.DqoTxUnknownTag, 0, 1)]   // the frame's own completion never comes: it stays in flight
    [InlineData(DeviceFaultKind.DqoTxDuplicateTag, 1, 0)] // the second copy names nothing in flight
    [InlineData(DeviceFaultKind.DqoTxStaleTag, 1, 1)]     // B's completion names A's tag again: A is done, B stays in flight
    public void BadTxCompletionTagIsSkippedAndCounted(DeviceFaultKind kind, int completed, int inFlight)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda));
        device.InjectFault(new DeviceFault(kind));
        Assert.True(nic.Transmit(Frame(1)));
        if (kind == DeviceFaultKind.DqoTxStaleTag) Assert.True(nic.Transmit(Frame(2))); // a second tag in flight, so that an earlier one exists
        Assert.Equal(completed, nic.ReclaimTransmitted());
        Assert.Equal(kind, Assert.Single(device.FiredFaults).Kind);
        TxQueueStatistics tx = nic.GetTxStatistics();
        Assert.Equal(1, tx.DeviceFaults);
        Assert.Equal(completed, tx.Completed);
        Assert.Equal(inFlight, nic.TransmitsInFlight());
        Assert.Equal(tx.Packets, tx.Completed + nic.TransmitsInFlight());
        Assert.Equal(0, nic.RecoveryCount);
        AssertTrafficGoesOn(device, nic, 20);
    }

    public static IEnumerable<object[]> DeviceLevelFaults() =>
    [
        [QueueFormat.GqiQpl, DeviceFaultKind.GqiRxBadSequence, "seqno"],
        [QueueFormat.GqiRda, DeviceFaultKind.GqiTxCounterPastPosted, "event counter"],
        [QueueFormat.DqoRda, DeviceFaultKind.DqoRxGenerationFlipped, "generation"],
        [QueueFormat.DqoQpl, DeviceFaultKind.DqoTxGenerationFlipped, "generation"],
    ];

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void ReceivedFramesNotTakenBeforeAResetAreReportedDropped(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        var reports = new List<NicResetReport>();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { OnReset = reports.Add });
        for (int id = 1; id <= 4; id++) Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(id), 0).Outcome);
        var buffer = new byte[nic.MaxFrameSize];
        Assert.True(nic.TryReceive(buffer, out _, out _)); // one taken, three left in the ring

        device.RequestReset();
        Assert.True(nic.Service());

        NicResetReport report = Assert.Single(reports);
        Assert.Equal(3, report.RxDropped);
        Assert.Equal(3, nic.RxDroppedOnReset);
        Assert.Equal(1, report.RxStatistics[0].Packets);
        Assert.False(nic.TryReceive(buffer, out _, out _)); // the new rings start empty
        Assert.NotNull(RoundTrip(device, nic, 9));
    }

    /// <summary>
    /// Found by the fault-schedule fuzz: a completion walk that frees tags and then meets a fault must still count the
    /// frames it freed, or they are neither completed, in flight nor dropped: lost silently.
    /// </summary>
    [Fact]
    public void FramesCompletedBeforeADeviceFaultInTheSameWalkAreCounted()
    {
        using SimulatedGvnic device = Device();
        var reports = new List<NicResetReport>();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { OnReset = reports.Add });
        device.HoldDqoTxCompletions(true);
        for (int id = 1; id <= 4; id++) Assert.True(nic.Transmit(Frame(id)));
        device.InjectFault(new DeviceFault(DeviceFaultKind.DqoTxGenerationFlipped, Skip: 2)); // the third completion written
        Assert.Equal(4, device.ReleaseDqoTxCompletions());

        Assert.Equal(0, nic.ReclaimTransmitted()); // two tags freed, then the flipped bit: recovered, no progress reported
        NicResetReport report = Assert.Single(reports);
        Assert.Equal("generation", Assert.IsType<DeviceFaultException>(report.Fault).Field);
        Assert.Equal(4, report.TxStatistics[0].Packets);
        Assert.Equal(2, report.TxStatistics[0].Completed);
        Assert.Equal(2, report.TxDropped);
        Assert.Equal(2, nic.TxDroppedOnReset);
    }

    [Theory]
    [MemberData(nameof(DeviceLevelFaults))]
    public void DeviceLevelFaultResetsAndRecovers(QueueFormat format, DeviceFaultKind kind, string field)
    {
        using SimulatedGvnic device = Device();
        var reports = new List<NicResetReport>();
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { OnReset = reports.Add });
        long resets = device.ResetCount;
        device.InjectFault(new DeviceFault(kind));
        // Two frames each way: a flipped generation bit shows when the entry after it is written.
        for (int id = 1; id <= 2 && nic.RecoveryCount == 0; id++)
        {
            RoundTrip(device, nic, id);
            nic.Transmit(Frame(id + 100));
            nic.ReclaimTransmitted();
        }
        Assert.Equal(1, nic.RecoveryCount);
        NicResetReport report = Assert.Single(reports);
        var fault = Assert.IsType<DeviceFaultException>(report.Fault);
        Assert.Equal(field, fault.Field);
        Assert.Same(fault, nic.LastFault);
        Assert.Equal(fault.Message, report.Reason);
        Assert.False(report.DeviceRequested);
        Assert.Equal(resets + 1, device.ResetCount);
        // Nothing lost silently: what was sent is completed or reported dropped.
        TxQueueStatistics old = report.TxStatistics[0];
        Assert.Equal(old.Packets, old.Completed + report.TxDropped);
        Assert.Equal(report.TxDropped, nic.TxDroppedOnReset);
        AssertTrafficGoesOn(device, nic, 50);
        nic.Dispose();
        Assert.Empty(device.Violations);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void ResetBitMidTrafficDropsTheFramesInFlightAndSaysHowMany()
    {
        using SimulatedGvnic device = Device(ExecutionMode.Manual);
        var reports = new List<NicResetReport>();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { OnReset = reports.Add });
        for (int id = 0; id < 5; id++) Assert.True(nic.Transmit(Frame(id)));
        device.Step(); // the device sends one of them
        Assert.Equal(1, nic.ReclaimTransmitted());
        device.InjectFault(new DeviceFault(DeviceFaultKind.ResetRequest));
        Assert.Equal(0, nic.ReclaimTransmitted()); // sees device_status RESET: resets and comes back
        NicResetReport report = Assert.Single(reports);
        Assert.True(report.DeviceRequested);
        Assert.Null(report.Fault);
        Assert.Equal("device_status RESET", report.Reason);
        Assert.Equal(1, report.Recovery);
        Assert.Equal(4, report.TxDropped);
        Assert.Equal(4, nic.TxDroppedOnReset);
        Assert.Equal(new TxQueueStatistics(5, 5 * 200, 1, 5 * 2, 0, 5) { BytesCompleted = 200 }, report.TxStatistics[0] with { Doorbells = 5 }); // DQO: a general context descriptor and a packet descriptor per frame
        Assert.False(nic.ResetRequested);
        Assert.Equal(0, nic.TransmitsInFlight());
        Assert.True(nic.Transmit(Frame(9)));
        device.RunPending();
        Assert.Equal(1, nic.ReclaimTransmitted());
    }

    [Fact]
    public void ResetWaitsForAnOpenLeaseAndHappensAfterIt()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiRda));
        device.InjectFrame(Frame(1), 0);
        Assert.True(nic.TryReceive(out RxLease lease));
        device.InjectFault(new DeviceFault(DeviceFaultKind.ResetRequest));
        Assert.False(nic.Service()); // the lease's bytes live in memory a reset would free: the reset waits
        Assert.True(nic.ResetPending);
        Assert.Equal(0, nic.RecoveryCount);
        Assert.Equal(Frame(1), lease.Frame.ToArray());
        Assert.False(nic.Transmit(Frame(2))); // nothing runs on the old queues meanwhile
        lease.Dispose();
        Assert.True(nic.Transmit(Frame(3))); // the first call after the lease recovers, then sends
        Assert.Equal(1, nic.RecoveryCount);
        Assert.False(nic.ResetPending);
    }

    [Fact]
    public void WithoutAutoRecoverTheFaultIsThrownAndRecoverIsTheCallersChoice()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl) with { AutoRecover = false });
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxBadSequence));
        device.InjectFrame(Frame(1), 0);
        var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[4096], out _, out _));
        Assert.Equal("seqno", e.Field);
        Assert.Equal(0, nic.RecoveryCount);
        nic.Recover();
        Assert.Equal(1, nic.RecoveryCount);
        Assert.Null(nic.LastFault); // the caller recovered: no automatic reset happened
        AssertTrafficGoesOn(device, nic, 2);
    }

    [Fact]
    public void RecoveryThatMeetsAFailingCommandLeavesTheNicDisposedWithNothingHeld()
    {
        using SimulatedGvnic device = Device();
        Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminCommandStatus, Persistent: true, Opcode: AdminqOpcodes.CreateRxQueue,
            Status: AdminqStatuses.CommandErrorResourceExhausted));
        device.InjectFault(new DeviceFault(DeviceFaultKind.ResetRequest));
        var e = Assert.Throws<AdminCommandException>(() => nic.ReclaimTransmitted());
        Assert.Equal(AdminqOpcodes.CreateRxQueue, e.Opcode);
        Assert.Throws<ObjectDisposedException>(() => nic.ReclaimTransmitted());
        nic.Dispose();
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void StalledDeviceDuringRecoveryKeepsTheMemoryItMayStillWrite()
    {
        using SimulatedGvnic device = Device();
        Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda));
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminEventCounterStalled));
        device.InjectFault(new DeviceFault(DeviceFaultKind.ResetRequest));
        var e = Assert.Throws<NicTeardownException>(() => nic.ReclaimTransmitted());
        Assert.True(e.MemoryKept);
        Assert.Equal(e.RegionsKept, device.DmaAllocator.OutstandingRegions);
        Assert.Throws<ObjectDisposedException>(() => nic.Transmit(Frame(1)));
    }

    [Fact]
    public void LinkFlapIsReportedAndTrafficGoesOn()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoQpl));
        device.InjectFault(new DeviceFault(DeviceFaultKind.LinkFlap));
        Assert.Equal(DeviceFaultKind.LinkFlap, Assert.Single(device.FiredFaults).Kind);
        Assert.True(nic.LinkUp);
        AssertTrafficGoesOn(device, nic, 1);
    }

    public static IEnumerable<object[]> BringUpFaults() =>
    [
        [DeviceFaultKind.DescriptorOptionCountLies, typeof(DeviceFaultException), "device descriptor"],
        [DeviceFaultKind.DescriptorOptionLengthLies, typeof(DeviceFaultException), "device descriptor"],
        [DeviceFaultKind.DescriptorTotalLengthTooLong, typeof(DeviceFaultException), "device descriptor"],
        [DeviceFaultKind.DescriptorTotalLengthTooShort, typeof(DeviceFaultException), "device descriptor"],
        [DeviceFaultKind.DoorbellOutsideBar2, typeof(DeviceFaultException), "outside BAR2"],
        [DeviceFaultKind.CounterIndexOutsideArray, typeof(DeviceFaultException), "event-counter array"],
        [DeviceFaultKind.DescriptorMtuZero, typeof(DeviceFaultException), "mtu = 0 (0x0): outside 68 … 65517"],
        [DeviceFaultKind.DescriptorMtuAbsurd, typeof(DeviceFaultException), "mtu = 65535 (0xFFFF): outside 68 … 65517"],
        [DeviceFaultKind.ZeroQueues, typeof(NicConfigurationException), "the device allows 1 … 0"],
        [DeviceFaultKind.AdminCommandStatus, typeof(AdminCommandException), "DESCRIBE_DEVICE"],
        [DeviceFaultKind.AdminEventCounterStalled, typeof(DeviceTimeoutException), "got no answer"],
    ];

    [Theory]
    [MemberData(nameof(BringUpFaults))]
    public void BringUpFaultIsATypedErrorFromOpenWithNothingHeld(DeviceFaultKind kind, Type error, string message)
    {
        using SimulatedGvnic device = Device();
        device.InjectFault(new DeviceFault(kind));
        Exception e = Assert.Throws(error, () => Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl)));
        Assert.Contains(message, e.Message);
        Assert.Contains(device.FiredFaults, f => f.Kind == kind);
        Assert.Empty(device.Violations);
        // A device that stopped answering may still write what it was given: that memory is kept, everything else is freed.
        if (kind == DeviceFaultKind.AdminEventCounterStalled) Assert.True(device.DmaAllocator.OutstandingRegions > 0);
        else Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void UnknownOptionIdIsSkippedAndBringUpGoesOn()
    {
        using SimulatedGvnic device = Device();
        device.InjectFault(new DeviceFault(DeviceFaultKind.DescriptorUnknownOptionId));
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        Assert.Equal(0x7E, Assert.Single(nic.Device.SkippedOptions).Id);
        AssertTrafficGoesOn(device, nic, 1);
    }

    [Fact]
    public void AFailedCommandOnceIsAnErrorOnlyOnce()
    {
        using SimulatedGvnic device = Device();
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminCommandStatus, Opcode: AdminqOpcodes.CreateTxQueue, Status: AdminqStatuses.CommandErrorInternalError));
        var e = Assert.Throws<AdminCommandException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoQpl)));
        Assert.Equal(AdminqStatuses.CommandErrorInternalError, e.Status);
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoQpl));
        AssertTrafficGoesOn(device, nic, 1);
    }
}
