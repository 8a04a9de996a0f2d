using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

public class SustainedTrafficTests
{
    private const OfferedFormats AllFormats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;

    /// <summary>
    /// Thousands of frames of mixed sizes between two NICs on one cable, three queue pairs each. Each TX queue
    /// is one UDP flow (its own source port), so it lands on one RX queue: frames must arrive complete, byte for
    /// byte, in order per flow.
    /// </summary>
    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void ManyFramesThroughSeveralQueuePairs(QueueFormat format)
    {
        const int queues = 3;
        const int framesPerQueue = 4000;
        using SimulatedGvnic a = TestDevices.Create(formats: AllFormats, address: "sim:a", mac: [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0A], mtu: 1500);
        using SimulatedGvnic b = TestDevices.Create(formats: AllFormats, address: "sim:b", mac: [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0B], mtu: 1500);
        VirtualWire.Connect(a, b);
        var options = TestDevices.Options(format, queues) with { TxRingSize = 256, RxRingSize = 256 };
        Nic sender = Nic.Open(a, options);
        Nic receiver = Nic.Open(b, options);

        var random = new Random(1234);
        var nextExpected = new int[queues];
        var sent = new int[queues];
        int received = 0;
        var buffer = new byte[receiver.MaxFrameSize];
        var templates = new Dictionary<int, byte[]>();

        for (int i = 0; i < framesPerQueue * queues; i++)
        {
            int q = i % queues;
            int size = 60 + random.Next(1514 - 60 + 1);
            byte[] frame = Frame(q, sent[q], size);
            int attempts = 0;
            while (!sender.Transmit(frame, q))
            {
                // Bounded: a ring that never drains is a failure, not a hang.
                Assert.True(++attempts < 1000, $"queue {q} stayed full for {attempts} reclaim rounds at frame {sent[q]}");
                sender.ReclaimTransmitted(q);
                received += Drain(receiver, buffer, nextExpected, queues);
            }
            sent[q]++;
            received += Drain(receiver, buffer, nextExpected, queues);
        }
        received += Drain(receiver, buffer, nextExpected, queues);

        Assert.Equal(framesPerQueue * queues, received);
        for (int q = 0; q < queues; q++)
        {
            Assert.Equal(framesPerQueue, nextExpected[q]);
            sender.ReclaimTransmitted(q);
            Assert.Equal(0, sender.TransmitsInFlight(q));
            Assert.Equal(framesPerQueue, sender.GetTxStatistics(q).Completed);
        }

        sender.Dispose();
        receiver.Dispose();
        Assert.Empty(a.Violations);
        Assert.Empty(b.Violations);
        Assert.Equal(0, a.DmaAllocator.OutstandingRegions);
        Assert.Equal(0, b.DmaAllocator.OutstandingRegions);

        static int Drain(Nic nic, byte[] buffer, int[] nextExpected, int queues)
        {
            int n = 0;
            for (int rq = 0; rq < nic.RxQueueCount; rq++)
            {
                while (nic.TryReceive(buffer, out int length, out RxInfo info, rq))
                {
                    int flow = buffer[42], seq = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(43));
                    Assert.InRange(flow, 0, queues - 1);
                    Assert.Equal(nextExpected[flow], seq);
                    Assert.Equal(Frame(flow, seq, length), buffer[..length]);
                    nextExpected[flow]++;
                    n++;
                }
            }
            return n;
        }
    }

    /// <summary>A UDP frame of exactly <paramref name="size"/> bytes: flow id and sequence number first in the payload, then a pattern.</summary>
    private static byte[] Frame(int flow, int seq, int size)
    {
        var payload = new byte[size - 42];
        payload[0] = (byte)flow;
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(1), seq);
        for (int i = 5; i < payload.Length; i++) payload[i] = (byte)(i * 7 + seq);
        return TestDevices.Udp([0x42, 0x01, 0x0A, 0x80, 0x00, 0x0B], payload, (ushort)(6000 + flow), [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0A]);
    }
}
