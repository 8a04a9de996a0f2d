using System.Collections.Generic;
using Gvnic.Driver.ControlPlane;
using Gvnic.Driver.DataPlane;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// What one bring-up did to the device, in order, and the DMA memory it allocated: the input of
/// <see cref="NicTeardown"/>, which undoes it in reverse. An entry is written once the step it records took effect (a
/// per-queue command only once the device confirmed it), so after a failure part-way the journal says exactly what
/// must be undone. Each bring-up attempt (<see cref="Nic.Open"/>, each recovery) has its own.
/// </summary>
/// <remarks>
/// Three states: confirmed (an entry), possible (an entry with <see cref="JournalEntry.Possible"/>: the command went out and
/// the control plane failed before the device answered it) and not done (no entry). A command the device refused with
/// a status is not done.
/// </remarks>
internal sealed class BringUpJournal(DmaMemory memory)
{
    private readonly List<JournalEntry> _entries = new();

    /// <summary>Every DMA region the bring-up allocated: freed only once the device confirmed the release.</summary>
    public DmaMemory Memory { get; } = memory;

    /// <summary>The entries, in the order the bring-up did them.</summary>
    public IReadOnlyList<JournalEntry> Entries => _entries;

    /// <summary>The control plane, once it was handed to the device (the undo of the device state goes through it).</summary>
    public IControlPlane? ControlPlane { get; private set; }

    /// <summary>The notification blocks, once MSI-X was enabled (their undo masks them).</summary>
    public NotificationBlocks? InterruptBlocks { get; private set; }

    public void BusMasterEnabled() => _entries.Add(new JournalEntry(JournalAction.BusMaster));

    /// <summary>Records the control plane before it is handed over: a hand-over that failed half-way must still be released.</summary>
    public void ControlPlaneHandedOver(IControlPlane controlPlane)
    {
        ControlPlane = controlPlane;
        _entries.Add(new JournalEntry(JournalAction.ControlPlane));
    }

    public void MtuAccepted(int mtu, bool possible = false) => _entries.Add(new JournalEntry(JournalAction.Mtu, (uint)mtu, possible));

    public void DeviceResourcesAccepted(bool possible = false) => _entries.Add(new JournalEntry(JournalAction.DeviceResources, 0, possible));

    public void StatsReportAccepted(bool possible = false) => _entries.Add(new JournalEntry(JournalAction.StatsReport, 0, possible));

    public void PageListRegistered(uint id, bool possible = false) => _entries.Add(new JournalEntry(JournalAction.PageList, id, possible));

    public void TxQueueCreated(uint id, bool possible = false) => _entries.Add(new JournalEntry(JournalAction.TxQueue, id, possible));

    public void RxQueueCreated(uint id, bool possible = false) => _entries.Add(new JournalEntry(JournalAction.RxQueue, id, possible));

    public void InterruptsEnabled(NotificationBlocks blocks)
    {
        InterruptBlocks = blocks;
        _entries.Add(new JournalEntry(JournalAction.Interrupts));
    }

    /// <summary>How many entries record <paramref name="action"/> (confirmed and possible).</summary>
    public int Count(JournalAction action)
    {
        int n = 0;
        foreach (JournalEntry e in _entries) if (e.Action == action) n++;
        return n;
    }

    /// <summary>How many entries record <paramref name="action"/> as possible only.</summary>
    public int CountPossible(JournalAction action)
    {
        int n = 0;
        foreach (JournalEntry e in _entries) if (e.Action == action && e.Possible) n++;
        return n;
    }
}
