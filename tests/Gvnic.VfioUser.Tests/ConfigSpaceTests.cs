using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Gvnic.VfioUser.Pci;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

public sealed class ConfigSpaceTests
{
    private static PciConfigSpace Gvnic(byte revision = 1, int vectors = 8) => new(GvnicPciFunction.Describe(revision, vectors));

    [Fact]
    public void TheHeaderIsGvnicsIdentityWithOneCapabilityMsixAt0x40()
    {
        byte[] b = new byte[256];
        Gvnic(revision: 0).Read(0, b);

        Assert.Equal(new byte[] { 0xE0, 0x1A, 0x42, 0x00 }, b[0..4]);           // vendor 1ae0, device 0042
        Assert.Equal(new byte[] { 0x00, 0x00, 0x10, 0x00 }, b[4..8]);           // command 0, status: capabilities list
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x02 }, b[8..12]);          // revision 0, class 02 00 00
        Assert.Equal(0, b[14]);                                                  // header type 0
        Assert.Equal(new byte[24], b[16..40]);                                   // BARs unprogrammed
        Assert.Equal(new byte[] { 0xE0, 0x1A, 0x58, 0x00 }, b[44..48]);         // subsystem 1ae0:0058
        Assert.Equal(0x40, b[52]);                                               // capabilities pointer
        Assert.Equal(0, b[61]);                                                  // no INTx pin
        Assert.Equal(new byte[] { 0x11, 0x00, 0x07, 0x00, 0x01, 0, 0, 0, 0x01, 0x08, 0, 0 }, b[0x40..0x4C]); // MSI-X: 8 vectors, table BAR1+0, PBA BAR1+0x800
        Assert.Equal(new byte[256 - 0x4C], b[0x4C..]);
    }

    [Fact]
    public void TheRevisionIdIsTheAdminQueueRevision()
    {
        byte[] b = new byte[1];
        Gvnic(revision: 1).Read(8, b);
        Assert.Equal(1, b[0]);
    }

    [Theory]
    [InlineData(0, 0x1000u)]
    [InlineData(1, 0x1000u)]
    [InlineData(2, 0x4000u)]
    public void WritingAllOnesToABarReadsBackItsSizeMaskAndAnAddressSticks(int bar, uint size)
    {
        PciConfigSpace config = Gvnic();
        int at = 0x10 + bar * 4;
        config.Write(at, [0xFF, 0xFF, 0xFF, 0xFF]);
        byte[] b = new byte[4];
        config.Read(at, b);
        Assert.Equal(~(size - 1), BinaryPrimitives.ReadUInt32LittleEndian(b));     // memory, 32-bit, not prefetchable

        config.Write(at, [0x0F, 0x30, 0x00, 0xFE]);
        config.Read(at, b);
        Assert.Equal(0xFE00_3000u & ~(size - 1), BinaryPrimitives.ReadUInt32LittleEndian(b));
        Assert.Equal(0xFE00_3000u & ~(size - 1), config.BarRegister(bar));
    }

    [Fact]
    public void BarsTheFunctionLacksAndTheRomStayZero()
    {
        PciConfigSpace config = Gvnic();
        config.Write(0x1C, [0xFF, 0xFF, 0xFF, 0xFF]);
        config.Write(0x30, [0xFF, 0xFF, 0xFF, 0xFF]);
        byte[] b = new byte[4];
        config.Read(0x1C, b);
        Assert.Equal(new byte[4], b);
        config.Read(0x30, b);
        Assert.Equal(new byte[4], b);
    }

    [Fact]
    public void OnlyTheImplementedCommandBitsAndWritableRegistersChange()
    {
        PciConfigSpace config = Gvnic();
        byte[] ones = new byte[256];
        ones.AsSpan().Fill(0xFF);
        config.Write(0, ones);
        byte[] b = new byte[256];
        config.Read(0, b);

        Assert.Equal(new byte[] { 0xE0, 0x1A, 0x42, 0x00 }, b[0..4]);
        Assert.Equal(0x0546, BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(4))); // memory, master, parity, SERR, INTx disable
        Assert.Equal(0x0010, BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(6)));
        Assert.Equal(0xFF, b[12]);                                                    // cache line size
        Assert.Equal(0, b[13]);                                                       // latency timer hardwired
        Assert.Equal(0xFF, b[60]);                                                    // interrupt line
        Assert.Equal(0, b[61]);
        Assert.Equal(0xC007, BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(0x42))); // MSI-X enable + function mask; size fixed
        Assert.Equal(new byte[] { 0x01, 0, 0, 0, 0x01, 0x08, 0, 0 }, b[0x44..0x4C]);
        Assert.True(config.MsixEnabled);
        Assert.True(config.MsixFunctionMasked);
    }

    [Fact]
    public void CommandChangesAreReportedAndResetRestoresEverything()
    {
        PciConfigSpace config = Gvnic();
        var seen = new List<(CommandFlags, CommandFlags)>();
        config.CommandChanged += (before, after) => seen.Add((before, after));
        config.Write(4, [0x06]);
        config.Write(4, [0x06]);
        config.Write(0x10, [0, 0, 0, 0xC0]);
        Assert.True(config.BusMaster);

        config.Reset();

        Assert.Equal([(0, CommandFlags.MemorySpace | CommandFlags.BusMaster), (CommandFlags.MemorySpace | CommandFlags.BusMaster, 0)], seen);
        Assert.False(config.BusMaster);
        Assert.Equal(0u, config.BarRegister(0));
    }

    [Fact]
    public void AnAccessLeavingTheSpaceIsRefused()
    {
        PciConfigSpace config = Gvnic();
        Assert.Throws<ArgumentOutOfRangeException>(() => config.Read(255, new byte[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => config.Write(-1, new byte[1]));
    }

    [Theory]
    [InlineData(1, 0x1000ul)]
    [InlineData(128, 0x1000ul)]
    [InlineData(129, 0x2000ul)]
    [InlineData(2048, 0x10000ul)]
    public void TheMsixBarHoldsTheTableInItsFirstHalf(int vectors, ulong size)
    {
        PciFunctionDescription f = GvnicPciFunction.Describe(1, vectors);
        Assert.Equal(size, f.BarSize(1));
        Assert.Equal((uint)(size / 2), f.MsixPbaOffset);
        byte[] b = new byte[2];
        new PciConfigSpace(f).Read(0x42, b);
        Assert.Equal(vectors - 1, BinaryPrimitives.ReadUInt16LittleEndian(b));
    }

    [Fact]
    public void ADescriptionThatCannotBeIsRefusedNamingTheValue()
    {
        Assert.Contains("power of two", Assert.Throws<ArgumentException>(() => new PciBar(0, 0x1800)).Message);
        Assert.Contains("BAR index 6", Assert.Throws<ArgumentException>(() => new PciBar(6, 0x1000)).Message);
        Assert.Contains("too small", Assert.Throws<ArgumentException>(() =>
            new PciFunctionDescription(1, 2, 3, 4, 0, 0x020000, [new PciBar(0, 0x1000), new PciBar(1, 0x100)], 1, 16)).Message);
        Assert.Contains("MSI-X BAR 3", Assert.Throws<ArgumentException>(() =>
            new PciFunctionDescription(1, 2, 3, 4, 0, 0x020000, [new PciBar(0, 0x1000)], 3, 1)).Message);
        Assert.Contains("24 bits", Assert.Throws<ArgumentException>(() =>
            new PciFunctionDescription(1, 2, 3, 4, 0, 0x1000000, [new PciBar(1, 0x1000)], 1, 1)).Message);
    }

    [Fact]
    public void TheMsixTableResetsMaskedKeepsFixedBitsAndThePbaIsReadOnly()
    {
        var interrupts = new Device.MsixInterrupts(8);
        var bar = new MsixBar(GvnicPciFunction.Describe(1, 8), interrupts);
        byte[] entry = new byte[16];
        bar.Read(16, entry);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, entry);

        byte[] ones = new byte[16];
        ones.AsSpan().Fill(0xFF);
        bar.Write(16, ones);
        bar.Read(16, entry);
        Assert.Equal(new byte[] { 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0 }, entry);

        interrupts.Raise(3);                         // no eventfd: pending
        bar.Write(0x800, ones.AsSpan(0, 8));         // ignored
        byte[] pba = new byte[8];
        bar.Read(0x800, pba);
        Assert.Equal(new byte[] { 0x08, 0, 0, 0, 0, 0, 0, 0 }, pba);

        bar.Reset();
        bar.Read(16, entry);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, entry);
    }
}
