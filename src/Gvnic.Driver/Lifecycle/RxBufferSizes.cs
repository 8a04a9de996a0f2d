using Gvnic.Admin;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// The RX packet buffer size (<see cref="NicOptions.RxBufferSize"/>): the 2048-byte default, or a DQO size the device's
/// BUFFER_SIZES option allows (upstream gve_enable_supported_features reads packet_buffer_size as the largest; the DQO
/// rules are DPDK's: 1024 … 16 KiB − 128 in steps of 128). GQI keeps 2048, as upstream Linux ("Modifying Rx buf len is
/// not supported" off DQO).
/// </summary>
internal static class RxBufferSizes
{
    /// <summary>The smallest DQO buffer.</summary>
    public const int MinDqo = 1024;

    /// <summary>The largest DQO buffer: a completion's 14-bit length, rounded down to the 128-byte step.</summary>
    public const int MaxDqo = 16384 - 128;

    /// <summary>DQO buffer sizes come in steps of this many bytes.</summary>
    public const int DqoStep = 128;

    private const int Default = DeviceSetup.RxBufferSize;

    /// <summary>The checks that need no device: a positive size.</summary>
    public static void Validate(int? requested)
    {
        if (requested is int size && size <= 0)
            throw new NicConfigurationException("RX buffer size " + size + " requested; it must be positive (null for the " + Default + "-byte default)", nameof(NicOptions.RxBufferSize));
    }

    /// <summary>The size to run: the default, or the requested one when <paramref name="format"/> and the device allow it.</summary>
    /// <exception cref="NicConfigurationException">The size is not allowed; the message says what is.</exception>
    /// <exception cref="DeviceFaultException">The buffer-sizes option's packet_buffer_size is below the default every device accepts.</exception>
    public static int Choose(int? requested, QueueFormat format, FormatCapabilities caps)
    {
        if (requested is not int size || size == Default) return Default;
        const string Option = nameof(NicOptions.RxBufferSize);
        if (format is QueueFormat.GqiQpl or QueueFormat.GqiRda)
            throw new NicConfigurationException("RX buffer size " + size + " requested, but " + format + " runs " + Default + "-byte RX buffers only (as upstream; other sizes need a DQO format)", Option);
        if (caps.PacketBufferSize == 0)
            throw new NicConfigurationException("RX buffer size " + size + " requested, but the device offers no buffer-sizes option with " + format + " (BUFFER_SIZES, listed by the format's supported features); only the "
                + Default + "-byte default is possible", Option);
        if (caps.PacketBufferSize < Default)
            throw new DeviceFaultException("buffer-sizes option", "packet_buffer_size", -1, caps.PacketBufferSize, "below the " + Default + "-byte buffer every device accepts");
        int max = System.Math.Min((int)caps.PacketBufferSize, MaxDqo) / DqoStep * DqoStep;
        if (format == QueueFormat.DqoQpl)
        {
            int page = (int)GvnicConstants.PageSize;
            if (size < MinDqo || size > System.Math.Min(max, page) || page % size != 0)
                throw new NicConfigurationException("RX buffer size " + size + " is not one DqoQpl can use: its buffers are cut from 4096-byte pages, so 1024, 2048"
                    + (max >= page ? " or 4096" : "") + " (the device allows up to " + caps.PacketBufferSize + ", packet_buffer_size)", Option);
            return size;
        }
        if (size < MinDqo || size > max || size % DqoStep != 0)
            throw new NicConfigurationException("RX buffer size " + size + " is outside what " + format + " allows: " + MinDqo + " … " + max + " in steps of " + DqoStep
                + " (the device's buffer-sizes option allows up to " + caps.PacketBufferSize + ", packet_buffer_size)", Option);
        return size;
    }
}
