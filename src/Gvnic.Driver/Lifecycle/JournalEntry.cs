namespace Gvnic.Driver.Lifecycle;

/// <summary>One thing bring-up did, in a <see cref="BringUpJournal"/>.</summary>
/// <param name="Action">What was done.</param>
/// <param name="Id">The queue or page-list id (per-queue actions), or the value the device accepted (<see cref="JournalAction.Mtu"/>); 0 otherwise.</param>
/// <param name="Possible">
/// The device may have done it, or not: its command was sent but the control plane failed before the answer (a wait
/// that timed out, a reset, a nonsense event counter). False when the device confirmed it. (What was not done at all has
/// no entry.) Only a release can take back a possible entry: the control plane that could have undone it is gone.
/// </param>
internal readonly record struct JournalEntry(JournalAction Action, uint Id = 0, bool Possible = false)
{
    /// <summary>
    /// Whether the entry is state the device holds through the control plane (resources, page lists, queues, parameters):
    /// what a device-requested reset drops without a command.
    /// </summary>
    public bool IsDeviceState => Action is JournalAction.Mtu or JournalAction.DeviceResources or JournalAction.StatsReport
        or JournalAction.PageList or JournalAction.TxQueue or JournalAction.RxQueue;
}
