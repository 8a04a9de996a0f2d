using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// GQI notification blocks: the doorbell takes <see cref="IrqDoorbellBits"/>. Turn-up writes 0 (unmasked), a re-arm
/// ACK | EVENT (acknowledge what fired and ask for the next event), a mask MASK. Polling needs no re-arm: the device
/// writes GQI completions whether the block fires or not.
/// </summary>
internal sealed class GqiNotificationBlocks(Bar2Registers bar2, int[] doorbells) : NotificationBlocks(bar2, doorbells)
{
    protected override void TurnUp(int block) => Bar2.WriteIrqDoorbell(DoorbellOf(block), 0);

    public override void Rearm(int block) => Bar2.WriteIrqDoorbell(DoorbellOf(block), IrqDoorbellBits.Ack | IrqDoorbellBits.Event);

    public override void Mask(int block) => Bar2.WriteIrqDoorbell(DoorbellOf(block), IrqDoorbellBits.Mask);

    /// <summary>Nothing: a GQI device writes the event counter and RX descriptors as it completes them, interrupt or not.</summary>
    public override bool RearmForPoll(int block) => false;
}
