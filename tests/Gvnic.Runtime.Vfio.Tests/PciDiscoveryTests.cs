using System;
using System.IO;
using System.Linq;
using Gvnic.Runtime.Vfio.Interop;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

public sealed class PciDiscoveryTests : IDisposable
{
    private readonly FakeSysfs _sys = new();

    public void Dispose() => _sys.Dispose();

    [Fact]
    public void ListsGvnicFunctionsWithTheirSysfsFacts()
    {
        _sys.AddDevice("0000:00:04.0", driver: "gve", group: 3, netInterfaces: ["ens4"]);
        _sys.AddDevice("0000:00:05.0", revision: 0, driver: "vfio-pci", group: 4);
        _sys.AddDevice("0000:00:03.0", vendor: 0x1AF4, device: 0x1004, driver: "virtio-pci", group: 2);

        var all = _sys.Discovery().ListDevices();
        Assert.Equal(["0000:00:03.0", "0000:00:04.0", "0000:00:05.0"], all.Select(d => d.Address));

        var gvnics = _sys.Discovery().ListGvnicFunctions();
        Assert.Equal(2, gvnics.Count);
        var kernel = gvnics[0];
        Assert.Equal(("0000:00:04.0", (ushort)0x1AE0, (ushort)0x0042, (byte?)1, "gve", (int?)3), (kernel.Address, kernel.VendorId, kernel.DeviceId, kernel.RevisionId, kernel.Driver, kernel.IommuGroup));
        Assert.Equal(["ens4"], kernel.NetworkInterfaces);
        Assert.False(kernel.IsBoundToVfioPci);
        var vfio = gvnics[1];
        Assert.Equal(("0000:00:05.0", (byte?)0, "vfio-pci", (int?)4), (vfio.Address, vfio.RevisionId, vfio.Driver, vfio.IommuGroup));
        Assert.True(vfio.IsBoundToVfioPci);
        Assert.Empty(vfio.NetworkInterfaces);
        Assert.Equal(0x2000ul, vfio.BarSize(0));
        Assert.Equal(0x1000ul, vfio.BarSize(1));
        Assert.Equal(0x10000ul, vfio.BarSize(2));
        Assert.Equal(0ul, vfio.BarSize(3));
    }

    [Fact]
    public void ParsesResourceLines()
    {
        var resources = PciDiscovery.ParseResources(FakeSysfs.DefaultResource);
        Assert.Equal(3, resources.Count);
        Assert.Equal(new PciResource(2, 0x800000000, 0x10000, 0x14220C), resources[2]);
        Assert.Empty(PciDiscovery.ParseResources(""));
        Assert.Empty(PciDiscovery.ParseResources(null));
    }

    [Fact]
    public void ReadyDeviceHasNoProblemsAndLocatesItsGroup()
    {
        _sys.AddDevice("0000:00:05.0", group: 12);
        _sys.AddVfioNodes(12);
        var discovery = _sys.Discovery();
        Assert.Empty(discovery.Diagnose("0000:00:05.0"));
        Assert.Equal(new VfioGroupLocation(12, Path.Combine(_sys.DevVfio, "12"), false), discovery.EnsureReady("00:05.0"));
    }

    [Fact]
    public void MalformedAddress()
    {
        var p = Assert.Single(_sys.Discovery().Diagnose("eth1"));
        Assert.Equal(PciProblemKind.InvalidAddress, p.Kind);
        Assert.Contains("lspci -D -d 1ae0:0042", p.Fix);
    }

    [Fact]
    public void DeviceNotFoundListsTheGvnicFunctionsThatExist()
    {
        _sys.AddDevice("0000:00:04.0", driver: "gve", netInterfaces: ["ens4"]);
        var p = Assert.Single(_sys.Discovery().Diagnose("0000:00:09.0"));
        Assert.Equal(PciProblemKind.DeviceNotFound, p.Kind);
        Assert.Contains("No PCI device 0000:00:09.0", p.Message);
        Assert.Contains("gVNIC functions here: 0000:00:04.0 (gve, ens4).", p.Message);
        Assert.Contains("second gVNIC network interface", p.Fix);
    }

    [Fact]
    public void WrongVendorOrDevice()
    {
        _sys.AddDevice("0000:00:03.0", vendor: 0x1AF4, device: 0x1041);
        var p = Assert.Single(_sys.Discovery().Diagnose("0000:00:03.0"));
        Assert.Equal(PciProblemKind.NotGvnic, p.Kind);
        Assert.Equal("0000:00:03.0 is 1af4:1041, not a gVNIC (1ae0:0042).", p.Message);
    }

    [Fact]
    public void BoundToGveShowsTheBindStepsAndWarnsAboutTheOnlyNic()
    {
        _sys.AddDevice("0000:00:04.0", driver: "gve", group: 3, netInterfaces: ["ens4"]);
        _sys.AddVfioNodes(3);
        var p = Assert.Single(_sys.Discovery().Diagnose("0000:00:04.0"));
        Assert.Equal(PciProblemKind.NotBoundToVfioPci, p.Kind);
        Assert.StartsWith("0000:00:04.0 is bound to gve, not vfio-pci. It carries network interface ens4", p.Message);
        Assert.Contains("it is the VM's only gVNIC under the kernel driver: do not unbind it", p.Message);
        Assert.Equal("sudo modprobe vfio-pci; "
                     + "echo vfio-pci | sudo tee /sys/bus/pci/devices/0000:00:04.0/driver_override; "
                     + "echo 0000:00:04.0 | sudo tee /sys/bus/pci/devices/0000:00:04.0/driver/unbind; "
                     + "echo 0000:00:04.0 | sudo tee /sys/bus/pci/drivers_probe "
                     + "(or `sudo dpdk-devbind.py -b vfio-pci 0000:00:04.0`).", p.Fix);
    }

    [Fact]
    public void SecondNicBoundToGveGetsTheMilderWarningAndNoUnbindForAnUnboundDevice()
    {
        _sys.AddDevice("0000:00:04.0", driver: "gve", group: 3, netInterfaces: ["ens4"]);
        _sys.AddDevice("0000:00:05.0", driver: "gve", group: 4, netInterfaces: ["ens5"]);
        _sys.AddDevice("0000:00:06.0", driver: null, group: 5);
        var second = Assert.Single(_sys.Discovery().Diagnose("0000:00:05.0"));
        Assert.Contains("make sure it is not the one you are connected through", second.Message);
        var unbound = Assert.Single(_sys.Discovery().Diagnose("0000:00:06.0"));
        Assert.StartsWith("0000:00:06.0 is bound to no driver, not vfio-pci.", unbound.Message);
        Assert.DoesNotContain("unbind", unbound.Fix);
    }

    [Fact]
    public void NoIommuGroupExplainsBothWays()
    {
        _sys.AddDevice("0000:00:05.0", driver: null, group: null);
        var problems = _sys.Discovery().Diagnose("0000:00:05.0");
        Assert.Equal([PciProblemKind.NotBoundToVfioPci, PciProblemKind.NoIommuGroup], problems.Select(p => p.Kind));
        Assert.Contains("has no IOMMU group", problems[1].Message);
        Assert.Contains("no-IOMMU mode is off", problems[1].Message);
        Assert.Contains("intel_iommu=on", problems[1].Fix);
        Assert.Contains("enable_unsafe_noiommu_mode", problems[1].Fix);

        _sys.SetNoIommuParameter(true);
        var again = _sys.Discovery().Diagnose("0000:00:05.0");
        Assert.Contains("bound before no-IOMMU mode was turned on", again[1].Message);
        Assert.Contains("drivers_probe", again[1].Fix);
    }

    [Fact]
    public void MissingDeviceNodes()
    {
        _sys.AddDevice("0000:00:05.0", group: 7);
        var problems = _sys.Discovery().Diagnose("0000:00:05.0");
        Assert.Equal([PciProblemKind.GroupDeviceMissing, PciProblemKind.GroupDeviceMissing], problems.Select(p => p.Kind));
        Assert.Contains("Neither " + Path.Combine(_sys.DevVfio, "7") + " nor " + Path.Combine(_sys.DevVfio, "noiommu-7") + " exists", problems[0].Message);
        Assert.Equal(_sys.ContainerPath + " does not exist.", problems[1].Message);
        Assert.Contains("modprobe vfio-pci", problems[1].Fix);
    }

    [Fact]
    public void PermissionDeniedOnTheGroupNode()
    {
        _sys.AddDevice("0000:00:05.0", group: 7);
        _sys.AddVfioNodes(7);
        var kernel = new FakeVfioKernel(_sys);
        kernel.AccessErrors[Path.Combine(_sys.DevVfio, "7")] = Errno.EACCES;
        var p = Assert.Single(_sys.Discovery(kernel).Diagnose("0000:00:05.0"));
        Assert.Equal(PciProblemKind.GroupPermissionDenied, p.Kind);
        Assert.Equal("This process may not open " + Path.Combine(_sys.DevVfio, "7") + " for reading and writing (EACCES).", p.Message);
        Assert.Contains("sudo chown $USER " + Path.Combine(_sys.DevVfio, "7"), p.Fix);
        Assert.Contains("ulimit -l", p.Fix);
    }

    [Fact]
    public void NoIommuModeNeedsAnExplicitOptIn()
    {
        _sys.AddDevice("0000:00:05.0", group: 0);
        _sys.AddVfioNodes(0, noIommu: true);
        var discovery = _sys.Discovery();
        var p = Assert.Single(discovery.Diagnose("0000:00:05.0"));
        Assert.Equal(PciProblemKind.NoIommuMode, p.Kind);
        Assert.Contains("unsafe no-IOMMU mode (" + Path.Combine(_sys.DevVfio, "noiommu-0") + ")", p.Message);
        Assert.Contains("VfioOptions.AllowUnsafeNoIommu", p.Fix);
        Assert.Empty(discovery.Diagnose("0000:00:05.0", allowNoIommu: true));
        Assert.Equal(new VfioGroupLocation(0, Path.Combine(_sys.DevVfio, "noiommu-0"), true), discovery.EnsureReady("0000:00:05.0", allowNoIommu: true));
    }

    [Fact]
    public void GroupWithAHostBoundDeviceIsNotViable()
    {
        _sys.AddDevice("0000:00:05.0", group: 9);
        _sys.AddDevice("0000:00:05.1", vendor: 0x8086, device: 0x10D3, driver: "e1000e", group: 9);
        _sys.AddVfioNodes(9);
        var p = Assert.Single(_sys.Discovery().Diagnose("0000:00:05.0"));
        Assert.Equal(PciProblemKind.GroupNotViable, p.Kind);
        Assert.StartsWith("IOMMU group 9 is not viable: 0000:00:05.1 is bound to e1000e;", p.Message);
        Assert.Equal(["0000:00:05.0", "0000:00:05.1"], _sys.Discovery().GroupMembers(9));
    }

    [Fact]
    public void FindGvnicForVfioTakesTheOneBoundToVfioPciAndRefusesToGuess()
    {
        _sys.AddDevice("0000:00:04.0", driver: "gve", group: 3, netInterfaces: ["ens4"]);
        _sys.AddDevice("0000:00:05.0", driver: "vfio-pci", group: 4);
        Assert.Equal("0000:00:05.0", _sys.Discovery().FindGvnicForVfio());

        _sys.AddDevice("0000:00:06.0", driver: "vfio-pci", group: 5);
        var e = Assert.Throws<VfioSetupException>(() => _sys.Discovery().FindGvnicForVfio());
        Assert.Equal("No gVNIC (PCI 1ae0:0042) to open with VFIO:" + Environment.NewLine
                     + "  - 2 gVNIC functions are bound to vfio-pci: 0000:00:05.0, 0000:00:06.0. Fix: Name the one to use by its PCI address (`gvnic up --pci ADDRESS`).", e.Message);
    }

    [Fact]
    public void FindGvnicForVfioOnAMachineWithoutOne()
    {
        _sys.AddDevice("0000:00:03.0", vendor: 0x1AF4, device: 0x1041, driver: "virtio-pci", group: 2);
        var p = Assert.Single(Assert.Throws<VfioSetupException>(() => _sys.Discovery().FindGvnicForVfio()).Problems);
        Assert.Equal(PciProblemKind.DeviceNotFound, p.Kind);
        Assert.Equal("This machine has no gVNIC: none of the 1 PCI functions in " + Path.Combine(_sys.Sys, "bus", "pci", "devices") + " is 1ae0:0042.", p.Message);
        Assert.Contains("docs/gce.md", p.Fix);
    }

    [Fact]
    public void EnsureReadyThrowsWithEveryProblem()
    {
        _sys.AddDevice("0000:00:04.0", driver: "gve", group: 3, netInterfaces: ["ens4"]);
        var e = Assert.Throws<VfioSetupException>(() => _sys.Discovery().EnsureReady("0000:00:04.0"));
        Assert.Equal(PciProblemKind.NotBoundToVfioPci, Assert.Single(e.Problems).Kind);
        Assert.StartsWith("PCI function 0000:00:04.0 cannot be opened with VFIO:" + Environment.NewLine + "  - 0000:00:04.0 is bound to gve", e.Message);
        Assert.Contains("Fix: sudo modprobe vfio-pci;", e.Message);
    }
}
