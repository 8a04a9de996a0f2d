using System;
using Gvnic.Platform;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

public sealed unsafe class DmaTests
{
    [Fact]
    public void Allocations_AreZeroedAligned_AboveFourGiB_AndNotHostPointers()
    {
        var log = new ViolationLog();
        using var dma = new SimulatedDmaAllocator(log);
        DmaRegion a = dma.Allocate(100);
        DmaRegion b = dma.Allocate(8192, 8192);
        Assert.True(a.DeviceAddress >= 0x1_0000_0000UL);
        Assert.NotEqual((ulong)a.Pointer, a.DeviceAddress);
        Assert.Equal(0UL, b.DeviceAddress % 8192);
        Assert.Equal(0UL, (ulong)b.Pointer % 8192);
        Assert.All(b.Span.ToArray(), x => Assert.Equal(0, x));
        Assert.Equal(2, dma.OutstandingRegions);
        Assert.Equal(8292, dma.OutstandingBytes);
        dma.Free(a);
        Assert.Equal(1, dma.OutstandingRegions);
        Assert.True(a.IsFreed);
    }

    [Fact]
    public void Resolve_ChecksBoundsFreedRegionsAndGuardGaps()
    {
        var log = new ViolationLog();
        using var dma = new SimulatedDmaAllocator(log);
        DmaRegion a = dma.Allocate(4096);
        DmaRegion b = dma.Allocate(4096);
        a.Span[10] = 0x5A;
        Assert.True(dma.TryResolve(a.DeviceAddress + 10, 1, out Span<byte> s, out _, out _));
        Assert.Equal(0x5A, s[0]);
        Assert.False(dma.TryResolve(a.DeviceAddress + 4000, 200, out _, out ViolationKind k1, out _));
        Assert.Equal(ViolationKind.DmaOutOfBounds, k1);
        Assert.False(dma.TryResolve(a.DeviceAddress + 4096, 4, out _, out _, out _));
        Assert.False(dma.TryResolve((uint)a.DeviceAddress, 4, out _, out _, out string reason));
        Assert.Contains("outside every DMA region", reason);
        dma.Free(b);
        Assert.False(dma.TryResolve(b.DeviceAddress, 4, out _, out ViolationKind k2, out _));
        Assert.Equal(ViolationKind.DmaToFreedRegion, k2);
        dma.Free(b);
        Assert.Equal(ViolationKind.BadFree, Assert.Single(log.Snapshot()).Kind);
    }

    [Fact]
    public void DeviceDmaIntoFreedMemory_IsNotPerformed_AndRecorded()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        DmaRegion buf = drv.Dma.Allocate(4096);
        drv.Dma.Free(buf);
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.DescribeDevice;
            c.DescribeDevice.DeviceDescriptorAddr = buf.DeviceAddress;
            c.DescribeDevice.DeviceDescriptorVersion = 1;
            c.DescribeDevice.AvailableLength = 4096;
        }));
        Assert.Equal(ViolationKind.DmaToFreedRegion, Assert.Single(dev.Violations).Kind);
    }

    [Fact]
    public void TruncatedAddress_IsOutOfBounds()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        DmaRegion buf = drv.Dma.Allocate(8);
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.ReportLinkSpeed;
            c.ReportLinkSpeed.LinkSpeedAddress = (uint)buf.DeviceAddress;
        }));
        Assert.Equal(ViolationKind.DmaOutOfBounds, Assert.Single(dev.Violations).Kind);
    }

    [Fact]
    public void BusMasterOff_DeviceDoesNoDma()
    {
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        dev.DisableBusMaster();
        drv.Queue((ref AdminqCommand c) => c.Opcode = AdminqOpcodes.GetPtypeMap);
        drv.Ring();
        Assert.Equal(0u, drv.Bar0.ReadAdminqEventCounter());
        Assert.Equal(ViolationKind.DmaWithoutBusMaster, Assert.Single(dev.Violations).Kind);
    }
}
