using System;
using System.Diagnostics;
using System.Globalization;
using Gvnic.Driver;
using Gvnic.Simulator;
using Gvnic.Wire;

namespace Gvnic.Benchmarks.DataPath;

/// <summary>
/// <c>zerocopy-tx [--rounds N]</c>: the transmit side of one round of 32 frames, copy against zero-copy, per format and
/// frame length. Both build each frame the same way (the template copied into the frame's buffer, a sequence number
/// patched); the copy path builds it in the application's buffer and <see cref="Nic.TransmitBatch"/> copies it into the
/// queue's buffer, the zero-copy path builds it in a buffer the queue lends (<see cref="Nic.AcquireTxBuffers"/>) and
/// sends it as it is (<see cref="Nic.TransmitBuffers(ReadOnlySpan{TxBuffer}, int)"/>). Only the build and the driver's calls are timed: the model runs
/// between rounds (manual mode, doorbells logged and delivered after the timed part, an unplugged wire), and the reclaim
/// is timed apart. Figures are medians over the rounds, in ns a packet.
/// </summary>
internal static class ZeroCopyTxTiming
{
    private const int Batch = 32;
    private static readonly QueueFormat[] Formats = [QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl];

    public static int Run(string[] args)
    {
        int rounds = 20_000;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else
            {
                Console.Error.WriteLine("usage: zerocopy-tx [--rounds N]   (unknown option " + args[i] + ")");
                return 2;
            }
        }
        // Every path once first, then time for tiered compilation to install its optimised code.
        foreach (QueueFormat format in Formats)
            foreach (bool zeroCopy in new[] { false, true }) Measure(format, 64, zeroCopy, 2000);
        System.Threading.Thread.Sleep(500);
        Console.WriteLine("- runtime: .NET " + Environment.Version + ", " + Environment.ProcessorCount + " logical processors; " + rounds + " rounds of " + Batch + " frames a point");
        Console.WriteLine();
        Console.WriteLine("| format | frame B | copy TX ns/pkt | zero-copy TX ns/pkt | zero-copy / copy | copy reclaim ns/pkt | zero-copy reclaim ns/pkt |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (QueueFormat format in Formats)
        {
            foreach (int bytes in new[] { 64, 1500 })
            {
                (double copyTx, double copyReclaim) = Measure(format, bytes, zeroCopy: false, rounds);
                (double zeroTx, double zeroReclaim) = Measure(format, bytes, zeroCopy: true, rounds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {format} | {bytes} | {copyTx:F1} | {zeroTx:F1} | {zeroTx / copyTx:F2} | {copyReclaim:F1} | {zeroReclaim:F1} |"));
            }
        }
        return 0;
    }

    private static (double Tx, double Reclaim) Measure(QueueFormat format, int bytes, bool zeroCopy, int rounds)
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Execution = ExecutionMode.Manual, Mtu = 1500 });
        device.AttachWire(VirtualWire.Unplugged());
        var pci = new DeferringPci(device);
        using Nic nic = Nic.Open(pci, new NicOptions { QueueFormat = format });
        byte[] template = Frames.Udp(device.Config.Mac, bytes, 5000);
        var own = new byte[Batch][];
        var batch = new ReadOnlyMemory<byte>[Batch];
        for (int i = 0; i < Batch; i++)
        {
            own[i] = new byte[nic.MaxFrameSize];
            batch[i] = new ReadOnlyMemory<byte>(own[i], 0, bytes);
        }
        var lent = new TxBuffer[Batch];
        var tx = new long[rounds];
        var reclaim = new long[rounds];
        int warm = rounds / 4;
        uint sequence = 0;
        for (int r = -warm; r < rounds; r++)
        {
            pci.Defer = true;
            long t0 = Stopwatch.GetTimestamp();
            int sent;
            if (zeroCopy)
            {
                int n = nic.AcquireTxBuffers(lent);
                for (int i = 0; i < n; i++)
                {
                    Span<byte> data = lent[i].Data;
                    template.CopyTo(data);
                    data[bytes - 1] = (byte)sequence++;
                    lent[i].Length = bytes;
                }
                sent = nic.TransmitBuffers(lent.AsSpan(0, n));
            }
            else
            {
                for (int i = 0; i < Batch; i++)
                {
                    template.CopyTo(own[i]);
                    own[i][bytes - 1] = (byte)sequence++;
                }
                sent = nic.TransmitBatch(batch);
            }
            long t1 = Stopwatch.GetTimestamp();
            pci.Defer = false;
            pci.Replay();
            device.RunPending();
            pci.Defer = true;
            long t2 = Stopwatch.GetTimestamp();
            int done = nic.ReclaimTransmitted();
            long t3 = Stopwatch.GetTimestamp();
            pci.Defer = false;
            pci.Replay();
            if (sent != Batch || done != Batch) throw new InvalidOperationException(format + " " + bytes + " B: sent " + sent + ", reclaimed " + done + " of " + Batch);
            if (r < 0) continue;
            tx[r] = t1 - t0;
            reclaim[r] = t3 - t2;
        }
        return (PerPacket(tx), PerPacket(reclaim));
    }

    private static double PerPacket(long[] ticks)
    {
        Array.Sort(ticks);
        return ticks[ticks.Length / 2] * 1e9 / Stopwatch.Frequency / Batch;
    }
}
