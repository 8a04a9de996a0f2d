using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Sdk.Tests.Tracing;

/// <summary>
/// A PCI function with nothing behind it: BARs are plain memory the test reads and writes as the device would, DMA is
/// native memory at made-up device addresses, MSI-X never fires. Nothing in it allocates per access.
/// </summary>
internal sealed unsafe class ScriptedFunction : IPciFunction
{
    public MemoryBar Bar0Memory { get; } = new(0x30);
    public MemoryBar Bar2Memory { get; } = new(0x4000);
    public NativeDma DmaMemory { get; } = new();

    public string Address => "script:0";
    public ushort VendorId => PciIds.GoogleVendor;
    public ushort DeviceId => PciIds.GvnicDevice;
    public byte RevisionId => 1;
    public IMmioRegion Bar0 => Bar0Memory;
    public IMmioRegion Bar2 => Bar2Memory;
    public long Bar2Length => Bar2Memory.Bytes.Length;
    public IDmaAllocator Dma => DmaMemory;
    public IInterruptController Interrupts { get; } = new Silent();
    public void EnableBusMaster() { }
    public void DisableBusMaster() { }
    public void Dispose() => DmaMemory.Dispose();

    internal sealed class MemoryBar(int size) : IMmioRegion
    {
        public byte[] Bytes { get; } = new byte[size];
        private Span<byte> At(long offset, int count) => Bytes.AsSpan(checked((int)offset), count);
        public byte Read8(long offset) => Bytes[offset];
        public void Write8(long offset, byte value) => Bytes[offset] = value;
        public ushort Read16(long offset) => MemoryMarshal.Read<ushort>(At(offset, 2));
        public void Write16(long offset, ushort value) => MemoryMarshal.Write(At(offset, 2), in value);
        public uint Read32(long offset) => MemoryMarshal.Read<uint>(At(offset, 4));
        public void Write32(long offset, uint value) => MemoryMarshal.Write(At(offset, 4), in value);
        public ulong Read64(long offset) => MemoryMarshal.Read<ulong>(At(offset, 8));
        public void Write64(long offset, ulong value) => MemoryMarshal.Write(At(offset, 8), in value);
    }

    internal sealed class NativeDma : IDmaAllocator, IDisposable
    {
        private readonly List<DmaRegion> _regions = [];
        private ulong _next = 0x7_0000_0000;

        public int OutstandingRegions => _regions.Count;
        public long OutstandingBytes { get; private set; }

        public DmaRegion Allocate(int length, int alignment = 4096)
        {
            byte* p = (byte*)NativeMemory.AlignedAlloc((nuint)length, (nuint)Math.Max(alignment, 64));
            new Span<byte>(p, length).Clear();
            var region = new DmaRegion(p, length, _next, _regions.Count);
            _next += (ulong)((length + 0xFFFF) & ~0xFFFF) + 0x10000;
            _regions.Add(region);
            OutstandingBytes += length;
            return region;
        }

        public void Free(DmaRegion region)
        {
            if (!_regions.Remove(region)) throw new InvalidOperationException("not ours: " + region);
            OutstandingBytes -= region.Length;
            region.MarkFreed();
            NativeMemory.AlignedFree(region.Pointer);
        }

        public void Dispose()
        {
            foreach (var r in _regions.ToArray()) Free(r);
        }
    }

    private sealed class Silent : IInterruptController
    {
        public int VectorCount => 4;
        public void Enable(int count) { }
        public void Disable() { }
        public bool TryConsume(int vector) => false;
        public bool Wait(int vector, TimeSpan timeout) => false;
    }
}
