using System;
using System.Buffers.Binary;
using System.Threading;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// Two NICs on a cable, the sender on one thread and the receiver on another (as <c>gvnic gen</c> and <c>gvnic sink</c>
/// run them): the device delivers frames into the receiver's ring from the sender's thread while the receiver's driver
/// polls it. Every frame must arrive whole or be counted dropped, and the device must see no protocol violation (the
/// model once cleared a DQO completion before writing it, so a driver polling from another thread could read this
/// lap's generation bit over a zeroed body: buffer id 0, reposted while the device still owned it).
/// </summary>
public class ConcurrentDeliveryTests
{
    private const int Frames = 20_000;

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.GqiQpl)]
    public void Frames_delivered_from_another_thread_arrive_whole(QueueFormat format)
    {
        const OfferedFormats all = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;
        using var sender = TestDevices.Create(formats: all, address: "sim:0", mac: [0x42, 0x01, 0x0A, 0x80, 0x00, 0x01]);
        using var receiver = TestDevices.Create(formats: all, address: "sim:1");
        VirtualWire.Connect(sender, receiver);
        using Nic tx = Nic.Open(sender, TestDevices.Options(format));
        using Nic rx = Nic.Open(receiver, TestDevices.Options(format));

        long received = 0, damaged = 0;
        var stop = 0;
        var receiving = new Thread(() =>
        {
            var expected = new byte[64];
            while (Volatile.Read(ref stop) == 0 || rx.WaitForReceive(TimeSpan.Zero))
            {
                while (rx.TryReceive(out RxLease lease))
                {
                    using (lease)
                    {
                        ReadOnlySpan<byte> frame = lease.Frame;
                        // The payload is the frame's number, then its bytes 4.. of a pattern that depends on it.
                        int n = BinaryPrimitives.ReadInt32LittleEndian(frame[42..]);
                        Fill(expected, n);
                        if (frame.Length != 42 + expected.Length || !frame[42..].SequenceEqual(expected)) damaged++;
                        received++;
                    }
                }
            }
        });
        receiving.Start();
        var payload = new byte[64];
        for (int i = 0; i < Frames; i++)
        {
            Fill(payload, i);
            byte[] frame = TestDevices.Udp(TestDevices.DeviceMac, payload, sourcePort: (ushort)(5000 + i % 16));
            while (!tx.Transmit(frame)) tx.ReclaimTransmitted();
            if (tx.TransmitsInFlight() > tx.TxRingSize / 2) tx.ReclaimTransmitted();
        }
        Volatile.Write(ref stop, 1);
        receiving.Join();

        Assert.Empty(receiver.Violations);
        Assert.Empty(sender.Violations);
        Assert.Equal(0, damaged);
        long dropped = receiver.RxStatistics(0).NoBufferDrops;
        Assert.Equal(Frames, received + dropped);
        Assert.True(received > 0);
        Assert.Equal(0, rx.GetRxStatistics(0).DeviceFaults);
    }

    private static void Fill(byte[] payload, int n)
    {
        BinaryPrimitives.WriteInt32LittleEndian(payload, n);
        for (int k = 4; k < payload.Length; k++) payload[k] = (byte)(n * 31 + k);
    }
}
