using System;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>
/// The commands that describe the device and agree on how the driver uses it: DESCRIBE_DEVICE (the descriptor and its
/// device options), VERIFY_DRIVER_COMPATIBILITY, GET_PTYPE_MAP and SET_DRIVER_PARAMETER (the MTU).
/// </summary>
internal sealed class DescribeCommands(AdminCommandContext context)
{
    private SimulatedDeviceConfig Config => context.Config;

    /// <summary>The driver-info block of the last accepted VERIFY_DRIVER_COMPATIBILITY, or null.</summary>
    public DriverInfo? LastDriverInfo { get; private set; }

    private int OptionsLength(out int count)
    {
        int n = 0;
        int len = 0;
        void Add(int payload) { n++; len += DeviceOption.Size + payload; }
        if ((Config.Formats & OfferedFormats.GqiRda) != 0) Add(DeviceOptionGqiRda.Size);
        if ((Config.Formats & OfferedFormats.GqiQpl) != 0) Add(DeviceOptionGqiQpl.Size);
        if ((Config.Formats & OfferedFormats.DqoRda) != 0) Add(DeviceOptionDqoRda.Size);
        if ((Config.Formats & OfferedFormats.DqoQpl) != 0) Add(DeviceOptionDqoQpl.Size);
        if (Config.JumboFrames) Add(DeviceOptionJumboFrames.Size);
        if (Config.ModifyRing) Add(DeviceOptionModifyRing.Size);
        if (Config.BufferSizes) Add(DeviceOptionBufferSizes.Size);
        if (Config.Rss) Add(DeviceOptionRssConfig.Size);
        count = n;
        return len;
    }

    public AdminqStatuses DescribeDevice(ref AdminqDescribeDevice d)
    {
        if (d.DeviceDescriptorVersion != GvnicConstants.AdminqDeviceDescriptorVersion) return AdminqStatuses.CommandErrorInvalidArgument;
        int total = DeviceDescriptor.Size + OptionsLength(out int count);
        if (d.AvailableLength < total) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!context.TryDma(d.DeviceDescriptorAddr, total, "DESCRIBE_DEVICE descriptor", out Span<byte> buf)) return AdminqStatuses.CommandErrorInvalidArgument;
        buf.Clear();
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
        desc.NumDeviceOptions = (ushort)count;
        desc.TotalLength = (ushort)total;

        int off = DeviceDescriptor.Size;
        Span<byte> Option(Span<byte> b, DevOptId id, int payload, ref int at)
        {
            ref DeviceOption h = ref DeviceOption.AsRef(b.Slice(at));
            h.OptionId = id;
            h.OptionLength = (ushort)payload;
            h.RequiredFeaturesMask = 0;
            Span<byte> body = b.Slice(at + DeviceOption.Size, payload);
            at += DeviceOption.Size + payload;
            return body;
        }
        // Upstream enables the jumbo-frames option only when the chosen format's option lists it among its supported features.
        uint formatFeatures = Config.JumboFrames ? (uint)SupFeatureMask.JumboFrames : 0;
        if ((Config.Formats & OfferedFormats.GqiRda) != 0)
            DeviceOptionGqiRda.AsRef(Option(buf, DevOptId.GqiRda, DeviceOptionGqiRda.Size, ref off)).SupportedFeaturesMask = formatFeatures;
        if ((Config.Formats & OfferedFormats.GqiQpl) != 0)
            DeviceOptionGqiQpl.AsRef(Option(buf, DevOptId.GqiQpl, DeviceOptionGqiQpl.Size, ref off)).SupportedFeaturesMask = formatFeatures;
        // The buffer-sizes option (header split, larger buffers) applies to DQO only, when the DQO format option lists it.
        uint dqoFeatures = formatFeatures | (Config.BufferSizes ? (uint)SupFeatureMask.BufferSizes : 0);
        if ((Config.Formats & OfferedFormats.DqoRda) != 0)
            DeviceOptionDqoRda.AsRef(Option(buf, DevOptId.DqoRda, DeviceOptionDqoRda.Size, ref off)).SupportedFeaturesMask = dqoFeatures;
        if ((Config.Formats & OfferedFormats.DqoQpl) != 0)
        {
            ref DeviceOptionDqoQpl o = ref DeviceOptionDqoQpl.AsRef(Option(buf, DevOptId.DqoQpl, DeviceOptionDqoQpl.Size, ref off));
            o.SupportedFeaturesMask = dqoFeatures;
            o.TxPagesPerQpl = Config.TxPagesPerQpl;
            o.RxPagesPerQpl = Config.RxPagesPerQpl;
        }
        if (Config.JumboFrames)
        {
            ref DeviceOptionJumboFrames o = ref DeviceOptionJumboFrames.AsRef(Option(buf, DevOptId.JumboFrames, DeviceOptionJumboFrames.Size, ref off));
            o.SupportedFeaturesMask = (uint)SupFeatureMask.JumboFrames;
            o.MaxMtu = Config.MaxMtu;
        }
        if (Config.ModifyRing)
        {
            ref DeviceOptionModifyRing o = ref DeviceOptionModifyRing.AsRef(Option(buf, DevOptId.ModifyRing, DeviceOptionModifyRing.Size, ref off));
            o.SupportedFeaturedMask = (uint)SupFeatureMask.ModifyRing;
            o.MaxRxRingSize = Config.MaxRxRingSize;
            o.MaxTxRingSize = Config.MaxTxRingSize;
            o.MinRxRingSize = Config.MinRxRingSize;
            o.MinTxRingSize = Config.MinTxRingSize;
        }
        if (Config.BufferSizes)
        {
            ref DeviceOptionBufferSizes o = ref DeviceOptionBufferSizes.AsRef(Option(buf, DevOptId.BufferSizes, DeviceOptionBufferSizes.Size, ref off));
            o.SupportedFeaturesMask = (uint)SupFeatureMask.BufferSizes;
            o.PacketBufferSize = Config.MaxPacketBufferSize;
            o.HeaderBufferSize = Config.HeaderBufferSize;
        }
        if (Config.Rss)
        {
            ref DeviceOptionRssConfig o = ref DeviceOptionRssConfig.AsRef(Option(buf, DevOptId.RssConfig, DeviceOptionRssConfig.Size, ref off));
            o.SupportedFeaturesMask = (uint)SupFeatureMask.RssConfig;
            o.HashKeySize = Config.RssKeySize;
            o.HashLutSize = Config.RssLutSize;
        }
        context.Faults.OnDescribeDevice(buf, total, (int)d.AvailableLength);
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses SetDriverParameter(ref AdminqSetDriverParameter p)
    {
        if (p.ParameterType != SetDriverParamTypes.Mtu) return AdminqStatuses.CommandErrorInvalidArgument;
        ulong max = Config.JumboFrames ? Config.MaxMtu : Config.Mtu;
        if (p.ParameterValue < 68 || p.ParameterValue > max) return AdminqStatuses.CommandErrorInvalidArgument;
        context.State.Mtu = (ushort)p.ParameterValue;
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses GetPtypeMap(ref AdminqGetPtypeMap g)
    {
        if (g.PtypeMapLen < (ulong)PtypeMap.Size) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!context.TryDma(g.PtypeMapAddr, PtypeMap.Size, "ptype map", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        PacketTypeMap.Write(at);
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses VerifyDriverCompatibility(ref AdminqVerifyDriverCompatibility v)
    {
        if (!Config.VerifyDriverCompatibility) return AdminqStatuses.CommandErrorUnimplemented;
        if (v.DriverInfoLen < (ulong)DriverInfo.Size) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!context.TryDma(v.DriverInfoAddr, DriverInfo.Size, "driver info", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        LastDriverInfo = DriverInfo.Read(at);
        return AdminqStatuses.CommandPassed;
    }
}
