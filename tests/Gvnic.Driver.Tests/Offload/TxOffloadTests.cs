using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Driver.Tests.EndToEnd;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.Offload;

/// <summary>
/// TX checksum offload and TSO end to end, in every format: the driver's descriptors, the model's checksums and segments,
/// and the bytes on the wire compared with frames PacketDotNet builds and checks.
/// </summary>
public class TxOffloadTests
{
    public static readonly TheoryData<QueueFormat> Formats = new() { QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl };

    public static TheoryData<QueueFormat, bool, bool> FormatsByProtocol()
    {
        var data = new TheoryData<QueueFormat, bool, bool>();
        foreach (QueueFormat f in new[] { QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl })
            foreach (bool ipv6 in new[] { false, true })
                foreach (bool tcp in new[] { false, true })
                    data.Add(f, ipv6, tcp);
        return data;
    }

    internal static SimulatedGvnic Device(ushort mtu = 1500, ushort txPagesPerQpl = GvnicConstants.DefaultTxPagesPerQpl)
        => new(new SimulatedDeviceConfig { Formats = JumboFrameTests.AllFormats, Mac = TestDevices.DeviceMac, Mtu = mtu, TxPagesPerQpl = txPagesPerQpl });

    internal static byte[][] Sent(SimulatedGvnic device)
        => device.Wire.Frames.Where(f => f.Direction == FrameDirection.Transmit).Select(f => f.Data).ToArray();

    [Theory]
    [MemberData(nameof(FormatsByProtocol))]
    public void Checksum_offload_puts_PacketDotNets_checksum_on_the_wire(QueueFormat format, bool ipv6, bool tcp)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        var expected = new List<byte[]>();
        foreach (int length in new[] { 1, 100, 181, 1000, 1400 })
        {
            byte[] correct = tcp ? OffloadFrames.Tcp(ipv6, OffloadFrames.Payload(length, length)) : OffloadFrames.Udp(ipv6, OffloadFrames.Payload(length, length));
            byte[] given = OffloadFrames.WithChecksumField(correct, 0xDEAD);
            byte[] before = (byte[])given.Clone();
            Assert.True(nic.Transmit(given, 0, TxOffload.L4Checksum));
            Assert.Equal(before, given); // the caller's frame is left alone
            expected.Add(correct);
            nic.ReclaimTransmitted();
        }
        byte[][] sent = Sent(device);
        Assert.Equal(expected.Count, sent.Length);
        for (int i = 0; i < sent.Length; i++)
        {
            Assert.Equal(expected[i], sent[i]);
            OffloadFrames.AssertChecksumsValid(sent[i], "frame " + i);
        }
        TxQueueStatistics s = nic.GetTxStatistics();
        Assert.Equal(expected.Count, s.ChecksumOffloads);
        Assert.Equal(0, s.TsoFrames);
        Assert.Equal(expected.Count, s.Completed);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl, false, 3000, 1000, 0)]
    [InlineData(QueueFormat.GqiQpl, true, 40000, 1428, 12)]
    [InlineData(QueueFormat.GqiRda, false, 64000, 1448, 12)]
    [InlineData(QueueFormat.GqiRda, true, 1429, 1428, 0)]
    [InlineData(QueueFormat.DqoRda, false, 40000, 1460, 0)]
    [InlineData(QueueFormat.DqoRda, true, 64000, 88, 40)]
    [InlineData(QueueFormat.DqoQpl, false, 64000, 1448, 12)]
    [InlineData(QueueFormat.DqoQpl, true, 5000, 500, 0)]
    public void Tso_segments_match_PacketDotNet_byte_for_byte(QueueFormat format, bool ipv6, int payload, int mss, int options)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        byte[] frame = OffloadFrames.Tcp(ipv6, OffloadFrames.Payload(payload, mss), options, fin: true, cwr: true);
        List<byte[]> expected = OffloadFrames.Segments(frame, mss);
        Assert.Equal((payload + mss - 1) / mss, expected.Count);
        Assert.True(nic.Transmit(OffloadFrames.WithChecksumField(frame, 0x1234), 0, TxOffload.Tso(mss)));
        nic.ReclaimTransmitted();

        byte[][] sent = Sent(device);
        Assert.Equal(expected.Count, sent.Length);
        for (int i = 0; i < sent.Length; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(sent[i]), "segment " + i + " of " + sent.Length + " differs from PacketDotNet's");
            OffloadFrames.AssertChecksumsValid(sent[i], "segment " + i);
        }
        TxQueueStatistics s = nic.GetTxStatistics();
        Assert.Equal(1, s.TsoFrames);
        Assert.Equal(expected.Count, s.TsoSegments);
        Assert.Equal(1, s.Completed);
        Assert.Equal(frame.Length, s.BytesCompleted);
        Assert.Equal(expected.Count, device.TxStatistics(0).Frames);
        Assert.Empty(device.Violations);
    }

    /// <summary>Many large TSO frames in a row: the buffer space (GQI FIFO, DQO chained tags) is reused without loss or leak.</summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public void Tso_frames_back_to_back_reuse_the_buffer_space(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        var expected = new List<byte[]>();
        for (int i = 0; i < 60; i++)
        {
            byte[] frame = OffloadFrames.Tcp(i % 2 == 1, OffloadFrames.Payload(20000 + i * 700, i));
            expected.AddRange(OffloadFrames.Segments(frame, 1400));
            Assert.True(nic.Transmit(frame, 0, TxOffload.Tso(1400)), "frame " + i);
            if (i % 3 == 2) nic.ReclaimTransmitted();
            byte[] small = OffloadFrames.Udp(false, OffloadFrames.Payload(200, i));
            Assert.True(nic.Transmit(small));
            expected.Add(small);
        }
        nic.ReclaimTransmitted();
        byte[][] sent = Sent(device);
        Assert.Equal(expected.Count, sent.Length);
        for (int i = 0; i < sent.Length; i++) Assert.True(expected[i].AsSpan().SequenceEqual(sent[i]), "frame " + i + " on the wire differs");
        TxQueueStatistics s = nic.GetTxStatistics();
        Assert.Equal(120, s.Completed);
        Assert.Equal(60, s.TsoFrames);
        Assert.Equal(0, nic.GetTxStatistics().Packets - s.Completed);
        Assert.Empty(device.Violations);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Lent_buffers_are_sent_with_checksum_and_TSO_in_place(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        var buffers = new TxBuffer[3];
        Assert.Equal(3, nic.AcquireTxBuffers(buffers));
        byte[] tcp = OffloadFrames.Tcp(false, OffloadFrames.Payload(1400, 1));
        byte[] udp = OffloadFrames.Udp(true, OffloadFrames.Payload(300, 2));
        byte[] big = OffloadFrames.Tcp(true, OffloadFrames.Payload(nic.MaxFrameSize - 14 - 60, 3), fin: true);
        byte[][] frames = [tcp, udp, big];
        for (int i = 0; i < 3; i++)
        {
            OffloadFrames.WithChecksumField(frames[i], 0).CopyTo(buffers[i].Data);
            buffers[i].Length = frames[i].Length;
        }
        Assert.Equal(2, nic.TransmitBuffers(buffers.AsSpan(0, 2), 0, TxOffload.L4Checksum));
        Assert.Equal(1, nic.TransmitBuffers(buffers.AsSpan(2), 0, TxOffload.Tso(100)));
        nic.ReclaimTransmitted();
        var expected = new List<byte[]> { tcp, udp };
        expected.AddRange(OffloadFrames.Segments(big, 100));
        byte[][] sent = Sent(device);
        Assert.Equal(expected.Count, sent.Length);
        for (int i = 0; i < sent.Length; i++) Assert.True(expected[i].AsSpan().SequenceEqual(sent[i]), "frame " + i + " on the wire differs");
        Assert.Equal(0, nic.TxBuffersLent());
        Assert.Empty(device.Violations);
    }

    /// <summary>A refused lent batch sends nothing and leaves every buffer lent, whichever buffer was refused.</summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public void A_refused_lent_batch_sends_nothing(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        var buffers = new TxBuffer[2];
        Assert.Equal(2, nic.AcquireTxBuffers(buffers));
        byte[] good = OffloadFrames.Tcp(false, OffloadFrames.Payload(1000, 1));
        byte[] udp = OffloadFrames.Udp(false, OffloadFrames.Payload(1000, 1));
        good.CopyTo(buffers[0].Data);
        buffers[0].Length = good.Length;
        udp.CopyTo(buffers[1].Data);
        buffers[1].Length = udp.Length;
        var e = Assert.Throws<ArgumentException>(() => nic.TransmitBuffers(buffers, 0, TxOffload.Tso(500)));
        Assert.Equal("buffers", e.ParamName);
        Assert.StartsWith("buffers[1]: TSO on TX queue 0 refused: TSO segments TCP only", e.Message);
        Assert.Equal(2, nic.TxBuffersLent());
        Assert.Equal(0, nic.GetTxStatistics().Packets);
        Assert.Empty(Sent(device));
        Assert.Equal(2, nic.TransmitBuffers(buffers, 0, TxOffload.L4Checksum)); // the same buffers, fit for this offload
        nic.ReclaimTransmitted();
        Assert.Equal(2, Sent(device).Length);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void TxOffload_values()
    {
        Assert.Equal(TxOffloadKind.None, TxOffload.None.Kind);
        Assert.Equal(TxOffloadKind.L4Checksum, TxOffload.L4Checksum.Kind);
        Assert.Equal(1448, TxOffload.Tso(1448).Mss);
        Assert.Equal("TSO, MSS 1448", TxOffload.Tso(1448).ToString());
        Assert.True(TxOffload.Tso(100) == TxOffload.Tso(100));
        Assert.True(TxOffload.Tso(100) != TxOffload.Tso(101));
        Assert.Equal("mss", Assert.Throws<ArgumentOutOfRangeException>(() => TxOffload.Tso(0)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => TxOffload.Tso(65536));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void No_offload_is_the_plain_transmit(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        byte[] frame = OffloadFrames.WithChecksumField(OffloadFrames.Udp(false, OffloadFrames.Payload(100, 1)), 0xBEEF);
        Assert.True(nic.Transmit(frame, 0, TxOffload.None));
        Assert.Equal(frame, Assert.Single(Sent(device))); // sent as it is, the wrong checksum with it
        Assert.Equal(0, nic.GetTxStatistics().ChecksumOffloads);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void MaxTsoFrameSize_is_what_the_queue_holds(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        int expected = format is QueueFormat.GqiQpl or QueueFormat.GqiRda ? ushort.MaxValue : (int)GvnicConstants.DqoTxMax; // a 256-entry ring of 2 KiB chunks holds more
        Assert.Equal(expected, nic.MaxTsoFrameSize());
        Assert.Throws<ArgumentOutOfRangeException>(() => nic.MaxTsoFrameSize(1));
    }
}
