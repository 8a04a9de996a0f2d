using System;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Malformed RX chains written straight into the rings, as a misbehaving device would: typed faults.</summary>
public class JumboChainFaultTests
{
    private static (SimulatedGvnic Device, TamperingPci Pci, Nic Nic) Open(QueueFormat format, int? mtu)
    {
        SimulatedGvnic device = TestDevices.Create(formats: JumboFrameTests.AllFormats);
        var pci = new TamperingPci(device);
        // Without automatic recovery a fault the ring cannot be trusted after surfaces as the exception.
        Nic nic = Nic.Open(pci, TestDevices.Options(format) with { Mtu = mtu, AutoRecover = false });
        return (device, pci, nic);
    }

    /// <summary>A frame the device described wrongly is dropped and counted; its buffers go back; nothing is delivered.</summary>
    private static void AssertDroppedAsMalformed(Nic nic, int buffers)
    {
        long posted = nic.GetRxStatistics().BuffersPosted;
        Assert.False(nic.TryReceive(new byte[16384], out _, out _));
        RxQueueStatistics rx = nic.GetRxStatistics();
        Assert.Equal(0, rx.Packets);
        Assert.Equal(0, rx.Dropped);
        Assert.Equal(1, rx.DeviceFaults);
        Assert.Equal(posted + buffers, rx.BuffersPosted);
        Assert.Equal(0, nic.RecoveryCount);
    }

    private static Span<byte> GqiDescriptor(TamperingPci pci, int index)
        => pci.Allocations.Single(r => r.Length == 256 * RxDesc.Size).Span.Slice(index * RxDesc.Size, RxDesc.Size);

    private static void WriteGqi(TamperingPci pci, int index, ushort len, bool cont)
    {
        ref RxDesc d = ref RxDesc.AsRef(GqiDescriptor(pci, index));
        d.Len = len;
        d.PacketCont = cont;
        d.Seqno = (ushort)(index % 7 + 1);
    }

    private static void WriteDqo(TamperingPci pci, int index, ushort bufId, ushort len, bool last)
    {
        // The RX buffer queue and then its completion queue: the second region of 256 × 32 bytes.
        DmaRegion completions = pci.Allocations.Where(r => r.Length == 256 * RxComplDescDqo.Size).ElementAt(1);
        ref RxComplDescDqo c = ref RxComplDescDqo.AsRef(completions.Span.Slice(index * RxComplDescDqo.Size));
        c.Generation = true;
        c.BufId = bufId;
        c.PacketLen = len;
        c.EndOfPacket = last;
    }

    [Fact]
    public void GqiChainAtTheDefaultMtuIsAFault()
    {
        // At MTU 1460 every frame fits one buffer: a descriptor continued by packet_cont is a chain longer than the MTU allows.
        var (device, pci, nic) = Open(QueueFormat.GqiRda, null);
        using (device)
        using (nic)
        {
            WriteGqi(pci, 0, 1000, cont: true);
            WriteGqi(pci, 1, 500, cont: false);
            var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[4096], out _, out _));
            Assert.Equal("RX queue 0", e.Queue);
            Assert.Equal("packet_cont", e.Field);
            Assert.Equal(1, e.Index);
            Assert.Equal(2ul, e.Value);
            Assert.Equal("RX queue 0: packet_cont at index 1 = 2 (0x2): the chain starting at index 0 continues past 1 descriptors, the most a 1478-byte frame (MTU + 18) fills in 2048-byte buffers", e.Message);
        }
    }

    [Fact]
    public void GqiChainLongerThanTheJumboMtuIsDroppedAndCounted()
    {
        var (device, pci, nic) = Open(QueueFormat.GqiQpl, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            // Five full buffers: 2046 + 4 × 2048 = 10238 bytes, more than the 8914-byte largest frame.
            for (int i = 0; i < 5; i++) WriteGqi(pci, i, 2048, cont: i < 4);
            AssertDroppedAsMalformed(nic, 5);
        }
    }

    [Fact]
    public void GqiChainThatNeverEndsIsAFault()
    {
        var (device, pci, nic) = Open(QueueFormat.GqiRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            for (int i = 0; i < 6; i++) WriteGqi(pci, i, 100, cont: true);
            var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[16384], out _, out _));
            Assert.Equal("packet_cont", e.Field);
            Assert.Equal(5, e.Index);
            Assert.Equal(6ul, e.Value);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2049)]
    public void GqiContinuationLengthOutOfRangeIsDroppedAndCounted(int length)
    {
        var (device, pci, nic) = Open(QueueFormat.GqiRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            WriteGqi(pci, 0, 2048, cont: true);
            WriteGqi(pci, 1, (ushort)length, cont: false);
            AssertDroppedAsMalformed(nic, 2);
        }
    }

    [Fact]
    public void GqiChainWaitsForItsLastDescriptorAndChecksItsSequenceNumber()
    {
        var (device, pci, nic) = Open(QueueFormat.GqiRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            WriteGqi(pci, 0, 2048, cont: true);
            // The continuation is not written yet: nothing to receive, nothing consumed.
            Assert.False(nic.TryReceive(new byte[16384], out _, out _));
            Assert.Equal(0, nic.GetRxStatistics().Packets);
            // A continuation with a sequence number out of turn is a fault.
            RxDesc.AsRef(GqiDescriptor(pci, 1)).Seqno = 6;
            var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[16384], out _, out _));
            Assert.Equal("seqno", e.Field);
            Assert.Equal(1, e.Index);
            Assert.Equal(6ul, e.Value);
        }
    }

    [Fact]
    public void DqoCompletionsWithoutEndOfPacketPastTheMtuAreAFault()
    {
        var (device, pci, nic) = Open(QueueFormat.DqoRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            for (int i = 0; i < 6; i++) WriteDqo(pci, i, (ushort)i, 100, last: false);
            var e = Assert.Throws<DeviceFaultException>(() => nic.TryReceive(new byte[16384], out _, out _));
            Assert.Equal("RX queue 0", e.Queue);
            Assert.Equal("end_of_packet", e.Field);
            Assert.Equal(5, e.Index);
            Assert.Equal(6ul, e.Value);
        }
    }

    [Fact]
    public void DqoBufferNamedTwiceInOneFrameIsDroppedAndCounted()
    {
        var (device, pci, nic) = Open(QueueFormat.DqoRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            WriteDqo(pci, 0, 7, 2048, last: false);
            WriteDqo(pci, 1, 7, 100, last: true);
            AssertDroppedAsMalformed(nic, 1); // buffer 7 goes back once; the second naming gives nothing back
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2049)]
    public void DqoContinuationLengthOutOfRangeIsDroppedAndCounted(int length)
    {
        var (device, pci, nic) = Open(QueueFormat.DqoQpl, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            WriteDqo(pci, 0, 0, 2048, last: false);
            WriteDqo(pci, 1, 1, (ushort)length, last: true);
            AssertDroppedAsMalformed(nic, 2);
        }
    }

    [Fact]
    public void DqoFrameLongerThanTheMtuIsDroppedAndCounted()
    {
        var (device, pci, nic) = Open(QueueFormat.DqoRda, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            for (int i = 0; i < 5; i++) WriteDqo(pci, i, (ushort)i, 2048, last: i == 4);
            AssertDroppedAsMalformed(nic, 5);
        }
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.DqoRda)]
    public void AnErrorFlaggedChainIsDroppedWhole(QueueFormat format)
    {
        var (device, pci, nic) = Open(format, JumboFrameTests.JumboMtu);
        using (device)
        using (nic)
        {
            if (format == QueueFormat.GqiQpl)
            {
                WriteGqi(pci, 0, 2048, cont: true);
                WriteGqi(pci, 1, 2048, cont: true);
                RxDesc.AsRef(GqiDescriptor(pci, 1)).Err = true;
                WriteGqi(pci, 2, 100, cont: false);
            }
            else
            {
                WriteDqo(pci, 0, 0, 2048, last: false);
                WriteDqo(pci, 1, 1, 2048, last: false);
                DmaRegion completions = pci.Allocations.Where(r => r.Length == 256 * RxComplDescDqo.Size).ElementAt(1);
                RxComplDescDqo.AsRef(completions.Span.Slice(RxComplDescDqo.Size)).RxError = true;
                WriteDqo(pci, 2, 2, 100, last: true);
            }
            Assert.False(nic.TryReceive(new byte[16384], out _, out _));
            RxQueueStatistics rx = nic.GetRxStatistics();
            Assert.Equal(0, rx.Packets);
            Assert.Equal(1, rx.Dropped);
            Assert.Equal((format == QueueFormat.GqiQpl ? nic.RxRingSize : nic.RxRingSize - 1) + 3, rx.BuffersPosted);
            // (The device model itself never delivered into these buffers, so it records the reposts: no violation check here.)
        }
    }
}
