using System;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>The device model's fault modes (<see cref="SimulatedGvnic.InjectFault"/>): each writes exactly the lie it names, when it names.</summary>
public class FaultInjectionTests
{
    [Fact]
    public void AdminStatusFaultOnceFailsOneCommandPersistentFailsEvery()
    {
        using var device = new SimulatedGvnic();
        var raw = new RawDriver(device);
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminCommandStatus, Opcode: AdminqOpcodes.DescribeDevice, Status: AdminqStatuses.CommandErrorAborted));
        Assert.Equal(AdminqStatuses.CommandErrorAborted, raw.Describe(out _));
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Describe(out _));
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminCommandStatus, Skip: 1, Persistent: true, Opcode: AdminqOpcodes.DescribeDevice,
            Status: AdminqStatuses.CommandUnset));
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Describe(out _)); // skipped once
        Assert.Equal(AdminqStatuses.CommandUnset, raw.Describe(out _));
        Assert.Equal(AdminqStatuses.CommandUnset, raw.Describe(out _));
        Assert.Equal(3, device.FiredFaults.Count);
        Assert.True(device.AdminCommands.Where(c => c.Status != AdminqStatuses.CommandPassed).All(c => c.Injected));
        device.ClearFaults();
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Describe(out _));
    }

    [Fact]
    public void StalledEventCounterNeverAdvances()
    {
        using var device = new SimulatedGvnic();
        var raw = new RawDriver(device);
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminEventCounterStalled));
        raw.Queue((ref AdminqCommand c) => c.Opcode = AdminqOpcodes.DescribeDevice);
        raw.Ring();
        Assert.Equal(0u, device.AdminEventCounter);
        Assert.Equal(0u, raw.Bar0.ReadAdminqEventCounter());
        Assert.Equal(DeviceFaultKind.AdminEventCounterStalled, Assert.Single(device.FiredFaults).Kind);
    }

    [Theory]
    [InlineData(DeviceFaultKind.DescriptorOptionCountLies)]
    [InlineData(DeviceFaultKind.DescriptorOptionLengthLies)]
    [InlineData(DeviceFaultKind.DescriptorTotalLengthTooLong)]
    [InlineData(DeviceFaultKind.DescriptorTotalLengthTooShort)]
    [InlineData(DeviceFaultKind.DescriptorUnknownOptionId)]
    [InlineData(DeviceFaultKind.DescriptorMtuZero)]
    [InlineData(DeviceFaultKind.DescriptorMtuAbsurd)]
    [InlineData(DeviceFaultKind.ZeroQueues)]
    public void DescriptorLiesAreWrittenAsNamed(DeviceFaultKind kind)
    {
        using var device = new SimulatedGvnic();
        var raw = new RawDriver(device);
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Describe(out DmaRegion honest));
        DeviceDescriptor truth = DeviceDescriptor.Read(honest.Span);
        device.InjectFault(new DeviceFault(kind));
        Assert.Equal(AdminqStatuses.CommandPassed, raw.Describe(out DmaRegion lie));
        DeviceDescriptor d = DeviceDescriptor.Read(lie.Span);
        int lastOption = truth.TotalLength - DeviceOption.Size - DeviceOptionFlowSteering.Size;
        switch (kind)
        {
            case DeviceFaultKind.DescriptorOptionCountLies: Assert.Equal(truth.NumDeviceOptions + 40, d.NumDeviceOptions); break;
            case DeviceFaultKind.DescriptorOptionLengthLies:
                Assert.Equal(truth.TotalLength + 8, DeviceOption.Read(lie.Span.Slice(DeviceDescriptor.Size)).OptionLength);
                break;
            case DeviceFaultKind.DescriptorTotalLengthTooLong: Assert.Equal(4096 + 64, d.TotalLength); break;
            case DeviceFaultKind.DescriptorTotalLengthTooShort: Assert.Equal(DeviceDescriptor.Size - 1, d.TotalLength); break;
            case DeviceFaultKind.DescriptorUnknownOptionId:
                Assert.Equal(DevOptId.FlowSteering, DeviceOption.Read(honest.Span.Slice(lastOption)).OptionId);
                Assert.Equal((DevOptId)0x7E, DeviceOption.Read(lie.Span.Slice(lastOption)).OptionId);
                break;
            case DeviceFaultKind.DescriptorMtuZero: Assert.Equal(0, d.Mtu); break;
            case DeviceFaultKind.DescriptorMtuAbsurd: Assert.Equal(ushort.MaxValue, d.Mtu); break;
            case DeviceFaultKind.ZeroQueues:
                Assert.Equal(0, d.DefaultNumQueues);
                Assert.Equal(0u, raw.Bar0.ReadMaxTxQueues());
                Assert.Equal(0u, raw.Bar0.ReadMaxRxQueues());
                break;
        }
        Assert.Contains(device.FiredFaults, f => f.Kind == kind);
    }

    [Fact]
    public void QueueResourcesLieAboutDoorbellAndCounter()
    {
        using var device = new SimulatedGvnic();
        var raw = new RawDriver(device);
        device.InjectFault(new DeviceFault(DeviceFaultKind.DoorbellOutsideBar2, Queue: 0));
        device.InjectFault(new DeviceFault(DeviceFaultKind.CounterIndexOutsideArray, Queue: 0));
        (RawTxQueue tx, _) = raw.BringUpGqiRda();
        Assert.Equal((uint)(device.Config.Bar2Length / 4 + 3), tx.DbIndex);
        Assert.Equal(16u + 5, tx.CounterIndex);
        Assert.Equal(2, device.FiredFaults.Count);
    }

    [Fact]
    public void GqiRxDescriptorFaultsFireOnTheFrameTheySkipTo()
    {
        using var device = new SimulatedGvnic();
        var raw = new RawDriver(device);
        (_, RawRxQueue rx) = raw.BringUpGqiQpl();
        raw.PostGqiRx(rx, 8);
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxLenTooLarge, Queue: 0, Skip: 1));
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxBadSequence, Queue: 0, Skip: 2));
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxPacketContOnLast, Queue: 0, Skip: 3));
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiRxDataSlotOutsideQpl, Queue: 0, Skip: 4));
        for (int i = 0; i < 5; i++) Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frames.Udp4(100, (byte)i), 0).Outcome);
        Assert.Equal(2 + 142, raw.RxDescAt(rx, 0).Len);                 // honest
        Assert.Equal(2048 + 100, raw.RxDescAt(rx, 1).Len);              // len beyond the buffer
        Assert.Equal(6, raw.RxDescAt(rx, 2).Seqno);                     // seqno 3 (honest) → 6
        Assert.True(raw.RxDescAt(rx, 3).PacketCont);                    // the frame claims to go on
        Assert.Equal(0x7FFF_0000_0000UL, RxDataSlot.Read(rx.Data.Span.Slice(4 * 8)).QplOffset);
        Assert.Equal([1L, 2L, 3L, 4L], device.FiredFaults.Select(f => f.Index).ToArray());
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void GqiTxCounterRunsPastTheDoorbell()
    {
        using var device = new SimulatedGvnic();
        var raw = new RawDriver(device);
        (RawTxQueue tx, _) = raw.BringUpGqiQpl();
        device.InjectFault(new DeviceFault(DeviceFaultKind.GqiTxCounterPastPosted));
        raw.SendGqi(tx, Frames.Udp4(100));
        Assert.Equal(raw.TxProduced + 5, raw.Counter(tx.CounterIndex));
        raw.SendGqi(tx, Frames.Udp4(100));
        Assert.Equal(raw.TxProduced, raw.Counter(tx.CounterIndex)); // once: the next completion is honest
    }

    [Fact]
    public unsafe void HostWritePastARegionIsFoundWhenItIsFreed()
    {
        using var device = new SimulatedGvnic();
        DmaRegion good = device.Dma.Allocate(100);
        DmaRegion bad = device.Dma.Allocate(100);
        good.Span.Fill(0xFF); // the whole region, not a byte more
        bad.Pointer[100] = 0; // one byte past the end
        device.Dma.Free(good);
        Assert.Equal(0, device.DmaAllocator.Overruns);
        device.Dma.Free(bad);
        Assert.Equal(1, device.DmaAllocator.Overruns);
        ProtocolViolation v = Assert.Single(device.Violations);
        Assert.Equal(ViolationKind.DmaOutOfBounds, v.Kind);
        Assert.Contains("the host wrote past its end (canary byte 0 overwritten)", v.Detail);
    }
}
