using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// The notification blocks of one bring-up, as the driver drives them: each block's BAR2 doorbell (the index the
/// device wrote for it at CONFIGURE_DEVICE_RESOURCES), and what is written there to turn the block up, re-arm it
/// before a wait, or mask it. GQI and DQO write different words (<see cref="GqiNotificationBlocks"/>,
/// <see cref="DqoNotificationBlocks"/>); nothing outside them branches on the format for it.
/// </summary>
internal abstract class NotificationBlocks(Bar2Registers bar2, int[] doorbells)
{
    /// <summary>The BAR2 registers the doorbells are written through.</summary>
    protected Bar2Registers Bar2 { get; } = bar2;

    /// <summary>How many blocks there are.</summary>
    public int Count => doorbells.Length;

    /// <summary>The BAR2 doorbell index of each block, in block order.</summary>
    public IReadOnlyList<int> Doorbells => doorbells;

    /// <summary>The BAR2 doorbell index of block <paramref name="block"/>.</summary>
    protected int DoorbellOf(int block) => doorbells[block];

    /// <summary>Unmasks every block at turn-up (polling mode too, as upstream).</summary>
    public void TurnUpAll()
    {
        for (int b = 0; b < doorbells.Length; b++) TurnUp(b);
    }

    /// <summary>Unmasks block <paramref name="block"/> at turn-up.</summary>
    protected abstract void TurnUp(int block);

    /// <summary>Re-arms block <paramref name="block"/> before the driver waits on its vector.</summary>
    public abstract void Rearm(int block);

    /// <summary>
    /// A poll of a queue on block <paramref name="block"/> found nothing new (or left frames in flight): whatever the
    /// device still holds must be made to show. DQO re-arms the block (<see cref="DqoNotificationBlocks"/>); GQI does
    /// nothing, its completions are written at once.
    /// </summary>
    /// <returns>Whether the block was re-armed (a second look may now find what the device held).</returns>
    public abstract bool RearmForPoll(int block);

    /// <summary>Masks block <paramref name="block"/>.</summary>
    public abstract void Mask(int block);

    /// <summary>Masks every block (teardown).</summary>
    public void MaskAll()
    {
        for (int b = 0; b < doorbells.Length; b++) Mask(b);
    }

    /// <summary>What turn-up set beyond unmasking, for the bring-up report (empty when nothing).</summary>
    public virtual string TurnUpNote => "";
}
