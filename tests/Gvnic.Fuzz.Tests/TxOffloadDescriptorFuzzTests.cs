using System;
using System.Buffers.Binary;
using System.Linq;
using System.Threading;
using CsCheck;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Simulator.Tests;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Fuzz.Tests;

/// <summary>
/// Hostile values in the TX offload descriptor fields, written straight into the rings as a broken driver would (GQI:
/// type, l4_csum, l4_csum_offset, l4_hdr_offset, desc_cnt, len, seg_len, segment type, mss, l3_offset, ipv6; DQO: the TSO
/// context's mss, header_len, tso_total_len and tso flag, checksum_offload_enable, buffer sizes): the model never throws,
/// completes every packet, reports what it refuses as a violation, and whatever it sends is a well-formed frame; a TSO it
/// accepts without a violation comes out as TCP segments of at most the MSS with correct checksums.
/// <c>GVNIC_FUZZ_OFFLOAD_CASES</c> sets the number of cases (2,000 by default).
/// </summary>
public class TxOffloadDescriptorFuzzTests
{
    private static long Cases => long.TryParse(Environment.GetEnvironmentVariable("GVNIC_FUZZ_OFFLOAD_CASES"), out long n) && n > 0 ? n : 2_000;

    /// <summary>One case: the format, the frame (kind 0 TCP/IPv4, 1 TCP/IPv6, 2 UDP/IPv4, 3 not IP), its payload, and the seed of the descriptor values.</summary>
    public sealed record OffloadCase(bool Dqo, int Kind, int Payload, int Seed)
    {
        public override string ToString() => (Dqo ? "DQO" : "GQI") + " kind " + Kind + " payload " + Payload + " seed " + Seed;
    }

    private static readonly Gen<OffloadCase> CaseGen =
        Gen.Select(Gen.Bool, Gen.Int[0, 3], Gen.Frequency((3, Gen.Int[0, 3000]), (1, Gen.Int[0, 20000])), Gen.Int, (d, k, p, s) => new OffloadCase(d, k, p, s));

    private const ushort Tag = 5;

    [Fact]
    public void HostileOffloadDescriptorsAreViolationsNeverCrashes()
    {
        long violations = 0, cleanTso = 0;
        CaseGen.Sample(c =>
        {
            (bool violated, bool clean) = c.Dqo ? RunDqo(c) : RunGqi(c);
            if (violated) Interlocked.Increment(ref violations);
            if (clean) Interlocked.Increment(ref cleanTso);
        }, iter: Cases, threads: Environment.ProcessorCount, print: c => c.ToString());
        Assert.True(violations > Cases / 10, "too few cases reached a violation: " + violations + " of " + Cases);
        Assert.True(cleanTso > Cases / 100, "too few cases were segmented cleanly: " + cleanTso + " of " + Cases);
    }

    private static (bool Violated, bool CleanTso) RunGqi(OffloadCase c)
    {
        var rng = new Random(c.Seed);
        byte[] frame = Frame(c.Kind, c.Payload);
        using var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev);
        var (tx, _) = drv.BringUpGqiRda();
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        int l3 = 14, l4 = L4Offset(c.Kind), header = HeaderEnd(c.Kind);
        bool tso = rng.Next(10) < 7;
        int mss = rng.Next(10) switch { < 7 => rng.Next(1, 1500), 7 => 0, _ => rng.Next(65536) };
        int headerPart = Math.Min(frame.Length, rng.Next(10) < 7 ? header : rng.Next(1, frame.Length + 1));
        int rest = frame.Length - headerPart;
        int pieces = rest == 0 ? 0 : rng.Next(1, Math.Min(3, rest) + 1);
        Span<byte> ring = tx.Ring.Span;
        ref TxDesc p = ref TxDesc.AsRef(ring.Slice(0, 16));
        p.Pkt.TypeFlags = 0;
        p.Pkt.Type = rng.Next(10) < 9 ? (tso ? TxdType.Tso : TxdType.Std) : (TxdType)rng.Next(16);
        p.Pkt.L4Csum = rng.Next(10) < 8;
        p.Pkt.L4HdrOffset = (byte)(rng.Next(10) < 7 ? l4 / 2 : rng.Next(256));
        p.Pkt.L4CsumOffset = (byte)(rng.Next(10) < 7 ? (c.Kind == 2 ? 3 : 8) : rng.Next(256));
        p.Pkt.DescCnt = (byte)(rng.Next(20) < 17 ? 1 + pieces : rng.Next(256));
        p.Pkt.Len = (ushort)(rng.Next(20) < 17 ? frame.Length : rng.Next(65536));
        p.Pkt.SegLen = (ushort)headerPart;
        p.Pkt.SegAddr = buf.DeviceAddress;
        int at = headerPart;
        for (int i = 0; i < pieces; i++)
        {
            int length = i == pieces - 1 ? frame.Length - at : rng.Next(1, frame.Length - at - (pieces - 1 - i) + 1);
            ref TxDesc s = ref TxDesc.AsRef(ring.Slice(16 * (1 + i), 16));
            s = default;
            s.Seg.Type = rng.Next(20) < 19 ? TxdType.Seg : (TxdType)rng.Next(16);
            s.Seg.Ipv6 = rng.Next(10) < 8 ? c.Kind == 1 : rng.Next(2) == 0;
            s.Seg.L3Offset = (byte)(rng.Next(10) < 8 ? l3 / 2 : rng.Next(256));
            s.Seg.Mss = (ushort)(rng.Next(10) < 8 ? mss : rng.Next(65536));
            s.Seg.SegLen = (ushort)length;
            s.Seg.SegAddr = buf.DeviceAddress + (ulong)at;
            at += length;
        }
        uint posted = (uint)(1 + pieces);
        TxDesc packet = TxDesc.Read(ring.Slice(0, 16));
        drv.Bar2.WriteDoorbell((int)tx.DbIndex, posted);
        Assert.Equal(posted, drv.Counter(tx.CounterIndex)); // every descriptor consumed: the packet completed
        return Judge(dev, c, packet.Pkt.Type == TxdType.Tso, FirstSegmentMss(ring, pieces));
    }

    private static int FirstSegmentMss(Span<byte> ring, int pieces)
        => pieces == 0 ? 0 : TxDesc.Read(ring.Slice(16, 16)).Seg.Mss;

    private static (bool Violated, bool CleanTso) RunDqo(OffloadCase c)
    {
        var rng = new Random(c.Seed);
        byte[] frame = Frame(c.Kind, c.Payload);
        using var dev = new SimulatedGvnic(new SimulatedDeviceConfig { MinTxRingSize = 64 });
        var drv = new RawDriver(dev);
        RawDriver.Check(drv.Describe(out _));
        RawDriver.Check(drv.Configure(QueueFormat.DqoRda));
        RawDriver.Check(drv.CreateTx(0, out RawTxQueue tx, 64, dqo: true));
        DmaRegion buf = drv.Dma.Allocate(frame.Length);
        frame.CopyTo(buf.Span);
        Span<byte> ring = tx.Ring.Span;
        int n = 0;
        bool tso = rng.Next(4) != 0;
        int mss = 0;
        if (tso)
        {
            ref TxDescDqo t = ref TxDescDqo.AsRef(ring.Slice(16 * n++, 16));
            t = default;
            t.TsoCtx.CmdDtype.Dtype = TxDescDtypeDqo.TsoContext;
            t.TsoCtx.CmdDtype.Tso = rng.Next(10) != 0;
            mss = rng.Next(10) switch { < 6 => rng.Next(88, 1500), < 8 => rng.Next(88), _ => rng.Next(1 << 14) };
            t.TsoCtx.Mss = (ushort)mss;
            int header = HeaderEnd(c.Kind);
            t.TsoCtx.HeaderLen = (byte)(rng.Next(10) < 7 ? Math.Min(header, 255) : rng.Next(256));
            t.TsoCtx.TsoTotalLen = (uint)(rng.Next(10) < 7 ? Math.Max(0, frame.Length - header) : rng.Next(1 << 24));
        }
        if (rng.Next(5) == 0)
        {
            ref TxDescDqo g = ref TxDescDqo.AsRef(ring.Slice(16 * n++, 16));
            g = default;
            g.GeneralCtx.CmdDtype.Dtype = TxDescDtypeDqo.GeneralContext;
        }
        int split = rng.Next(4) switch { 0 => rng.Next(1, 200), 1 => 2048, _ => rng.Next(1, 16384) };
        split = Math.Max(split, (frame.Length + 60 - n - 1) / (60 - n)); // the packet fits the 64-entry ring
        bool csum = rng.Next(2) == 0;
        for (int at = 0; at < frame.Length; at += split)
        {
            ref TxPktDescDqo d = ref TxPktDescDqo.AsRef(ring.Slice(16 * n++, 16));
            d = default;
            d.Dtype = TxDescDtypeDqo.Packet;
            d.BufAddr = buf.DeviceAddress + (ulong)at;
            d.BufSize = (ushort)(rng.Next(40) == 0 ? 0 : Math.Min(split, frame.Length - at));
            d.ComplTag = Tag;
            d.ChecksumOffloadEnable = csum;
            d.EndOfPacket = at + split >= frame.Length;
        }
        drv.Bar2.WriteDoorbellDqo((int)tx.DbIndex, (uint)n);
        drv.RearmDqo(0);
        TxComplDesc first = TxComplDesc.Read(tx.ComplRing!.Span.Slice(0, 8));
        Assert.True(first.Generation && first.Type == ComplTypeDqo.Pkt && first.CompletionTag == Tag, "the packet did not complete: " + c);
        return Judge(dev, c, tso, mss);
    }

    /// <summary>The invariants on what reached the wire; whether a violation was reported, and whether a TSO went through without one.</summary>
    private static (bool Violated, bool CleanTso) Judge(SimulatedGvnic dev, OffloadCase c, bool tso, int mss)
    {
        byte[][] sent = dev.Wire.Frames.Where(f => f.Direction == FrameDirection.Transmit).Select(f => f.Data).ToArray();
        int max = dev.Mtu + (int)GvnicConstants.FrameOverhead;
        foreach (byte[] f in sent) Assert.True(f.Length >= 14 && f.Length <= max, "a " + f.Length + "-byte frame reached the wire: " + c);
        bool violated = dev.Violations.Count > 0;
        if (!tso || violated) return (violated, false);
        foreach (byte[] f in sent)
        {
            Assert.True(TcpValid(f, mss), "a TSO accepted without a violation sent a bad segment (" + f.Length + " bytes): " + c);
        }
        return (false, sent.Length > 0);
    }

    private static int L4Offset(int kind) => kind == 1 ? 54 : 34;

    private static int HeaderEnd(int kind) => kind switch { 0 => 54, 1 => 74, 2 => 42, _ => 14 };

    /// <summary>A frame of kind 0 TCP/IPv4, 1 TCP/IPv6, 2 UDP/IPv4, 3 not IP, with <paramref name="payload"/> bytes (checksum fields zero).</summary>
    private static byte[] Frame(int kind, int payload)
    {
        int header = HeaderEnd(kind);
        var f = new byte[header + payload];
        f[0] = 0x42; f[5] = 2; f[6] = 0x42; f[11] = 1;
        for (int i = header; i < f.Length; i++) f[i] = (byte)(i * 13 + payload);
        if (kind == 3)
        {
            f[12] = 0x88; f[13] = 0xB5;
            return f;
        }
        if (kind == 1)
        {
            f[12] = 0x86; f[13] = 0xDD;
            f[14] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(18), (ushort)(f.Length - 54));
            f[20] = 6; f[21] = 64; f[22] = 0xFD; f[37] = 1; f[38] = 0xFD; f[53] = 2;
        }
        else
        {
            f[12] = 0x08; f[13] = 0x00;
            f[14] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), (ushort)Math.Min(f.Length - 14, ushort.MaxValue));
            f[20] = 0x40; f[22] = 64; f[23] = kind == 2 ? (byte)17 : (byte)6;
            f[26] = 10; f[29] = 1; f[30] = 10; f[33] = 2;
        }
        int l4 = L4Offset(kind);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l4), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l4 + 2), 80);
        if (kind == 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l4 + 4), (ushort)Math.Min(f.Length - l4, ushort.MaxValue));
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(l4 + 4), 0xFFFF_FF00);
            f[l4 + 12] = 0x50;
            f[l4 + 13] = 0x19; // FIN, PSH, ACK
        }
        return f;
    }

    /// <summary>Whether <paramref name="f"/> is a TCP segment (IPv4 or IPv6) of at most <paramref name="mss"/> payload bytes with correct lengths and checksums.</summary>
    private static bool TcpValid(byte[] f, int mss)
    {
        bool v6 = f[12] == 0x86;
        if (!v6 && f[12] != 0x08) return false;
        int l4 = v6 ? 54 : 34;
        if (f.Length < l4 + 20 || (v6 ? f[20] : f[23]) != 6) return false;
        int payload = f.Length - l4 - (f[l4 + 12] >> 4) * 4;
        if (payload > mss) return false;
        uint sum;
        if (v6)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(18)) != f.Length - 54) return false;
            sum = Sum(f.AsSpan(22, 32));
        }
        else
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(16)) != f.Length - 14 || Fold(Sum(f.AsSpan(14, 20))) != 0xFFFF) return false;
            sum = Sum(f.AsSpan(26, 8));
        }
        int l4Length = f.Length - l4;
        sum += 6u + (uint)l4Length + Sum(f.AsSpan(l4));
        return Fold(sum) == 0xFFFF;
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) sum += (uint)(data[i] << 8);
        return sum;
    }

    private static ushort Fold(uint sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }
}
