using System;
using System.Linq;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// The tables the generator makes from the schema for code that used to state wire facts by hand: the device-option
/// table (DeviceOptions: what a decoder accepts and what an encoder writes), the register layout of each block, the
/// alternative-miss bit range of a DQO completion tag, and the generic surface of every wire struct.
/// </summary>
public class GeneratedTableTests
{
    [Fact]
    public void DeviceOptionTableListsEveryOptionIdWithItsPayloadAndMask()
    {
        Assert.Equal(Enum.GetValues<DevOptId>().Select(v => (ulong)v).Order(), DeviceOptions.Options.Select(o => o.Id).Order());
        foreach (WireOption o in DeviceOptions.Options)
        {
            Assert.Same(o, DeviceOptions.Find((DevOptId)o.Id));
            // The required mask is the dev_opt_req_feat_mask value of the same name (all 0 today).
            var mask = GvnicCatalog.FindEnum("dev_opt_req_feat_mask")!.Values.Single(v => v.Name == o.Name).Value;
            Assert.Equal([new WireHeaderValue("required_features_mask", mask)], o.Requires);
            if (o.Payload is null)
            {
                Assert.Equal((0, 0), (o.MinLength, o.MaxLength));
                continue;
            }
            // Upstream's payload struct for an id is device_option_<name>.
            Assert.Equal("device_option_" + o.Name, o.Payload);
            WireType payload = GvnicCatalog.FindType(o.Payload)!;
            Assert.Equal(payload.ClrType, o.PayloadType);
            Assert.Equal(o.Name == "modify_ring" ? payload.Size - 4 : payload.Size, o.MinLength);
            Assert.Equal(ushort.MaxValue, o.MaxLength);
        }
        Assert.Null(DeviceOptions.Find((DevOptId)0x42));
    }

    [Fact]
    public void AppendWritesTheHeaderAndAZeroedPayload()
    {
        var buffer = new byte[64];
        buffer.AsSpan().Fill(0xEE);
        int offset = 4;
        ref DeviceOptionModifyRing ring = ref DeviceOptions.ModifyRing.Append(buffer, ref offset);
        ring.MaxRxRingSize = 0x0400;
        ring.MinTxRingSize = 0x0040;
        DeviceOptions.GqiRawAddressing.Append(buffer, ref offset);
        Assert.Equal(4 + DeviceOptions.ModifyRing.Size + DeviceOptions.GqiRawAddressing.Size, offset);
        Assert.Equal(8 + 12, DeviceOptions.ModifyRing.Size);
        Hex.Equal(
            "EEEEEEEE" +
            "0006" + "000C" + "00000000" +                     // modify_ring: id 6, length 12, mask 0
            "00000000" + "0400" + "0000" + "0000" + "0040" +   // supported_featured_mask, max rx, max tx, min rx, min tx
            "0001" + "0000" + "00000000" +                     // gqi_raw_addressing: id 1, length 0, mask 0
            string.Concat(Enumerable.Repeat("EE", 64 - offset)),
            buffer);
        int at = 60;
        var e = Assert.Throws<ArgumentException>(() => DeviceOptions.ModifyRing.Append(buffer, ref at));
        Assert.Contains("device_options.modify_ring needs 20 bytes but the span has 4", e.Message);
        Assert.Equal(60, at);
    }

    [Theory]
    [InlineData(DevOptId.GqiRawAddressing, 0, 0u, true)]
    [InlineData(DevOptId.GqiRawAddressing, 4, 0u, false)]
    [InlineData(DevOptId.GqiRawAddressing, 0, 1u, false)]
    [InlineData(DevOptId.GqiRda, 4, 0u, true)]
    [InlineData(DevOptId.GqiRda, 3, 0u, false)]
    [InlineData(DevOptId.GqiRda, 400, 0u, true)]
    [InlineData(DevOptId.ModifyRing, 7, 0u, false)]
    [InlineData(DevOptId.ModifyRing, 8, 0u, true)]
    [InlineData(DevOptId.ModifyRing, 12, 2u, false)]
    [InlineData((DevOptId)0x42, 0, 0u, false)]
    public void AcceptsFollowsUpstreamsRules(DevOptId id, int length, uint mask, bool accepted)
    {
        var header = new DeviceOption { OptionId = id, OptionLength = (ushort)length, RequiredFeaturesMask = mask };
        Assert.Equal(accepted, DeviceOptions.Accepts(header));
    }

    [Fact]
    public void ReadFillsAShortPayloadWithZeros()
    {
        // The 8-byte modify-ring form: the minimums are absent and read as 0.
        var ring = DeviceOptions.ModifyRing.Read(Hex.Parse("00000001" + "0800" + "0400"));
        Assert.Equal((0x1u, (ushort)0x800, (ushort)0x400, (ushort)0, (ushort)0),
            (ring.SupportedFeaturedMask, ring.MaxRxRingSize, ring.MaxTxRingSize, ring.MinRxRingSize, ring.MinTxRingSize));
        // A longer payload is read for its known prefix.
        var rda = DeviceOptions.GqiRda.Read(Hex.Parse("00000004" + "FFFF"));
        Assert.Equal(4u, rda.SupportedFeaturesMask);
    }

    [Fact]
    public void RegisterLayoutGivesTheWidthOfEveryAccess()
    {
        Assert.Equal(11, Bar0Registers.Registers.Count);
        Assert.Contains(new WireRegister("driver_version", 0x1F, 8, "write", Doc: Bar0Registers.Registers.Single(r => r.Name == "driver_version").Doc), Bar0Registers.Registers);
        // What a driver may write: driver_version a byte, adminq_length 16 bits, the other writable registers 32 bits.
        Assert.Equal(1, Bar0Registers.WriteWidth(Bar0Registers.Offsets.DriverVersion));
        Assert.Equal(2, Bar0Registers.WriteWidth(Bar0Registers.Offsets.AdminqLength));
        foreach (long offset in new long[] { 0x04, 0x10, 0x14, 0x20, 0x24 }) Assert.Equal(4, Bar0Registers.WriteWidth(offset));
        foreach (long offset in new long[] { 0x00, 0x08, 0x0C, 0x18, 0x1C, 0x1E, 0x2C, -4 }) Assert.Equal(0, Bar0Registers.WriteWidth(offset));
        // What it may read: the read and read-write registers, all 32 bits.
        foreach (long offset in new long[] { 0x00, 0x08, 0x0C, 0x10, 0x18 }) Assert.Equal(4, Bar0Registers.ReadWidth(offset));
        foreach (long offset in new long[] { 0x04, 0x14, 0x1F, 0x28 }) Assert.Equal(0, Bar0Registers.ReadWidth(offset));
        // BAR2: doorbell words at every multiple of 4, write-only.
        Assert.Equal(4, Bar2Registers.WriteWidth(0));
        Assert.Equal(4, Bar2Registers.WriteWidth(0x1234 * 4));
        Assert.Equal(0, Bar2Registers.WriteWidth(6));
        Assert.Equal(0, Bar2Registers.ReadWidth(0));
    }

    [Fact]
    public void CompletionTagHasTheAlternativeMissBitAsABitRange()
    {
        const string golden = "0710" + "0180" + "00000000"; // pkt completion of queue 7, completion_tag 0x8001
        var r = TxComplDesc.Read(Hex.Parse(golden));
        Assert.True(r.AltMissCompl);
        Assert.Equal((ushort)1, r.PacketTag);
        Assert.Equal(GvnicConstants.AltMissComplBit, (ushort)(1 << TxComplDesc.Fields.Single(f => f.Name == "alt_miss_compl").BitOffset));

        var v = new TxComplDesc { Id = 7, Type = ComplTypeDqo.Pkt, PacketTag = 1, AltMissCompl = true };
        Hex.Equal(golden, Codec.Encode(TxComplDesc.Size, v.Write));
        Assert.Throws<ArgumentOutOfRangeException>(() => v.PacketTag = 0x8000);
    }

    private static int SizeOf<T>() where T : unmanaged, IWireStruct<T> => T.Size;

    private static T RoundTrip<T>(T value) where T : unmanaged, IWireStruct<T>
    {
        var bytes = new byte[T.Size];
        value.Write(bytes);
        return T.Read(bytes);
    }

    [Fact]
    public void EveryWireStructIsAnIWireStruct()
    {
        foreach (WireType t in GvnicCatalog.Types)
        {
            Assert.Contains(t.ClrType.GetInterfaces(), i => i == typeof(IWireStruct<>).MakeGenericType(t.ClrType));
        }
        Assert.Equal(DeviceDescriptor.Size, SizeOf<DeviceDescriptor>());
        var d = RoundTrip(new DeviceOption { OptionId = DevOptId.RssConfig, OptionLength = 8 });
        Assert.Equal((DevOptId.RssConfig, (ushort)8), (d.OptionId, d.OptionLength));
        var e = Assert.Throws<ArgumentException>(() => WireStruct.Read<DeviceOption>(new byte[7]));
        Assert.Equal("device_option needs 8 bytes but the span has 7 (Parameter 'source')", e.Message);
    }

    [Fact]
    public void SchemaConstantsStandForTheFactsCodeUsedToWriteOut()
    {
        Assert.Equal(18u, GvnicConstants.FrameOverhead);
        Assert.Equal(64u, GvnicConstants.IrqDbStride);
        Assert.Equal(3u, GvnicConstants.ItrNoUpdateKeepDqo);
        Assert.Equal(GvnicConstants.ItrNoUpdateDqo, GvnicConstants.ItrNoUpdateKeepDqo << TxBitOffset("itr_doorbell_dqo", "no_update"));
        Assert.Equal(6u, GvnicConstants.TxStatsReportNum + GvnicConstants.NicTxStatsReportNum);
        Assert.Equal(6u, GvnicConstants.RxStatsReportNum + GvnicConstants.NicRxStatsReportNum);
        Assert.Equal("1ae0:0042", Gvnic.Platform.PciIds.Text);
        Assert.Equal((0x1AE0, 0x0042), (Gvnic.Platform.PciIds.GoogleVendor, Gvnic.Platform.PciIds.GvnicDevice));
    }

    private static int TxBitOffset(string type, string field) => GvnicCatalog.FindType(type)!.Fields.Single(f => f.Name == field).BitOffset;
}
