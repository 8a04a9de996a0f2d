namespace Gvnic.Simulator.Registers;

/// <summary>Where the device puts doorbells in BAR2 (word indexes). Index 0 belongs to nothing, so a driver that ignores the IRQ-doorbell array is caught.</summary>
internal static class DoorbellLayout
{
    /// <summary>Notification block i rings at this + i.</summary>
    public const uint IrqBase = 0x100;

    /// <summary>TX queue q rings at this + q.</summary>
    public const uint TxBase = 0x200;

    /// <summary>RX queue q rings at this + q.</summary>
    public const uint RxBase = 0x300;
}
