using System;
using System.IO;
using Gvnic.Platform;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>
/// Runs only on a VM with a gVNIC bound to vfio-pci: set GVNIC_VFIO_DEVICE to its address (e.g. 0000:00:05.0)
/// and, for a VM without an IOMMU, GVNIC_VFIO_NOIOMMU=1. Elsewhere these tests are reported as skipped.
/// </summary>
public sealed class VmFactAttribute : FactAttribute
{
    public VmFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GVNIC_VFIO_DEVICE")))
            Skip = "needs a gVNIC bound to vfio-pci: set GVNIC_VFIO_DEVICE=<pci address> (see docs/vfio.md)";
    }
}

public sealed class OnVmTests
{
    private static string Device => Environment.GetEnvironmentVariable("GVNIC_VFIO_DEVICE")!;

    private static VfioOptions Options => new()
    {
        AllowUnsafeNoIommu = Environment.GetEnvironmentVariable("GVNIC_VFIO_NOIOMMU") == "1",
        UseHugePages = Environment.GetEnvironmentVariable("GVNIC_VFIO_HUGEPAGES") switch { "1" => true, "0" => false, _ => null },
    };

    [VmFact]
    public void OpensTheRealFunctionAndAgreesWithSysfs()
    {
        var info = new PciDiscovery().Find(Device)!;
        using var f = VfioPciFunction.Open(Device, Options);
        Assert.Equal((PciIds.GoogleVendor, PciIds.GvnicDevice), (f.VendorId, f.DeviceId));
        Assert.Equal(info.RevisionId, f.RevisionId);
        Assert.Equal((long)info.BarSize(0), f.Bar0Length);
        Assert.Equal((long)info.BarSize(2), f.Bar2Length);
        Assert.True(f.Interrupts.VectorCount > 0);
    }

    [VmFact]
    public void BusMasterBitFollowsEnableAndDisable()
    {
        using var f = VfioPciFunction.Open(Device, Options);
        f.EnableBusMaster();
        Assert.Equal(VfioPciFunction.PciCommandBusMaster | VfioPciFunction.PciCommandMemory,
            f.ReadConfig16(VfioPciFunction.PciCommandOffset) & (VfioPciFunction.PciCommandBusMaster | VfioPciFunction.PciCommandMemory));
        f.DisableBusMaster();
        Assert.Equal(0, f.ReadConfig16(VfioPciFunction.PciCommandOffset) & VfioPciFunction.PciCommandBusMaster);
    }

    [VmFact]
    public void DmaAndMsixSetUpAndTearDown()
    {
        using var f = VfioPciFunction.Open(Device, Options);
        var region = f.Dma.Allocate(4096);
        Assert.NotEqual(0ul, region.DeviceAddress);
        region.Span.Fill(0xA5);
        Assert.Equal(0xA5, region.Span[4095]);
        f.Interrupts.Enable(1);
        Assert.False(f.Interrupts.Wait(0, TimeSpan.FromMilliseconds(10)));
        f.Interrupts.Disable();
        f.Dma.Free(region);
        Assert.Equal(0, f.Dma.OutstandingRegions);
    }

    [VmFact]
    public void DisposeLeavesNothingOpen()
    {
        var f = VfioPciFunction.Open(Device, Options);
        f.Dma.Allocate(8192);
        f.Dispose();
        Assert.Empty(f.CloseProblems);
        // The group can be opened again at once: every descriptor was closed.
        using var again = VfioPciFunction.Open(Device, Options);
        Assert.True(File.Exists(again.Group.DevicePath));
    }
}
