using System.Collections.Generic;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// Issue 15, class 3: a DQO RX completion written twice delivers its frame once. A buffer id is the device's only between
/// the doorbell that gives it and the completion that returns it: the copy names a buffer the driver has posted again but
/// not yet announced, so it is dropped and counted, nothing is given back for it, and no later frame loses its buffer.
/// </summary>
public class DqoRxDuplicateTests
{
    private static byte[] Frame(int id, int length) => TestDevices.Udp(TestDevices.DeviceMac, Enumerable.Range(0, length).Select(i => (byte)(id + i)).ToArray());

    [Theory]
    [InlineData(QueueFormat.DqoRda, false)]
    [InlineData(QueueFormat.DqoQpl, false)]
    [InlineData(QueueFormat.DqoRda, true)]
    [InlineData(QueueFormat.DqoQpl, true)]
    public void ACompletionWrittenTwiceDeliversItsFrameOnce(QueueFormat format, bool lease)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.DqoRda | OfferedFormats.DqoQpl, RxQueueEntries = 64 });
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        var buffer = new byte[nic.MaxFrameSize];
        var received = new List<byte[]>();
        // Every fifth completion is written twice, across several laps of the ring and across the doorbell batches.
        for (int i = 0; i < 300; i++)
        {
            if (i % 5 == 2) device.InjectFault(new DeviceFault(DeviceFaultKind.DqoRxDuplicateCompletion, Queue: 0));
            Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(i, 60 + i % 200), 0).Outcome);
            while (true)
            {
                if (lease)
                {
                    if (!nic.TryReceive(out RxLease l)) break;
                    using (l) received.Add(l.Frame.ToArray());
                }
                else
                {
                    if (!nic.TryReceive(buffer, out int length, out _)) break;
                    received.Add(buffer[..length]);
                }
            }
        }
        Assert.Equal(Enumerable.Range(0, 300).Select(i => Frame(i, 60 + i % 200)), received);
        Assert.Equal(60, device.FiredFaults.Count(f => f.Kind == DeviceFaultKind.DqoRxDuplicateCompletion));
        Assert.Equal(60, nic.GetRxStatistics().DeviceFaults);
        Assert.Equal(300, nic.GetRxStatistics().Packets);
        Assert.Equal(0, nic.RecoveryCount);
        Assert.Empty(device.Violations); // no buffer posted twice, none lost
    }

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void ADuplicateOfAMultiBufferFrameIsDroppedWhole(QueueFormat format)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = OfferedFormats.DqoRda | OfferedFormats.DqoQpl, RxQueueEntries = 64 });
        using Nic nic = Nic.Open(device, TestDevices.Options(format) with { Mtu = 8000 });
        var buffer = new byte[nic.MaxFrameSize];
        device.InjectFault(new DeviceFault(DeviceFaultKind.DqoRxDuplicateCompletion, Queue: 0, Skip: 2)); // the last of three completions
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(1, 5000), 0).Outcome);
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(Frame(2, 5000), 0).Outcome);
        Assert.True(nic.TryReceive(buffer, out int length, out _));
        Assert.Equal(Frame(1, 5000), buffer[..length]);
        Assert.True(nic.TryReceive(buffer, out length, out _));
        Assert.Equal(Frame(2, 5000), buffer[..length]);
        Assert.False(nic.TryReceive(buffer, out _, out _));
        Assert.Equal(1, nic.GetRxStatistics().DeviceFaults);
        Assert.Empty(device.Violations);
    }
}
