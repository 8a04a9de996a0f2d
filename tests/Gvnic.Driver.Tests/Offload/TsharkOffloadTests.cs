using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Gvnic.Driver.Tests.EndToEnd;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.Offload;

/// <summary>A fact that runs only where tshark is installed (apt-get install tshark); the same frames are always checked with PacketDotNet by <see cref="TxOffloadTests"/>.</summary>
public sealed class TsharkFactAttribute : FactAttribute
{
    public TsharkFactAttribute()
    {
        if (TsharkOffloadTests.Tshark is null) Skip = "tshark is not installed: the wire checksums are checked with PacketDotNet only";
    }
}

/// <summary>tshark reads what crossed the wire for offloaded frames, in every format, and finds every checksum good.</summary>
public class TsharkOffloadTests
{
    /// <summary>The tshark executable on PATH, or null.</summary>
    public static string? Tshark { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "tshark")).FirstOrDefault(File.Exists);

    [TsharkFact]
    public void Tshark_finds_every_offloaded_checksum_good()
    {
        var frames = new List<byte[]>();
        int segments = 0;
        foreach (QueueFormat format in new[] { QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl })
        {
            using SimulatedGvnic device = TxOffloadTests.Device();
            using Nic nic = Nic.Open(device, TestDevices.Options(format));
            foreach (bool ipv6 in new[] { false, true })
            {
                Assert.True(nic.Transmit(OffloadFrames.WithChecksumField(OffloadFrames.Udp(ipv6, OffloadFrames.Payload(700, 1)), 0), 0, TxOffload.L4Checksum));
                Assert.True(nic.Transmit(OffloadFrames.WithChecksumField(OffloadFrames.Tcp(ipv6, OffloadFrames.Payload(900, 2)), 0), 0, TxOffload.L4Checksum));
                byte[] big = OffloadFrames.Tcp(ipv6, OffloadFrames.Payload(12000, 3), options: 12, fin: true);
                Assert.True(nic.Transmit(OffloadFrames.WithChecksumField(big, 0), 0, TxOffload.Tso(1000)));
                segments += OffloadFrames.Segments(big, 1000).Count;
                nic.ReclaimTransmitted();
            }
            frames.AddRange(TxOffloadTests.Sent(device));
            Assert.Empty(device.Violations);
        }
        Assert.Equal(4 * 2 * 2 + segments, frames.Count);

        string pcap = Path.Combine(Path.GetTempPath(), "gvnic-offload-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            WritePcap(pcap, frames);
            (int exit, string output, string error) = Run("-r", pcap, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=,", "-e", "frame.number", "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status", "-e", "tcp.seq_raw", "-e", "tcp.len");
            Assert.True(exit == 0, "tshark failed: " + error);
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(frames.Count, lines.Length);
            int tcpGood = 0, udpGood = 0, ipGood = 0;
            foreach (string line in lines)
            {
                string[] f = line.Split(',');
                if (f[1].Length > 0) Assert.True(f[1] == "1", "tshark: bad IPv4 header checksum in frame " + f[0] + ": " + line); // 1 = good
                if (f[2].Length > 0) Assert.True(f[2] == "1", "tshark: bad TCP checksum in frame " + f[0] + ": " + line);
                if (f[3].Length > 0) Assert.True(f[3] == "1", "tshark: bad UDP checksum in frame " + f[0] + ": " + line);
                ipGood += f[1] == "1" ? 1 : 0;
                tcpGood += f[2] == "1" ? 1 : 0;
                udpGood += f[3] == "1" ? 1 : 0;
            }
            Assert.Equal(8, udpGood);
            Assert.Equal(frames.Count - 8, tcpGood);
            Assert.Equal(frames.Count / 2, ipGood); // half the frames are IPv4
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    /// <summary>A classic pcap file (microseconds, Ethernet) of <paramref name="frames"/>.</summary>
    private static void WritePcap(string path, IReadOnlyList<byte[]> frames)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write(0xA1B2C3D4u);
        w.Write((ushort)2);
        w.Write((ushort)4);
        w.Write(0);
        w.Write(0u);
        w.Write(262144u);
        w.Write(1u); // LINKTYPE_ETHERNET
        for (int i = 0; i < frames.Count; i++)
        {
            w.Write((uint)(1_700_000_000 + i));
            w.Write(0u);
            w.Write((uint)frames[i].Length);
            w.Write((uint)frames[i].Length);
            w.Write(frames[i]);
        }
    }

    private static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        var info = new ProcessStartInfo(Tshark!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using Process process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException("tshark did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
