using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>
/// A flow-steering rule: frames of <see cref="Type"/> whose fields match the values given (under their masks) go to RX
/// queue <see cref="Queue"/>, before RSS is asked. A field left null matches anything. Given to <see cref="Nic.AddFlowRule"/>,
/// returned by <see cref="Nic.QueryFlowRules"/>.
/// </summary>
/// <remarks>
/// Addresses must be of the type's family (IPv4 for <see cref="FlowType.Tcpv4"/> … <see cref="FlowType.Espv4"/>). Ports
/// apply to TCP, UDP and SCTP, the security parameter index to AH and ESP. A mask without its value is refused; a value
/// without its mask is matched exactly.
/// </remarks>
public sealed record FlowRule
{
    /// <summary>The traffic class the rule matches (protocol and IP version).</summary>
    public FlowType Type { get; init; }

    /// <summary>The RX queue matching frames go to.</summary>
    public int Queue { get; init; }

    /// <summary>The rule's slot on the device (0 … max_flow_rules − 1); null lets <see cref="Nic.AddFlowRule"/> take the first free one.</summary>
    public int? Location { get; init; }

    /// <summary>Source address to match.</summary>
    public IPAddress? SourceAddress { get; init; }

    /// <summary>Bits of <see cref="SourceAddress"/> that must match (null: all).</summary>
    public IPAddress? SourceAddressMask { get; init; }

    /// <summary>Destination address to match.</summary>
    public IPAddress? DestinationAddress { get; init; }

    /// <summary>Bits of <see cref="DestinationAddress"/> that must match (null: all).</summary>
    public IPAddress? DestinationAddressMask { get; init; }

    /// <summary>Source port to match (TCP, UDP, SCTP).</summary>
    public ushort? SourcePort { get; init; }

    /// <summary>Bits of <see cref="SourcePort"/> that must match (null: all).</summary>
    public ushort? SourcePortMask { get; init; }

    /// <summary>Destination port to match (TCP, UDP, SCTP).</summary>
    public ushort? DestinationPort { get; init; }

    /// <summary>Bits of <see cref="DestinationPort"/> that must match (null: all).</summary>
    public ushort? DestinationPortMask { get; init; }

    /// <summary>IPsec security parameter index to match (AH, ESP).</summary>
    public uint? Spi { get; init; }

    /// <summary>Bits of <see cref="Spi"/> that must match (null: all).</summary>
    public uint? SpiMask { get; init; }

    /// <summary>IPv4 type of service or IPv6 traffic class to match.</summary>
    public byte? TrafficClass { get; init; }

    /// <summary>Bits of <see cref="TrafficClass"/> that must match (null: all).</summary>
    public byte? TrafficClassMask { get; init; }

    /// <summary>Whether <paramref name="type"/> is an IPv6 flow type.</summary>
    public static bool IsIpv6(FlowType type) => type is FlowType.Tcpv6 or FlowType.Udpv6 or FlowType.Sctpv6 or FlowType.Ahv6 or FlowType.Espv6;

    /// <summary>Whether <paramref name="type"/> matches by security parameter index (AH, ESP) rather than by ports.</summary>
    public static bool IsIpsec(FlowType type) => type is FlowType.Ahv4 or FlowType.Espv4 or FlowType.Ahv6 or FlowType.Espv6;

    /// <summary>Checks everything that needs no device: the type, the families of the addresses, which fields the type has, masks without values.</summary>
    /// <exception cref="ArgumentException">What is wrong, naming the property.</exception>
    internal void Validate(string parameter)
    {
        if (!FlowTypeInfo.IsDefined(Type))
            throw new ArgumentException("flow type " + (int)Type + " is not one the device knows (Tcpv4 … Espv6)", parameter);
        AddressFamily family = IsIpv6(Type) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        CheckAddress(SourceAddress, nameof(SourceAddress), family, parameter);
        CheckAddress(SourceAddressMask, nameof(SourceAddressMask), family, parameter);
        CheckAddress(DestinationAddress, nameof(DestinationAddress), family, parameter);
        CheckAddress(DestinationAddressMask, nameof(DestinationAddressMask), family, parameter);
        CheckMask(SourceAddress is null, SourceAddressMask is not null, nameof(SourceAddressMask), parameter);
        CheckMask(DestinationAddress is null, DestinationAddressMask is not null, nameof(DestinationAddressMask), parameter);
        CheckMask(SourcePort is null, SourcePortMask is not null, nameof(SourcePortMask), parameter);
        CheckMask(DestinationPort is null, DestinationPortMask is not null, nameof(DestinationPortMask), parameter);
        CheckMask(Spi is null, SpiMask is not null, nameof(SpiMask), parameter);
        CheckMask(TrafficClass is null, TrafficClassMask is not null, nameof(TrafficClassMask), parameter);
        if (IsIpsec(Type) && (SourcePort is not null || DestinationPort is not null))
            throw new ArgumentException(Type + " rules match the security parameter index (Spi), not ports", parameter);
        if (!IsIpsec(Type) && Spi is not null)
            throw new ArgumentException(Type + " rules match ports, not a security parameter index (Spi is for AH and ESP)", parameter);
    }

    private static void CheckAddress(IPAddress? address, string name, AddressFamily family, string parameter)
    {
        if (address is not null && address.AddressFamily != family)
            throw new ArgumentException(name + " " + address + " is " + (address.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : address.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : address.AddressFamily.ToString())
                + " but the rule's flow type is " + (family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4"), parameter);
    }

    private static void CheckMask(bool valueMissing, bool maskGiven, string name, string parameter)
    {
        if (valueMissing && maskGiven) throw new ArgumentException(name + " is given without the value it masks", parameter);
    }

    /// <summary>Writes the rule as the device takes it (addresses and ports in network order; unmatched fields 0 under a 0 mask).</summary>
    internal void WriteTo(ref AdminqFlowRule rule)
    {
        rule = default;
        rule.FlowType = Type;
        rule.Action = (ushort)Queue;
        WriteAddress(ref rule.Key, ref rule.Mask, SourceAddress, SourceAddressMask, source: true);
        WriteAddress(ref rule.Key, ref rule.Mask, DestinationAddress, DestinationAddressMask, source: false);
        if (IsIpsec(Type))
        {
            if (Spi is uint spi)
            {
                rule.Key.Spi = spi;
                rule.Mask.Spi = SpiMask ?? uint.MaxValue;
            }
        }
        else
        {
            if (SourcePort is ushort sp)
            {
                rule.Key.SrcPort = sp;
                rule.Mask.SrcPort = SourcePortMask ?? ushort.MaxValue;
            }
            if (DestinationPort is ushort dp)
            {
                rule.Key.DstPort = dp;
                rule.Mask.DstPort = DestinationPortMask ?? ushort.MaxValue;
            }
        }
        if (TrafficClass is byte tc)
        {
            rule.Key.Tos = tc;
            rule.Mask.Tos = TrafficClassMask ?? byte.MaxValue;
        }
    }

    private static void WriteAddress(ref FlowSpec key, ref FlowSpec mask, IPAddress? address, IPAddress? addressMask, bool source)
    {
        if (address is null) return;
        Span<byte> bytes = stackalloc byte[16];
        Span<byte> maskBytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        if (addressMask is null) maskBytes.Slice(0, length).Fill(0xFF);
        else addressMask.TryWriteBytes(maskBytes, out _);
        // The words hold the address in network order (IPv4 in word 0): a big-endian word of the address's bytes.
        for (int w = 0; w < length / 4; w++)
        {
            uint k = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(w * 4, 4));
            uint m = BinaryPrimitives.ReadUInt32BigEndian(maskBytes.Slice(w * 4, 4));
            if (source)
            {
                key.SetSrcIp(w, k);
                mask.SetSrcIp(w, m);
            }
            else
            {
                key.SetDstIp(w, k);
                mask.SetDstIp(w, m);
            }
        }
    }

    /// <summary>A rule as the device holds it (a field under an all-zero mask comes back null).</summary>
    internal static FlowRule From(in AdminqFlowRule rule, int location)
    {
        bool v6 = IsIpv6(rule.FlowType);
        bool ipsec = IsIpsec(rule.FlowType);
        FlowSpec key = rule.Key, mask = rule.Mask;
        return new FlowRule
        {
            Type = rule.FlowType,
            Queue = rule.Action,
            Location = location,
            SourceAddress = ReadAddress(key, mask, source: true, v6, out IPAddress? srcMask),
            SourceAddressMask = srcMask,
            DestinationAddress = ReadAddress(key, mask, source: false, v6, out IPAddress? dstMask),
            DestinationAddressMask = dstMask,
            SourcePort = !ipsec && mask.SrcPort != 0 ? key.SrcPort : null,
            SourcePortMask = !ipsec && mask.SrcPort != 0 && mask.SrcPort != ushort.MaxValue ? mask.SrcPort : null,
            DestinationPort = !ipsec && mask.DstPort != 0 ? key.DstPort : null,
            DestinationPortMask = !ipsec && mask.DstPort != 0 && mask.DstPort != ushort.MaxValue ? mask.DstPort : null,
            Spi = ipsec && mask.Spi != 0 ? key.Spi : null,
            SpiMask = ipsec && mask.Spi != 0 && mask.Spi != uint.MaxValue ? mask.Spi : null,
            TrafficClass = mask.Tos != 0 ? key.Tos : null,
            TrafficClassMask = mask.Tos != 0 && mask.Tos != byte.MaxValue ? mask.Tos : null,
        };
    }

    private static IPAddress? ReadAddress(FlowSpec key, FlowSpec mask, bool source, bool v6, out IPAddress? addressMask)
    {
        int words = v6 ? 4 : 1;
        Span<byte> k = stackalloc byte[16];
        Span<byte> m = stackalloc byte[16];
        for (int w = 0; w < words; w++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(k.Slice(w * 4, 4), source ? key.GetSrcIp(w) : key.GetDstIp(w));
            BinaryPrimitives.WriteUInt32BigEndian(m.Slice(w * 4, 4), source ? mask.GetSrcIp(w) : mask.GetDstIp(w));
        }
        k = k.Slice(0, words * 4);
        m = m.Slice(0, words * 4);
        addressMask = null;
        if (!m.ContainsAnyExcept((byte)0)) return null;
        if (m.ContainsAnyExcept((byte)0xFF)) addressMask = new IPAddress(m);
        return new IPAddress(k);
    }
}
