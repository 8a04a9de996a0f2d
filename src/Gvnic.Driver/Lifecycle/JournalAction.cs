namespace Gvnic.Driver.Lifecycle;

/// <summary>What one entry of a <see cref="BringUpJournal"/> records that bring-up did (and teardown must undo).</summary>
internal enum JournalAction
{
    /// <summary>Bus mastering was enabled. Undone last: disabled.</summary>
    BusMaster,

    /// <summary>The control plane was handed to the device (recorded before the hand-over, which may have half happened). Undone by the release.</summary>
    ControlPlane,

    /// <summary>The device accepted a non-default MTU. Nothing to undo: the release resets it.</summary>
    Mtu,

    /// <summary>The device accepted the event counters and notification blocks. Undone: DECONFIGURE_DEVICE_RESOURCES.</summary>
    DeviceResources,

    /// <summary>The device accepted the statistics report buffer and writes it until the release. Nothing to undo but the release.</summary>
    StatsReport,

    /// <summary>The device confirmed registering the page list with <see cref="JournalEntry.Id"/>. Undone: UNREGISTER_PAGE_LIST.</summary>
    PageList,

    /// <summary>The device confirmed creating TX queue <see cref="JournalEntry.Id"/>. Undone: DESTROY_TX_QUEUE.</summary>
    TxQueue,

    /// <summary>The device confirmed creating RX queue <see cref="JournalEntry.Id"/>. Undone: DESTROY_RX_QUEUE.</summary>
    RxQueue,

    /// <summary>MSI-X vectors were enabled. Undone first: every notification block masked, MSI-X disabled.</summary>
    Interrupts,
}
