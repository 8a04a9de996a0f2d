using System;
using System.Collections.Generic;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>
/// An <see cref="IPciFunction"/> that forwards to a simulated device but can lie about BAR2's length, tamper
/// with BAR0 reads, and records every DMA allocation (so tests can play a misbehaving device).
/// </summary>
internal sealed class TamperingPci(SimulatedGvnic device) : IPciFunction
{
    private readonly RecordingAllocator _dma = new(device.Dma);
    private readonly TamperingMmio _bar0 = new(device.Bar0);
    private readonly TamperingMmio _bar2 = new(device.Bar2);

    /// <summary>
    /// While true, BAR2 writes (doorbells) are recorded in a preallocated log instead of reaching the device, so
    /// no device code runs inside the driver's calls; <see cref="ReplayBar2Writes"/> delivers them in order.
    /// </summary>
    public bool DeferBar2Writes { get => _bar2.Defer; set => _bar2.Defer = value; }

    /// <summary>Delivers the deferred BAR2 writes to the device, in the order the driver made them; returns how many.</summary>
    public int ReplayBar2Writes() => _bar2.Replay();

    public List<DmaRegion> Allocations => _dma.Allocations;

    public long? Bar2LengthOverride { get; set; }

    /// <summary>When set, BAR0 reads at an offset go through this function (offset, real value) → value.</summary>
    public Func<long, uint, uint>? Bar0Read32 { get => _bar0.Read32Hook; set => _bar0.Read32Hook = value; }

    public string Address => device.Address;
    public ushort VendorId => device.VendorId;
    public ushort DeviceId => device.DeviceId;
    public byte RevisionId => device.RevisionId;
    public IMmioRegion Bar0 => _bar0;
    public IMmioRegion Bar2 => _bar2;
    public long Bar2Length => Bar2LengthOverride ?? device.Bar2Length;
    public IDmaAllocator Dma => _dma;
    public IInterruptController Interrupts => device.Interrupts;
    public void EnableBusMaster() => device.EnableBusMaster();
    public void DisableBusMaster() => device.DisableBusMaster();
    public void Dispose() { }

    private sealed class RecordingAllocator(IDmaAllocator inner) : IDmaAllocator
    {
        public List<DmaRegion> Allocations { get; } = new();
        public DmaRegion Allocate(int length, int alignment = 4096)
        {
            DmaRegion r = inner.Allocate(length, alignment);
            Allocations.Add(r);
            return r;
        }
        public void Free(DmaRegion region) => inner.Free(region);
        public int OutstandingRegions => inner.OutstandingRegions;
        public long OutstandingBytes => inner.OutstandingBytes;
    }

    private sealed class TamperingMmio(IMmioRegion inner) : IMmioRegion
    {
        public Func<long, uint, uint>? Read32Hook;
        public bool Defer;
        private readonly long[] _deferredOffsets = new long[65536];
        private readonly uint[] _deferredValues = new uint[65536];
        private int _deferred;

        public int Replay()
        {
            int n = _deferred;
            _deferred = 0;
            for (int i = 0; i < n; i++) inner.Write32(_deferredOffsets[i], _deferredValues[i]);
            return n;
        }

        public byte Read8(long offset) => inner.Read8(offset);
        public void Write8(long offset, byte value) => inner.Write8(offset, value);
        public ushort Read16(long offset) => inner.Read16(offset);
        public void Write16(long offset, ushort value) => inner.Write16(offset, value);
        public uint Read32(long offset)
        {
            uint v = inner.Read32(offset);
            return Read32Hook is { } hook ? hook(offset, v) : v;
        }
        public void Write32(long offset, uint value)
        {
            if (!Defer)
            {
                inner.Write32(offset, value);
                return;
            }
            if (_deferred == _deferredOffsets.Length) throw new InvalidOperationException("more than " + _deferred + " deferred BAR writes; replay them");
            _deferredOffsets[_deferred] = offset;
            _deferredValues[_deferred++] = value;
        }
        public ulong Read64(long offset) => inner.Read64(offset);
        public void Write64(long offset, ulong value) => inner.Write64(offset, value);
    }
}
