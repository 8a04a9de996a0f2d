using System;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// BAR0 registers (registers.md: all big-endian; 0x00 device_status ... 0x1F driver_version (8 bits),
/// 0x20/0x24 adminq base address hi/lo, 0x28 adminq_length (16 bits)) and BAR2 doorbells (one 32-bit word per
/// index at index x 4; GQI big-endian, DQO little-endian).
/// </summary>
public class RegisterTests
{
    private const int Bar0Size = 0x30;

    [Fact]
    public void Bar0_Offsets()
    {
        Assert.Equal(0x00, Bar0Registers.Offsets.DeviceStatus);
        Assert.Equal(0x04, Bar0Registers.Offsets.DriverStatus);
        Assert.Equal(0x08, Bar0Registers.Offsets.MaxTxQueues);
        Assert.Equal(0x0C, Bar0Registers.Offsets.MaxRxQueues);
        Assert.Equal(0x10, Bar0Registers.Offsets.AdminqPfn);
        Assert.Equal(0x14, Bar0Registers.Offsets.AdminqDoorbell);
        Assert.Equal(0x18, Bar0Registers.Offsets.AdminqEventCounter);
        Assert.Equal(0x1F, Bar0Registers.Offsets.DriverVersion);
        Assert.Equal(0x20, Bar0Registers.Offsets.AdminqBaseAddressHi);
        Assert.Equal(0x24, Bar0Registers.Offsets.AdminqBaseAddressLo);
        Assert.Equal(0x28, Bar0Registers.Offsets.AdminqLength);
        Assert.Equal(0, Bar0Registers.Bar);
        Assert.Equal(2, Bar2Registers.Bar);
    }

    [Fact]
    public void Bar0_Reads_AreBigEndian()
    {
        var mmio = new FakeMmio(Bar0Size);
        Hex.Parse(
            "00000016" +   // 0x00 device_status: device_is_reset | link_status | reset
            "00000000" +   // 0x04 driver_status
            "00000010" +   // 0x08 max_tx_queues: 16
            "00000020" +   // 0x0C max_rx_queues: 32
            "00012345" +   // 0x10 adminq_pfn
            "00000000" +   // 0x14 adminq_doorbell
            "01020304" +   // 0x18 adminq_event_counter
            Hex.Zeros(20)).CopyTo(mmio.Bytes, 0);
        var bar0 = new Bar0Registers(mmio);
        Assert.Equal(DeviceStatusFlags.DeviceIsReset | DeviceStatusFlags.LinkStatus | DeviceStatusFlags.Reset, bar0.ReadDeviceStatus());
        Assert.Equal(16u, bar0.ReadMaxTxQueues());
        Assert.Equal(32u, bar0.ReadMaxRxQueues());
        Assert.Equal(0x12345u, bar0.ReadAdminqPfn());
        Assert.Equal(0x01020304u, bar0.ReadAdminqEventCounter());
        Assert.Equal(new[] { ('R', 0x00L, 32), ('R', 0x08L, 32), ('R', 0x0CL, 32), ('R', 0x10L, 32), ('R', 0x18L, 32) }, mmio.Log.ToArray());

        mmio.Bytes[3] = 0x08;
        Assert.Equal(DeviceStatusFlags.ReportStats, bar0.ReadDeviceStatus());
    }

    [Fact]
    public void Bar0_Writes_PutBigEndianBytesAtTheirOffsets()
    {
        var mmio = new FakeMmio(Bar0Size);
        var bar0 = new Bar0Registers(mmio);
        bar0.WriteDriverStatus(DriverStatusFlags.Run);
        bar0.WriteAdminqPfn(0x000ABCDE);
        bar0.WriteAdminqDoorbell(0x00000101);
        bar0.WriteDriverVersion((byte)'G');
        bar0.WriteAdminqBaseAddressHi(0x00000001);
        bar0.WriteAdminqBaseAddressLo(0x23456000);
        bar0.WriteAdminqLength((ushort)GvnicConstants.AdminqBufferSize);
        Hex.Equal(
            "00000000" +   // 0x00 device_status (untouched)
            "00000001" +   // 0x04 driver_status: run
            "00000000" +   // 0x08
            "00000000" +   // 0x0C
            "000ABCDE" +   // 0x10 adminq_pfn
            "00000101" +   // 0x14 adminq_doorbell
            "00000000" +   // 0x18
            "000000" +     // 0x1C reserved
            "47" +         // 0x1F driver_version: 'G'
            "00000001" +   // 0x20 adminq_base_address_hi
            "23456000" +   // 0x24 adminq_base_address_lo
            "1000" +       // 0x28 adminq_length (be16): 4096
            "0000" + "00000000", mmio.Bytes);
        Assert.Equal(new[]
        {
            ('W', 0x04L, 32), ('W', 0x10L, 32), ('W', 0x14L, 32), ('W', 0x1FL, 8),
            ('W', 0x20L, 32), ('W', 0x24L, 32), ('W', 0x28L, 16),
        }, mmio.Log.ToArray());

        bar0.WriteDriverStatus(DriverStatusFlags.Reset);
        Hex.Equal("00000002", mmio.Bytes.AsSpan(4, 4));
    }

    [Fact]
    public void Bar0_DriverVersion_IsWrittenAByteAtATime()
    {
        var mmio = new FakeMmio(Bar0Size);
        var bar0 = new Bar0Registers(mmio);
        foreach (byte b in "GVE-1.0\n"u8) bar0.WriteDriverVersion(b);
        Assert.Equal(8, mmio.Log.Count);
        Assert.All(mmio.Log, a => Assert.Equal(('W', 0x1FL, 8), a));
        Assert.Equal((byte)'\n', mmio.Bytes[0x1F]);
        Hex.Equal(Hex.Zeros(0x1F) + "0A" + Hex.Zeros(Bar0Size - 0x20), mmio.Bytes);
    }

    [Fact]
    public void Bar2_GqiDoorbells_AreBigEndianAtIndexTimes4()
    {
        var mmio = new FakeMmio(64);
        var bar2 = new Bar2Registers(mmio);
        bar2.WriteDoorbell(5, 0x00000102);
        bar2.WriteIrqDoorbell(3, IrqDoorbellBits.Ack | IrqDoorbellBits.Mask);
        bar2.WriteIrqDoorbell(1, IrqDoorbellBits.Event);
        bar2.WriteIrqDoorbell(0, 0); // unmask
        Hex.Equal(
            "00000000" +   // index 0 (written 0)
            "20000000" +   // index 1: event (bit 29)
            "00000000" +   // index 2
            "C0000000" +   // index 3: ack (bit 31) | mask (bit 30)
            "00000000" +   // index 4
            "00000102" +   // index 5: GQI queue doorbell, big-endian
            Hex.Zeros(40), mmio.Bytes);
        Assert.Equal(new[] { ('W', 20L, 32), ('W', 12L, 32), ('W', 4L, 32), ('W', 0L, 32) }, mmio.Log.ToArray());
        Assert.Equal(GvnicConstants.IrqAck | GvnicConstants.IrqMask, (uint)(IrqDoorbellBits.Ack | IrqDoorbellBits.Mask));
    }

    [Fact]
    public void Bar2_DqoDoorbells_AreLittleEndianAtIndexTimes4()
    {
        var mmio = new FakeMmio(64);
        var bar2 = new Bar2Registers(mmio);
        bar2.WriteDoorbellDqo(5, 0x00000102);
        var itr = new ItrDoorbellDqo { Enable = true, ClearPba = true, NoUpdate = 2, Interval = 0xABC };
        bar2.WriteIrqDoorbellDqo(7, itr);
        Hex.Equal(
            Hex.Zeros(20) +
            "02010000" +   // index 5 at 20: DQO queue doorbell 0x102, little-endian
            Hex.Zeros(4) +
            "93570100" +   // index 7 at 28: itr_doorbell_dqo 0x00015793, little-endian
            Hex.Zeros(32), mmio.Bytes);
        Assert.Equal(new[] { ('W', 20L, 32), ('W', 28L, 32) }, mmio.Log.ToArray());
    }

    [Fact]
    public void Bar2_Strides()
    {
        Assert.Equal(4, Bar2Registers.DoorbellStride);
        Assert.Equal(4, Bar2Registers.IrqDoorbellStride);
        Assert.Equal(4, Bar2Registers.DoorbellDqoStride);
        Assert.Equal(4, Bar2Registers.IrqDoorbellDqoStride);
        Assert.Equal(0, Bar2Registers.Offsets.Doorbell);
        Assert.Equal(0, Bar2Registers.Offsets.IrqDoorbellDqo);
    }

    [Fact]
    public void NullRegion_Throws()
    {
        Assert.Throws<System.ArgumentNullException>(() => new Bar0Registers(null!));
        Assert.Throws<System.ArgumentNullException>(() => new Bar2Registers(null!));
    }
}
