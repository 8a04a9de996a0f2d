using System;
using System.Collections.Generic;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

/// <summary>
/// <see cref="GuestMemory.TryResolve"/>: spans straight over guest memory for a device model, joined across the
/// page-sized mappings a client makes under an IOMMU, and the barrier that keeps them valid until the device is done.
/// </summary>
public sealed class DeviceViewTests
{
    private const ulong Iova = 0x7_0000_0000;

    // Three pages of IOVA space mapped from pages 5, 1 and 3 of the file, as QEMU maps them under an IOMMU.
    private static readonly int[] FilePages = [5, 1, 3];

    private static Served Scattered(Memfd ram, bool middleReadOnly = false)
    {
        var s = new Served();
        for (int i = 0; i < FilePages.Length; i++)
        {
            bool writable = !(middleReadOnly && i == 1);
            Received reply = s.Client.Request(Command.DmaMap, Messages.DmaMap(Iova + (ulong)i * 0x1000, 0x1000, offset: (ulong)FilePages[i] * 0x1000, writeable: writable), [ram.Fd]);
            Assert.False(reply.IsError);
        }

        DmaTests.EnableBusMaster(s);
        return s;
    }

    [Fact]
    public void ARangeAcrossPageMappingsIsOneSpanOverTheScatteredPages()
    {
        using var ram = new Memfd(0x8000);
        using var s = Scattered(ram);
        for (int i = 0; i < FilePages.Length; i++) ram.Bytes.Slice(FilePages[i] * 0x1000, 0x1000).Fill((byte)(0x10 + i));

        Assert.True(s.Server.Memory.TryResolve(Iova + 0xFF0, 0x1020, out Span<byte> span, out _, out string detail), detail);

        Assert.Equal(0x1020, span.Length);
        Assert.Equal(0x10, span[0]);
        Assert.Equal(0x10, span[0xF]);
        Assert.Equal(0x11, span[0x10]);
        Assert.Equal(0x11, span[0x100F]);
        Assert.Equal(0x12, span[0x1010]);
        span[0x10] = 0xAB; // the device writes through the view into the guest's page
        Assert.Equal(0xAB, ram.Bytes[FilePages[1] * 0x1000]);
        Assert.Equal(1, s.Server.Memory.DeviceViewCount);
        Assert.Equal(1, s.Server.Memory.OpenFiles); // three descriptors for one memfd: one kept

        Assert.True(s.Server.Memory.TryResolve(Iova + 0x800, 0x2000, out _, out _, out _));
        Assert.Equal(1, s.Server.Memory.DeviceViewCount); // the same three pages: the same view
        Assert.True(s.Server.Memory.TryResolve(Iova + 0x1800, 0x10, out Span<byte> inOne, out _, out _));
        Assert.Equal(0x11, inOne[0]);
        Assert.Equal(1, s.Server.Memory.DeviceViewCount); // inside one writable mapping: no view needed
    }

    [Fact]
    public void AHoleOrANonReadableOrUndescribedMappingIsRefusedNamingIt()
    {
        using var ram = new Memfd(0x8000);
        using var s = Scattered(ram);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Iova + 0x4000, 0x1000, offset: 0x6000), [ram.Fd]);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Iova + 0x5000, 0x1000, offset: 0x7000, readable: false), [ram.Fd]);
        s.Client.Request(Command.DmaMap, Messages.DmaMap(Iova + 0x6000, 0x1000)); // no descriptor

        Assert.False(s.Server.Memory.TryResolve(Iova + 0x2FF0, 0x20, out _, out DmaFaultReason hole, out string holeDetail));
        Assert.Equal(DmaFaultReason.NotMapped, hole);
        Assert.Equal($"32 bytes at 0x{Iova + 0x2FF0:X} run past the mapping 0x{Iova + 0x2000:X}+0x1000: 0x{Iova + 0x3000:X} is in no DMA mapping of the client", holeDetail);
        Assert.False(s.Server.Memory.TryResolve(Iova + 0x4FF0, 0x20, out _, out DmaFaultReason unreadable, out _));
        Assert.Equal(DmaFaultReason.NoPermission, unreadable);
        Assert.False(s.Server.Memory.TryResolve(Iova + 0x6000, 4, out _, out DmaFaultReason message, out _));
        Assert.Equal(DmaFaultReason.NotDirectlyMapped, message);
        Assert.False(s.Server.Memory.TryResolve(Iova - 0x1000, 4, out _, out DmaFaultReason outside, out _));
        Assert.Equal(DmaFaultReason.NotMapped, outside);
        Assert.False(s.Server.Memory.TryResolve(ulong.MaxValue - 1, 4, out _, out _, out string wraps));
        Assert.Contains("wrap past 2^64", wraps);

        s.Client.Request(Command.DeviceReset, []); // bus mastering off
        Assert.False(s.Server.Memory.TryResolve(Iova, 4, out _, out DmaFaultReason off, out _));
        Assert.Equal(DmaFaultReason.BusMasterDisabled, off);
    }

    [Fact]
    public void WritesIntoAReadOnlyMappingStayInTheServer()
    {
        using var ram = new Memfd(0x8000);
        using var s = Scattered(ram, middleReadOnly: true);
        ram.Bytes.Slice(FilePages[1] * 0x1000, 0x1000).Fill(0x42);

        Assert.True(s.Server.Memory.TryResolve(Iova + 0x1000, 0x100, out Span<byte> readOnly, out _, out _));
        Assert.Equal(0x42, readOnly[0]); // reads see the guest's bytes
        readOnly[0] = 0x99;
        Assert.Equal(0x42, ram.Bytes[FilePages[1] * 0x1000]); // the write never reaches the guest

        Assert.True(s.Server.Memory.TryResolve(Iova + 0xFFF, 0x1003, out Span<byte> across, out _, out _));
        across[0] = 1; // the writable page before the read-only one, in the same view
        across[1] = 3; // the read-only page
        across[0x1002] = 2; // the writable page after it
        Assert.Equal(1, ram.Bytes[FilePages[0] * 0x1000 + 0xFFF]);
        Assert.Equal(2, ram.Bytes[FilePages[2] * 0x1000 + 1]);
        Assert.Equal(0x42, ram.Bytes[FilePages[1] * 0x1000]);
    }

    [Fact]
    public void UnmapRunsTheBarrierBeforeTheMemoryGoesAndKillsTheViewsOverIt()
    {
        using var ram = new Memfd(0x8000);
        using var s = Scattered(ram);
        ram.Bytes[FilePages[1] * 0x1000] = 0x77;
        Assert.True(s.Server.Memory.TryResolve(Iova, 0x3000, out _, out _, out _));
        var seen = new List<string>();
        s.Server.Memory.SetDeviceBarrier(() =>
        {
            // Inside the barrier the mapping is out of the table (new resolves fail) but its memory is still there.
            bool resolves = s.Server.Memory.TryResolve(Iova + 0x1000, 1, out _, out _, out _);
            seen.Add($"resolves={resolves} mappings={s.Server.Memory.MappingCount} views={s.Server.Memory.DeviceViewCount}");
        });

        Assert.False(s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(Iova + 0x1000, 0x1000)).IsError);

        Assert.Equal(["resolves=False mappings=2 views=0"], seen);
        Assert.Equal(0, s.Server.Memory.DeviceViewCount);
        Assert.False(s.Server.Memory.TryResolve(Iova, 0x3000, out _, out DmaFaultReason reason, out _));
        Assert.Equal(DmaFaultReason.NotMapped, reason);
        Assert.True(s.Server.Memory.TryResolve(Iova + 0x2000, 0x10, out _, out _, out _));

        Assert.False(s.Client.Request(Command.DmaUnmap, Messages.DmaUnmap(0, 0, flags: 2)).IsError); // unmap all
        Assert.Equal(2, seen.Count);
        Assert.Equal(0, s.Server.Memory.MappingCount);
        Assert.Equal(0, s.Server.Memory.OpenFiles); // the memfd is closed with its last mapping
    }
}
