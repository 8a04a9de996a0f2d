using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gvnic.Driver;
using Gvnic.Wire;

namespace Gvnic.Cli.Scenario;

/// <summary>
/// The command line's flow rules: <c>PROTO,FIELD=VALUE,…,queue=N</c>, e.g. <c>udp,dst-port=53,queue=1</c>. PROTO is tcp,
/// udp, sctp, ah or esp, with 6 appended for IPv6 (<c>tcp6</c>; <c>tcp4</c> is the same as <c>tcp</c>). Fields:
/// <c>src-ip</c> and <c>dst-ip</c> (an address, optionally <c>/PREFIX</c>), <c>src-port</c> and <c>dst-port</c> (TCP, UDP,
/// SCTP), <c>spi</c> (AH, ESP), <c>tos</c> (TOS or traffic class), <c>queue</c> (required) and <c>loc</c> (the rule's slot).
/// </summary>
internal static class FlowRuleSyntax
{
    /// <summary>The protocols, as written.</summary>
    public const string Protocols = "tcp, udp, sctp, ah, esp (append 6 for IPv6: udp6)";

    /// <summary>The fields, as written.</summary>
    public const string Fields = "src-ip, dst-ip (ADDRESS[/PREFIX]), src-port, dst-port, spi, tos, queue (required), loc";

    /// <summary>Parses <paramref name="text"/>; the error names the rule and the part that is wrong.</summary>
    /// <exception cref="UsageException">The rule does not parse.</exception>
    public static FlowRule Parse(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || parts[0].Length == 0) throw Error(text, "no protocol; write e.g. udp,dst-port=53,queue=1");
        FlowType type = Type(text, parts[0].ToLowerInvariant());
        var rule = new FlowRule { Type = type };
        bool queued = false;
        for (int i = 1; i < parts.Length; i++)
        {
            int eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw Error(text, "'" + parts[i] + "' is not FIELD=VALUE (fields: " + Fields + ")");
            string field = parts[i][..eq].Trim().ToLowerInvariant(), value = parts[i][(eq + 1)..].Trim();
            switch (field)
            {
                case "src-ip":
                    (IPAddress src, IPAddress? srcMask) = Address(text, field, value, type);
                    rule = rule with { SourceAddress = src, SourceAddressMask = srcMask };
                    break;
                case "dst-ip":
                    (IPAddress dst, IPAddress? dstMask) = Address(text, field, value, type);
                    rule = rule with { DestinationAddress = dst, DestinationAddressMask = dstMask };
                    break;
                case "src-port":
                    rule = rule with { SourcePort = (ushort)Number(text, field, value, ushort.MaxValue, "a port") };
                    break;
                case "dst-port":
                    rule = rule with { DestinationPort = (ushort)Number(text, field, value, ushort.MaxValue, "a port") };
                    break;
                case "spi":
                    rule = rule with { Spi = (uint)Number(text, field, value, uint.MaxValue, "a security parameter index") };
                    break;
                case "tos":
                    rule = rule with { TrafficClass = (byte)Number(text, field, value, byte.MaxValue, "a TOS / traffic class byte") };
                    break;
                case "queue":
                    rule = rule with { Queue = (int)Number(text, field, value, int.MaxValue, "a queue number") };
                    queued = true;
                    break;
                case "loc":
                    rule = rule with { Location = (int)Number(text, field, value, int.MaxValue, "a rule location") };
                    break;
                default:
                    throw Error(text, "unknown field '" + field + "' (fields: " + Fields + ")" + Schema.Suggest.Hint(field, ["src-ip", "dst-ip", "src-port", "dst-port", "spi", "tos", "queue", "loc"]));
            }
        }
        if (!queued) throw Error(text, "no queue=N: say which RX queue the flow goes to");
        bool ipsec = FlowRule.IsIpsec(type);
        if (ipsec && (rule.SourcePort is not null || rule.DestinationPort is not null)) throw Error(text, parts[0] + " matches spi, not ports");
        if (!ipsec && rule.Spi is not null) throw Error(text, parts[0] + " matches ports, not spi (spi is for ah and esp)");
        return rule;
    }

    private static FlowType Type(string text, string protocol)
    {
        bool v6 = protocol.EndsWith('6');
        string name = protocol.TrimEnd('4', '6');
        return name switch
        {
            "tcp" => v6 ? FlowType.Tcpv6 : FlowType.Tcpv4,
            "udp" => v6 ? FlowType.Udpv6 : FlowType.Udpv4,
            "sctp" => v6 ? FlowType.Sctpv6 : FlowType.Sctpv4,
            "ah" => v6 ? FlowType.Ahv6 : FlowType.Ahv4,
            "esp" => v6 ? FlowType.Espv6 : FlowType.Espv4,
            _ => throw Error(text, "'" + protocol + "' is not a protocol (" + Protocols + ")" + Schema.Suggest.Hint(name, ["tcp", "udp", "sctp", "ah", "esp"])),
        };
    }

    private static (IPAddress Address, IPAddress? Mask) Address(string text, string field, string value, FlowType type)
    {
        AddressFamily family = FlowRule.IsIpv6(type) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        string what = family == AddressFamily.InterNetworkV6 ? "an IPv6 address" : "an IPv4 address";
        int slash = value.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? value : value[..slash];
        if (!IPAddress.TryParse(addressText, out IPAddress? address) || address.AddressFamily != family)
            throw Error(text, field + " '" + value + "' is not " + what + (FlowRule.IsIpv6(type) ? "" : " (for IPv6 write the protocol with 6: udp6)"));
        if (slash < 0) return (address, null);
        int bits = family == AddressFamily.InterNetworkV6 ? 128 : 32;
        int prefix = (int)Number(text, field + " prefix", value[(slash + 1)..], (uint)bits, "a prefix length");
        var mask = new byte[bits / 8];
        for (int i = 0; i < prefix; i++) mask[i / 8] |= (byte)(0x80 >> (i % 8));
        return (address, new IPAddress(mask));
    }

    private static long Number(string text, string field, string value, uint max, string what)
    {
        bool hex = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!ulong.TryParse(hex ? value[2..] : value, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) || n > max)
            throw Error(text, field + " '" + value + "' is not " + what + " (0.." + max.ToString(CultureInfo.InvariantCulture) + ")");
        return (long)n;
    }

    private static UsageException Error(string text, string problem) => new("--flow '" + text + "': " + problem);
}
