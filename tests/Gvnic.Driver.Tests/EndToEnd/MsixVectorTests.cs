using System;
using System.Collections.Generic;
using Gvnic.Driver.Lifecycle;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// The MSI-X vector rule: 2 × max(TX, RX) notification blocks + 1 management vector, checked in both wait modes before
/// the device is touched (bring-up enables every block's vector while polling too), naming the larger queue count.
/// </summary>
public class MsixVectorTests
{
    public static TheoryData<NicWaitMode, QueueFormat> ModesAndFormats()
    {
        var data = new TheoryData<NicWaitMode, QueueFormat>();
        foreach (NicWaitMode mode in new[] { NicWaitMode.Polling, NicWaitMode.Interrupts })
            foreach (QueueFormat format in new[] { QueueFormat.DqoRda, QueueFormat.DqoQpl, QueueFormat.GqiRda, QueueFormat.GqiQpl })
                data.Add(mode, format);
        return data;
    }

    public static TheoryData<NicWaitMode, int, int, int, string, string> OneShort() => new()
    {
        // mode, TX, RX, vectors (one fewer than needed), option named, message
        { NicWaitMode.Polling, 3, 3, 6, "TxQueues", Message(3, 3, 7, 6, "enough for at most 2 TX and 2 RX queues") },
        { NicWaitMode.Interrupts, 3, 3, 6, "TxQueues", Message(3, 3, 7, 6, "enough for at most 2 TX and 2 RX queues") },
        { NicWaitMode.Polling, 4, 1, 8, "TxQueues", Message(4, 1, 9, 8, "enough for at most 3 TX and 3 RX queues") },
        { NicWaitMode.Interrupts, 4, 1, 8, "TxQueues", Message(4, 1, 9, 8, "enough for at most 3 TX and 3 RX queues") },
        { NicWaitMode.Polling, 1, 4, 8, "RxQueues", Message(1, 4, 9, 8, "enough for at most 3 TX and 3 RX queues") },
        { NicWaitMode.Interrupts, 2, 4, 8, "RxQueues", Message(2, 4, 9, 8, "enough for at most 3 TX and 3 RX queues") },
        { NicWaitMode.Polling, 1, 1, 2, "TxQueues", Message(1, 1, 3, 2, "too few for even 1 TX and 1 RX queue (3 vectors)") },
        { NicWaitMode.Interrupts, 1, 1, 1, "TxQueues", Message(1, 1, 3, 1, "too few for even 1 TX and 1 RX queue (3 vectors)") },
    };

    private static string Message(int tx, int rx, int need, int have, string fit)
        => tx + " TX and " + rx + " RX queues need " + need + " MSI-X vectors (" + (need - 1) + " notification blocks, 2 × max(TX, RX), and 1 for management; "
            + "polling enables them too, as a device writes DQO completions back only through an enabled vector); the function has " + have + ", " + fit;

    private static SimulatedGvnic Device(int vectors) => new(new SimulatedDeviceConfig
    {
        Formats = JumboFrameTests.AllFormats,
        Mac = TestDevices.DeviceMac,
        MsixVectors = vectors,
    });

    [Theory]
    [MemberData(nameof(OneShort))]
    public void OneVectorShort_IsRefusedBeforeTheDeviceIsTouched_NamingTheLargerQueueCount(NicWaitMode mode, int tx, int rx, int vectors, string option, string message)
    {
        foreach (QueueFormat format in new[] { QueueFormat.DqoRda, QueueFormat.DqoQpl, QueueFormat.GqiRda, QueueFormat.GqiQpl })
        {
            using SimulatedGvnic device = Device(vectors);
            int bar0Reads = 0;
            var pci = new TamperingPci(device) { Bar0Read32 = (offset, raw) => { bar0Reads++; return raw; } };
            var steps = new List<NicBringUpStep>();
            var options = TestDevices.Options(format) with { TxQueues = tx, RxQueues = rx, WaitMode = mode, Progress = steps.Add };
            var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(pci, options));
            Assert.Equal(option, e.Option);
            Assert.Equal(message, e.Message);
            Assert.Equal(0, bar0Reads);
            Assert.Empty(pci.Allocations);
            Assert.Empty(device.DriverVersions);
            Assert.Empty(device.AdminCommands);
            Assert.False(device.BusMasterEnabled);
            Assert.Equal(0, device.InterruptController.EnabledCount);
            Assert.Equal(new NicBringUpStep(NicPhase.BringUp, "options", message, steps[0].Elapsed, true), Assert.Single(steps));
        }
    }

    [Theory]
    [MemberData(nameof(ModesAndFormats))]
    public void ExactlyEnoughVectors_BringsEveryQueueUp_AndEnablesEveryVector(NicWaitMode mode, QueueFormat format)
    {
        foreach ((int tx, int rx) in new[] { (3, 3), (3, 1), (1, 3) })
        {
            int vectors = 2 * Math.Max(tx, rx) + 1;
            using SimulatedGvnic device = Device(vectors);
            using (Nic nic = Nic.Open(device, TestDevices.Options(format) with { TxQueues = tx, RxQueues = rx, WaitMode = mode }))
            {
                Assert.Equal(mode, nic.WaitMode);
                Assert.Equal(vectors, device.InterruptController.EnabledCount);
                // The last RX queue's block has the last block vector: a frame delivered to it is seen (DQO: written back
                // only because that vector is enabled).
                for (int q = 0; q < rx; q++)
                {
                    byte[] frame = JumboFrameTests.Frame(100 + q, q);
                    Assert.Equal(RxOutcome.Delivered, device.InjectFrame(frame, q).Outcome);
                    Assert.True(nic.WaitForReceive(TimeSpan.FromSeconds(5), q), format + " " + mode + ": RX queue " + q + " of " + rx + " saw nothing");
                    var buffer = new byte[2048];
                    Assert.True(nic.TryReceive(buffer, out int length, out _, q));
                    Assert.Equal(frame, buffer.AsSpan(0, length).ToArray());
                }
                for (int q = 0; q < tx; q++) Assert.True(nic.Transmit(JumboFrameTests.Frame(80, q), q));
                for (int q = 0; q < tx; q++) Assert.Equal(1, device.TxStatistics(q).Frames);
            }
            Assert.Equal(0, device.InterruptController.EnabledCount);
            Assert.Empty(device.Violations);
        }
    }

    [Fact]
    public void AHugeQueueCountDoesNotWrapPastTheCheck()
    {
        using SimulatedGvnic device = Device(8);
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl) with { RxQueues = int.MaxValue }));
        Assert.Equal("RxQueues", e.Option);
        Assert.StartsWith("1 TX and 2147483647 RX queues need 4294967295 MSI-X vectors (4294967294 notification blocks", e.Message);
        Assert.Empty(device.AdminCommands);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(4, 1)]
    [InlineData(8, 3)]
    [InlineData(9, 4)]
    [InlineData(129, 64)]
    public void QueuesForVectors_IsTheLargestCountWhoseBlocksAndManagementFit(int vectors, int queues)
    {
        Assert.Equal(queues, DeviceSetup.QueuesForVectors(vectors));
        if (queues > 0) Assert.True(DeviceSetup.NotificationBlocks(queues, queues) + 1 <= vectors);
        Assert.True(DeviceSetup.NotificationBlocks(queues + 1, queues + 1) + 1 > vectors);
    }

    [Fact]
    public void TheSimulatorsDefaultVectorsFitThreeQueuePairsNotItsFour()
    {
        var config = new SimulatedDeviceConfig();
        Assert.Equal((4u, 4u, 8), (config.MaxTxQueues, config.MaxRxQueues, config.MsixVectors));
        Assert.Equal(3, DeviceSetup.QueuesForVectors(config.MsixVectors));
        using (var device = new SimulatedGvnic())
        using (Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda, queues: 3)))
            Assert.Equal(3, nic.TxQueueCount);
        using (var device = new SimulatedGvnic())
            Assert.Equal("TxQueues", Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda, queues: 4))).Option);
    }
}
