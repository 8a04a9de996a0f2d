using System;
using System.Buffers.Binary;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// Sustained mixed traffic (60 bytes to jumbo) both ways between two DQO NICs whose devices complete out of order,
/// miss and re-inject, and fill RX buffers in a shuffled order, for at least 50 laps of every completion ring: every
/// frame arrives once, in order per flow, byte for byte; every tag is freed once; no violation; no DMA region left.
/// </summary>
[Collection(nameof(DqoLapsTests))]
public class DqoLapsTests
{
    private const int Queues = 2;
    private const int Laps = 50;
    // Small rings so that 50 laps stay quick: a device whose modify-ring option allows 64-entry TX rings (real ones refuse
    // them: DeviceRulesTests), and RX 128, the smallest with the 64 RX buffers posted the driver keeps.
    private const ushort TxRing = 64;
    private const ushort RxRing = 128;
    private const int Mtu = JumboFrameTests.JumboMtu;

    private static readonly byte[][] Macs = [[0x42, 0x01, 0x0A, 0x80, 0x00, 0x0A], [0x42, 0x01, 0x0A, 0x80, 0x00, 0x0B]];

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void GenerationBitsWrapFiftyTimesOnEveryRing_NothingLostNothingTwice(QueueFormat format)
    {
        SimulatedGvnic[] devices = new SimulatedGvnic[2];
        for (int d = 0; d < 2; d++)
        {
            devices[d] = new SimulatedGvnic(new SimulatedDeviceConfig
            {
                Formats = OfferedFormats.DqoRda | OfferedFormats.DqoQpl, Address = "sim:" + d, Mac = Macs[d], Mtu = 1500,
                TxQueueEntries = TxRing, MinTxRingSize = TxRing, RxQueueEntries = RxRing, DqoReorderWindow = 12, DqoMissRate = 0.1,
                DqoAltMissCompletions = d == 1, DqoShuffleRxBuffers = true, DqoSeed = 100 + d,
            });
        }
        VirtualWire.Connect(devices[0], devices[1]);
        // A clock that stands still: a slow test machine must not turn a late re-injection into a timeout.
        NicOptions options = TestDevices.Options(format, Queues) with { Mtu = Mtu, TimeProvider = new ManualClock() };
        var nics = new[] { Nic.Open(devices[0], options), Nic.Open(devices[1], options) };

        // Four flows each way (source ports), two per TX queue; RSS spreads them over the RX queues.
        const int flows = 4;
        var sent = new int[2, flows];
        var expected = new int[2, flows];
        var random = new Random(77);
        var buffer = new byte[nics[0].MaxFrameSize];
        int rounds = 0;
        while (!Done())
        {
            for (int from = 0; from < 2; from++)
            {
                int flow = random.Next(flows);
                int size = random.Next(4) == 0 ? 1515 + random.Next(Mtu + 14 - 1515 + 1) : 60 + random.Next(1514 - 60 + 1);
                byte[] frame = Frame(from, flow, sent[from, flow], size);
                while (!nics[from].Transmit(frame, flow % Queues))
                {
                    nics[from].ReclaimTransmitted(flow % Queues);
                    DrainAll();
                }
                sent[from, flow]++;
            }
            DrainAll();
            rounds++;
            Assert.True(rounds < 200_000, "the rings did not wrap " + Laps + " times: " + Describe());
        }

        for (int from = 0; from < 2; from++)
        {
            int held = Held(devices[from]);
            Assert.InRange(held, 1, Queues * 12);
            Assert.Equal(held, devices[from].ReleaseDqoTxCompletions());
            long frames = 0;
            for (int f = 0; f < flows; f++)
            {
                Assert.True(sent[from, f] == expected[1 - from, f], "flow " + f + " from " + from + ": sent " + sent[from, f] + ", received " + expected[1 - from, f] + "; " + Describe()
                    + " TX " + devices[from].TxStatistics(0) + devices[from].TxStatistics(1) + " RX " + devices[1 - from].RxStatistics(0) + devices[1 - from].RxStatistics(1)
                    + " violations " + string.Join("; ", devices[from].Violations) + string.Join("; ", devices[1 - from].Violations));
                frames += sent[from, f];
            }
            long completed = 0, misses = 0;
            for (int q = 0; q < Queues; q++)
            {
                nics[from].ReclaimTransmitted(q);
                Assert.Equal(0, nics[from].TransmitsInFlight(q));
                completed += nics[from].GetTxStatistics(q).Completed;
                DqoTxStatistics s = nics[from].GetDqoTxStatistics(q);
                DqoTxCounters c = devices[from].DqoTxCounters(q);
                Assert.Equal(c.MissCompletions, s.Misses);
                Assert.Equal(c.ReinjectionCompletions, s.Reinjections);
                Assert.Equal(s.Misses, s.Reinjections);
                Assert.Equal(0, s.TimedOut + s.Skipped + s.LateReinjections);
                Assert.True(c.OutOfOrder > 0, "TX queue " + q + " completed in order");
                misses += s.Misses;
            }
            Assert.Equal(frames, completed);
            Assert.True(misses > 0);
        }

        nics[0].Dispose();
        nics[1].Dispose();
        foreach (SimulatedGvnic d in devices)
        {
            Assert.Empty(d.Violations);
            Assert.Equal(0, d.DmaAllocator.OutstandingRegions);
            d.Dispose();
        }

        bool Done()
        {
            for (int d = 0; d < 2; d++)
            {
                for (int q = 0; q < Queues; q++)
                {
                    if (devices[d].DqoTxCounters(q).GenerationWraps < Laps || devices[d].DqoRxCounters(q).GenerationWraps < Laps) return false;
                }
            }
            return true;
        }

        string Describe()
        {
            string s = "";
            for (int d = 0; d < 2; d++)
                for (int q = 0; q < Queues; q++)
                    s += "device " + d + " queue " + q + ": " + devices[d].DqoTxCounters(q) + " " + devices[d].DqoRxCounters(q) + "; ";
            return s;
        }

        void DrainAll()
        {
            for (int to = 0; to < 2; to++)
            {
                for (int q = 0; q < Queues; q++)
                {
                    while (nics[to].TryReceive(buffer, out int length, out RxInfo info, q))
                    {
                        int from = buffer[42], flow = buffer[43];
                        Assert.Equal(1 - to, from);
                        int seq = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(44));
                        Assert.Equal(expected[to, flow], seq);
                        Assert.Equal(length, info.Length);
                        Assert.True(Frame(from, flow, seq, length).AsSpan().SequenceEqual(buffer.AsSpan(0, length)), "frame " + seq + " of flow " + flow + " differs");
                        expected[to, flow]++;
                    }
                }
            }
        }
    }

    private static int Held(SimulatedGvnic device)
    {
        int held = 0;
        for (int q = 0; q < Queues; q++) held += device.DqoTxCounters(q).Held;
        return held;
    }

    /// <summary>A UDP frame of exactly <paramref name="size"/> bytes from NIC <paramref name="from"/> to the other: sender, flow, sequence number, pattern.</summary>
    private static byte[] Frame(int from, int flow, int seq, int size)
    {
        var payload = new byte[size - 42];
        payload[0] = (byte)from;
        payload[1] = (byte)flow;
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(2), seq);
        for (int i = 6; i < payload.Length; i++) payload[i] = (byte)(i * 7 + seq * 3 + flow + (i >> 8));
        return TestDevices.Udp(Macs[1 - from], payload, (ushort)(6000 + flow), Macs[from]);
    }
}
