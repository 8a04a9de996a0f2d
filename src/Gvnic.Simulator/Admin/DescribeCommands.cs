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

    /// <summary>The longest descriptor the device writes: the descriptor and every option it can offer (each with its header).</summary>
    private const int MaxDescriptorLength = DeviceDescriptor.Size + DeviceOptions.GqiRda.Size + DeviceOptions.GqiQpl.Size + DeviceOptions.DqoRda.Size
        + DeviceOptions.DqoQpl.Size + DeviceOptions.JumboFrames.Size + DeviceOptions.ModifyRing.Size + DeviceOptions.BufferSizes.Size + DeviceOptions.RssConfig.Size + DeviceOptions.FlowSteering.Size
        + DeviceOptions.NicTimestamp.Size;

    public AdminqStatuses DescribeDevice(ref AdminqDescribeDevice d)
    {
        if (d.DeviceDescriptorVersion != GvnicConstants.AdminqDeviceDescriptorVersion) return AdminqStatuses.CommandErrorInvalidArgument;
        Span<byte> descriptor = stackalloc byte[MaxDescriptorLength];
        descriptor.Clear();
        int total = WriteDescriptor(descriptor);
        if (d.AvailableLength < total) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.Aligned(d.DeviceDescriptorAddr, "DESCRIBE_DEVICE descriptor")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(d.DeviceDescriptorAddr, total, "DESCRIBE_DEVICE descriptor", out Span<byte> buf)) return AdminqStatuses.CommandErrorInvalidArgument;
        descriptor.Slice(0, total).CopyTo(buf);
        Context.Faults.OnDescribeDevice(buf, total, (int)d.AvailableLength);
        return AdminqStatuses.CommandPassed;
    }

    /// <summary>Writes the descriptor and the options the configuration offers into <paramref name="buf"/> (zeroed); returns total_length.</summary>
    private int WriteDescriptor(Span<byte> buf)
    {
        int length = DeviceDescriptor.Size;
        ushort count = 0;
        // Upstream enables the jumbo-frames and modify-ring options only when the chosen format's option lists them among
        // its supported features; a device that offers them lists them (without the modify-ring bit Linux 6.12's gve
        // answered every `ethtool -G` with "Modify ring size is not supported": found by the conformance run).
        uint formatFeatures = (Config.JumboFrames ? (uint)SupFeatureMask.JumboFrames : 0) | (Config.ModifyRing ? (uint)SupFeatureMask.ModifyRing : 0);
        // RSS and flow steering too count for upstream only when the format lists them (gve_enable_supported_features).
        formatFeatures |= (Config.Rss ? (uint)SupFeatureMask.RssConfig : 0) | (Config.FlowSteering ? (uint)SupFeatureMask.FlowSteering : 0);
        if ((Config.Formats & OfferedFormats.GqiRda) != 0)
        {
            DeviceOptions.GqiRda.Append(buf, ref length) = new DeviceOptionGqiRda { SupportedFeaturesMask = formatFeatures };
            count++;
        }
        if ((Config.Formats & OfferedFormats.GqiQpl) != 0)
        {
            DeviceOptions.GqiQpl.Append(buf, ref length) = new DeviceOptionGqiQpl { SupportedFeaturesMask = formatFeatures };
            count++;
        }
        // The buffer-sizes option (header split, larger buffers) applies to DQO only, when the DQO format option lists it.
        // NIC timestamps too: only DQO completions carry a time.
        uint dqoFeatures = formatFeatures | (Config.BufferSizes ? (uint)SupFeatureMask.BufferSizes : 0) | (Config.NicTimestamp ? (uint)SupFeatureMask.NicTimestamp : 0);
        if ((Config.Formats & OfferedFormats.DqoRda) != 0)
        {
            // Real devices fill the ring sizes: Linux 6.1's gve sizes its DQO completion and buffer rings by them (and
            // crashed on the 0s the model wrote before the conformance run found it, docs/conformance.md).
            DeviceOptions.DqoRda.Append(buf, ref length) = new DeviceOptionDqoRda { SupportedFeaturesMask = dqoFeatures, TxCompRingEntries = Config.TxQueueEntries, RxBuffRingEntries = Config.RxQueueEntries };
            count++;
        }
        if ((Config.Formats & OfferedFormats.DqoQpl) != 0)
        {
            DeviceOptions.DqoQpl.Append(buf, ref length) = new DeviceOptionDqoQpl { SupportedFeaturesMask = dqoFeatures, TxPagesPerQpl = Config.TxPagesPerQpl, RxPagesPerQpl = Config.RxPagesPerQpl };
            count++;
        }
        if (Config.JumboFrames)
        {
            DeviceOptions.JumboFrames.Append(buf, ref length) = new DeviceOptionJumboFrames { SupportedFeaturesMask = (uint)SupFeatureMask.JumboFrames, MaxMtu = Config.MaxMtu };
            count++;
        }
        if (Config.ModifyRing)
        {
            DeviceOptions.ModifyRing.Append(buf, ref length) = new DeviceOptionModifyRing
            {
                SupportedFeaturedMask = (uint)SupFeatureMask.ModifyRing,
                MaxRxRingSize = Config.MaxRxRingSize,
                MaxTxRingSize = Config.MaxTxRingSize,
                MinRxRingSize = Config.MinRxRingSize,
                MinTxRingSize = Config.MinTxRingSize,
            };
            count++;
        }
        if (Config.BufferSizes)
        {
            DeviceOptions.BufferSizes.Append(buf, ref length) = new DeviceOptionBufferSizes
                { SupportedFeaturesMask = (uint)SupFeatureMask.BufferSizes, PacketBufferSize = Config.MaxPacketBufferSize, HeaderBufferSize = Config.HeaderBufferSize };
            count++;
        }
        if (Config.Rss)
        {
            DeviceOptions.RssConfig.Append(buf, ref length) = new DeviceOptionRssConfig { SupportedFeaturesMask = (uint)SupFeatureMask.RssConfig, HashKeySize = Config.RssKeySize, HashLutSize = Config.RssLutSize };
            count++;
        }

        if (Config.FlowSteering)
        {
            DeviceOptions.FlowSteering.Append(buf, ref length) = new DeviceOptionFlowSteering { SupportedFeaturesMask = (uint)SupFeatureMask.FlowSteering, MaxFlowRules = Config.MaxFlowRules };
            count++;
        }

        if (Config.NicTimestamp)
        {
            DeviceOptions.NicTimestamp.Append(buf, ref length) = new DeviceOptionNicTimestamp { SupportedFeaturesMask = (uint)SupFeatureMask.NicTimestamp };
            count++;
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
        desc.NumDeviceOptions = count;
        desc.TotalLength = (ushort)length;
        return length;
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
        if (!Context.Aligned(g.PtypeMapAddr, "ptype map")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(g.PtypeMapAddr, PtypeMap.Size, "ptype map", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        PacketTypeMap.Write(at);
        Context.Faults.OnPacketTypeMap(at);
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses VerifyDriverCompatibility(ref AdminqVerifyDriverCompatibility v)
    {
        if (!Config.VerifyDriverCompatibility) return AdminqStatuses.CommandErrorUnimplemented;
        if (v.DriverInfoLen < (ulong)DriverInfo.Size) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.Aligned(v.DriverInfoAddr, "driver info")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(v.DriverInfoAddr, DriverInfo.Size, "driver info", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        LastDriverInfo = DriverInfo.Read(at);
        return AdminqStatuses.CommandPassed;
    }
}
