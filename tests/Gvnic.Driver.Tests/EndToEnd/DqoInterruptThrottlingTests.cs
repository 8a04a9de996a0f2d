using System;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// DQO interrupt throttling as upstream's turn-up sets it when the driver waits on interrupts: 50 µs on TX blocks, 20 µs
/// on RX blocks; re-arms keep it. A polling driver sets 0: nobody waits on the interrupt, and throttling would only delay
/// the device's write-back of the completions it holds.
/// </summary>
public class DqoInterruptThrottlingTests
{
    private const OfferedFormats All = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;

    [Theory]
    [InlineData(QueueFormat.DqoRda, NicWaitMode.Polling)]
    [InlineData(QueueFormat.DqoQpl, NicWaitMode.Polling)]
    [InlineData(QueueFormat.DqoRda, NicWaitMode.Interrupts)]
    [InlineData(QueueFormat.DqoQpl, NicWaitMode.Interrupts)]
    public void TurnUpSetsTheTxAndRxIntervals_AndReArmsKeepThem(QueueFormat format, NicWaitMode wait)
    {
        using SimulatedGvnic device = TestDevices.Create(formats: All);
        device.AttachWire(VirtualWire.Loopback());
        using Nic nic = Nic.Open(device, TestDevices.Options(format, 2) with { WaitMode = wait });
        // Four blocks: TX queues 0 and 1 on blocks 0 and 1, RX queues on blocks 2 and 3.
        int[] expected = wait == NicWaitMode.Interrupts ? [50, 50, 20, 20] : [0, 0, 0, 0];
        Assert.Equal(expected, Intervals(device));
        Assert.Equal(50, Nic.DqoTxItrMicroseconds);
        Assert.Equal(20, Nic.DqoRxItrMicroseconds);

        byte[] frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[100]);
        var buffer = new byte[nic.MaxFrameSize];
        int received = 0;
        for (int i = 0; i < 5; i++)
        {
            // Nothing is pending: each wait re-arms its RX block (interrupt mode) and times out.
            for (int q = 0; q < 2; q++) Assert.False(nic.WaitForReceive(TimeSpan.FromMilliseconds(1), q));
            Assert.True(nic.Transmit(frame));
            // In interrupt mode the frame's completion shows once its RX block may fire again (20 µs after the last).
            int before = received;
            Assert.True(System.Threading.SpinWait.SpinUntil(() =>
            {
                for (int q = 0; q < 2; q++)
                {
                    while (nic.TryReceive(buffer, out _, out _, q)) received++;
                }
                return received > before;
            }, TimeSpan.FromSeconds(10)));
        }
        Assert.Equal(5, received);
        Assert.Equal(expected, Intervals(device));
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void GqiWritesNoInterval()
    {
        using SimulatedGvnic device = TestDevices.Create(formats: All);
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.GqiQpl));
        Assert.Equal([-1, -1], Intervals(device));
    }

    private static int[] Intervals(SimulatedGvnic device)
    {
        var intervals = new int[device.NotificationBlocks.Count];
        for (int b = 0; b < intervals.Length; b++) intervals[b] = device.DqoItrIntervalMicroseconds(b);
        return intervals;
    }
}
