using System;
using System.Collections.Generic;
using Gvnic.Simulator.Queues;
using Gvnic.Wire;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The device's flow-steering rules, by location: a frame goes to the queue of the lowest-located rule whose flow type
/// it is and whose key it matches under the mask (addresses, ports or SPI, TOS / traffic class), before RSS.
/// </summary>
internal sealed class FlowSteering
{
    private readonly SortedDictionary<uint, AdminqFlowRule> _rules = new();

    /// <summary>The rules, by location.</summary>
    public IReadOnlyDictionary<uint, AdminqFlowRule> Rules => _rules;

    /// <summary>How many frames each location's rule steered (until it is deleted).</summary>
    private readonly Dictionary<uint, long> _hits = new();

    /// <summary>Frames steered by the rule at <paramref name="location"/>.</summary>
    public long Hits(uint location) => _hits.TryGetValue(location, out long n) ? n : 0;

    /// <summary>Adds <paramref name="rule"/> at <paramref name="location"/>; false when it is taken.</summary>
    public bool Add(uint location, in AdminqFlowRule rule)
    {
        if (!_rules.TryAdd(location, rule)) return false;
        _hits[location] = 0;
        return true;
    }

    /// <summary>Deletes the rule at <paramref name="location"/>; false when there is none.</summary>
    public bool Delete(uint location)
    {
        _hits.Remove(location);
        return _rules.Remove(location);
    }

    /// <summary>Deletes every rule.</summary>
    public void Clear()
    {
        _rules.Clear();
        _hits.Clear();
    }

    /// <summary>The queue of the first rule <paramref name="frame"/> matches, or -1.</summary>
    public int Match(ReadOnlySpan<byte> frame, in FrameInfo info)
    {
        if (_rules.Count == 0 || info.L3Offset < 0 || info.L4Offset < 0 || info.L3 is not (L3Type.Ipv4 or L3Type.Ipv6)) return -1;
        if (!TryFlowType(frame, info, out FlowType type, out int l4)) return -1;
        foreach (KeyValuePair<uint, AdminqFlowRule> entry in _rules)
        {
            AdminqFlowRule rule = entry.Value;
            if (rule.FlowType != type || !Matches(frame, info, l4, type, rule)) continue;
            _hits[entry.Key]++;
            return rule.Action;
        }
        return -1;
    }

    /// <summary>The flow type of an IP frame (TCP, UDP, SCTP, AH, ESP over IPv4 or IPv6) and where its L4 header starts.</summary>
    private static bool TryFlowType(ReadOnlySpan<byte> frame, in FrameInfo info, out FlowType type, out int l4)
    {
        bool v6 = info.L3 == L3Type.Ipv6;
        int l3 = info.L3Offset;
        l4 = info.L4Offset;
        byte protocol;
        if (!v6) protocol = frame[l3 + 9];
        else protocol = l4 - l3 > 40 ? frame[l4 - 8] : frame[l3 + 6]; // after a fragment header, its next header
        if (info.Fragment && info.L4 == L4Type.Other && protocol is 6 or 17 or 132) { type = default; return false; } // a later fragment: no L4 header
        type = protocol switch
        {
            6 => v6 ? FlowType.Tcpv6 : FlowType.Tcpv4,
            17 => v6 ? FlowType.Udpv6 : FlowType.Udpv4,
            132 => v6 ? FlowType.Sctpv6 : FlowType.Sctpv4,
            51 => v6 ? FlowType.Ahv6 : FlowType.Ahv4,
            50 => v6 ? FlowType.Espv6 : FlowType.Espv4,
            _ => (FlowType)0xFFFF,
        };
        return type != (FlowType)0xFFFF;
    }

    private static bool Matches(ReadOnlySpan<byte> frame, in FrameInfo info, int l4, FlowType type, in AdminqFlowRule rule)
    {
        FlowSpec key = rule.Key, mask = rule.Mask;
        int l3 = info.L3Offset;
        bool v6 = info.L3 == L3Type.Ipv6;
        int words = v6 ? 4 : 1;
        int src = v6 ? l3 + 8 : l3 + 12, dst = v6 ? l3 + 24 : l3 + 16;
        for (int w = 0; w < words; w++)
        {
            if (((Word(frame, src + 4 * w) ^ key.GetSrcIp(w)) & mask.GetSrcIp(w)) != 0) return false;
            if (((Word(frame, dst + 4 * w) ^ key.GetDstIp(w)) & mask.GetDstIp(w)) != 0) return false;
        }
        byte tos = v6 ? (byte)((frame[l3] & 0x0F) << 4 | frame[l3 + 1] >> 4) : frame[l3 + 1];
        if (((tos ^ key.Tos) & mask.Tos) != 0) return false;
        bool ipsec = type is FlowType.Ahv4 or FlowType.Ahv6 or FlowType.Espv4 or FlowType.Espv6;
        if (ipsec)
        {
            if (mask.Spi == 0) return true;
            int at = type is FlowType.Ahv4 or FlowType.Ahv6 ? l4 + 4 : l4; // AH: next header, length, reserved, then the SPI; ESP: the SPI first
            return frame.Length >= at + 4 && ((Word(frame, at) ^ key.Spi) & mask.Spi) == 0;
        }
        if (mask.Ports == 0) return true;
        if (frame.Length < l4 + 4) return false;
        uint ports = Word(frame, l4); // source port in the high half, as in flow_spec
        return ((ports ^ key.Ports) & mask.Ports) == 0;
    }

    private static uint Word(ReadOnlySpan<byte> frame, int at) => (uint)(frame[at] << 24 | frame[at + 1] << 16 | frame[at + 2] << 8 | frame[at + 3]);
}
