using System;
using System.Text;
using Gvnic.Wire;

namespace Gvnic.Admin;

/// <summary>
/// Decodes the buffer DESCRIBE_DEVICE filled: the <see cref="DeviceDescriptor"/> and the options after it.
/// </summary>
/// <remarks>
/// Checks as upstream does: total_length must fit the buffer and hold the descriptor; the options must fit
/// inside total_length (an option running past it is an error); an option the schema's table
/// (<see cref="DeviceOptions"/>) does not accept, because its length is shorter than its payload struct (or the
/// short form the table allows) or its required-features mask is not the expected one, is skipped; a longer one
/// is used (its known prefix); unknown ids are skipped. Every skip is recorded in <see cref="DeviceDescription.SkippedOptions"/>.
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
            // The schema's option table (DeviceOptions) says which ids exist and what each must carry; what an option
            // means to the description is this parser's.
            WireOption? option = DeviceOptions.Find(header.OptionId);
            if (option is null) Skip(description, header, "unknown option id");
            else if (!DeviceOptions.Accepts(header)) Skip(description, header, Expected(option));
            else Apply(description, header.OptionId, payload);
            offset = payloadAt + length;
        }

        // A queue format is offered when its option was accepted (it has an entry in _formatFeatures).
        var offered = description._formatFeatures;
        foreach (QueueFormat format in new[] { QueueFormat.DqoRda, QueueFormat.DqoQpl, QueueFormat.GqiRda })
        {
            if (offered.ContainsKey(format)) description._offered.Add(format);
        }
        // GQI QPL is what a device without any format option speaks (upstream's fallback).
        if (offered.ContainsKey(QueueFormat.GqiQpl) || description._offered.Count == 0) description._offered.Add(QueueFormat.GqiQpl);
        return description;
    }

    /// <summary>What an accepted option tells the driver.</summary>
    private static void Apply(DeviceDescription description, DevOptId id, ReadOnlySpan<byte> payload)
    {
        switch (id)
        {
            case DevOptId.GqiRawAddressing:
                description.RawAddressing = true;
                description._formatFeatures.TryAdd(QueueFormat.GqiRda, 0); // GQI RDA, with no features of its own
                break;
            case DevOptId.GqiRda:
                Offer(description, QueueFormat.GqiRda, DeviceOptions.GqiRda.Read(payload).SupportedFeaturesMask);
                break;
            case DevOptId.GqiQpl:
                Offer(description, QueueFormat.GqiQpl, DeviceOptions.GqiQpl.Read(payload).SupportedFeaturesMask);
                break;
            case DevOptId.DqoRda:
                Offer(description, QueueFormat.DqoRda, DeviceOptions.DqoRda.Read(payload).SupportedFeaturesMask);
                break;
            case DevOptId.DqoQpl:
                DeviceOptionDqoQpl qpl = DeviceOptions.DqoQpl.Read(payload);
                Offer(description, QueueFormat.DqoQpl, qpl.SupportedFeaturesMask);
                description.DqoQplPages = (qpl.TxPagesPerQpl, qpl.RxPagesPerQpl);
                break;
            case DevOptId.JumboFrames:
                description.JumboMaxMtu = DeviceOptions.JumboFrames.Read(payload).MaxMtu;
                break;
            case DevOptId.BufferSizes:
                DeviceOptionBufferSizes sizes = DeviceOptions.BufferSizes.Read(payload);
                description.BufferSizes = (sizes.PacketBufferSize, sizes.HeaderBufferSize);
                break;
            case DevOptId.ModifyRing:
                // The short form (MinLength bytes) predates the minimums; upstream accepts it and uses its default minimums.
                DeviceOptionModifyRing ring = DeviceOptions.ModifyRing.Read(payload);
                bool minimums = payload.Length >= DeviceOptionModifyRing.Size;
                description.ModifyRing = new RingSizeLimits(ring.MaxRxRingSize, ring.MaxTxRingSize,
                    minimums ? ring.MinRxRingSize : (ushort)GvnicConstants.DefaultMinRxRingSize,
                    minimums ? ring.MinTxRingSize : (ushort)GvnicConstants.DefaultMinTxRingSize, minimums);
                break;
            case DevOptId.FlowSteering:
                description.MaxFlowRules = DeviceOptions.FlowSteering.Read(payload).MaxFlowRules;
                break;
            case DevOptId.RssConfig:
                DeviceOptionRssConfig rss = DeviceOptions.RssConfig.Read(payload);
                description.RssConfig = (rss.HashKeySize, rss.HashLutSize);
                break;
            case DevOptId.NicTimestamp:
                description.NicTimestamp = true;
                break;
        }
    }

    /// <summary>A queue-format option: the format is offered, with the features its option lists.</summary>
    private static void Offer(DeviceDescription description, QueueFormat format, uint supportedFeatures)
        => description._formatFeatures[format] = (SupFeatureMask)supportedFeatures;

    /// <summary>What an option must look like to be accepted, from the schema's table: e.g. <c>expected at least 4 bytes and required_features_mask 0x0</c>.</summary>
    private static string Expected(WireOption option)
    {
        var text = new StringBuilder(option.MaxLength == 0 ? "expected length 0" : "expected at least " + option.MinLength + " bytes");
        foreach (WireHeaderValue r in option.Requires) text.Append(" and ").Append(r.Field).Append(" 0x").Append(r.Value.ToString("X"));
        return text.ToString();
    }

    private static void Skip(DeviceDescription description, DeviceOption header, string reason)
        => description._skipped.Add(new SkippedDeviceOption((ushort)header.OptionId, header.OptionLength, header.RequiredFeaturesMask, reason));
}
