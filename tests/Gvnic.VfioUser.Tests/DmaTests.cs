using System;
using System.Buffers.Binary;
using System.Threading;
using System.Threading.Tasks;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

public sealed class DmaTests
{
    private const ulong Ram = 0x1_0000_0000;

    [Fact]
    public void TheDeviceReadsAndWritesGuestMemoryPassedAsAMemfd()
    {
        using var s = new Served();
        using var ram = new Memfd(0x10000);
        Assert.False(s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x8000, offset: 0x4000), [ram.Fd]).IsError);
        EnableBusMaster(s);
        ram.Bytes[0x4100] = 10;
        ram.Bytes[0x4101] = 20;

        Doorbell(s, source: Ram + 0x100, length: 2, destination: Ram + 0x7FFE, vector: 0);

        Assert.Equal(new byte[] { 11, 21 }, ram.Bytes.Slice(0x4000 + 0x7FFE, 2).ToArray());
        Assert.Equal([new DmaRange(Ram, 0x8000, true, true, true)], s.Server.Memory.Mappings);
        Assert.Equal(1, s.Server.Statistics.DmaMaps);
    }

    [Fact]
    public void ALeaseIsASpanStraightOverTheMemfd()
    {
        using var s = new Served();
        using var ram = new Memfd(0x4000);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x4000), [ram.Fd]);
        EnableBusMaster(s);

        using (DmaLease lease = s.Server.Memory.Lease(Ram + 0x10, 4, DmaAccess.Write))
        {
            lease.Span.Fill(0x5A);
        }

        Assert.Equal(new byte[] { 0, 0x5A, 0x5A, 0x5A, 0x5A, 0 }, ram.Bytes.Slice(0x0F, 6).ToArray());
    }

    [Fact]
    public void WithoutBusMasteringEveryAccessFaults()
    {
        using var s = new Served();
        using var ram = new Memfd(0x1000);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x1000), [ram.Fd]);

        var fault = Assert.Throws<DmaFaultException>(() => s.Server.Memory.Read(Ram, new byte[4]));
        Assert.Equal(DmaFaultReason.BusMasterDisabled, fault.Reason);
        Assert.Equal(Ram, fault.Address);
        Assert.Equal(DmaFaultReason.BusMasterDisabled, LeaseFault(s, Ram, 4, DmaAccess.Read));

        // The device's DMA inside a region write: the write is answered with EIO.
        Received reply = DoorbellReply(s, source: Ram, length: 4, destination: Ram + 8, vector: 0);
        Assert.Equal(Errno.EIO, reply.Errno);
        Assert.Contains("bus-master bit is off", s.Server.Statistics.RecentRefusals[^1].Reason);
    }

    [Fact]
    public void AccessesOutsideTheMappingsOrAgainstTheirDirectionFault()
    {
        using var s = new Served();
        using var ram = new Memfd(0x3000);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x1000, 0x0000), [ram.Fd]);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram + 0x1000, 0x1000, 0x1000, writeable: false), [ram.Fd]);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram + 0x3000, 0x1000, 0x2000), [ram.Fd]);
        EnableBusMaster(s);
        GuestMemory memory = s.Server.Memory;

        // A copy may cross adjacent mappings; a span may not.
        ram.Bytes[0xFFF] = 1;
        ram.Bytes[0x1000] = 2;
        byte[] two = new byte[2];
        memory.Read(Ram + 0xFFF, two);
        Assert.Equal(new byte[] { 1, 2 }, two);
        Assert.Equal(DmaFaultReason.CrossesMappings, LeaseFault(s, Ram + 0xFFF, 2, DmaAccess.Read));

        Assert.Equal(DmaFaultReason.NoPermission, Assert.Throws<DmaFaultException>(() => memory.Write(Ram + 0x1800, new byte[1])).Reason);
        // A write crossing into the read-only mapping changes nothing, not even its first bytes.
        var crossing = Assert.Throws<DmaFaultException>(() => memory.Write(Ram + 0xFFE, new byte[] { 9, 9, 9, 9 }));
        Assert.Equal(DmaFaultReason.NoPermission, crossing.Reason);
        Assert.Equal(0, ram.Bytes[0xFFE]);

        // The hole between 0x2000 and 0x3000.
        var hole = Assert.Throws<DmaFaultException>(() => memory.Read(Ram + 0x1FFF, two));
        Assert.Equal(DmaFaultReason.NotMapped, hole.Reason);
        Assert.Contains("0x100002000", hole.Message);
        Assert.Equal(DmaFaultReason.NotMapped, Assert.Throws<DmaFaultException>(() => memory.Read(0x1000, two)).Reason);
        Assert.Equal(DmaFaultReason.NotMapped, Assert.Throws<DmaFaultException>(() => memory.Read(ulong.MaxValue, two)).Reason);
    }

    [Theory]
    [InlineData(Ram + 0x800, 0x1000ul, 0ul, Errno.EINVAL, "aligned")]
    [InlineData(Ram, 0x1800ul, 0ul, Errno.EINVAL, "aligned")]
    [InlineData(Ram, 0x1000ul, 0x800ul, Errno.EINVAL, "aligned")]
    [InlineData(Ram, 0ul, 0ul, Errno.EINVAL, "size 0")]
    [InlineData(Ram, 0x3000ul, 0ul, Errno.EINVAL, "past its end")]
    [InlineData(Ram, 0x1000ul, 0x2000ul, Errno.EINVAL, "past its end")]
    [InlineData(0xFFFF_FFFF_FFFF_F000ul, 0x2000ul, 0ul, Errno.EINVAL, "wraps")]
    public void ABadMappingIsRefused(ulong address, ulong size, ulong offset, int errno, string reason)
    {
        using var s = new Served();
        using var ram = new Memfd(0x2000);
        Received reply = s.Client.Request(Command.DmaMap, Messages.DmaMap(address, size, offset), [ram.Fd]);

        Assert.Equal(errno, reply.Errno);
        RegionTests.RefusedRequestAssert(s, errno, reason, replied: true);
        Assert.Equal(0, s.Server.Memory.MappingCount);
    }

    [Fact]
    public void OverlappingMappingsAreRefusedWithEexist()
    {
        using var s = new Served();
        using var ram = new Memfd(0x4000);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram + 0x1000, 0x2000), [ram.Fd]);

        Assert.Equal(Errno.EEXIST, s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x2000), [ram.Fd]).Errno);
        Assert.Equal(Errno.EEXIST, s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram + 0x2000, 0x2000), [ram.Fd]).Errno);
        Assert.False(s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram + 0x3000, 0x1000), [ram.Fd]).IsError);
        Assert.Equal(2, s.Server.Memory.MappingCount);
    }

    [Fact]
    public void DescriptorsThatAreNoMemoryAreRefused()
    {
        using var s = new Served();
        using var ram = new Memfd(0x1000);
        int eventFd = Posix.EventFd();
        try
        {
            Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x1000), [eventFd]).Errno);
            Assert.Contains("not a regular file", s.Server.Statistics.RecentRefusals[^1].Reason);
            Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x1000), [ram.Fd, ram.Fd]).Errno);
            Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DmaMap, [.. Messages.DmaMap(Ram, 0x1000), 0], [ram.Fd]).Errno);
            byte[] flags = Messages.DmaMap(Ram, 0x1000);
            flags[4] = 0x4;
            Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DmaMap, flags, [ram.Fd]).Errno);
            Assert.Equal(0, s.Server.Memory.MappingCount);
        }
        finally
        {
            Posix.Close(eventFd);
        }
    }

    [Fact]
    public void UnmapRemovesTheMappingsWhollyInsideItsRangeAndEchoesIt()
    {
        using var s = new Served();
        using var ram = new Memfd(0x4000);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x2000), [ram.Fd]);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram + 0x2000, 0x1000, 0x2000), [ram.Fd]);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram + 0x10000, 0x1000, 0x3000), [ram.Fd]);

        // Part of a mapping: refused, nothing removed.
        Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(Ram, 0x1000)).Errno);
        Assert.Contains("covers only part of the mapping 0x100000000+0x2000", s.Server.Statistics.RecentRefusals[^1].Reason);
        Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(Ram + 0x1000, 0x2000)).Errno);
        Assert.Equal(Errno.ENOTSUP, s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(Ram, 0x2000, flags: 1)).Errno);
        Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(Ram, 0)).Errno);
        Assert.Equal(3, s.Server.Memory.MappingCount);

        // A window with nothing in it (QEMU unmaps such windows with a vIOMMU): done, nothing removed.
        Assert.False(s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(0x8000_0000, 0x4000_0000)).IsError);
        Assert.Equal(3, s.Server.Memory.MappingCount);

        // A window holding two whole mappings.
        Received reply = s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(Ram, 0x8000));
        Assert.Equal(Messages.DmaUnmap(Ram, 0x8000), reply.Body);
        Assert.Equal([new DmaRange(Ram + 0x10000, 0x1000, true, true, true)], s.Server.Memory.Mappings);
        Assert.Equal(2, s.Server.Statistics.DmaUnmaps);
    }

    [Fact]
    public void UnmapAllDropsEveryMapping()
    {
        using var s = new Served();
        using var ram = new Memfd(0x2000);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x1000), [ram.Fd]);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram + 0x10000, 0x1000, 0x1000), [ram.Fd]);

        Assert.Equal(Errno.EINVAL, s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(Ram, 0x1000, flags: 2)).Errno);
        Assert.False(s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(0, 0, flags: 2)).IsError);
        Assert.Equal(0, s.Server.Memory.MappingCount);
    }

    [Fact]
    public async Task UnmapWaitsForALeaseOnTheRange()
    {
        using var s = new Served();
        using var ram = new Memfd(0x1000);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x1000), [ram.Fd]);
        EnableBusMaster(s);
        using var leased = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task holder = Task.Factory.StartNew(() =>
        {
            using DmaLease lease = s.Server.Memory.Lease(Ram, 16, DmaAccess.Read);
            leased.Set();
            release.Wait(TimeSpan.FromSeconds(10));
        }, TaskCreationOptions.LongRunning);
        Assert.True(leased.Wait(TimeSpan.FromSeconds(10)));

        ushort id = s.Client.Send((ushort)Command.DmaUnmap, Messages.DmaUnmap(Ram, 0x1000));
        Assert.True(s.Client.Silent(300), "the unmap was answered while a lease was held");
        release.Set();
        Received reply = s.Client.ReceiveReply();

        Assert.Equal(id, reply.Header.Id);
        Assert.False(reply.IsError);
        await holder.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void MemoryWithoutADescriptorIsReachedByDmaMessagesInQemusLayout()
    {
        using var s = new Served();
        byte[] guest = new byte[0x2000];
        guest[0x10] = 40;
        guest[0x11] = 41;
        guest[0x12] = 42;
        s.Client.DmaHandler = request =>
        {
            DmaTransfer t = DmaTransfer.Read(request.Body);
            int at = (int)(t.Address - Ram);
            if (request.Header.Command == (ushort)Command.DmaRead)
            {
                byte[] reply = new byte[16 + t.Count];
                t.Write(reply);
                guest.AsSpan(at, (int)t.Count).CopyTo(reply.AsSpan(12));
                return reply;
            }

            request.Body.AsSpan(12, (int)t.Count).CopyTo(guest.AsSpan(at));
            return [];
        };
        Assert.False(s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x2000)).IsError);
        EnableBusMaster(s);
        Assert.Equal([new DmaRange(Ram, 0x2000, true, true, false)], s.Server.Memory.Mappings);

        Doorbell(s, source: Ram + 0x10, length: 3, destination: Ram + 0x1000, vector: 0);

        Assert.Equal(new byte[] { 41, 42, 43 }, guest[0x1000..0x1003]);
        Assert.Equal(2, s.Client.ServerRequests.Count);
        Received read = s.Client.ServerRequests[0];
        Assert.Equal((ushort)Command.DmaRead, read.Header.Command);
        Assert.Equal(32u, read.Header.MessageSize);
        Assert.Equal(new byte[] { 0x10, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0 }, read.Body);
        Received write = s.Client.ServerRequests[1];
        Assert.Equal((ushort)Command.DmaWrite, write.Header.Command);
        Assert.Equal(32u + 3, write.Header.MessageSize);
        Assert.Equal(new byte[] { 0, 0x10, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 41, 42, 43, 0, 0, 0, 0 }, write.Body);
        Assert.Equal(DmaFaultReason.NotDirectlyMapped, LeaseFault(s, Ram, 4, DmaAccess.Read));
    }

    [Fact]
    public void ADmaMessageTheClientRefusesIsAFault()
    {
        using var s = new Served();
        s.Client.DmaHandler = _ => null;
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x1000));
        EnableBusMaster(s);

        Received reply = DoorbellReply(s, source: Ram, length: 4, destination: Ram + 8, vector: 0);

        Assert.Equal(Errno.EIO, reply.Errno);
        Assert.Contains("answered the DMA message with EFAULT", s.Server.Statistics.RecentRefusals[^1].Reason);
    }

    [Fact]
    public void ADmaMessageTheClientNeverAnswersTimesOut()
    {
        var options = new Server.VfioUserServerOptions { DmaReplyTimeout = TimeSpan.FromMilliseconds(200) };
        using var s = new Served(options: options);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x1000));
        EnableBusMaster(s);
        SetDoorbellRegisters(s, Ram, 4, Ram + 8);

        ushort id = s.Client.Send((ushort)Command.RegionWrite, Messages.RegionWrite(0, FakeDevice.Doorbell, [0, 0, 0, 0]));
        Received ignored = s.Client.ReceiveServerRequest();
        Received reply = s.Client.ReceiveReply();

        Assert.Equal((ushort)Command.DmaRead, ignored.Header.Command);
        Assert.Equal(id, reply.Header.Id);
        Assert.Equal(Errno.EIO, reply.Errno);
        Assert.Contains("did not answer the DMA message in time", s.Server.Statistics.RecentRefusals[^1].Reason);
    }

    [Fact]
    public void WhenTheClientLeavesItsMappingsGo()
    {
        var device = new FakeDevice();
        using var server = new Server.VfioUserServer(device);
        using var ram = new Memfd(0x1000);
        using (TestClient client = TestClient.Negotiated(server))
        {
            client.Request(Command.DmaMap, Messages.DmaMap(Ram, 0x1000), [ram.Fd]);
            Assert.Equal(1, server.Memory.MappingCount);
        }

        Assert.Equal(0, server.Memory.MappingCount);
    }

    private static DmaFaultReason LeaseFault(Served s, ulong address, int length, DmaAccess access)
    {
        try
        {
            using DmaLease lease = s.Server.Memory.Lease(address, length, access);
        }
        catch (DmaFaultException e)
        {
            return e.Reason;
        }

        throw new Xunit.Sdk.XunitException("the lease did not fault");
    }

    internal static void EnableBusMaster(Served s) =>
        Assert.False(s.Client.Request(Command.RegionWrite, Messages.RegionWrite(7, 4, [0x06, 0x00])).IsError);

    private static void SetDoorbellRegisters(Served s, ulong source, uint length, ulong destination)
    {
        s.Client.Request(Command.RegionWrite, Messages.RegionWrite(0, 0x00, Messages.U64(source)));
        s.Client.Request(Command.RegionWrite, Messages.RegionWrite(0, 0x08, Messages.U32(length)));
        s.Client.Request(Command.RegionWrite, Messages.RegionWrite(0, 0x10, Messages.U64(destination)));
    }

    internal static Received DoorbellReply(Served s, ulong source, uint length, ulong destination, byte vector)
    {
        SetDoorbellRegisters(s, source, length, destination);
        return s.Client.Request(Command.RegionWrite, Messages.RegionWrite(0, FakeDevice.Doorbell, [vector, 0, 0, 0]));
    }

    internal static void Doorbell(Served s, ulong source, uint length, ulong destination, byte vector)
    {
        Received reply = DoorbellReply(s, source, length, destination, vector);
        Assert.False(reply.IsError, reply.IsError ? s.Server.Statistics.RecentRefusals[^1].ToString() : "");
    }
}
