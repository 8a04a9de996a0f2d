namespace Gvnic.SchemaLint.Docs;

/// <summary>The wire-format pages: each struct and register block is documented on exactly one.</summary>
public enum DocArea
{
    /// <summary>BAR register blocks and the structs that are register values.</summary>
    Registers,

    /// <summary>The admin queue: the command slot, command bodies and their DMA payloads.</summary>
    AdminQueue,

    /// <summary>The device descriptor and the device options after it.</summary>
    DeviceOptions,

    /// <summary>GQI (big-endian) TX and RX descriptors.</summary>
    Gqi,

    /// <summary>DQO (little-endian) TX and RX descriptors and completions.</summary>
    Dqo,

    /// <summary>The mailbox of the 0x0043 gVNIC: its descriptor and messages.</summary>
    Mailbox,

    /// <summary>Structs no rule places anywhere else.</summary>
    Other,
}
