using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary><see cref="NicOptions.Progress"/>: every step of bring-up and teardown, in order, with its detail.</summary>
public class ProgressTests
{
    private static (NicOptions Options, List<NicBringUpStep> Steps) Recording(QueueFormat format, int queues)
    {
        var steps = new List<NicBringUpStep>();
        return (TestDevices.Options(format, queues) with { Progress = steps.Add }, steps);
    }

    [Fact]
    public void GqiQplBringUpAndTeardownReportEveryStepInOrder()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var (options, steps) = Recording(QueueFormat.GqiQpl, 2);
        Nic nic = Nic.Open(device, options);
        string[] bringUp =
        [
            "options", "PCI function", "driver version", "queue limits", "admin queue",
            "VERIFY_DRIVER_COMPATIBILITY", "DESCRIBE_DEVICE", "plan", "CONFIGURE_DEVICE_RESOURCES", "REPORT_LINK_SPEED", "REPORT_STATS",
            "queue memory", "REGISTER_PAGE_LIST 0", "REGISTER_PAGE_LIST 1", "REGISTER_PAGE_LIST 4", "REGISTER_PAGE_LIST 5",
            "CREATE_TX_QUEUE 0", "CREATE_TX_QUEUE 1", "CREATE_RX_QUEUE 0", "CREATE_RX_QUEUE 1",
            "RX buffers", "interrupts", "notification blocks",
        ];
        Assert.Equal(bringUp, steps.Select(s => s.Name).ToArray());
        Assert.All(steps, s => Assert.Equal(NicPhase.BringUp, s.Phase));
        Assert.All(steps, s => Assert.False(s.Failed, s.Name + ": " + s.Detail));
        Assert.All(steps, s => Assert.True(s.Elapsed >= TimeSpan.Zero));

        NicBringUpStep Step(string name) => steps.Single(s => s.Name == name);
        Assert.Equal("GqiQpl requested, 2 TX + 2 RX queues, polling, admin timeout 300 ms", Step("options").Detail);
        Assert.Equal("sim:0: 1ae0:0042 revision 1, bus mastering on", Step("PCI function").Detail);
        Assert.Equal("GVE-1.0.0 written to driver_version", Step("driver version").Detail);
        Assert.Equal("up to 4 TX and 4 RX queues", Step("queue limits").Detail);
        Assert.StartsWith("MAC 42:01:0a:80:00:02, MTU 1460, 16 event counters, rings 256/256, formats ", Step("DESCRIBE_DEVICE").Detail);
        Assert.Equal("GqiQpl, 2 TX + 2 RX queues, rings 256/256, MTU 1460, 2048-byte RX buffers, page lists of 128/256 pages", Step("plan").Detail);
        Assert.Equal("100000 Mbit/s", Step("REPORT_LINK_SPEED").Detail);
        Assert.Equal("128 pages for TX queue 1", Step("REGISTER_PAGE_LIST 1").Detail);
        Assert.Equal("256 pages for RX queue 0", Step("REGISTER_PAGE_LIST 4").Detail);
        Assert.Equal("ring 256, notification block 1, page list 1", Step("CREATE_TX_QUEUE 1").Detail);
        Assert.Equal("ring 256, 2048-byte buffers, notification block 3, page list 5", Step("CREATE_RX_QUEUE 1").Detail);
        Assert.Equal("512 buffers posted on 2 RX queues, doorbells rung", Step("RX buffers").Detail);
        Assert.StartsWith("4 unmasked", Step("notification blocks").Detail);
        // Polling too: a device fires a block, and a DQO device writes back what it holds, only through an enabled vector.
        Assert.StartsWith("5 MSI-X vectors enabled (4 notification blocks and management); polling", Step("interrupts").Detail);

        steps.Clear();
        nic.Dispose();
        string[] teardown =
        [
            "interrupts", "DESTROY_RX_QUEUE 0", "DESTROY_RX_QUEUE 1", "DESTROY_TX_QUEUE 0", "DESTROY_TX_QUEUE 1",
            "UNREGISTER_PAGE_LIST 0", "UNREGISTER_PAGE_LIST 1", "UNREGISTER_PAGE_LIST 4", "UNREGISTER_PAGE_LIST 5",
            "DECONFIGURE_DEVICE_RESOURCES", "reset", "bus mastering", "DMA memory",
        ];
        Assert.Equal(teardown, steps.Select(s => s.Name).ToArray());
        Assert.All(steps, s => Assert.Equal(NicPhase.Teardown, s.Phase));
        Assert.All(steps, s => Assert.False(s.Failed, s.Name + ": " + s.Detail));
        Assert.Equal("driver_status RESET written, device_status shows DEVICE_IS_RESET", steps.Single(s => s.Name == "reset").Detail);
        Assert.Matches(@"^\d+ regions \(\d+ bytes\) freed$", steps[^1].Detail);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void DqoInterruptModeAddsThePtypeMapAndTheVectors()
    {
        using SimulatedGvnic device = TestDevices.Create(revision: 0, formats: OfferedFormats.DqoRda);
        var (options, steps) = Recording(QueueFormat.DqoRda, 1);
        using (Nic.Open(device, options with { WaitMode = NicWaitMode.Interrupts })) { }
        string[] expected =
        [
            "options", "PCI function", "driver version", "queue limits", "admin queue",
            "VERIFY_DRIVER_COMPATIBILITY", "DESCRIBE_DEVICE", "plan", "CONFIGURE_DEVICE_RESOURCES", "GET_PTYPE_MAP", "REPORT_LINK_SPEED", "REPORT_STATS",
            "queue memory", "CREATE_TX_QUEUE 0", "CREATE_RX_QUEUE 0", "RX buffers", "interrupts", "notification blocks",
            "interrupts", "DESTROY_RX_QUEUE 0", "DESTROY_TX_QUEUE 0", "DECONFIGURE_DEVICE_RESOURCES", "reset", "bus mastering", "DMA memory",
        ];
        Assert.Equal(expected, steps.Select(s => s.Name).ToArray());
        Assert.Equal(18, steps.Count(s => s.Phase == NicPhase.BringUp));
        Assert.Equal("3 MSI-X vectors enabled (2 notification blocks and management)", steps[16].Detail);
        Assert.Equal("2 notification blocks masked, MSI-X disabled", steps[18].Detail);
        Assert.StartsWith("adminq_pfn written 0 and read back 0", steps.Single(s => s.Name == "reset").Detail);
        Assert.Contains("revision 0: adminq_pfn 0x", steps[4].Detail);
        Assert.EndsWith("raw addressing", steps[13].Detail);
    }

    [Fact]
    public void AFailedCommandIsReportedWithItsStatusAndTheUndoFollows()
    {
        using SimulatedGvnic device = TestDevices.Create();
        device.FailNextCommand(AdminqOpcodes.CreateRxQueue, AdminqStatuses.CommandErrorInternalError);
        var (options, steps) = Recording(QueueFormat.GqiRda, 2);
        var e = Assert.Throws<AdminCommandException>(() => Nic.Open(device, options));
        Assert.Equal(AdminqOpcodes.CreateRxQueue, e.Opcode);

        NicBringUpStep failed = Assert.Single(steps, s => s.Failed);
        Assert.Equal("CREATE_RX_QUEUE 0", failed.Name);
        Assert.Equal("failed: INTERNAL_ERROR (0xFFFFFFF6)", failed.Detail);
        Assert.Equal(NicPhase.BringUp, failed.Phase);
        string[] after = steps.SkipWhile(s => !s.Failed).Select(s => s.Name).ToArray();
        Assert.Equal(
        [
            "CREATE_RX_QUEUE 0", "CREATE_RX_QUEUE 1",
            "DESTROY_RX_QUEUE 1", "DESTROY_TX_QUEUE 0", "DESTROY_TX_QUEUE 1", "DECONFIGURE_DEVICE_RESOURCES", "reset", "bus mastering", "DMA memory",
        ], after);
        Assert.Equal("passed (the batch failed)", steps.Single(s => s.Name == "CREATE_RX_QUEUE 1").Detail);
        Assert.All(steps.Where(s => s.Name.StartsWith("DESTROY", StringComparison.Ordinal)), s => Assert.Equal(NicPhase.Teardown, s.Phase));
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
    }

    [Fact]
    public void AFailingStepOutsideTheAdminQueueIsReportedByName()
    {
        // MSI-X vectors for 9 queue pairs (2 × 9 + 1), so that the plan, not the options step, refuses the 9 queues.
        using SimulatedGvnic device = TestDevices.Create(msixVectors: 19);
        var (options, steps) = Recording(QueueFormat.GqiQpl, 9);
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, options));
        Assert.Equal("TxQueues", e.Option);
        NicBringUpStep failed = Assert.Single(steps, s => s.Failed);
        Assert.Equal("plan", failed.Name);
        Assert.Equal("9 TX queues requested; the device allows 1 … 4", failed.Detail);
        Assert.Equal(["reset", "bus mastering", "DMA memory"], steps.Where(s => s.Phase == NicPhase.Teardown).Select(s => s.Name).ToArray());
    }

    [Fact]
    public void AThrowingCallbackFailsOpenButNeverStopsTeardown()
    {
        using SimulatedGvnic device = TestDevices.Create();
        var options = TestDevices.Options(QueueFormat.GqiQpl) with
        {
            Progress = s => { if (s.Name == "DESCRIBE_DEVICE" || s.Phase == NicPhase.Teardown) throw new InvalidOperationException("callback " + s.Name); },
        };
        var e = Assert.Throws<InvalidOperationException>(() => Nic.Open(device, options));
        Assert.Equal("callback DESCRIBE_DEVICE", e.Message);
        Assert.Equal(0, device.DmaAllocator.OutstandingRegions);
        Assert.False(device.BusMasterEnabled);

        using SimulatedGvnic second = TestDevices.Create();
        Nic nic = Nic.Open(second, TestDevices.Options(QueueFormat.GqiQpl) with { Progress = s => { if (s.Phase == NicPhase.Teardown) throw new InvalidOperationException(); } });
        nic.Dispose();
        Assert.Equal(0, second.DmaAllocator.OutstandingRegions);
        Assert.Null(second.ConfiguredFormat);
    }

    [Fact]
    public void ImplementedFormatsAreListedInPreferenceOrderAndEachOpens()
    {
        Assert.Equal([QueueFormat.DqoRda, QueueFormat.DqoQpl, QueueFormat.GqiRda, QueueFormat.GqiQpl], Nic.ImplementedFormats);
        Assert.Throws<NotSupportedException>(() => ((IList<QueueFormat>)Nic.ImplementedFormats)[0] = QueueFormat.Unspecified);
        foreach (QueueFormat format in Nic.ImplementedFormats)
        {
            using SimulatedGvnic device = TestDevices.Create(formats: OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl);
            using Nic nic = Nic.Open(device, TestDevices.Options(format));
            Assert.Equal(format, nic.QueueFormat);
        }
    }
}
