using System;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;

namespace Gvnic.Benchmarks.DataPath;

/// <summary>
/// Forwards to a simulated device, except that while <see cref="Defer"/> is set its BAR2 writes (doorbells) go into a
/// preallocated log instead of reaching the device model: no model code runs inside the driver's calls, and a
/// doorbell costs the driver one store into the log (a stand-in for the posted MMIO write of real hardware).
/// <see cref="Replay"/> delivers the logged writes in order; the harness times it as the model's work.
/// </summary>
internal sealed class DeferringPci(SimulatedGvnic device) : IPciFunction
{
    private readonly DeferringMmio _bar2 = new(device.Bar2);

    /// <summary>Whether BAR2 writes are logged (true) or delivered at once (false).</summary>
    public bool Defer { get => _bar2.Defer; set => _bar2.Defer = value; }

    /// <summary>Delivers the logged BAR2 writes to the device in order; returns how many.</summary>
    public int Replay() => _bar2.Replay();

    public string Address => device.Address;
    public ushort VendorId => device.VendorId;
    public ushort DeviceId => device.DeviceId;
    public byte RevisionId => device.RevisionId;
    public IMmioRegion Bar0 => device.Bar0;
    public IMmioRegion Bar2 => _bar2;
    public long Bar2Length => device.Bar2Length;
    public IDmaAllocator Dma => device.Dma;
    public IInterruptController Interrupts => device.Interrupts;
    public void EnableBusMaster() => device.EnableBusMaster();
    public void DisableBusMaster() => device.DisableBusMaster();
    public void Dispose() { }

    private sealed class DeferringMmio(IMmioRegion inner) : IMmioRegion
    {
        private const int Capacity = 1 << 16;
        private readonly long[] _offsets = new long[Capacity];
        private readonly uint[] _values = new uint[Capacity];
        private int _count;

        public bool Defer;

        public int Replay()
        {
            int n = _count;
            _count = 0;
            for (int i = 0; i < n; i++) inner.Write32(_offsets[i], _values[i]);
            return n;
        }

        public byte Read8(long offset) => inner.Read8(offset);
        public void Write8(long offset, byte value) => inner.Write8(offset, value);
        public ushort Read16(long offset) => inner.Read16(offset);
        public void Write16(long offset, ushort value) => inner.Write16(offset, value);
        public uint Read32(long offset) => inner.Read32(offset);
        public ulong Read64(long offset) => inner.Read64(offset);
        public void Write64(long offset, ulong value) => inner.Write64(offset, value);

        public void Write32(long offset, uint value)
        {
            if (!Defer)
            {
                inner.Write32(offset, value);
                return;
            }
            if (_count == Capacity) throw new InvalidOperationException("more than " + Capacity + " doorbell writes logged in one phase; the harness must replay them between phases");
            _offsets[_count] = offset;
            _values[_count++] = value;
        }
    }
}
