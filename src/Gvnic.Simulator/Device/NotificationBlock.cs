using Gvnic.Simulator.Registers;
using Gvnic.Wire;

namespace Gvnic.Simulator.Device;

/// <summary>
/// One notification block: the queues bound to it notify it when work completes, and it raises its MSI-X vector unless
/// masked (then the work waits as pending until the driver unmasks it). Its BAR2 doorbell masks and unmasks it: GQI
/// through the MASK bit; DQO through the ITR word's enable bit, and a DQO block masks itself when it fires.
/// </summary>
internal sealed class NotificationBlock(int id, uint doorbellIndex, int vector, bool dqo, IMsixSink msix, ViolationLog violations) : IDoorbellTarget
{
    public int Id { get; } = id;

    /// <summary>The BAR2 index the device assigned.</summary>
    public uint DoorbellIndex { get; } = doorbellIndex;

    /// <summary>The MSI-X vector it raises.</summary>
    public int Vector { get; } = vector;

    /// <summary>Blocks start masked.</summary>
    public bool Masked { get; private set; } = true;

    /// <summary>Whether work completed while it was masked.</summary>
    public bool Pending { get; private set; }

    /// <summary>How many interrupts it raised.</summary>
    public long Fired { get; private set; }

    /// <summary>The DQO throttling interval the driver last set, in microseconds, or -1.</summary>
    public int ItrIntervalUs { get; private set; } = -1;

    /// <summary>Work completed for a queue bound to the block: raise its vector unless masked.</summary>
    public void Notify()
    {
        if (Masked)
        {
            Pending = true;
            return;
        }
        Fire();
    }

    private void Fire()
    {
        Pending = false;
        Fired++;
        msix.Raise(Vector);
        // DQO blocks mask themselves when they fire until the driver re-enables them; GQI drivers mask explicitly.
        if (dqo) Masked = true;
    }

    /// <inheritdoc/>
    public void Ring(uint raw)
    {
        if (dqo)
        {
            ItrDoorbellDqo itr = Bar2Registers.DecodeIrqDoorbellDqo(raw);
            if (itr.NoUpdate != 3) ItrIntervalUs = (int)itr.Interval * 2;
            if (!itr.Enable)
            {
                Masked = true;
                return;
            }
            Masked = false;
            if (Pending) Fire();
            return;
        }
        IrqDoorbellBits bits = Bar2Registers.DecodeIrqDoorbell(raw);
        if ((bits & ~IrqDoorbellBitsInfo.All) != 0)
        {
            violations.Add(ViolationKind.RegisterAccess, Id, DoorbellIndex, "notification-block doorbell " + DoorbellIndex + " written with 0x" + ((uint)bits).ToString("X8") + ", which has bits other than ACK, MASK and EVENT (a queue doorbell value on an IRQ doorbell?)");
            return;
        }
        Masked = (bits & IrqDoorbellBits.Mask) != 0;
        if (!Masked && Pending) Fire();
    }
}
