using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Sdk.Tests.Tracing;

/// <summary>
/// A device that answers like the model but slowly, as a real one does: after each admin doorbell, adminq_event_counter
/// keeps its old value for <c>polls</c> reads; after driver_status RESET, device_status shows DEVICE_IS_RESET only after
/// <c>polls</c> reads. The driver polls meanwhile; a trace must fold those polls.
/// </summary>
internal sealed class SlowAdminDevice(IPciFunction device, int polls) : IPciFunction
{
    public string Address => device.Address;
    public ushort VendorId => device.VendorId;
    public ushort DeviceId => device.DeviceId;
    public byte RevisionId => device.RevisionId;
    public IMmioRegion Bar0 { get; } = new SlowBar0(device.Bar0, polls);
    public IMmioRegion Bar2 => device.Bar2;
    public long Bar2Length => device.Bar2Length;
    public IDmaAllocator Dma => device.Dma;
    public IInterruptController Interrupts => device.Interrupts;
    public void EnableBusMaster() => device.EnableBusMaster();
    public void DisableBusMaster() => device.DisableBusMaster();
    public void Dispose() { }

    private sealed class SlowBar0(IMmioRegion inner, int polls) : IMmioRegion
    {
        private int _counterDelay;
        private int _resetDelay;
        private uint _staleCounter;

        public uint Read32(long offset)
        {
            if (offset == Bar0Registers.Offsets.AdminqEventCounter && _counterDelay > 0)
            {
                _counterDelay--;
                return _staleCounter;
            }
            uint raw = inner.Read32(offset);
            if (offset == Bar0Registers.Offsets.DeviceStatus && _resetDelay > 0)
            {
                _resetDelay--;
                return Bar0Registers.EncodeDeviceStatus(Bar0Registers.DecodeDeviceStatus(raw) & ~DeviceStatusFlags.DeviceIsReset);
            }
            return raw;
        }

        public void Write32(long offset, uint value)
        {
            if (offset == Bar0Registers.Offsets.AdminqDoorbell)
            {
                _staleCounter = inner.Read32(Bar0Registers.Offsets.AdminqEventCounter);
                _counterDelay = polls;
            }
            if (offset == Bar0Registers.Offsets.DriverStatus && (Bar0Registers.DecodeDriverStatus(value) & DriverStatusFlags.Reset) != 0) _resetDelay = polls;
            inner.Write32(offset, value);
        }

        public byte Read8(long offset) => inner.Read8(offset);
        public void Write8(long offset, byte value) => inner.Write8(offset, value);
        public ushort Read16(long offset) => inner.Read16(offset);
        public void Write16(long offset, ushort value) => inner.Write16(offset, value);
        public ulong Read64(long offset) => inner.Read64(offset);
        public void Write64(long offset, ulong value) => inner.Write64(offset, value);
    }
}
