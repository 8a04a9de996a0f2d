using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary><see cref="Nic.Recover"/>: a device-requested reset, and recovery from it.</summary>
public class RecoveryTests
{
    private static int Opcodes(SimulatedGvnic device, AdminqOpcodes opcode) => device.AdminCommands.Count(c => c.Opcode == opcode);

    /// <summary>Sends <paramref name="count"/> frames through the loopback and checks each arrives, byte for byte.</summary>
    private static void Traffic(Nic nic, int count, int length, int seed)
    {
        var buffer = new byte[nic.MaxFrameSize];
        for (int i = 0; i < count; i++)
        {
            byte[] frame = JumboFrameTests.Frame(length, seed + i);
            Assert.True(nic.Transmit(frame));
            int received = 0;
            bool got = false;
            for (int q = 0; q < nic.RxQueueCount && !got; q++) got = nic.TryReceive(buffer, out received, out _, q);
            Assert.True(got, "frame " + i + " did not arrive");
            Assert.True(frame.AsSpan().SequenceEqual(buffer.AsSpan(0, received)), "frame " + i + " differs");
            nic.ReclaimTransmitted();
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl, 1, null)]
    [InlineData(QueueFormat.GqiRda, 0, null)]
    [InlineData(QueueFormat.DqoRda, 1, null)]
    [InlineData(QueueFormat.DqoQpl, 1, JumboFrameTests.JumboMtu)]
    [InlineData(QueueFormat.GqiQpl, 0, JumboFrameTests.JumboMtu)]
    public void DeviceRequestedResetIsRecovered(QueueFormat format, byte revision, int? mtu)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = JumboFrameTests.AllFormats, Revision = revision });
        device.AttachWire(VirtualWire.Loopback());
        var steps = new List<NicBringUpStep>();
        var nic = Nic.Open(device, TestDevices.Options(format, queues: 2) with { Mtu = mtu, Progress = steps.Add });
        int length = mtu is null ? 1000 : 8000;
        MacAddress mac = nic.MacAddress;
        int regions = device.DmaAllocator.OutstandingRegions;

        Traffic(nic, 20, length, seed: 0);
        Assert.Equal(20, nic.GetRxStatistics(0).Packets + nic.GetRxStatistics(1).Packets);
        Assert.False(nic.ResetRequested);

        device.RequestReset();
        Assert.True(nic.ResetRequested);
        long resets = device.ResetCount;
        steps.Clear();
        nic.Recover();

        Assert.False(nic.ResetRequested);
        Assert.Equal(1, nic.RecoveryCount);
        Assert.Equal(resets + 1, device.ResetCount);
        Assert.Equal(mac, nic.MacAddress);
        Assert.Equal(format, nic.QueueFormat);
        Assert.Equal(mtu ?? 1460, nic.Mtu);
        Assert.Equal(mtu ?? 1460, device.Mtu);
        Assert.Equal(2, nic.TxQueueCount);
        Assert.Equal(2, nic.RxQueueCount);
        Assert.Equal(regions, device.DmaAllocator.OutstandingRegions); // the old memory was freed, the same amount allocated again
        // The device asked for the reset: its queues were dropped by it, not destroyed one by one.
        Assert.Equal(0, Opcodes(device, AdminqOpcodes.DestroyRxQueue));
        Assert.Equal(0, Opcodes(device, AdminqOpcodes.DestroyTxQueue));
        Assert.Equal(4, Opcodes(device, AdminqOpcodes.CreateRxQueue));
        // Counters restart with the new queues.
        Assert.Equal(new RxQueueStatistics(0, 0, 0, nic.GetRxStatistics().BuffersPosted, 1), nic.GetRxStatistics());
        Assert.Equal(0, nic.GetTxStatistics().Packets);

        string[] names = steps.Select(s => s.Name).ToArray();
        Assert.Equal(["interrupts", "device-requested reset", "reset", "bus mastering", "DMA memory", "options", "PCI function"], names[..7]);
        Assert.Equal("notification blocks", names[^1]);
        Assert.All(steps.Take(5), s => Assert.Equal(NicPhase.Teardown, s.Phase));
        Assert.All(steps.Skip(5), s => Assert.Equal(NicPhase.BringUp, s.Phase));
        Assert.DoesNotContain(steps, s => s.Failed);

        Traffic(nic, 20, length, seed: 100);
        Assert.Equal(20, nic.GetRxStatistics(0).Packets + nic.GetRxStatistics(1).Packets);
        Assert.Equal(20L * length, nic.GetRxStatistics(0).Bytes + nic.GetRxStatistics(1).Bytes);

        nic.Dispose();
        Assert.Equal(2, Opcodes(device, AdminqOpcodes.DestroyRxQueue));
        Assert.Empty(device.Violations);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void RecoverWithoutAResetRequestTearsDownInFull()
    {
        using SimulatedGvnic device = TestDevices.Create(formats: JumboFrameTests.AllFormats);
        device.AttachWire(VirtualWire.Loopback());
        using (Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoQpl)))
        {
            Traffic(nic, 5, 1400, seed: 0);
            nic.Recover();
            Assert.Equal(1, Opcodes(device, AdminqOpcodes.DestroyRxQueue));
            Assert.Equal(1, Opcodes(device, AdminqOpcodes.DestroyTxQueue));
            Assert.Equal(2, Opcodes(device, AdminqOpcodes.UnregisterPageList));
            Assert.Equal(1, Opcodes(device, AdminqOpcodes.DeconfigureDeviceResources));
            Assert.Equal(2, Opcodes(device, AdminqOpcodes.CreateRxQueue));
            Traffic(nic, 5, 1400, seed: 10);
            nic.Recover();
            Assert.Equal(2, nic.RecoveryCount);
            Traffic(nic, 5, 1400, seed: 20);
        }
        Assert.Empty(device.Violations);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void DeviceThatStopsAnsweringDuringRecoveryKeepsTheMemory(byte revision)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.GqiQpl, Revision = revision });
        device.AttachWire(VirtualWire.Loopback());
        var nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        Traffic(nic, 3, 500, seed: 0);
        int regions = device.DmaAllocator.OutstandingRegions;

        device.RequestReset();
        device.StallAdminQueue();
        var e = Assert.Throws<NicTeardownException>(() => nic.Recover());
        Assert.True(e.MemoryKept);
        Assert.Equal(regions, e.RegionsKept);
        Assert.Equal(regions, device.DmaAllocator.OutstandingRegions);
        Assert.StartsWith("sim:0: the device did not confirm the admin-queue release (" + (revision == 0 ? "adminq_pfn never read back 0" : "device_status never showed DEVICE_IS_RESET")
            + " within 300 ms); keeping " + regions + " DMA regions", e.Message);

        // The NIC is left disposed: the data path refuses, Recover and Dispose do nothing more, the memory stays kept.
        Assert.Throws<ObjectDisposedException>(() => nic.Transmit(new byte[60]));
        Assert.Throws<ObjectDisposedException>(() => nic.TryReceive(new byte[2048], out _, out _));
        Assert.Throws<ObjectDisposedException>(() => nic.Recover());
        nic.Dispose();
        Assert.Equal(regions, device.DmaAllocator.OutstandingRegions);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void BringUpFailureDuringRecoveryIsReportedAndUndone()
    {
        using SimulatedGvnic device = TestDevices.Create(formats: JumboFrameTests.AllFormats);
        device.AttachWire(VirtualWire.Loopback());
        var nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda));
        Traffic(nic, 3, 500, seed: 0);
        device.RequestReset();
        device.FailNextCommand(AdminqOpcodes.CreateRxQueue, AdminqStatuses.CommandErrorResourceExhausted);
        var e = Assert.Throws<AdminCommandException>(() => nic.Recover());
        Assert.Equal(AdminqOpcodes.CreateRxQueue, e.Opcode);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions); // the device confirmed the undo's release: everything freed
        Assert.Throws<ObjectDisposedException>(() => nic.Transmit(new byte[60]));
        nic.Dispose();
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void RecoverRefusesWhileALeaseIsOpen()
    {
        using SimulatedGvnic device = TestDevices.Create();
        device.AttachWire(VirtualWire.Loopback());
        using (Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiRda)))
        {
            Assert.True(nic.Transmit(JumboFrameTests.Frame(100, 1)));
            Assert.True(nic.TryReceive(out RxLease lease));
            InvalidOperationException? error = null;
            try
            {
                nic.Recover();
            }
            catch (InvalidOperationException ex)
            {
                error = ex;
            }
            Assert.Equal("RX queue 0 has an RxLease that was not disposed", error?.Message);
            lease.Dispose();
            nic.Recover();
            Traffic(nic, 2, 100, seed: 5);
        }
        Assert.Empty(device.Violations);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void ALeaseOpenAtDisposeEndsWithoutTouchingTheDevice()
    {
        using SimulatedGvnic device = TestDevices.Create();
        device.AttachWire(VirtualWire.Loopback());
        Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        Assert.True(nic.Transmit(JumboFrameTests.Frame(100, 1)));
        Assert.True(nic.TryReceive(out RxLease lease));
        nic.Dispose();
        lease.Dispose();
        Assert.Empty(device.Violations);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }
}
