using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Gvnic.Runtime.Vfio.Interop;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>The whole VFIO sequence against <see cref="FakeVfioKernel"/> and a fake sysfs.</summary>
public sealed unsafe class VfioPciFunctionTests : IDisposable
{
    private const string Address = "0000:00:05.0";
    private readonly FakeSysfs _sys = new();
    private readonly FakeVfioKernel _kernel;

    public VfioPciFunctionTests()
    {
        _sys.AddDevice(Address, group: 12);
        _sys.AddVfioNodes(12);
        _kernel = new FakeVfioKernel(_sys);
    }

    private string GroupPath => Path.Combine(_sys.DevVfio, "12");

    public void Dispose() => _sys.Dispose();

    private VfioOptions Options => new() { SysfsRoot = _sys.Sys, DevVfioDirectory = _sys.DevVfio };

    private VfioPciFunction Open(VfioOptions? options = null) => VfioPciFunction.Open(Address, options ?? Options, _kernel);

    [Fact]
    public void OpenRunsTheVfioSequenceInOrder()
    {
        using var f = Open();
        Assert.Equal(
        [
            "open " + _sys.ContainerPath,
            "VFIO_GET_API_VERSION",
            "VFIO_CHECK_EXTENSION 3",
            "open " + GroupPath,
            "VFIO_GROUP_GET_STATUS",
            "VFIO_GROUP_SET_CONTAINER",
            "VFIO_SET_IOMMU 3",
            "VFIO_GROUP_GET_DEVICE_FD",
            "VFIO_DEVICE_GET_INFO",
            "VFIO_DEVICE_GET_REGION_INFO",
            "VFIO_DEVICE_RESET",
            "VFIO_DEVICE_GET_REGION_INFO",
            "mmap device 0x0 0x2000",
            "VFIO_DEVICE_GET_REGION_INFO",
            "mmap device 0x20000000000 0x10000",
            "VFIO_DEVICE_GET_IRQ_INFO",
        ], _kernel.Log);
        Assert.Equal(Address, _kernel.DeviceNameRequested);
        // argsz of GROUP_GET_STATUS, DEVICE_GET_INFO, 3 x REGION_INFO, IRQ_INFO: the sizes of the structures.
        Assert.Equal([8u, 24u, 32u, 32u, 32u, 16u], _kernel.ArgszSeen);
        Assert.Equal(VfioAbi.VFIO_GROUP_FLAGS_VIABLE | VfioAbi.VFIO_GROUP_FLAGS_CONTAINER_SET, _kernel.GroupFlags);
    }

    [Fact]
    public void IdentityComesFromConfigSpace()
    {
        _kernel.Config[8] = 0x00;
        using var f = Open();
        Assert.Equal((Address, (ushort)0x1AE0, (ushort)0x0042, (byte)0), (f.Address, f.VendorId, f.DeviceId, f.RevisionId));
        Assert.Equal(new VfioGroupLocation(12, GroupPath, false), f.Group);
        Assert.True(f.SupportsReset);
        Assert.Equal("gVNIC 0000:00:05.0 (VFIO group 12)", f.ToString());
    }

    [Fact]
    public void FallsBackToType1WhenType1v2IsMissing()
    {
        _kernel.HasType1v2 = false;
        using var f = Open();
        Assert.Contains("VFIO_CHECK_EXTENSION 1", _kernel.Log);
        Assert.Contains("VFIO_SET_IOMMU 1", _kernel.Log);
    }

    [Fact]
    public void BarsAreTheMappedDeviceMemory()
    {
        using var f = Open();
        Assert.Equal(0x2000, f.Bar0Length);
        Assert.Equal(0x10000, f.Bar2Length);
        // The fake fills BAR n with bytes 0xn0..0xnF repeating.
        Assert.Equal(0x03, f.Bar0.Read8(3));
        Assert.Equal(0x2B, f.Bar2.Read8(0x100B));
        f.Bar2.Write32(0x40, 0x01020304);
        var bar2 = _kernel.MappedBars.Single(b => b.Value == 0x10000).Key;
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>((byte*)bar2 + 0x40, 4)));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => f.Bar0.Read32(0x2000));
        Assert.Contains("BAR0 of 0000:00:05.0", e.Message);
    }

    [Fact]
    public void BusMasterBitsArePwrittenToTheCommandRegister()
    {
        _kernel.Config[4] = 0x00;
        _kernel.Config[5] = 0x04; // INTx disable (bit 10) already set
        _kernel.DeviceFlags = VfioAbi.VFIO_DEVICE_FLAGS_PCI; // no reset, so the register survives open
        using var f = Open();
        f.EnableBusMaster();
        Assert.Equal(0x0406, _kernel.Command);
        Assert.Equal("config write 0x4 0604", _kernel.Log.Last());
        f.DisableBusMaster();
        Assert.Equal(0x0402, _kernel.Command);
        Assert.Equal("config write 0x4 0204", _kernel.Log.Last());
        Assert.Equal(0x0402, f.ReadConfig16(VfioPciFunction.PciCommandOffset));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.ReadConfig16(0x100));
    }

    [Fact]
    public void DisposeStopsTheDeviceBeforeFreeingDmaAndReleasesInReverse()
    {
        var f = Open();
        f.EnableBusMaster();
        f.Interrupts.Enable(2);
        var region = f.Dma.Allocate(100);
        _kernel.Log.Clear();
        f.Dispose();
        Assert.Equal(
        [
            "VFIO_DEVICE_SET_IRQS",
            "close eventfd",
            "close eventfd",
            "config write 0x4 0200",          // bus mastering off (memory decoding stays)
            "VFIO_DEVICE_RESET",
            "VFIO_IOMMU_UNMAP_DMA",           // DMA memory only after the device is stopped
            "munlock 0x1000",
            "munmap 0x1000",
            "munmap bar 0x10000",
            "munmap bar 0x2000",
            "close device",
            "VFIO_GROUP_UNSET_CONTAINER",
            "close group",
            "close container",
        ], _kernel.Log);
        Assert.Empty(f.CloseProblems);
        Assert.True(region.IsFreed);
        Assert.Empty(_kernel.OpenDescriptors);
        Assert.Empty(_kernel.MappedBars);
        Assert.Throws<ObjectDisposedException>(() => f.Bar0);
        Assert.Throws<ObjectDisposedException>(() => f.EnableBusMaster());
        f.Dispose(); // idempotent
        Assert.Equal("close container", _kernel.Log.Last());
    }

    [Fact]
    public void ResetIsVfioDeviceResetWhereTheDeviceOffersIt()
    {
        using var f = Open();
        f.EnableBusMaster();
        _kernel.Log.Clear();
        f.Reset();
        Assert.Equal(["VFIO_DEVICE_RESET"], _kernel.Log);
        Assert.Equal(0, _kernel.Command); // a function-level reset clears the command register

        _kernel.DeviceFlags = VfioAbi.VFIO_DEVICE_FLAGS_PCI;
        using var sys = new FakeSysfs();
        sys.AddDevice(Address, group: 12);
        sys.AddVfioNodes(12);
        var kernel = new FakeVfioKernel(sys) { DeviceFlags = VfioAbi.VFIO_DEVICE_FLAGS_PCI };
        using var noReset = VfioPciFunction.Open(Address, new VfioOptions { SysfsRoot = sys.Sys, DevVfioDirectory = sys.DevVfio }, kernel);
        Assert.False(noReset.SupportsReset);
        Assert.DoesNotContain("VFIO_DEVICE_RESET", kernel.Log);
        Assert.Equal("vfio device 0000:00:05.0 does not support VFIO_DEVICE_RESET", Assert.Throws<NotSupportedException>(() => noReset.Reset()).Message);
        _kernel.IoctlErrors[VfioAbi.VFIO_DEVICE_RESET] = Errno.EIO;
        Assert.Equal("VFIO_DEVICE_RESET on vfio device 0000:00:05.0 failed: EIO (5): Input/output error", Assert.Throws<VfioException>(() => f.Reset()).Message);
    }

    [Fact]
    public void DmaIsLeakedNotUnmappedWhenTheDeviceCannotBeStopped()
    {
        _kernel.DeviceFlags = VfioAbi.VFIO_DEVICE_FLAGS_PCI;
        var f = Open();
        var region = f.Dma.Allocate(4096);
        _kernel.ConfigWriteError = Errno.EIO;
        f.Dispose();
        Assert.DoesNotContain("VFIO_IOMMU_UNMAP_DMA", _kernel.Log);
        Assert.DoesNotContain("munmap 0x1000", _kernel.Log);
        Assert.Equal(2, f.CloseProblems.Count);
        Assert.Equal("pwrite of config space at 0x4 on vfio device 0000:00:05.0 failed: EIO (5): Input/output error", f.CloseProblems[0].Message);
        Assert.Contains("4096 bytes of DMA memory stay allocated (leaked)", f.CloseProblems[1].Message);
        Assert.True(region.IsFreed);
        Assert.Empty(_kernel.OpenDescriptors);
    }

    [Fact]
    public void SetContainerFailureNamesStepFileErrnoAndClosesWhatWasOpened()
    {
        _kernel.IoctlErrors[VfioAbi.VFIO_GROUP_SET_CONTAINER] = Errno.EBUSY;
        var e = Assert.Throws<VfioException>(() => Open());
        Assert.StartsWith("VFIO_GROUP_SET_CONTAINER on " + GroupPath + " failed: EBUSY (16): Device or resource busy. ", e.Message);
        Assert.Contains("another process", e.Message);
        Assert.Equal(("VFIO_GROUP_SET_CONTAINER", GroupPath, 16, "EBUSY"), (e.Step, e.Target, e.Errno, e.ErrnoName));
        Assert.Equal(["close group", "close container"], _kernel.Log.TakeLast(2));
        Assert.DoesNotContain("VFIO_GROUP_UNSET_CONTAINER", _kernel.Log);
        Assert.Empty(_kernel.OpenDescriptors);
    }

    [Fact]
    public void LateFailureUnwindsEverything()
    {
        _kernel.MsixCount = 0;
        var e = Assert.Throws<VfioException>(() => Open());
        Assert.Equal("vfio device 0000:00:05.0 offers no MSI-X vectors with eventfd signalling (count 0, flags 0x9).", e.Message);
        Assert.Equal(["munmap bar 0x10000", "munmap bar 0x2000", "close device", "VFIO_GROUP_UNSET_CONTAINER", "close group", "close container"], _kernel.Log.TakeLast(6));
        Assert.Empty(_kernel.OpenDescriptors);
        Assert.Empty(_kernel.MappedBars);
    }

    [Fact]
    public void BarThatCannotBeMmappedIsReadAndWrittenWithPreadAndPwrite()
    {
        _kernel.Bar2Mmappable = false;
        using var f = Open();
        Assert.DoesNotContain("mmap device 0x20000000000 0x10000", _kernel.Log);
        Assert.Equal(0x10000, f.Bar2Length);
        Assert.Equal(0x2B, f.Bar2.Read8(0x100B));
        Assert.Equal("bar2 read 0x100B 1", _kernel.Log.Last());
        f.Bar2.Write32(0x40, 0x01020304);
        Assert.Equal("bar2 write 0x40 04030201", _kernel.Log.Last());
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32LittleEndian(_kernel.Bar2File.AsSpan(0x40)));
        Assert.Equal(0x01020304u, f.Bar2.Read32(0x40));
        Assert.Equal(0x2F2E2D2C2B2A2928ul, f.Bar2.Read64(0x8));
        Assert.Contains("outside the region (0x10000 bytes)", Assert.Throws<ArgumentOutOfRangeException>(() => f.Bar2.Write32(0x10000, 1)).Message);
        Assert.Contains("not naturally aligned", Assert.Throws<ArgumentOutOfRangeException>(() => f.Bar2.Read32(2)).Message);
        var bar2 = f.Bar2;
        f.Dispose();
        Assert.Throws<ObjectDisposedException>(() => bar2.Write32(0x40, 1));
        Assert.Single(_kernel.Log, l => l.StartsWith("munmap bar", StringComparison.Ordinal)); // only BAR0 was mapped
    }

    [Theory]
    [InlineData(0x10ul, 0x10000ul, "BAR0 of 0000:00:05.0 is 16 bytes, smaller than the 42 bytes the gVNIC registers take (device_status at 0x0 up to adminq_length at 0x28).")]
    [InlineData(0x2000ul, 0ul, "BAR2 of 0000:00:05.0 is not implemented (size 0).")]
    public void BarTooSmallIsExplainedAndUnwound(ulong bar0, ulong bar2, string message)
    {
        _kernel.Bar0Size = bar0;
        _kernel.Bar2Size = bar2;
        var e = Assert.Throws<VfioException>(() => Open());
        Assert.StartsWith(message + " This is not a working gVNIC function: compare `sudo lspci -vv -s 0000:00:05.0`", e.Message);
        Assert.Empty(_kernel.OpenDescriptors);
        Assert.Empty(_kernel.MappedBars);
    }

    [Fact]
    public void PermissionDeniedOnOpenExplainsTheFix()
    {
        _kernel.OpenErrors[_sys.ContainerPath] = Errno.EACCES;
        var e = Assert.Throws<VfioException>(() => Open());
        Assert.Equal("open on " + _sys.ContainerPath + " failed: EACCES (13): Permission denied. Run as root or give your user the node (`sudo chown $USER " + _sys.ContainerPath + "`)", e.Message);
    }

    [Fact]
    public void GroupNotViableAtRuntime()
    {
        _kernel.GroupFlags = 0;
        var e = Assert.Throws<VfioException>(() => Open());
        Assert.StartsWith("IOMMU group 12 is not viable: a device in it (0000:00:05.0) is bound to a host driver.", e.Message);
        Assert.EndsWith("Bind every device in /sys/kernel/iommu_groups/12/devices to vfio-pci, or unbind them.", e.Message);
        Assert.Empty(_kernel.OpenDescriptors);
    }

    [Fact]
    public void WrongApiVersionAndMissingType1AreExplained()
    {
        _kernel.ApiVersion = 1;
        Assert.Contains("VFIO API version is 1", Assert.Throws<VfioException>(() => Open()).Message);
        _kernel.ApiVersion = 0;
        _kernel.HasType1 = _kernel.HasType1v2 = false;
        var e = Assert.Throws<VfioException>(() => Open());
        Assert.Contains("no type1 IOMMU backend", e.Message);
        Assert.Contains("vfio_iommu_type1", e.Message);
        Assert.Empty(_kernel.OpenDescriptors);
    }

    [Fact]
    public void ConfigSpaceMustSayGvnic()
    {
        _kernel.Config[2] = 0x43;
        var e = Assert.Throws<VfioException>(() => Open());
        Assert.Equal("0000:00:05.0 has PCI id 1ae0:0043 in config space, not gVNIC's 1ae0:0042.", e.Message);
    }

    [Fact]
    public void SetupProblemsSurfaceBeforeAnyVfioCall()
    {
        _sys.Bind(Address, "gve");
        var e = Assert.Throws<VfioSetupException>(() => Open());
        Assert.Equal(PciProblemKind.NotBoundToVfioPci, e.Problems[0].Kind);
        Assert.Empty(_kernel.Log);
    }

    private static (FakeSysfs Sys, FakeVfioKernel Kernel, VfioOptions Options) NoIommuSetup()
    {
        var sys = new FakeSysfs();
        sys.AddDevice(Address, group: 0);
        sys.AddVfioNodes(0, noIommu: true);
        sys.SetHugePages(reserved: 4, free: 4);
        var kernel = new FakeVfioKernel(sys) { HasNoIommu = true, HugePagesFree = 4 };
        return (sys, kernel, new VfioOptions { SysfsRoot = sys.Sys, DevVfioDirectory = sys.DevVfio, AllowUnsafeNoIommu = true });
    }

    [Fact]
    public void NoIommuGroupUsesTheNoIommuBackendHugePagesAndPhysicalAddresses()
    {
        var (sys, kernel, options) = NoIommuSetup();
        using var cleanup = sys;
        using var f = VfioPciFunction.Open(Address, options, kernel);
        Assert.Contains("VFIO_CHECK_EXTENSION 8", kernel.Log);
        Assert.Contains("VFIO_SET_IOMMU 8", kernel.Log);
        Assert.Contains("open " + Path.Combine(sys.DevVfio, "noiommu-0"), kernel.Log);
        Assert.True(f.Group.IsNoIommu);
        var dma = (VfioDmaAllocator)f.Dma;
        Assert.Equal(("no-IOMMU", true), (dma.Mode, dma.UsesHugePages));
        var region = dma.Allocate(4096);
        var second = dma.Allocate(100);
        Assert.Equal(["mmap hugetlb 0x200000"], kernel.Log.FindAll(l => l.StartsWith("mmap hugetlb", StringComparison.Ordinal) || l.StartsWith("mmap anonymous", StringComparison.Ordinal)));
        ulong page = (ulong)region.Pointer / (ulong)Environment.SystemPageSize;
        Assert.Equal((page + 0x1000) * (ulong)Environment.SystemPageSize, region.DeviceAddress);
        Assert.Equal(region.DeviceAddress + 4096, second.DeviceAddress); // carved from the same huge page
        Assert.Empty(kernel.Maps);
        f.Dispose();
        // The huge page goes back only after the device can no longer write it.
        foreach (string step in new[] { "config write 0x4 0000", "VFIO_DEVICE_RESET", "munmap hugetlb 0x200000", "close device" }) Assert.Contains(step, kernel.Log);
        Assert.True(kernel.Log.IndexOf("config write 0x4 0000") < kernel.Log.IndexOf("munmap hugetlb 0x200000"));
        Assert.True(kernel.Log.LastIndexOf("VFIO_DEVICE_RESET") < kernel.Log.IndexOf("munmap hugetlb 0x200000"));
        Assert.True(kernel.Log.IndexOf("munmap hugetlb 0x200000") < kernel.Log.IndexOf("close device"));
        Assert.Equal(4, kernel.HugePagesFree);
    }

    [Fact]
    public void NoIommuModeNeedsRoot()
    {
        var (sys, kernel, options) = NoIommuSetup();
        using var cleanup = sys;
        kernel.EffectiveUserId = 1000;
        var e = Assert.Throws<VfioSetupException>(() => VfioPciFunction.Open(Address, options, kernel));
        var p = Assert.Single(e.Problems);
        Assert.Equal(PciProblemKind.NotRoot, p.Kind);
        Assert.StartsWith("No-IOMMU mode needs root, and this process runs as uid 1000: opening " + Path.Combine(sys.DevVfio, "noiommu-0") + " needs CAP_SYS_RAWIO", p.Message);
        Assert.StartsWith("Run it as root (`sudo`)", p.Fix);
        Assert.Empty(kernel.Log);
    }

    [Fact]
    public void NoIommuModeWithoutHugePagesSaysHowToReserveThem()
    {
        var (sys, kernel, options) = NoIommuSetup();
        using var cleanup = sys;
        sys.SetHugePages(reserved: 0, free: 0);
        var e = Assert.Throws<VfioSetupException>(() => VfioPciFunction.Open(Address, options, kernel));
        var p = Assert.Single(e.Problems);
        Assert.Equal(PciProblemKind.HugePagesNotReserved, p.Kind);
        string dir = Path.Combine(sys.Sys, "kernel", "mm", "hugepages", "hugepages-2048kB");
        Assert.StartsWith("No 2 MiB huge pages are free (" + dir + ": nr_hugepages 0, free_hugepages 0). Without an IOMMU the device uses physical addresses", p.Message);
        Assert.StartsWith("Reserve huge pages: `echo 64 | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages`", p.Fix);
        Assert.Contains("Fix: Reserve huge pages", e.Message);
        Assert.Empty(kernel.Log);

        // Both at once: a non-root user on a VM without huge pages hears about both.
        kernel.EffectiveUserId = 1000;
        var both = Assert.Throws<VfioSetupException>(() => VfioPciFunction.Open(Address, options, kernel));
        Assert.Equal([PciProblemKind.NotRoot, PciProblemKind.HugePagesNotReserved], both.Problems.Select(x => x.Kind));

        // Opting out of huge pages skips the check (regions of one page still work without them).
        kernel.EffectiveUserId = 0;
        using var f = VfioPciFunction.Open(Address, options with { UseHugePages = false }, kernel);
        Assert.False(((VfioDmaAllocator)f.Dma).UsesHugePages);
    }

    [Fact]
    public void KernelWithoutTwoMegabyteHugePagesIsExplained()
    {
        var (sys, kernel, options) = NoIommuSetup();
        using var cleanup = sys;
        Directory.Delete(Path.Combine(sys.Sys, "kernel", "mm"), recursive: true);
        var p = Assert.Single(Assert.Throws<VfioSetupException>(() => VfioPciFunction.Open(Address, options, kernel)).Problems);
        Assert.StartsWith("This kernel offers no 2 MiB huge pages (", p.Message);
        Assert.Contains("CONFIG_HUGETLBFS", p.Fix);
    }

    [Fact]
    public void RealSystemCallsCarryErrnoIntoTheException()
    {
        // The public entry point with libc underneath: the fake /dev/vfio/vfio is a regular file, so the
        // kernel answers the first VFIO ioctl with ENOTTY, and everything opened so far is closed again.
        var e = Assert.Throws<VfioException>(() => VfioPciFunction.Open(Address, Options));
        Assert.Equal("VFIO_GET_API_VERSION on " + _sys.ContainerPath + " failed: ENOTTY (25): Inappropriate ioctl for device", e.Message);
        Assert.Equal(Errno.ENOTTY, e.Errno);

        File.Delete(_sys.ContainerPath);
        Assert.Equal(-Errno.ENOENT, LinuxApi.Instance.Open(_sys.ContainerPath, 2));
        Assert.Equal(-Errno.EBADF, LinuxApi.Instance.Close(-5));
    }
}
