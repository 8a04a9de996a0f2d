using System;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>
/// The commands that describe the device and agree on how the driver uses it: DESCRIBE_DEVICE (the descriptor and its
/// device options), VERIFY_DRIVER_COMPATIBILITY, GET_PTYPE_MAP and SET_DRIVER_PARAMETER (the MTU).
/// </summary>
internal sealed class DescribeCommands(AdminCommandContext context) : AdminCommandGroup(context)
{
    /// <summary>The driver-info block of the last accepted VERIFY_DRIVER_COMPATIBILITY, or null.</summary>
    public DriverInfo? LastDriverInfo { get; private set; }

    /// <summary>The longest descriptor the device writes: the descriptor and every option it can offer.</summary>
    private static readonly int MaxDescriptorLength = DeviceDescriptor.Size + 8 * DeviceOption.Size + DeviceOptionGqiRda.Size + DeviceOptionGqiQpl.Size
        + DeviceOptionDqoRda.Size + DeviceOptionDqoQpl.Size + DeviceOptionJumboFrames.Size + DeviceOptionModifyRing.Size + DeviceOptionBufferSizes.Size + DeviceOptionRssConfig.Size;

    public AdminqStatuses DescribeDevice(ref AdminqDescribeDevice d)
    {
        if (d.DeviceDescriptorVersion != GvnicConstants.AdminqDeviceDescriptorVersion) return AdminqStatuses.CommandErrorInvalidArgument;
        Span<byte> descriptor = stackalloc byte[MaxDescriptorLength];
        descriptor.Clear();
        int total = WriteDescriptor(descriptor);
        if (d.AvailableLength < total) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(d.DeviceDescriptorAddr, total, "DESCRIBE_DEVICE descriptor", out Span<byte> buf)) return AdminqStatuses.CommandErrorInvalidArgument;
        descriptor.Slice(0, total).CopyTo(buf);
        Context.Faults.OnDescribeDevice(buf, total, (int)d.AvailableLength);
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>Writes the descriptor and the options the configuration offers into <paramref name="buf"/> (zeroed); returns total_length.</summary>
    private int WriteDescriptor(Span<byte> buf)
    {
        var options = new OptionWriter(buf);
        // Upstream enables the jumbo-frames option only when the chosen format's option lists it among its supported features.
        uint formatFeatures = Config.JumboFrames ? (uint)SupFeatureMask.JumboFrames : 0;
        if ((Config.Formats & OfferedFormats.GqiRda) != 0)
            new DeviceOptionGqiRda { SupportedFeaturesMask = formatFeatures }.Write(options.Add(DevOptId.GqiRda, DeviceOptionGqiRda.Size));
        if ((Config.Formats & OfferedFormats.GqiQpl) != 0)
            new DeviceOptionGqiQpl { SupportedFeaturesMask = formatFeatures }.Write(options.Add(DevOptId.GqiQpl, DeviceOptionGqiQpl.Size));
        // The buffer-sizes option (header split, larger buffers) applies to DQO only, when the DQO format option lists it.
        uint dqoFeatures = formatFeatures | (Config.BufferSizes ? (uint)SupFeatureMask.BufferSizes : 0);
        if ((Config.Formats & OfferedFormats.DqoRda) != 0)
            new DeviceOptionDqoRda { SupportedFeaturesMask = dqoFeatures }.Write(options.Add(DevOptId.DqoRda, DeviceOptionDqoRda.Size));
        if ((Config.Formats & OfferedFormats.DqoQpl) != 0)
        {
            new DeviceOptionDqoQpl { SupportedFeaturesMask = dqoFeatures, TxPagesPerQpl = Config.TxPagesPerQpl, RxPagesPerQpl = Config.RxPagesPerQpl }
                .Write(options.Add(DevOptId.DqoQpl, DeviceOptionDqoQpl.Size));
        }
        if (Config.JumboFrames)
        {
            new DeviceOptionJumboFrames { SupportedFeaturesMask = (uint)SupFeatureMask.JumboFrames, MaxMtu = Config.MaxMtu }
                .Write(options.Add(DevOptId.JumboFrames, DeviceOptionJumboFrames.Size));
        }
        if (Config.ModifyRing)
        {
            new DeviceOptionModifyRing
            {
                SupportedFeaturedMask = (uint)SupFeatureMask.ModifyRing,
                MaxRxRingSize = Config.MaxRxRingSize,
                MaxTxRingSize = Config.MaxTxRingSize,
                MinRxRingSize = Config.MinRxRingSize,
                MinTxRingSize = Config.MinTxRingSize,
            }.Write(options.Add(DevOptId.ModifyRing, DeviceOptionModifyRing.Size));
        }
        if (Config.BufferSizes)
        {
            new DeviceOptionBufferSizes { SupportedFeaturesMask = (uint)SupFeatureMask.BufferSizes, PacketBufferSize = Config.MaxPacketBufferSize, HeaderBufferSize = Config.HeaderBufferSize }
                .Write(options.Add(DevOptId.BufferSizes, DeviceOptionBufferSizes.Size));
        }
        if (Config.Rss)
        {
            new DeviceOptionRssConfig { SupportedFeaturesMask = (uint)SupFeatureMask.RssConfig, HashKeySize = Config.RssKeySize, HashLutSize = Config.RssLutSize }
                .Write(options.Add(DevOptId.RssConfig, DeviceOptionRssConfig.Size));
        }

        ref DeviceDescriptor desc = ref DeviceDescriptor.AsRef(buf);
        desc.MaxRegisteredPages = Config.MaxRegisteredPages;
        desc.TxQueueEntries = Config.TxQueueEntries;
        desc.RxQueueEntries = Config.RxQueueEntries;
        desc.DefaultNumQueues = Config.DefaultNumQueues;
        desc.Mtu = Config.Mtu;
        desc.Counters = Config.Counters;
        desc.TxPagesPerQpl = Config.TxPagesPerQpl;
        desc.RxPagesPerQpl = Config.RxPagesPerQpl;
        Config.Mac.AsSpan().CopyTo(desc.Mac);
        desc.NumDeviceOptions = (ushort)options.Count;
        desc.TotalLength = (ushort)options.Length;
        return options.Length;
    }

    /// <summary>Appends device options (header, then payload) after the descriptor.</summary>
    private ref struct OptionWriter(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        /// <summary>The bytes written so far, descriptor included.</summary>
        public int Length { get; private set; } = DeviceDescriptor.Size;

        public int Count { get; private set; }

        /// <summary>Writes the header of option <paramref name="id"/> and returns its <paramref name="payload"/>-byte body.</summary>
        public Span<byte> Add(DevOptId id, int payload)
        {
            ref DeviceOption h = ref DeviceOption.AsRef(_buffer.Slice(Length));
            h.OptionId = id;
            h.OptionLength = (ushort)payload;
            h.RequiredFeaturesMask = 0;
            Span<byte> body = _buffer.Slice(Length + DeviceOption.Size, payload);
            Length += DeviceOption.Size + payload;
            Count++;
            return body;
        }
    }

    public AdminqStatuses SetDriverParameter(ref AdminqSetDriverParameter p)
    {
        if (p.ParameterType != SetDriverParamTypes.Mtu) return AdminqStatuses.CommandErrorInvalidArgument;
        ulong max = Config.JumboFrames ? Config.MaxMtu : Config.Mtu;
        if (p.ParameterValue < 68 || p.ParameterValue > max) return AdminqStatuses.CommandErrorInvalidArgument;
        Context.State.Mtu = (ushort)p.ParameterValue;
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses GetPtypeMap(ref AdminqGetPtypeMap g)
    {
        if (g.PtypeMapLen < (ulong)PtypeMap.Size) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(g.PtypeMapAddr, PtypeMap.Size, "ptype map", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        PacketTypeMap.Write(at);
        Context.Faults.OnPacketTypeMap(at);
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses VerifyDriverCompatibility(ref AdminqVerifyDriverCompatibility v)
    {
        if (!Config.VerifyDriverCompatibility) return AdminqStatuses.CommandErrorUnimplemented;
        if (v.DriverInfoLen < (ulong)DriverInfo.Size) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(v.DriverInfoAddr, DriverInfo.Size, "driver info", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        LastDriverInfo = DriverInfo.Read(at);
        return AdminqStatuses.CommandPassed;
    }
}
