using System;
using Gvnic.Wire;

namespace Gvnic.Admin;

/// <summary>The device descriptor is malformed in a way the driver cannot work around (lengths that do not fit the buffer).</summary>
public sealed class DeviceDescriptorException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public DeviceDescriptorException(string message) : base(message) { }
}

/// <summary>
/// Decodes the buffer DESCRIBE_DEVICE filled: the <see cref="DeviceDescriptor"/> and the options after it.
/// </summary>
/// <remarks>
/// Checks as upstream does: total_length must fit the buffer and hold the descriptor; the options must fit
/// inside total_length (an option running past it is an error); an option whose length is shorter than its
/// payload struct, or whose required-features mask is not the expected one, is skipped; a longer one is used
/// (its known prefix); unknown ids are skipped. Every skip is recorded in <see cref="DeviceDescription.SkippedOptions"/>.
/// </remarks>
public static class DeviceDescriptorParser
{
    /// <summary>Parses <paramref name="buffer"/> (the DESCRIBE_DEVICE buffer, as long as was offered to the device).</summary>
    /// <exception cref="DeviceDescriptorException">total_length, num_device_options or an option's length do not fit.</exception>
    public static DeviceDescription Parse(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < DeviceDescriptor.Size)
            throw new DeviceDescriptorException("the descriptor buffer has " + buffer.Length + " bytes, fewer than the " + DeviceDescriptor.Size + "-byte device descriptor");
        DeviceDescriptor d = DeviceDescriptor.Read(buffer);
        int total = d.TotalLength;
        if (total < DeviceDescriptor.Size || total > buffer.Length)
            throw new DeviceDescriptorException("device descriptor total_length " + total + " is outside " + DeviceDescriptor.Size + " … " + buffer.Length + " (the buffer given to the device)");
        int count = d.NumDeviceOptions;
        if ((long)count * DeviceOption.Size > total - DeviceDescriptor.Size)
            throw new DeviceDescriptorException("device descriptor claims " + count + " options, but total_length " + total + " leaves room for at most " + (total - DeviceDescriptor.Size) / DeviceOption.Size);

        var description = new DeviceDescription
        {
            MaxRegisteredPages = d.MaxRegisteredPages,
            TxQueueEntries = d.TxQueueEntries,
            RxQueueEntries = d.RxQueueEntries,
            DefaultQueueCount = d.DefaultNumQueues,
            Mtu = d.Mtu,
            EventCounters = d.Counters,
            TxPagesPerQpl = d.TxPagesPerQpl,
            RxPagesPerQpl = d.RxPagesPerQpl,
            MacAddress = new MacAddress(d.Mac),
            TotalLength = d.TotalLength,
        };

        bool gqiRda = false, gqiQpl = false, dqoRda = false, dqoQpl = false;
        int offset = DeviceDescriptor.Size;
        for (int i = 0; i < count; i++)
        {
            if (total - offset < DeviceOption.Size)
                throw new DeviceDescriptorException("option " + i + " header at byte " + offset + " runs past total_length " + total);
            DeviceOption header = DeviceOption.Read(buffer.Slice(offset));
            int length = header.OptionLength;
            int payloadAt = offset + DeviceOption.Size;
            if (payloadAt + length > total)
                throw new DeviceDescriptorException("option " + i + " (id 0x" + ((ushort)header.OptionId).ToString("X") + ", " + length + " bytes at byte " + payloadAt + ") runs past total_length " + total);
            ReadOnlySpan<byte> payload = buffer.Slice(payloadAt, length);
            uint mask = header.RequiredFeaturesMask;
            switch (header.OptionId)
            {
                case DevOptId.GqiRawAddressing:
                    if (length != GvnicConstants.DevOptLenGqiRawAddressing || mask != (uint)DevOptReqFeatMask.GqiRawAddressing)
                        Skip(description, header, "raw-addressing option must have length 0 and mask 0");
                    else { description.RawAddressing = true; gqiRda = true; }
                    break;
                case DevOptId.GqiRda:
                    if (Check(description, header, DeviceOptionGqiRda.Size, (uint)DevOptReqFeatMask.GqiRda))
                    {
                        gqiRda = true;
                        description._formatFeatures[QueueFormat.GqiRda] = (SupFeatureMask)DeviceOptionGqiRda.Read(payload).SupportedFeaturesMask;
                    }
                    break;
                case DevOptId.GqiQpl:
                    if (Check(description, header, DeviceOptionGqiQpl.Size, (uint)DevOptReqFeatMask.GqiQpl))
                    {
                        gqiQpl = true;
                        description._formatFeatures[QueueFormat.GqiQpl] = (SupFeatureMask)DeviceOptionGqiQpl.Read(payload).SupportedFeaturesMask;
                    }
                    break;
                case DevOptId.DqoRda:
                    if (Check(description, header, DeviceOptionDqoRda.Size, (uint)DevOptReqFeatMask.DqoRda))
                    {
                        dqoRda = true;
                        description._formatFeatures[QueueFormat.DqoRda] = (SupFeatureMask)DeviceOptionDqoRda.Read(payload).SupportedFeaturesMask;
                    }
                    break;
                case DevOptId.DqoQpl:
                    if (Check(description, header, DeviceOptionDqoQpl.Size, (uint)DevOptReqFeatMask.DqoQpl))
                    {
                        dqoQpl = true;
                        DeviceOptionDqoQpl o = DeviceOptionDqoQpl.Read(payload);
                        description._formatFeatures[QueueFormat.DqoQpl] = (SupFeatureMask)o.SupportedFeaturesMask;
                        description.DqoQplPages = (o.TxPagesPerQpl, o.RxPagesPerQpl);
                    }
                    break;
                case DevOptId.JumboFrames:
                    if (Check(description, header, DeviceOptionJumboFrames.Size, (uint)DevOptReqFeatMask.JumboFrames))
                        description.JumboMaxMtu = DeviceOptionJumboFrames.Read(payload).MaxMtu;
                    break;
                case DevOptId.BufferSizes:
                    if (Check(description, header, DeviceOptionBufferSizes.Size, (uint)DevOptReqFeatMask.BufferSizes))
                    {
                        DeviceOptionBufferSizes o = DeviceOptionBufferSizes.Read(payload);
                        description.BufferSizes = (o.PacketBufferSize, o.HeaderBufferSize);
                    }
                    break;
                case DevOptId.ModifyRing:
                    ParseModifyRing(description, header, payload);
                    break;
                case DevOptId.FlowSteering:
                    if (Check(description, header, DeviceOptionFlowSteering.Size, (uint)DevOptReqFeatMask.FlowSteering))
                        description.MaxFlowRules = DeviceOptionFlowSteering.Read(payload).MaxFlowRules;
                    break;
                case DevOptId.RssConfig:
                    if (Check(description, header, DeviceOptionRssConfig.Size, (uint)DevOptReqFeatMask.RssConfig))
                    {
                        DeviceOptionRssConfig o = DeviceOptionRssConfig.Read(payload);
                        description.RssConfig = (o.HashKeySize, o.HashLutSize);
                    }
                    break;
                case DevOptId.NicTimestamp:
                    if (Check(description, header, DeviceOptionNicTimestamp.Size, (uint)DevOptReqFeatMask.NicTimestamp))
                        description.NicTimestamp = true;
                    break;
                default:
                    Skip(description, header, "unknown option id");
                    break;
            }
            offset = payloadAt + length;
        }

        if (dqoRda) description._offered.Add(QueueFormat.DqoRda);
        if (dqoQpl) description._offered.Add(QueueFormat.DqoQpl);
        if (gqiRda) description._offered.Add(QueueFormat.GqiRda);
        // GQI QPL is what a device without any format option speaks (upstream's fallback).
        if (gqiQpl || !(dqoRda || dqoQpl || gqiRda)) description._offered.Add(QueueFormat.GqiQpl);
        return description;
    }

    private static void ParseModifyRing(DeviceDescription description, DeviceOption header, ReadOnlySpan<byte> payload)
    {
        // The 8-byte form predates the minimums; upstream accepts it and uses its default minimums.
        const int withoutMinimums = DeviceOptionModifyRing.Size - 4;
        if (header.OptionLength < withoutMinimums || header.RequiredFeaturesMask != (uint)DevOptReqFeatMask.ModifyRing)
        {
            Skip(description, header, "expected at least " + withoutMinimums + " bytes and required-features mask 0x" + ((uint)DevOptReqFeatMask.ModifyRing).ToString("X"));
            return;
        }
        Span<byte> padded = stackalloc byte[DeviceOptionModifyRing.Size];
        padded.Clear();
        payload.Slice(0, Math.Min(payload.Length, padded.Length)).CopyTo(padded);
        DeviceOptionModifyRing o = DeviceOptionModifyRing.Read(padded);
        bool minimums = header.OptionLength >= DeviceOptionModifyRing.Size;
        description.ModifyRing = new RingSizeLimits(o.MaxRxRingSize, o.MaxTxRingSize,
            minimums ? o.MinRxRingSize : (ushort)GvnicConstants.DefaultMinRxRingSize,
            minimums ? o.MinTxRingSize : (ushort)GvnicConstants.DefaultMinTxRingSize, minimums);
    }

    private static bool Check(DeviceDescription description, DeviceOption header, int size, uint requiredMask)
    {
        if (header.OptionLength >= size && header.RequiredFeaturesMask == requiredMask) return true;
        Skip(description, header, "expected at least " + size + " bytes and required-features mask 0x" + requiredMask.ToString("X"));
        return false;
    }

    private static void Skip(DeviceDescription description, DeviceOption header, string reason)
        => description._skipped.Add(new SkippedDeviceOption((ushort)header.OptionId, header.OptionLength, header.RequiredFeaturesMask, reason));
}
