using System;
using System.Threading;
using Gvnic.Simulator.Device;
using Gvnic.Wire;

namespace Gvnic.Simulator.Registers;

/// <summary>
/// BAR2 as the driver maps it: every doorbell write passes here, under the device lock, and goes to the notification
/// block or queue that owns the word (<see cref="DoorbellTable"/>), which decodes it. Reads return 0. Frames the work
/// produced leave for the wire after the lock is released.
/// </summary>
internal sealed class Bar2DoorbellFile(Lock gate, DeviceState state, ViolationLog violations) : IMmioRegion
{
    public byte Read8(long offset) => 0;
    public ushort Read16(long offset) => 0;
    public uint Read32(long offset) => 0;
    public ulong Read64(long offset) => 0;
    public void Write8(long offset, byte value) => Write(offset, 1, value);
    public void Write16(long offset, ushort value) => Write(offset, 2, value);
    public void Write32(long offset, uint value) => Write(offset, 4, value);
    public void Write64(long offset, ulong value) => Write(offset, 8, value);

    private void Write(long offset, int width, ulong raw)
    {
        WirePort.Batch? batch;
        lock (gate)
        {
            try
            {
                WriteLocked(offset, width, (uint)raw);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                violations.Add(ViolationKind.DeviceModelFault, -1, offset / 4, "BAR2 write at 0x" + offset.ToString("X") + " failed inside the device: " + e);
            }
            batch = state.Wire.TakeBatch(); // frames the doorbell's work finished leave in the same lock
        }
        if (batch is not null) state.Wire.Send(batch);
    }

    private void WriteLocked(long offset, int width, uint raw)
    {
        if (state.Disposed) return;
        state.Clock.RunDue();
        long length = state.Config.Bar2Length;
        if (width != Bar2Registers.WriteWidth(offset) || offset + width > length)
        {
            violations.Add(ViolationKind.RegisterAccess, -1, offset / 4, "BAR2 write of " + width + " bytes at 0x" + offset.ToString("X") + ": doorbells are aligned 32-bit words inside the " + length + "-byte BAR");
            return;
        }
        uint index = (uint)(offset / 4);
        if (!state.Doorbells.TryGet(index, out IDoorbellTarget? owner) || owner is null)
        {
            if (state.ResetByHost)
            {
                state.IgnoredAfterHostReset++; // the device reset itself under the driver, which cannot have known yet
                return;
            }
            violations.Add(ViolationKind.UnknownDoorbell, -1, index, "doorbell " + index + " (value 0x" + raw.ToString("X8") + " raw) belongs to no queue or notification block");
            return;
        }
        if (!state.Dma.BusMaster)
        {
            violations.Add(ViolationKind.DmaWithoutBusMaster, -1, index, "doorbell " + index + " rung while bus mastering is off; the device ignores it");
            return;
        }
        owner.Ring(raw);
    }
}
