using System;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

public class SeedScenarioTests
{
    [Theory]
    [InlineData(QueueFormat.GqiQpl, 0)]
    [InlineData(QueueFormat.GqiQpl, 1)]
    [InlineData(QueueFormat.GqiRda, 0)]
    [InlineData(QueueFormat.GqiRda, 1)]
    [InlineData(QueueFormat.DqoRda, 0)]
    [InlineData(QueueFormat.DqoRda, 1)]
    [InlineData(QueueFormat.DqoQpl, 0)]
    [InlineData(QueueFormat.DqoQpl, 1)]
    public void DhcpDiscoverOutAndIpv4FrameIn(QueueFormat format, byte revision)
    {
        using SimulatedGvnic device = TestDevices.Create(revision, OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl);
        var wire = VirtualWire.Unplugged();
        device.AttachWire(wire);

        Nic nic = Nic.Open(device, TestDevices.Options(format));
        Assert.Equal(format, nic.QueueFormat);
        Assert.Equal(format, device.ConfiguredFormat);
        Assert.Equal("42:01:0a:80:00:02", nic.MacAddress.ToString());
        Assert.True(nic.LinkUp);
        Assert.Equal(1460, nic.Mtu);
        Assert.Equal(device.Config.LinkSpeed, nic.LinkSpeedMbps);
        Assert.Contains("GVE-1.0.0", device.DriverVersions);
        Assert.Equal(1, device.TxQueueCount);
        Assert.Equal(1, device.RxQueueCount);

        byte[] discover = TestDevices.DhcpDiscover(TestDevices.DeviceMac);
        Assert.True(nic.Transmit(discover));
        WireFrame sent = Assert.Single(wire.Frames);
        Assert.Equal(FrameDirection.Transmit, sent.Direction);
        Assert.Equal(discover, sent.Data);
        Assert.Equal(1, nic.ReclaimTransmitted());
        Assert.Equal(0, nic.TransmitsInFlight());

        byte[] inbound = TestDevices.Udp(TestDevices.DeviceMac, "hello from the wire"u8.ToArray());
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(inbound, 0).Outcome);
        var buffer = new byte[nic.MaxFrameSize];
        Assert.True(nic.TryReceive(buffer, out int length, out RxInfo info));
        Assert.Equal(inbound, buffer[..length]);
        Assert.Equal(inbound.Length, info.Length);
        Assert.True(info.Flags.HasFlag(RxFlags.Ipv4));
        Assert.True(info.Flags.HasFlag(RxFlags.Udp));
        Assert.False(nic.TryReceive(buffer, out _, out _));

        TxQueueStatistics tx = nic.GetTxStatistics();
        Assert.Equal(1, tx.Packets);
        Assert.Equal(discover.Length, tx.Bytes);
        Assert.Equal(1, nic.GetRxStatistics().Packets);

        nic.Dispose();
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        Assert.Equal(0, device.DmaAllocator.OutstandingBytes);
        Assert.False(device.BusMasterEnabled);
        Assert.Equal(0, device.TxQueueCount);
        Assert.Null(device.ConfiguredFormat);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void BringUpFollowsUpstreamCommandOrder()
    {
        using SimulatedGvnic device = TestDevices.Create();
        using (Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl, queues: 2))) { }
        AdminqOpcodes[] expected =
        [
            AdminqOpcodes.VerifyDriverCompatibility, AdminqOpcodes.DescribeDevice, AdminqOpcodes.ConfigureDeviceResources,
            AdminqOpcodes.ReportLinkSpeed, AdminqOpcodes.ReportStats,
            AdminqOpcodes.RegisterPageList, AdminqOpcodes.RegisterPageList, AdminqOpcodes.RegisterPageList, AdminqOpcodes.RegisterPageList,
            AdminqOpcodes.CreateTxQueue, AdminqOpcodes.CreateTxQueue, AdminqOpcodes.CreateRxQueue, AdminqOpcodes.CreateRxQueue,
            AdminqOpcodes.DestroyRxQueue, AdminqOpcodes.DestroyRxQueue, AdminqOpcodes.DestroyTxQueue, AdminqOpcodes.DestroyTxQueue,
            AdminqOpcodes.UnregisterPageList, AdminqOpcodes.UnregisterPageList, AdminqOpcodes.UnregisterPageList, AdminqOpcodes.UnregisterPageList,
            AdminqOpcodes.DeconfigureDeviceResources,
        ];
        Assert.Equal(expected, device.AdminCommands.Select(c => c.Opcode).ToArray());
        Assert.All(device.AdminCommands, c => Assert.Equal(AdminqStatuses.CommandPassed, c.Status));
        Assert.Empty(device.Violations);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void ZeroCopyLeaseReturnsTheBufferOnDispose()
    {
        using SimulatedGvnic device = TestDevices.Create();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        byte[] first = TestDevices.Udp(TestDevices.DeviceMac, new byte[100]);
        byte[] second = TestDevices.Udp(TestDevices.DeviceMac, new byte[200]);
        device.InjectFrame(first, 0);
        device.InjectFrame(second, 0);

        Assert.True(nic.TryReceive(out RxLease lease));
        Assert.True(lease.Frame.SequenceEqual(first));
        Assert.Throws<InvalidOperationException>(() => nic.TryReceive(new byte[2000], out _, out _));
        lease.Dispose();
        lease.Dispose(); // a second dispose does nothing
        using (RxLease next = TryLease(nic))
        {
            Assert.True(next.Frame.SequenceEqual(second));
            Assert.Equal(second.Length, next.Info.Length);
        }
        Assert.False(nic.TryReceive(out RxLease none));
        Assert.Equal(0, none.Frame.Length);
        Assert.Equal(2, nic.GetRxStatistics().Packets);
    }

    private static RxLease TryLease(Nic nic)
    {
        Assert.True(nic.TryReceive(out RxLease lease));
        return lease;
    }

    [Fact]
    public void TooSmallBufferLeavesTheFrameQueued()
    {
        using SimulatedGvnic device = TestDevices.Create();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiRda));
        byte[] frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[500]);
        device.InjectFrame(frame, 0);
        Assert.Throws<ArgumentException>(() => nic.TryReceive(new byte[100], out _, out _));
        var buffer = new byte[2000];
        Assert.True(nic.TryReceive(buffer, out int n, out _));
        Assert.Equal(frame, buffer[..n]);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void InterruptModeWakesOnReceive(QueueFormat format)
    {
        using SimulatedGvnic device = TestDevices.Create(formats: OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl);
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { WaitMode = NicWaitMode.Interrupts });
        Assert.False(nic.WaitForReceive(TimeSpan.FromMilliseconds(20)));
        byte[] frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[64]);
        var injector = new System.Threading.Thread(() =>
        {
            System.Threading.Thread.Sleep(30);
            device.InjectFrame(frame, 0);
        });
        injector.Start();
        Assert.True(nic.WaitForReceive(TimeSpan.FromSeconds(5)));
        injector.Join();
        var buffer = new byte[2000];
        Assert.True(nic.TryReceive(buffer, out int n, out _));
        Assert.Equal(frame, buffer[..n]);

        // A second wait re-arms the block and wakes again.
        var again = new System.Threading.Thread(() =>
        {
            System.Threading.Thread.Sleep(30);
            device.InjectFrame(frame, 0);
        });
        again.Start();
        Assert.True(nic.WaitForReceive(TimeSpan.FromSeconds(5)));
        again.Join();
        Assert.True(nic.TryReceive(buffer, out n, out _));
        Assert.Equal(frame, buffer[..n]);
        Assert.Empty(device.Violations);
    }
}
