namespace Gvnic.Fuzz.Tests;

/// <summary>
/// The sizes a case asks for beyond the defaults (null: the device's): a jumbo MTU (the JUMBO_FRAMES option), a DQO RX
/// buffer size (BUFFER_SIZES), an RX ring size (MODIFY_RING), so that hostile values in those options meet a driver
/// that uses them.
/// </summary>
internal sealed record FuzzSizes(int? Mtu, int? RxBufferSize, int? RxRingSize)
{
    public static readonly FuzzSizes None = new(null, null, null);

    public override string ToString() => "mtu " + (Mtu?.ToString() ?? "-") + " rxbuf " + (RxBufferSize?.ToString() ?? "-") + " rxring " + (RxRingSize?.ToString() ?? "-");
}
