using System;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

public sealed class IrqTests
{
    private const uint EventFdTrigger = 4 | 32, NoneTrigger = 1 | 32, BoolTrigger = 2 | 32, NoneMask = 1 | 8;
    private const uint Msix = 2;

    [Fact]
    public void ARaisedVectorSignalsTheEventfdTheClientGave()
    {
        using var s = new Served();
        using var events = new EventFds(3);
        Assert.False(s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(EventFdTrigger, Msix, 2, 3), events.Fds).IsError);

        Assert.True(s.Device.Context!.Interrupts.Raise(3));
        Assert.True(s.Device.Context.Interrupts.Raise(3));
        Assert.True(s.Device.Context.Interrupts.Raise(4));

        Assert.Equal([0, 2, 1], events.Take());
        Assert.Equal(3, s.Server.Interrupts.Delivered);
        Assert.True(s.Server.Interrupts.IsAssigned(2));
        Assert.False(s.Server.Interrupts.IsAssigned(1));
    }

    [Fact]
    public void AVectorWithoutAnEventfdIsPendingInThePbaAndFiresWhenItGetsOne()
    {
        using var s = new Served();
        using var events = new EventFds(1);
        Assert.False(s.Device.Context!.Interrupts.Raise(5));

        Received pba = s.Client.Request(Command.RegionRead, Messages.RegionRead(1, 0x800, 8));
        Assert.Equal(new byte[] { 0x20, 0, 0, 0, 0, 0, 0, 0 }, pba.Body[16..]);

        s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(EventFdTrigger, Msix, 5, 1), events.Fds);

        Assert.Equal([1], events.Take());
        Assert.False(s.Server.Interrupts.IsPending(5));
        Assert.Equal(new byte[8], s.Client.Request(Command.RegionRead, Messages.RegionRead(1, 0x800, 8)).Body[16..]);
    }

    [Fact]
    public void EventfdsAreTakenAwayByARangeWithoutDescriptorsOrByDisablingTheType()
    {
        using var s = new Served();
        using var events = new EventFds(4);
        s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(EventFdTrigger, Msix, 0, 4), events.Fds);

        Assert.False(s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(EventFdTrigger, Msix, 1, 1)).IsError);
        Assert.False(s.Server.Interrupts.IsAssigned(1));
        Assert.True(s.Server.Interrupts.IsAssigned(2));

        Assert.False(s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(NoneTrigger, Msix, 0, 0)).IsError);
        for (int v = 0; v < 8; v++) Assert.False(s.Server.Interrupts.IsAssigned(v));
        Assert.False(s.Device.Context!.Interrupts.Raise(0));
        Assert.Equal([0, 0, 0, 0], events.Take());
    }

    [Fact]
    public void TheClientCanTriggerVectorsWithNoneOrBoolData()
    {
        using var s = new Served();
        using var events = new EventFds(3);
        s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(EventFdTrigger, Msix, 0, 3), events.Fds);

        Assert.False(s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(NoneTrigger, Msix, 1, 2)).IsError);
        Assert.False(s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(BoolTrigger, Msix, 0, 3, [1, 0, 1])).IsError);

        Assert.Equal([1, 1, 2], events.Take());
    }

    [Fact]
    public void TheDevicesDoorbellDmaEndsInItsInterrupt()
    {
        using var s = new Served();
        using var ram = new Memfd(0x1000);
        using var events = new EventFds(1);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(0x10000, 0x1000), [ram.Fd]);
        s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(EventFdTrigger, Msix, 7, 1), events.Fds);
        DmaTests.EnableBusMaster(s);

        DmaTests.Doorbell(s, source: 0x10000, length: 1, destination: 0x10001, vector: 7);

        Assert.Equal(1, ram.Bytes[1]);
        Assert.Equal([1], events.Take());
    }

    [Theory]
    [InlineData(NoneMask, Msix, 0u, 1u, "not maskable")]
    [InlineData(EventFdTrigger | 1, Msix, 0u, 1u, "exactly one DATA flag")]
    [InlineData(4u, Msix, 0u, 1u, "exactly one DATA flag")]
    [InlineData(0x41u, Msix, 0u, 1u, "exactly one DATA flag")]
    [InlineData(NoneTrigger, 5u, 0u, 1u, "types 0 to 4")]
    [InlineData(NoneTrigger, 0u, 0u, 1u, "MSI-X only")]
    [InlineData(NoneTrigger, Msix, 7u, 2u, "vectors 7..8")]
    [InlineData(NoneTrigger, Msix, 0xFFFF_FFFFu, 2u, "MSI-X has 0 to 7")]
    [InlineData(NoneTrigger, Msix, 3u, 0u, "start other than 0")]
    public void ABadInterruptSetIsRefused(uint flags, uint index, uint start, uint count, string reason)
    {
        using var s = new Served();
        Received reply = s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(flags, index, start, count));

        Assert.Equal(Errno.EINVAL, reply.Errno);
        RegionTests.RefusedRequestAssert(s, Errno.EINVAL, reason, replied: true);
    }

    [Fact]
    public void DescriptorsThatDoNotMatchTheRangeAreRefusedAndNothingIsAssigned()
    {
        using var s = new Served();
        using var events = new EventFds(2);
        Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(EventFdTrigger, Msix, 0, 3), events.Fds).Errno);
        Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(NoneTrigger, Msix, 0, 2), events.Fds).Errno);
        Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DeviceSetIrqs, Messages.IrqSet(BoolTrigger, Msix, 0, 2, [1])).Errno);
        for (int v = 0; v < 8; v++) Assert.False(s.Server.Interrupts.IsAssigned(v));
    }

    [Fact]
    public void WhenTheClientLeavesItsEventfdsAreClosedButPendingBitsStay()
    {
        var device = new FakeDevice();
        using var server = new Server.VfioUserServer(device);
        using var events = new EventFds(1);
        using (TestClient client = TestClient.Negotiated(server))
        {
            client.Request(Command.DeviceSetIrqs, Messages.IrqSet(EventFdTrigger, Msix, 0, 1), events.Fds);
            Assert.True(server.Interrupts.IsAssigned(0));
        }

        Assert.False(server.Interrupts.IsAssigned(0));
        Assert.False(device.Context!.Interrupts.Raise(1));
        Assert.True(server.Interrupts.IsPending(1));
    }

    [Fact]
    public void RaisingAVectorTheFunctionLacksIsAnError()
    {
        using var s = new Served();
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Device.Context!.Interrupts.Raise(8));
    }

    /// <summary>Real eventfds; <see cref="Take"/> reads each counter (and resets it).</summary>
    private sealed class EventFds : IDisposable
    {
        public EventFds(int count)
        {
            Fds = new int[count];
            for (int i = 0; i < count; i++)
            {
                Fds[i] = Posix.EventFd();
                Assert.True(Fds[i] >= 0);
            }
        }

        public int[] Fds { get; }

        public long[] Take()
        {
            long[] counts = new long[Fds.Length];
            for (int i = 0; i < Fds.Length; i++) counts[i] = Posix.EventFdTake(Fds[i]);
            return counts;
        }

        public void Dispose()
        {
            foreach (int fd in Fds) Posix.Close(fd);
        }
    }
}
