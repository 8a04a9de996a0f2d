using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// Issue 15, class 8: each queue belongs to one thread at a time. A second thread (or a call made from inside one, on the
/// same thread) entering a queue already in use is refused at once with an <see cref="InvalidOperationException"/> naming
/// the queue, and nothing is duplicated, invented or blamed on the device. The check is one interlocked flag per queue,
/// taken in the one data-path guard and in <see cref="Nic.WaitForReceive"/>.
/// </summary>
public class QueueOwnershipTests
{
    private const OfferedFormats AllFormats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;

    private static readonly byte[] Peer = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x01];

    private static byte[] Frame(int id) => TestDevices.Udp(Peer, [(byte)id, 1, 2, 3], from: TestDevices.DeviceMac);

    /// <summary>
    /// A wire on which, while the driver is inside a TX doorbell write (the frame leaves during the sending thread's
    /// <see cref="Nic.Transmit(ReadOnlySpan{byte}, int)"/>), <see cref="Inside"/> runs: what another caller would do at that moment.
    /// </summary>
    private sealed class InsideTransmit
    {
        public Action? Inside;
        public List<Exception> Refused { get; } = [];
        public int Ran;

        public IWire Wire => VirtualWire.Responder(_ =>
        {
            Action? inside = Interlocked.Exchange(ref Inside, null);
            if (inside is not null)
            {
                try
                {
                    inside();
                    Ran++;
                }
                catch (InvalidOperationException e)
                {
                    Refused.Add(e);
                }
            }
            return null;
        });
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void ASecondThreadOnTheSameTxQueueIsRefusedAndAnotherQueueIsNot(QueueFormat format)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = AllFormats });
        var hook = new InsideTransmit();
        device.AttachWire(hook.Wire);
        using Nic nic = Nic.Open(device, TestDevices.Options(format, queues: 2));

        // Another thread on TX queue 0 while this one is inside Transmit on it: refused, naming the queue.
        hook.Inside = () => Task.Run(() => nic.Transmit(Frame(99), queue: 0)).GetAwaiter().GetResult();
        Assert.True(nic.Transmit(Frame(1), queue: 0));
        Exception refused = Assert.Single(hook.Refused);
        Assert.StartsWith("TX queue 0 is in use by another call", refused.Message);

        // ... and ReclaimTransmitted, and a batch, on the same queue; the same thread re-entering too.
        hook.Inside = () => Task.Run(() => nic.ReclaimTransmitted(0)).GetAwaiter().GetResult();
        Assert.True(nic.Transmit(Frame(2), queue: 0));
        hook.Inside = () => nic.TransmitBatch(new ReadOnlyMemory<byte>[] { Frame(98) }, queue: 0);
        Assert.True(nic.Transmit(Frame(3), queue: 0));
        Assert.Equal(3, hook.Refused.Count);
        Assert.All(hook.Refused, e => Assert.StartsWith("TX queue 0 is in use", e.Message));

        // Another queue is another owner: allowed meanwhile.
        hook.Inside = () => Assert.True(Task.Run(() => nic.Transmit(Frame(4), queue: 1)).GetAwaiter().GetResult());
        Assert.True(nic.Transmit(Frame(5), queue: 0));
        Assert.Equal(1, hook.Ran);

        // Nothing duplicated or invented: exactly the frames the driver accepted, once each; nothing blamed on the device.
        nic.ReclaimTransmitted(0);
        nic.ReclaimTransmitted(1);
        int[] sent = ((VirtualWire)device.Wire).Frames.Where(f => f.Direction == FrameDirection.Transmit).Select(f => (int)f.Data[42]).ToArray();
        Assert.Equal([1, 2, 3, 4, 5], sent.Order().ToArray());
        Assert.Equal(4, nic.GetTxStatistics(0).Packets);
        Assert.Equal(0, nic.GetTxStatistics(0).DeviceFaults);
        Assert.Equal(0, nic.RecoveryCount);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void ZeroCopyCallsOnATxQueueInUseAreRefused(QueueFormat format)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = AllFormats });
        var hook = new InsideTransmit();
        device.AttachWire(hook.Wire);
        using Nic nic = Nic.Open(device, TestDevices.Options(format, queues: 1));
        var lent = new TxBuffer[1];
        Assert.Equal(1, nic.AcquireTxBuffers(lent, queue: 0));
        hook.Inside = () => nic.AcquireTxBuffers(new TxBuffer[1], queue: 0);
        Assert.True(nic.Transmit(Frame(1)));
        hook.Inside = () => nic.ReleaseTxBuffers(lent, queue: 0);
        Assert.True(nic.Transmit(Frame(2)));
        hook.Inside = () => nic.TransmitBuffers(lent, queue: 0);
        Assert.True(nic.Transmit(Frame(3)));
        Assert.Equal(3, hook.Refused.Count);
        Assert.All(hook.Refused, e => Assert.StartsWith("TX queue 0 is in use", e.Message));
        Assert.Equal(1, nic.TxBuffersLent(0)); // the refused calls lent, sent and gave back nothing
        nic.ReleaseTxBuffers(lent);
        Assert.Equal(0, nic.TxBuffersLent(0));
        Assert.Empty(device.Violations);
    }

    /// <summary>A clock that says when a wait is under way (its first read after <see cref="Arm"/>).</summary>
    private sealed class SignallingClock : TimeProvider
    {
        private int _armed;
        public ManualResetEventSlim Waiting { get; } = new();
        public void Arm() => Volatile.Write(ref _armed, 1);
        public override long GetTimestamp()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1) Waiting.Set();
            return global::System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public async Task ASecondThreadOnAnRxQueueBeingWaitedOnIsRefused(QueueFormat format)
    {
        var clock = new SignallingClock();
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = AllFormats });
        using Nic nic = Nic.Open(device, TestDevices.Options(format, queues: 2) with { TimeProvider = clock });
        clock.Arm();
        Task<bool> waiter = Task.Run(() => nic.WaitForReceive(TimeSpan.FromSeconds(30), queue: 0));
        Assert.True(clock.Waiting.Wait(TimeSpan.FromSeconds(30)));

        var buffer = new byte[nic.MaxFrameSize];
        var e = Assert.Throws<InvalidOperationException>(() => nic.TryReceive(buffer, out _, out _, queue: 0));
        Assert.StartsWith("RX queue 0 is in use by another call", e.Message);
        Assert.Throws<InvalidOperationException>(() => nic.TryReceive(out RxLease _, queue: 0));
        Assert.Throws<InvalidOperationException>(() => nic.TryReceiveBurst(out RxBurst _, queue: 0));
        Assert.Throws<InvalidOperationException>(() => nic.WaitForReceive(TimeSpan.Zero, queue: 0));
        Assert.Throws<InvalidOperationException>(nic.Recover); // a recovery needs every queue stopped
        Assert.False(nic.TryReceive(buffer, out _, out _, queue: 1)); // another queue: allowed

        byte[] frame = TestDevices.Udp(TestDevices.DeviceMac, new byte[80]);
        Assert.Equal(RxOutcome.Delivered, device.InjectFrame(frame, 0).Outcome);
        Assert.True(await waiter.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(nic.TryReceive(buffer, out int length, out _, queue: 0)); // the queue is free again
        Assert.Equal(frame, buffer[..length]);
        Assert.False(nic.TryReceive(buffer, out _, out _, queue: 0));
        Assert.Equal(1, nic.GetRxStatistics(0).Packets);
        Assert.Equal(0, nic.GetRxStatistics(0).DeviceFaults);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void AQueueThatDoesNotExistIsStillAnArgumentErrorAndADisposedNicStillSaysSo()
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Formats = AllFormats });
        Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda));
        Assert.Throws<ArgumentOutOfRangeException>(() => nic.Transmit(Frame(1), queue: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => nic.WaitForReceive(TimeSpan.Zero, queue: -1));
        nic.Dispose();
        Assert.Throws<ObjectDisposedException>(() => nic.Transmit(Frame(1)));
        Assert.Throws<ObjectDisposedException>(() => nic.WaitForReceive(TimeSpan.Zero));
    }
}
