using System;
using System.Buffers.Binary;
using System.Diagnostics;
using Gvnic.Runtime.Vfio.Interop;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>MSI-X setup against the modelled device, with real eventfds standing in for the kernel's signalling.</summary>
public sealed unsafe class VfioInterruptControllerTests : IDisposable
{
    private readonly FakeVfioKernel _kernel = new() { GroupPath = "/dev/vfio/12" };
    private readonly VfioInterruptController _irq;

    public VfioInterruptControllerTests()
    {
        _kernel.Open("/dev/vfio/12", 0);
        byte* name = stackalloc byte[] { (byte)'x', 0 };
        Assert.Equal(FakeVfioKernel.DeviceFd, _kernel.Ioctl(FakeVfioKernel.GroupFd, VfioAbi.VFIO_GROUP_GET_DEVICE_FD, name));
        _irq = new VfioInterruptController(_kernel, FakeVfioKernel.DeviceFd, "vfio device 0000:00:05.0", 4);
    }

    public void Dispose() => _irq.Close();

    private static void Signal(int eventFd)
    {
        ulong one = 1;
        Assert.Equal(8, Tmds.Linux.LibC.write(eventFd, &one, 8));
    }

    [Fact]
    public void EnableBindsOneEventfdPerVectorWithSetIrqs()
    {
        _irq.Enable(3);
        byte[] set = Assert.Single(_kernel.IrqSets);
        Assert.Equal(20 + 3 * 4, set.Length);
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(set));                       // argsz
        Assert.Equal(0x24u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(4)));           // DATA_EVENTFD | ACTION_TRIGGER
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(8)));              // VFIO_PCI_MSIX_IRQ_INDEX
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(12)));             // start
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(16)));             // count
        for (int i = 0; i < 3; i++) Assert.Equal(_irq.EventFds[i], BinaryPrimitives.ReadInt32LittleEndian(set.AsSpan(20 + 4 * i)));
        Assert.Equal(3, _irq.EnabledCount);
    }

    [Fact]
    public void WaitReturnsWhenTheEventfdIsSignalledAndClearsIt()
    {
        _irq.Enable(2);
        Assert.False(_irq.TryConsume(1));
        Signal(_irq.EventFds[1]);
        Signal(_irq.EventFds[1]);
        Assert.False(_irq.TryConsume(0));
        Assert.True(_irq.Wait(1, TimeSpan.FromSeconds(5)));
        Assert.False(_irq.TryConsume(1)); // both signals were consumed by one read
        Signal(_irq.EventFds[0]);
        Assert.True(_irq.TryConsume(0));
    }

    [Fact]
    public void WaitTimesOut()
    {
        _irq.Enable(1);
        var watch = Stopwatch.StartNew();
        Assert.False(_irq.Wait(0, TimeSpan.FromMilliseconds(50)));
        Assert.InRange(watch.ElapsedMilliseconds, 40, 5000);
        Assert.False(_irq.Wait(0, TimeSpan.Zero));
    }

    [Fact]
    public void WaitWakesUpForASignalFromAnotherThread()
    {
        _irq.Enable(1);
        int fd = _irq.EventFds[0];
        var signaller = new System.Threading.Thread(() =>
        {
            System.Threading.Thread.Sleep(30);
            ulong one = 1;
            Tmds.Linux.LibC.write(fd, &one, 8);
        });
        signaller.Start();
        Assert.True(_irq.Wait(0, TimeSpan.FromSeconds(10)));
        signaller.Join();
    }

    [Fact]
    public void DisableSendsCountZeroAndClosesTheEventfds()
    {
        _irq.Enable(2);
        _kernel.Log.Clear();
        _irq.Disable();
        byte[] set = _kernel.IrqSets[^1];
        Assert.Equal(20, set.Length);
        Assert.Equal(0x21u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(4)));           // DATA_NONE | ACTION_TRIGGER
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(16)));             // count 0
        Assert.Equal(["VFIO_DEVICE_SET_IRQS", "close eventfd", "close eventfd"], _kernel.Log);
        Assert.Equal(0, _irq.EnabledCount);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _irq.Wait(0, TimeSpan.Zero));
        Assert.Contains("MSI-X is not enabled on vfio device 0000:00:05.0; call Enable first", e.Message);
    }

    [Fact]
    public void VectorRangesAreChecked()
    {
        Assert.Contains("has 4 MSI-X vectors", Assert.Throws<ArgumentOutOfRangeException>(() => _irq.Enable(5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => _irq.Enable(0));
        _irq.Enable(2);
        Assert.Contains("has vectors 0-1 enabled", Assert.Throws<ArgumentOutOfRangeException>(() => _irq.TryConsume(2)).Message);
    }

    [Fact]
    public void SetIrqsFailureClosesTheNewEventfds()
    {
        _kernel.IoctlErrors[VfioAbi.VFIO_DEVICE_SET_IRQS] = Errno.EINVAL;
        var e = Assert.Throws<VfioException>(() => _irq.Enable(2));
        Assert.StartsWith("VFIO_DEVICE_SET_IRQS (MSI-X vectors 0-1 to eventfds) on vfio device 0000:00:05.0 failed: EINVAL (22): Invalid argument", e.Message);
        Assert.Equal(["VFIO_DEVICE_SET_IRQS", "close eventfd", "close eventfd"], _kernel.Log.GetRange(_kernel.Log.Count - 3, 3));
        Assert.Equal(0, _irq.EnabledCount);
    }
}
