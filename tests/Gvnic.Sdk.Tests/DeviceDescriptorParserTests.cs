using System;
using System.Collections.Generic;
using Gvnic.Admin;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

public class DeviceDescriptorParserTests
{
    /// <summary>Builds a DESCRIBE_DEVICE buffer with the given options (id, mask, payload).</summary>
    private static byte[] Build(IEnumerable<(DevOptId Id, uint Mask, byte[] Payload)> options, int bufferLength = 4096,
        Action<byte[]>? tweak = null)
    {
        var buffer = new byte[bufferLength];
        ref DeviceDescriptor d = ref DeviceDescriptor.AsRef(buffer);
        d.MaxRegisteredPages = 4096;
        d.TxQueueEntries = 256;
        d.RxQueueEntries = 512;
        d.DefaultNumQueues = 4;
        d.Mtu = 1460;
        d.Counters = 16;
        d.TxPagesPerQpl = 128;
        d.RxPagesPerQpl = 512;
        new byte[] { 0x42, 0x01, 0x0A, 0x80, 0x00, 0x02 }.CopyTo(d.Mac);
        int offset = DeviceDescriptor.Size, count = 0;
        foreach (var (id, mask, payload) in options)
        {
            ref DeviceOption h = ref DeviceOption.AsRef(buffer.AsSpan(offset));
            h.OptionId = id;
            h.OptionLength = (ushort)payload.Length;
            h.RequiredFeaturesMask = mask;
            payload.CopyTo(buffer, offset + DeviceOption.Size);
            offset += DeviceOption.Size + payload.Length;
            count++;
        }
        d.NumDeviceOptions = (ushort)count;
        d.TotalLength = (ushort)offset;
        tweak?.Invoke(buffer);
        return buffer;
    }

    private static byte[] Mask(uint supported, int size)
    {
        var b = new byte[size];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(b, supported);
        return b;
    }

    private static byte[] Jumbo(ushort maxMtu)
    {
        var b = new byte[DeviceOptionJumboFrames.Size];
        ref DeviceOptionJumboFrames j = ref DeviceOptionJumboFrames.AsRef(b);
        j.MaxMtu = maxMtu;
        return b;
    }

    private static byte[] ModifyRing(int length)
    {
        var b = new byte[DeviceOptionModifyRing.Size];
        ref DeviceOptionModifyRing m = ref DeviceOptionModifyRing.AsRef(b);
        m.MaxRxRingSize = 2048; m.MaxTxRingSize = 1024; m.MinRxRingSize = 128; m.MinTxRingSize = 64;
        return b[..length];
    }

    [Fact]
    public void ReadsDescriptorFields()
    {
        DeviceDescription d = DeviceDescriptorParser.Parse(Build([]));
        Assert.Equal(4096ul, d.MaxRegisteredPages);
        Assert.Equal(256, d.TxQueueEntries);
        Assert.Equal(512, d.RxQueueEntries);
        Assert.Equal(1460, d.Mtu);
        Assert.Equal(16, d.EventCounters);
        Assert.Equal(128, d.TxPagesPerQpl);
        Assert.Equal("42:01:0a:80:00:02", d.MacAddress.ToString());
        Assert.Equal([QueueFormat.GqiQpl], d.OfferedFormats); // no format option: GQI QPL
    }

    [Fact]
    public void OffersFormatsInUpstreamPreferenceOrder()
    {
        DeviceDescription d = DeviceDescriptorParser.Parse(Build([
            (DevOptId.GqiQpl, 0, Mask(0, 4)), (DevOptId.GqiRda, 0, Mask(0, 4)), (DevOptId.DqoQpl, 0, Mask(0, 8)), (DevOptId.DqoRda, 0, Mask(0, 8))]));
        Assert.Equal([QueueFormat.DqoRda, QueueFormat.DqoQpl, QueueFormat.GqiRda, QueueFormat.GqiQpl], d.OfferedFormats);
        Assert.Empty(d.SkippedOptions);
    }

    [Fact]
    public void RawAddressingMeansGqiRda()
    {
        DeviceDescription d = DeviceDescriptorParser.Parse(Build([(DevOptId.GqiRawAddressing, 0, [])]));
        Assert.True(d.RawAddressing);
        Assert.Equal([QueueFormat.GqiRda], d.OfferedFormats);
    }

    [Fact]
    public void JumboFramesNeedTheFormatsFeatureBit()
    {
        DeviceDescription d = DeviceDescriptorParser.Parse(Build([
            (DevOptId.GqiQpl, 0, Mask((uint)SupFeatureMask.JumboFrames, 4)), (DevOptId.GqiRda, 0, Mask(0, 4)), (DevOptId.JumboFrames, 0, Jumbo(8896))]));
        Assert.Equal((ushort)8896, d.JumboMaxMtu);
        Assert.Equal(8896, d.CapabilitiesFor(QueueFormat.GqiQpl).MaxMtu);
        Assert.Equal(1460, d.CapabilitiesFor(QueueFormat.GqiRda).MaxMtu);
    }

    [Fact]
    public void ModifyRingAcceptsTheShortFormWithDefaultMinimums()
    {
        DeviceDescription full = DeviceDescriptorParser.Parse(Build([(DevOptId.ModifyRing, 0, ModifyRing(12))]));
        Assert.Equal(new RingSizeLimits(2048, 1024, 128, 64, true), full.ModifyRing);
        DeviceDescription shortForm = DeviceDescriptorParser.Parse(Build([(DevOptId.ModifyRing, 0, ModifyRing(8))]));
        Assert.Equal(new RingSizeLimits(2048, 1024, (ushort)GvnicConstants.DefaultMinRxRingSize, (ushort)GvnicConstants.DefaultMinTxRingSize, false), shortForm.ModifyRing);
        DeviceDescription tooShort = DeviceDescriptorParser.Parse(Build([(DevOptId.ModifyRing, 0, ModifyRing(6))]));
        Assert.Null(tooShort.ModifyRing);
        Assert.Single(tooShort.SkippedOptions);
    }

    [Fact]
    public void WrongLengthOrMaskIsSkippedAndUnknownIdsToo()
    {
        DeviceDescription d = DeviceDescriptorParser.Parse(Build([
            (DevOptId.JumboFrames, 0, new byte[4]),      // too short
            (DevOptId.DqoRda, 0x1, Mask(0, 8)),          // wrong required mask
            ((DevOptId)0x42, 0, new byte[12]),           // unknown
            (DevOptId.BufferSizes, 0, new byte[] { 0, 0, 0, 0x10, 0x10, 0x00, 0x00, 0x80, 0xAA, 0xBB }), // longer than needed: used
        ]));
        Assert.Null(d.JumboMaxMtu);
        Assert.False(d.Offers(QueueFormat.DqoRda));
        Assert.Equal(3, d.SkippedOptions.Count);
        Assert.Equal((ushort)0x42, d.SkippedOptions[2].Id);
        Assert.Equal(((ushort)4096, (ushort)128), d.BufferSizes);
    }

    [Fact]
    public void TotalLengthMustFitTheBuffer()
    {
        byte[] b = Build([], tweak: buf => DeviceDescriptor.AsRef(buf).TotalLength = 5000);
        var e = Assert.Throws<DeviceDescriptorException>(() => DeviceDescriptorParser.Parse(b));
        Assert.Contains("total_length 5000", e.Message);
        byte[] tiny = Build([], tweak: buf => DeviceDescriptor.AsRef(buf).TotalLength = 20);
        Assert.Throws<DeviceDescriptorException>(() => DeviceDescriptorParser.Parse(tiny));
        Assert.Throws<DeviceDescriptorException>(() => DeviceDescriptorParser.Parse(new byte[20]));
    }

    [Fact]
    public void OptionCountMustFitTotalLength()
    {
        byte[] b = Build([(DevOptId.GqiQpl, 0, Mask(0, 4))], tweak: buf => DeviceDescriptor.AsRef(buf).NumDeviceOptions = 300);
        var e = Assert.Throws<DeviceDescriptorException>(() => DeviceDescriptorParser.Parse(b));
        Assert.Contains("300 options", e.Message);
    }

    [Fact]
    public void AnOptionRunningPastTotalLengthIsAnError()
    {
        byte[] b = Build([(DevOptId.GqiQpl, 0, Mask(0, 4))], tweak: buf => DeviceOption.AsRef(buf.AsSpan(DeviceDescriptor.Size)).OptionLength = 200);
        var e = Assert.Throws<DeviceDescriptorException>(() => DeviceDescriptorParser.Parse(b));
        Assert.Contains("runs past total_length", e.Message);
    }
}
