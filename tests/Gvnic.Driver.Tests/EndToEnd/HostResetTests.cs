using System;
using System.Collections.Generic;
using Gvnic.Driver;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// A reset the host makes under the driver (live migration): the model's <see cref="SimulatedGvnic.HostReset"/> drops
/// everything and shows it only in its registers. The driver finds it in <see cref="Nic.Service"/>, sends no per-queue
/// command to it, and brings the NIC up again without provoking the delayed reset a revision-0 device makes when an
/// already-reset device is reset again (docs/simulator.md, "Real-device behaviours").
/// </summary>
public sealed class HostResetTests
{
    [Theory]
    [InlineData(0, QueueFormat.GqiQpl)]
    [InlineData(0, QueueFormat.DqoRda)]
    [InlineData(1, QueueFormat.GqiRda)]
    [InlineData(1, QueueFormat.DqoQpl)]
    public void AHostResetIsFoundByServiceAndRecoveredWithoutADelayedReset(byte revision, QueueFormat format)
    {
        var clock = new ManualClock();
        var reports = new List<NicResetReport>();
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = revision, TxQueueEntries = 256, RxQueueEntries = 128, TimeProvider = clock });
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { TimeProvider = clock, OnReset = reports.Add });
        Assert.False(nic.Service()); // running: the driver has seen the device run

        device.HostReset();
        Assert.True(nic.Service());
        Assert.IsType<DeviceResetException>(Assert.Single(reports).Fault);
        Assert.Equal(0, device.RedundantResets); // the release did not reset an already-reset device again

        clock.Advance(TimeSpan.FromSeconds(4)); // past the 3 s after which a redundant reset would reset the device again
        device.RunDueWork();
        Assert.Equal(1, device.HostResets);
        Assert.False(nic.Service());
        Assert.Single(reports);

        var frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[64]);
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(frame, 0).Outcome);
        var buffer = new byte[nic.MaxFrameSize];
        Assert.True(nic.TryReceive(buffer, out int length, out _));
        Assert.Equal(frame.Length, length);
        Assert.Empty(device.Violations);
    }
}
