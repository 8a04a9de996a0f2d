using System.Collections.Generic;
using Gvnic.Simulator.Queues;
using Gvnic.Simulator.Registers;
using Gvnic.Wire;

namespace Gvnic.Simulator.Device;

/// <summary>
/// One notification block. The queues bound to it notify it when work completes; it fires when it is armed: it writes back
/// the completions its DQO rings hold, raises its MSI-X vector and (with <see cref="SimulatedDeviceConfig.BlocksMaskWhenFiring"/>,
/// and always on DQO) masks itself until the driver re-arms it. Work completed while it is masked is remembered and fires
/// on the re-arm. A block fires only through an enabled MSI-X vector: otherwise it stays armed with the work pending (and
/// nothing is written back). Its BAR2 doorbell masks and re-arms it: GQI through the MASK bit (any write without MASK
/// re-arms: 0 at turn-up, ACK | EVENT in a poll loop); DQO through the ITR word's enable bit. A DQO ITR word whose
/// no_update is not 3 sets the throttling interval, which (with <see cref="SimulatedDeviceConfig.DqoItrSpacing"/>)
/// keeps two interrupts of the block at least that far apart: a fire due earlier waits for the interval on the clock.
/// </summary>
internal sealed class NotificationBlock(int id, uint doorbellIndex, int vector, bool dqo, IMsixSink msix, ViolationLog violations, DeviceClock clock, SimulatedDeviceConfig config) : IDoorbellTarget
{
    private readonly List<ICompletionWriteBack> _rings = new();
    private DeviceClock.TimedWork? _deferred;
    private long _lastFire;
    private bool _everFired;

    public int Id { get; } = id;

    /// <summary>The BAR2 index the device assigned.</summary>
    public uint DoorbellIndex { get; } = doorbellIndex;

    /// <summary>The MSI-X vector it raises.</summary>
    public int Vector { get; } = vector;

    /// <summary>Blocks start masked.</summary>
    public bool Masked { get; private set; } = true;

    /// <summary>Whether work completed that has not fired yet (masked, spaced out, or its vector disabled).</summary>
    public bool Pending { get; private set; }

    /// <summary>How many interrupts it raised.</summary>
    public long Fired { get; private set; }

    /// <summary>Fires it could not raise because its MSI-X vector was not enabled.</summary>
    public long Suppressed { get; private set; }

    /// <summary>Fires the throttling interval deferred.</summary>
    public long Deferred { get; private set; }

    /// <summary>The DQO throttling interval the driver last set, in microseconds, or -1.</summary>
    public int ItrIntervalUs { get; private set; } = -1;

    /// <summary>Binds a DQO completion ring: the block writes back what it holds when it fires.</summary>
    public void Attach(ICompletionWriteBack ring) => _rings.Add(ring);

    /// <summary>Unbinds a ring (its queue was destroyed).</summary>
    public void Detach(ICompletionWriteBack ring) => _rings.Remove(ring);

    /// <summary>Work completed for a queue bound to the block.</summary>
    public void Notify()
    {
        Pending = true;
        TryFire();
    }

    /// <summary>The block is gone (deconfiguration or reset): a deferred fire is dropped.</summary>
    public void Retire()
    {
        DeviceClock.Cancel(_deferred);
        _deferred = null;
        _rings.Clear();
    }

    private void TryFire()
    {
        if (Masked || !Pending || _deferred is not null) return;
        if (dqo && config.DqoItrSpacing && ItrIntervalUs > 0 && _everFired)
        {
            long allowed = clock.AfterMicroseconds(_lastFire, ItrIntervalUs);
            if (clock.Now < allowed)
            {
                Deferred++;
                _deferred = clock.Schedule(allowed, FireDeferred);
                return;
            }
        }
        Fire();
    }

    private void FireDeferred()
    {
        _deferred = null;
        TryFire();
    }

    private void Fire()
    {
        if (!msix.IsEnabled(Vector))
        {
            // The device cannot assert the interrupt: nothing is written back, the work stays pending.
            Suppressed++;
            return;
        }
        foreach (ICompletionWriteBack ring in _rings) ring.WriteBackHeld();
        Pending = false;
        Fired++;
        _everFired = true;
        if (dqo && config.DqoItrSpacing) _lastFire = clock.Now;
        if (dqo || config.BlocksMaskWhenFiring) Masked = true;
        msix.Raise(Vector);
    }

    /// <inheritdoc/>
    public void Ring(uint raw)
    {
        if (dqo)
        {
            ItrDoorbellDqo itr = Bar2Registers.DecodeIrqDoorbellDqo(raw);
            if (itr.NoUpdate != GvnicConstants.ItrNoUpdateKeepDqo) ItrIntervalUs = (int)itr.Interval * 2;
            if (!itr.Enable)
            {
                Masked = true;
                return;
            }
            Masked = false;
            TryFire();
            return;
        }
        IrqDoorbellBits bits = Bar2Registers.DecodeIrqDoorbell(raw);
        if ((bits & ~IrqDoorbellBitsInfo.All) != 0)
        {
            violations.Add(ViolationKind.RegisterAccess, Id, DoorbellIndex, "notification-block doorbell " + DoorbellIndex + " written with 0x" + ((uint)bits).ToString("X8") + ", which has bits other than ACK, MASK and EVENT (a queue doorbell value on an IRQ doorbell?)");
            return;
        }
        Masked = (bits & IrqDoorbellBits.Mask) != 0;
        TryFire();
    }
}
