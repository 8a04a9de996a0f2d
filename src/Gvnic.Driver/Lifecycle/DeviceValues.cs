using System;
using Gvnic.Admin;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// The numbers the device supplies at bring-up, checked or clamped where they enter the driver: a value the driver
/// cannot run with is a <see cref="DeviceFaultException"/> naming the field and the value (never a framework exception
/// from the arithmetic it would have reached); a limit beyond what the driver can use is clamped to what it can.
/// </summary>
/// <remarks>
/// <para>
/// Checked (a fault when wrong): the descriptor's MTU (68 … 65517: every frame, MTU + 18, must fit the 16-bit length
/// fields; upstream checks only the minimum), its event counters (at least one), the default ring sizes when they are
/// used (a power of two, within the format's largest ring, and large enough for the largest frame), every doorbell
/// index (inside BAR2, and no two alike) and every TX event-counter index (inside the array, and no two GQI TX queues
/// alike).
/// </para>
/// <para>
/// Clamped (a limit): max_tx_queues and max_rx_queues to 65535 (upstream keeps queue counts in 16 bits); the modify-ring
/// maxima to the format's largest ring; the jumbo-frames max MTU to 65517 and never below the descriptor's MTU (the
/// option can only raise the limit); tx_pages_per_qpl and the DQO QPL page limits to 1024 pages
/// (<see cref="GvnicConstants.MaxQplPages"/>).
/// </para>
/// <para>
/// Used as they are, because no arithmetic depends on them: the MAC address, default_num_queues, max_registered_pages
/// (only compared), the packet-type map (an unknown L3 or L4 type means no flags), the link speed (any 64-bit value,
/// read only from a PASSED answer). Checked only where they are used: the header buffer size when header split is asked
/// for (1 … 1023 bytes: header_len is 10 bits), the packet buffer size when an RX buffer size is asked for
/// (<see cref="RxBufferSizes"/>), the RSS key and table sizes and the flow-rule limit when RSS or flow steering is
/// configured (<see cref="SteeringLimits"/>).
/// </para>
/// </remarks>
internal static class DeviceValues
{
    /// <summary>The largest queue limit the driver takes from BAR0 (upstream's <c>gve_queue_config.max_queues</c> is a u16).</summary>
    public const uint MaxQueueLimit = ushort.MaxValue;

    /// <summary>The largest ring the CREATE commands can describe: a power of two in a 16-bit ring-size field.</summary>
    public const int MaxRing = 1 << 15;

    /// <summary>The largest DQO TX ring: its completion ring is twice as long and must fit the 16-bit tx_comp_ring_size too.</summary>
    public const int MaxDqoTxRing = MaxRing / 2;

    private const string Descriptor = "device descriptor";

    /// <summary>A queue limit read from BAR0, clamped to <see cref="MaxQueueLimit"/>.</summary>
    public static uint QueueLimit(uint raw) => Math.Min(raw, MaxQueueLimit);

    /// <summary>Checks what every plan needs of a description: the MTU and the event counters.</summary>
    /// <exception cref="DeviceFaultException">The device described an MTU or counter count the driver cannot run with.</exception>
    public static void CheckDescription(DeviceDescription device)
    {
        if (device.Mtu < DeviceSetup.MinMtu || device.Mtu > DeviceSetup.MaxMtu)
            throw new DeviceFaultException(Descriptor, "mtu", -1, device.Mtu, "outside " + DeviceSetup.MinMtu + " … " + DeviceSetup.MaxMtu
                + " (IPv4's minimum; a frame of MTU + " + DeviceSetup.FrameOverhead + " bytes must fit the 16-bit length fields)");
        if (device.EventCounters == 0)
            throw new DeviceFaultException(Descriptor, "counters", -1, 0, "a device without event counters cannot run a queue");
    }

    /// <summary>The largest ring <paramref name="format"/> allows on TX (<paramref name="tx"/>) or RX.</summary>
    public static int MaxRingSize(QueueFormat format, bool tx) => tx && format is QueueFormat.DqoRda or QueueFormat.DqoQpl ? MaxDqoTxRing : MaxRing;

    /// <summary>Checks a ring size the device gave as its default (<paramref name="field"/>: tx_queue_entries or rx_queue_entries).</summary>
    /// <exception cref="DeviceFaultException">0, not a power of two, or above what the format allows.</exception>
    public static int DefaultRing(string field, ushort value, QueueFormat format, bool tx)
    {
        int max = MaxRingSize(format, tx);
        if (!Ring.IsValidSize(value) || value > max)
            throw new DeviceFaultException(Descriptor, field, -1, value, "a ring size must be a power of two from 1 to " + max + " in " + format);
        return value;
    }

    /// <summary>The modify-ring maximum, clamped to what <paramref name="format"/> allows.</summary>
    public static int RingLimit(ushort deviceMax, QueueFormat format, bool tx) => Math.Min(deviceMax, MaxRingSize(format, tx));

    /// <summary>The MTU limit of a format: the jumbo-frames max MTU when enabled, never below the descriptor's MTU nor above what frames can carry.</summary>
    public static int MtuLimit(FormatCapabilities caps, DeviceDescription device) => Math.Min(Math.Max(caps.MaxMtu, (int)device.Mtu), DeviceSetup.MaxMtu);

    /// <summary>A page-list size limit from the device, clamped to <see cref="GvnicConstants.MaxQplPages"/>.</summary>
    public static int QplPages(ushort devicePages) => (int)Math.Min(devicePages, GvnicConstants.MaxQplPages);

    /// <summary>The largest header buffer header split uses: a completion's header_len is 10 bits, so no header is longer.</summary>
    public const int MaxHeaderBuffer = (1 << 10) - 1;

    /// <summary>Whether <paramref name="size"/> is a header buffer size header split can use (1 … <see cref="MaxHeaderBuffer"/> bytes).</summary>
    public static bool IsHeaderBufferSize(int size) => size >= 1 && size <= MaxHeaderBuffer;
}
