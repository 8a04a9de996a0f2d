using System;
using System.Collections.Generic;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary><see cref="NicConfigurationException.Option"/>, and options checked before the device is touched.</summary>
public class OptionValidationTests
{
    public static TheoryData<string, NicOptions, string> InvalidOptions() => new()
    {
        { "TxQueues", new NicOptions { TxQueues = 0 }, "0 TX queues requested; at least 1 is needed" },
        { "RxQueues", new NicOptions { RxQueues = -1 }, "-1 RX queues requested; at least 1 is needed" },
        { "TxRingSize", new NicOptions { TxRingSize = 100 }, "TX ring size 100 is not a power of two" },
        { "RxRingSize", new NicOptions { RxRingSize = 0 }, "RX ring size 0 is not a power of two" },
        { "Mtu", new NicOptions { Mtu = 40 }, "MTU 40 is below the minimum of 68" },
        { "Mtu", new NicOptions { Mtu = 70000 }, "MTU 70000 is above 65517: a frame (MTU + 18) must fit the 16-bit length fields" },
        { "QueueFormat", new NicOptions { QueueFormat = QueueFormat.Unspecified }, "queue format Unspecified was requested but this driver does not implement it (it implements DqoRda, DqoQpl, GqiRda, GqiQpl)" },
        { "WaitMode", new NicOptions { WaitMode = (NicWaitMode)7 }, "wait mode 7 is neither Polling nor Interrupts" },
        { "TxQueues", new NicOptions { WaitMode = NicWaitMode.Interrupts, TxQueues = 4, RxQueues = 4 }, "4 TX and 4 RX queues need 9 MSI-X vectors (8 notification blocks, 2 × max(TX, RX), and 1 for management; polling enables them too, as a device writes DQO completions back only through an enabled vector); the function has 8, enough for at most 3 TX and 3 RX queues" },
        { "RxQueues", new NicOptions { WaitMode = NicWaitMode.Polling, TxQueues = 1, RxQueues = 4 }, "1 TX and 4 RX queues need 9 MSI-X vectors (8 notification blocks, 2 × max(TX, RX), and 1 for management; polling enables them too, as a device writes DQO completions back only through an enabled vector); the function has 8, enough for at most 3 TX and 3 RX queues" },
        { "AdminTimeout", new NicOptions { AdminTimeout = TimeSpan.Zero }, "admin timeout 00:00:00 is not positive" },
        { "RdaTxBufferBytes", new NicOptions { RdaTxBufferBytes = 0 }, "RDA TX buffer of 0 bytes requested; it must be positive" },
        { "DriverVersion", new NicOptions { DriverVersion = new Version(300, 0, 0) }, "driver version 300.0.0 does not fit DriverInfo (major, minor and build are bytes)" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptionsAreRefusedBeforeTheDeviceIsTouched(string option, NicOptions options, string message)
    {
        using SimulatedGvnic device = TestDevices.Create();
        int bar0Reads = 0;
        var pci = new TamperingPci(device) { Bar0Read32 = (offset, raw) => { bar0Reads++; return raw; } };
        var steps = new List<NicBringUpStep>();
        var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(pci, options with { Progress = steps.Add }));
        Assert.Equal(option, e.Option);
        Assert.Equal(message, e.Message);
        Assert.Equal(0, bar0Reads);
        Assert.Empty(pci.Allocations);
        Assert.Empty(device.DriverVersions);
        Assert.Empty(device.AdminCommands);
        Assert.False(device.BusMasterEnabled);
        NicBringUpStep step = Assert.Single(steps);
        Assert.Equal(new NicBringUpStep(NicPhase.BringUp, "options", message, step.Elapsed, true), step);
    }

    [Fact]
    public void ChecksThatNeedTheDeviceNameTheOption()
    {
        using (SimulatedGvnic device = TestDevices.Create(formats: OfferedFormats.GqiQpl))
            Assert.Equal("QueueFormat", Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda))).Option);
        // Vectors for 5 queue pairs, so that the device's own limit (4) is what refuses the fifth RX queue.
        using (var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.GqiQpl, MsixVectors = 11 }))
        {
            var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl) with { RxQueues = 5 }));
            Assert.Equal("RxQueues", e.Option);
            Assert.Equal("5 RX queues requested; the device allows 1 … 4", e.Message);
        }
        using (var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.GqiQpl, JumboFrames = false }))
        {
            var e = Assert.Throws<NicConfigurationException>(() => Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl) with { Mtu = 4000 }));
            Assert.Equal("Mtu", e.Option);
            Assert.StartsWith("MTU 4000 is outside 68 … ", e.Message);
        }
        using (SimulatedGvnic device = TestDevices.Create())
            Assert.Null(Assert.Throws<NicConfigurationException>(() => Nic.Open(new AdminErrorTests.WrongIdPci(new TamperingPci(device)))).Option);
    }
}
