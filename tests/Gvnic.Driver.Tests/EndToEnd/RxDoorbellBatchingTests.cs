using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// RX buffers given back are announced in batches (one doorbell per 16, as upstream rings once per poll) and
/// whenever a receive finds the queue empty or a wait begins, so the device is never left short.
/// </summary>
public class RxDoorbellBatchingTests
{
    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void BuffersAreAnnouncedEverySixteenAndWhenTheQueueRunsEmpty(QueueFormat format)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig());
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        var buffer = new byte[nic.MaxFrameSize];
        long initial = nic.GetRxStatistics().Doorbells;

        for (int i = 0; i < 3; i++) Assert.Equal(RxOutcome.Delivered, device.InjectFrame(TestDevices.Udp(TestDevices.DeviceMac, new byte[100 + i]), 0).Outcome);
        for (int i = 0; i < 3; i++) Assert.True(nic.TryReceive(buffer, out _, out _));
        Assert.Equal(initial, nic.GetRxStatistics().Doorbells); // three buffers back, not announced yet
        Assert.False(nic.TryReceive(buffer, out _, out _));
        Assert.Equal(initial + 1, nic.GetRxStatistics().Doorbells); // empty: announced

        for (int i = 0; i < 40; i++) Assert.Equal(RxOutcome.Delivered, device.InjectFrame(TestDevices.Udp(TestDevices.DeviceMac, new byte[60]), 0).Outcome);
        for (int i = 0; i < 40; i++) Assert.True(nic.TryReceive(buffer, out _, out _));
        Assert.Equal(initial + 1 + 40 / RxQueueBatch, nic.GetRxStatistics().Doorbells);
        Assert.False(nic.WaitForReceive(System.TimeSpan.Zero)); // a wait announces the rest first
        Assert.Equal(initial + 2 + 40 / RxQueueBatch, nic.GetRxStatistics().Doorbells);

        // The device got every buffer back: a full ring's worth of frames is delivered again.
        int ring = nic.RxRingSize - (format is QueueFormat.DqoRda or QueueFormat.DqoQpl ? 1 : 0);
        for (int i = 0; i < ring; i++) Assert.Equal(RxOutcome.Delivered, device.InjectFrame(TestDevices.Udp(TestDevices.DeviceMac, new byte[60]), 0).Outcome);
        Assert.Empty(device.Violations);
    }

    private const int RxQueueBatch = 16;
}
